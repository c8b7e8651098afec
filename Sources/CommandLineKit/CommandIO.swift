#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a command reads and writes, and the environment it sees: the real process's, or
/// buffers and a made-up environment for in-process tests.
package struct CommandIO: Sendable {
    package var stdin: CommandInput
    package var stdout: CommandOutput
    package var stderr: CommandOutput
    package var environment: [String: String]
    /// Whether standard input is a terminal (so a password prompt would reach a person).
    package var isStdinTerminal: Bool
    /// Whether standard output is a terminal (so a table is for a person, not a script).
    package var isStdoutTerminal: Bool

    package init(
        stdin: CommandInput, stdout: CommandOutput, stderr: CommandOutput, environment: [String: String],
        isStdinTerminal: Bool, isStdoutTerminal: Bool
    ) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.environment = environment
        self.isStdinTerminal = isStdinTerminal
        self.isStdoutTerminal = isStdoutTerminal
    }

    /// The process's file descriptors 0, 1 and 2 and its environment.
    package static func process() -> CommandIO {
        CommandIO(
            stdin: .fileDescriptor(0), stdout: .fileDescriptor(1), stderr: .fileDescriptor(2),
            environment: processEnvironment(), isStdinTerminal: isatty(0) == 1, isStdoutTerminal: isatty(1) == 1)
    }

    /// Streams for a test: stdin yields `stdin`, and what is written to stdout and stderr is kept
    /// for `stdout.capturedText` and `stderr.capturedText`.
    package static func capture(
        stdin: [UInt8] = [], environment: [String: String] = [:], isStdinTerminal: Bool = false,
        isStdoutTerminal: Bool = false
    ) -> CommandIO {
        CommandIO(
            stdin: .bytes(stdin), stdout: .capture(), stderr: .capture(), environment: environment,
            isStdinTerminal: isStdinTerminal, isStdoutTerminal: isStdoutTerminal)
    }
}

/// Failures reading standard input.
package enum CommandIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `read(2)` failed with this `errno`.
    case readFailed(errno: Int32)
    /// The input was longer than the caller accepts.
    case inputTooLarge(limit: Int)

    package var description: String {
        switch self {
        case .readFailed(let code): "cannot read standard input: \(String(cString: strerror(code)))"
        case .inputTooLarge(let limit): "standard input is larger than \(limit) bytes"
        }
    }
}

// MARK: - Input

/// Standard input: a file descriptor read on demand, or bytes given by a test.
///
/// A value type: read through `io.stdin` (it is `inout` in `Command.run`), not through a copy,
/// or the copy keeps what was read ahead.
package struct CommandInput: Sendable {
    /// `nil` for given bytes, and once the descriptor has reached end of input.
    private var fileDescriptor: Int32?
    /// Bytes read and not yet returned start at `start`.
    private var buffer: [UInt8]
    private var start = 0

    private init(fileDescriptor: Int32?, buffer: [UInt8]) {
        self.fileDescriptor = fileDescriptor
        self.buffer = buffer
    }

    /// Input read from `descriptor`, which stays open.
    package static func fileDescriptor(_ descriptor: Int32) -> CommandInput {
        CommandInput(fileDescriptor: descriptor, buffer: [])
    }

    /// Input that yields `bytes`, then end of input.
    package static func bytes(_ bytes: [UInt8]) -> CommandInput {
        CommandInput(fileDescriptor: nil, buffer: bytes)
    }

    /// Everything up to end of input (empty if there is none).
    ///
    /// - Parameter limit: The most bytes accepted; the default, 16 MiB, is far above any
    ///   config file or secret.
    /// - Throws: `CommandIOError.inputTooLarge` past `limit`, `.readFailed` when `read(2)` fails.
    package mutating func readAll(limit: Int = 16 << 20) throws(CommandIOError) -> [UInt8] {
        while buffer.count - start <= limit, try fill() {}
        guard buffer.count - start <= limit else { throw .inputTooLarge(limit: limit) }
        defer {
            buffer = []
            start = 0
        }
        return Array(buffer[start...])
    }

    /// The next line without its `\n` (and without a `\r` before it), or `nil` at end of input.
    /// A last line without a newline is still returned. Invalid UTF-8 is replaced with U+FFFD.
    package mutating func readLine() throws(CommandIOError) -> String? {
        var searchFrom = start
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                compact()
                return line
            }
            searchFrom = buffer.count
            guard try fill() else { break }
        }
        guard start < buffer.count else { return nil }
        defer {
            buffer = []
            start = 0
        }
        return String(decoding: buffer[start...], as: UTF8.self)
    }

    /// Appends one `read(2)` worth of bytes; `false` at end of input.
    private mutating func fill() throws(CommandIOError) -> Bool {
        guard let descriptor = fileDescriptor else { return false }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            if count == 0 {
                fileDescriptor = nil
                return false
            }
            if errno != EINTR { throw .readFailed(errno: errno) }
        }
    }

    /// Drops returned bytes once they are most of the buffer, so reading line by line stays linear.
    private mutating func compact() {
        if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

// MARK: - Output

/// Standard output or error: a file descriptor written at once, or a buffer a test reads back.
///
/// Use it with `print(_:to:)` or `write(_:)` through `io.stdout` itself; text written to a copy
/// of a capturing stream is not seen through the original.
package struct CommandOutput: TextOutputStream, Sendable {
    private let fileDescriptor: Int32?
    private var captured: [UInt8] = []

    private init(fileDescriptor: Int32?) {
        self.fileDescriptor = fileDescriptor
    }

    /// Output written straight to `descriptor` (unbuffered, so stdout and stderr stay in order).
    package static func fileDescriptor(_ descriptor: Int32) -> CommandOutput {
        CommandOutput(fileDescriptor: descriptor)
    }

    /// Output kept in memory for `capturedText`.
    package static func capture() -> CommandOutput {
        CommandOutput(fileDescriptor: nil)
    }

    package mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Writes bytes as they are (a secret manifest, a config file).
    package mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(bytes: $0) }
    }

    private mutating func write(bytes: UnsafeRawBufferPointer) {
        guard let descriptor = fileDescriptor else {
            captured.append(contentsOf: bytes)
            return
        }
        writeAll(descriptor, bytes)
    }

    /// Everything written so far, or `nil` for a file descriptor.
    package var capturedBytes: [UInt8]? { fileDescriptor == nil ? captured : nil }

    /// Everything written so far as text, or `nil` for a file descriptor.
    package var capturedText: String? { capturedBytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// Writes all of `bytes` to `descriptor`, retrying short writes and EINTR. Other failures (a
/// closed pipe) are dropped: there is nowhere left to report a failure to write stdout or stderr.
private func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) {
    guard var next = bytes.baseAddress else { return }
    var remaining = bytes.count
    while remaining > 0 {
        let written = write(descriptor, next, remaining)
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        next += written
        remaining -= written
    }
}

/// The process environment from `environ`; for a name given twice, the first value wins, as
/// `getenv` returns it.
private func processEnvironment() -> [String: String] {
    #if canImport(Darwin)
        guard var entry = _NSGetEnviron()?.pointee else { return [:] }
    #else
        // Glibc's overlay imports `environ` as non-optional; it is NULL only after clearenv(),
        // which nothing in this program calls.
        var entry = environ
    #endif
    var environment: [String: String] = [:]
    while let pointer = entry.pointee {
        let pair = String(cString: pointer)
        if let equals = pair.firstIndex(of: "="), environment[String(pair[..<equals])] == nil {
            environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        entry += 1
    }
    return environment
}
