#if canImport(Glibc)
import Glibc
#endif
import OrderedJSON

/// The client side of the docker-credential-helpers protocol: a ``CredentialStore`` backed by an
/// external `docker-credential-NAME` program (ecr-login, gcloud, pass, secretservice, ...).
///
/// Each call runs the program once with argv `[program, action]` and the payload on stdin, as
/// the protocol's Go client does (https://github.com/docker/docker-credential-helpers, package
/// `client`): a secret is never put in argv or the environment. The program's stdout is captured
/// (at most ``outputLimit`` bytes), its stderr goes to ours, and a program that does not finish
/// within `timeout` (when there is one) is killed with SIGKILL. The program is started with
/// `posix_spawn`, without a shell and without Foundation, so this type can live in the helper's
/// link graph.
package struct ExternalHelperStore: CredentialStore, Sendable {
    /// The most stdout accepted from a helper (1 MiB).
    package static let outputLimit = 1 << 20

    /// The helper's name: `pass` for `docker-credential-pass`.
    package let name: String
    /// The `PATH` value searched for the program; `nil` searches the environment's `PATH`.
    package let searchPath: String?
    /// How long one call may take before the program is killed; `nil`: as long as it takes.
    package let timeout: Duration?

    /// The timeout when none is set: 30 seconds.
    package static let defaultTimeout = Duration.seconds(30)

    /// Creates a store that runs `docker-credential-NAME`.
    ///
    /// Nothing is looked up or run until the first call.
    /// - Parameters:
    ///   - name: The part after `docker-credential-`, as `credsStore` and `credHelpers` name it.
    ///   - searchPath: A `PATH` value to search; `nil` uses the environment's `PATH`.
    ///   - timeout: How long one call may take (``defaultTimeout`` unless told); `nil` for no limit.
    package init(name: String, searchPath: String? = nil, timeout: Duration? = defaultTimeout) {
        self.name = name
        self.searchPath = searchPath
        self.timeout = timeout
    }

    /// The program's file name, `docker-credential-NAME`.
    package var programName: String { "docker-credential-" + name }

    // MARK: - CredentialStore

    /// Runs `store` with `{"ServerURL":…,"Username":…,"Secret":…}` on stdin.
    ///
    /// - Throws: ``ExternalHelperError`` when the program is missing, fails or times out.
    package func store(_ credentials: Credentials) throws {
        var payload = "{\"ServerURL\":"
        appendJSONString(credentials.serverURL, to: &payload)
        payload += ",\"Username\":"
        appendJSONString(credentials.username, to: &payload)
        payload += ",\"Secret\":"
        appendJSONString(credentials.secret, to: &payload)
        payload += "}\n"  // Go's json.Encoder ends its output with a newline
        let result = try run(action: "store", input: Array(payload.utf8))
        if result.status != 0 { throw failure(result) }
    }

    /// Runs `get` with the server URL on stdin.
    ///
    /// - Returns: The credentials, with `serverURL` set to `server`; `nil` when the program
    ///   answers "credentials not found in native keychain".
    /// - Throws: ``ExternalHelperError`` when the program is missing, fails, times out or
    ///   prints something that is not the protocol's JSON object.
    package func get(server: String) throws -> Credentials? {
        let result = try run(action: "get", input: Array((server + "\n").utf8))
        if result.status != 0 {
            if result.isNotFound { return nil }
            throw failure(result)
        }
        let object = try outputObject(result.output)
        func field(_ key: String) throws(ExternalHelperError) -> String {
            switch object.value(forKeyFoldingCase: key) {
            case nil, .null?: return ""
            case .string(let text)?: return text
            case _?: throw .invalidOutput(program: programName, reason: "the \(key) field is not a string")
            }
        }
        return Credentials(serverURL: server, username: try field("Username"), secret: try field("Secret"))
    }

    /// Runs `erase` with the server URL on stdin.
    ///
    /// - Returns: `true` when the program erased something, `false` when it answered
    ///   "credentials not found in native keychain".
    /// - Throws: ``ExternalHelperError`` for any other failure.
    @discardableResult
    package func erase(server: String) throws -> Bool {
        let result = try run(action: "erase", input: Array((server + "\n").utf8))
        if result.status == 0 { return true }
        if result.isNotFound { return false }
        throw failure(result)
    }

    /// Runs `list` and reads its JSON object of server → username.
    ///
    /// - Throws: ``ExternalHelperError`` when the program fails or prints something else.
    package func list() throws -> [String: String] {
        let result = try run(action: "list", input: [])
        if result.status != 0 { throw failure(result) }
        var servers: [String: String] = [:]
        for (server, value) in try outputObject(result.output) {
            guard let username = value.stringValue else {
                throw ExternalHelperError.invalidOutput(program: programName, reason: "a username in the list is not a string")
            }
            servers[server] = username
        }
        return servers
    }

    // MARK: - Output

    /// The JSON object on stdout. The text is never quoted in the error: it may hold a secret.
    private func outputObject(_ output: [UInt8]) throws(ExternalHelperError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: output)
        } catch {
            throw .invalidOutput(program: programName, reason: "its output is not JSON (line \(error.line), column \(error.column))")
        }
        guard let object = value.objectValue else {
            throw .invalidOutput(program: programName, reason: "its output is not a JSON object")
        }
        return object
    }

    private func failure(_ result: RunResult) -> ExternalHelperError {
        .failed(program: programName, message: result.message)
    }

    // MARK: - Running the program

    /// What one run of the program produced.
    private struct RunResult {
        /// The exit status, or 128 + the signal number when a signal ended it.
        var status: Int32
        var output: [UInt8]

        /// stdout as one trimmed line, or the exit status when stdout was empty.
        var message: String {
            let text = String(decoding: output, as: UTF8.self)
            let line = String(String(text.unicodeScalars.trimmingWhiteSpace()).map { $0.isNewline ? " " : $0 })
            return line.isEmpty ? "exited with status \(status)" : line
        }

        /// Whether stdout is the protocol's not-found message (the Go client trims it too).
        var isNotFound: Bool {
            String(String(decoding: output, as: UTF8.self).unicodeScalars.trimmingWhiteSpace()) == HelperServer.notFoundMessage
        }
    }

    /// Runs the program with `action` as its only argument and `input` on stdin.
    private func run(action: String, input: [UInt8]) throws(ExternalHelperError) -> RunResult {
        let executable = try locate()
        // stdin and stdout are socket pairs rather than pipes: socketpair can set close-on-exec
        // atomically (Glibc does not import pipe2), and writing to a program that exited without
        // reading fails with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE in this process.
        let stdinPair = try socketPair()
        let stdoutPair: (Int32, Int32)
        do {
            stdoutPair = try socketPair()
        } catch {
            close(stdinPair.0)
            close(stdinPair.1)
            throw error
        }
        let (ourIn, childIn) = stdinPair
        let (ourOut, childOut) = stdoutPair

        let spawned = spawn(executable, action: action, stdin: childIn, stdout: childOut)
        close(childIn)
        close(childOut)
        let pid: pid_t
        switch spawned {
        case .success(let child):
            pid = child
        case .failure(let code):
            close(ourIn)
            close(ourOut)
            throw .system(program: programName, operation: "posix_spawn", code: code)
        }

        let deadline = timeout.map(Deadline.init(after:))
        let output: [UInt8]
        do {
            output = try exchange(input: input, stdin: ourIn, stdout: ourOut, deadline: deadline)
        } catch {
            kill(pid, SIGKILL)
            _ = waitForExit(pid, deadline: nil)
            throw error
        }
        guard let status = waitForExit(pid, deadline: deadline) else {
            kill(pid, SIGKILL)
            _ = waitForExit(pid, deadline: nil)
            throw timedOut()
        }
        return RunResult(status: status, output: output)
    }

    /// A connected pair of close-on-exec stream sockets.
    private func socketPair() throws(ExternalHelperError) -> (Int32, Int32) {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw .system(program: programName, operation: "socketpair", code: errno)
        }
        return (pair[0], pair[1])
    }

    /// Finds the program on the search path, as Go's `exec.LookPath` does, but never in the
    /// current directory (empty and relative `PATH` entries are skipped).
    private func locate() throws(ExternalHelperError) -> String {
        guard !name.isEmpty, !name.contains("/"), !name.containsNUL else {
            throw .invalidName(name)
        }
        let path = searchPath ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = String(directory.hasSuffix("/") ? directory : directory + "/") + programName
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw .notFound(program: programName)
    }

    private enum SpawnResult {
        case success(pid_t)
        case failure(Int32)
    }

    /// Starts `executable` with argv `[programName, action]`, the given stdin and stdout, our
    /// stderr and environment, default signal dispositions and an empty signal mask.
    private func spawn(_ executable: String, action: String, stdin: Int32, stdout: Int32) -> SpawnResult {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the target; every other descriptor made here has it set.
        posix_spawn_file_actions_adddup2(&actions, stdin, STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
        addCloseFrom(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(programName), strdup(action), nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        return code == 0 ? .success(pid) : .failure(code)
    }

    /// Writes `input` to the program's stdin, closes it, and reads stdout to its end, polling
    /// both so that neither side can block the other; closes both descriptors.
    private func exchange(input: [UInt8], stdin: Int32, stdout: Int32, deadline: Deadline?) throws(ExternalHelperError) -> [UInt8] {
        var stdinOpen = true
        var written = 0
        defer {
            if stdinOpen { close(stdin) }
            close(stdout)
        }
        func closeStdin() {
            close(stdin)
            stdinOpen = false
        }
        if input.isEmpty { closeStdin() }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0)]
            if stdinOpen { fds.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
            var remaining: Int32 = -1  // no deadline: poll waits as long as it takes
            if let deadline {
                guard let left = deadline.remainingMilliseconds() else { throw timedOut() }
                remaining = left
            }
            let ready = poll(&fds, nfds_t(fds.count), remaining)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .system(program: programName, operation: "poll", code: errno)
            }
            if ready == 0 { continue }  // the deadline check above decides

            if stdinOpen, fds.count > 1, fds[1].revents != 0 {
                // The input is not empty here (an empty one closed stdin above), so it has a base address.
                let count = input.withUnsafeBytes {
                    send(stdin, $0.baseAddress! + written, input.count - written, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
                if count >= 0 {
                    written += count
                    if written == input.count { closeStdin() }
                } else if errno != EINTR && errno != EAGAIN {
                    closeStdin()  // the program stopped reading (EPIPE): its answer says why
                }
            }
            if fds[0].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(stdout, $0.baseAddress, $0.count) }
                if count == 0 { return output }
                if count < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw .system(program: programName, operation: "read", code: errno)
                }
                output += chunk[..<count]
                if output.count > Self.outputLimit { throw .outputTooLarge(program: programName, limit: Self.outputLimit) }
            }
        }
    }

    /// The error for a call that ran past its deadline (there is one only with a timeout).
    private func timedOut() -> ExternalHelperError {
        .timedOut(program: programName, timeout: timeout ?? .zero)
    }

    /// Reaps `pid`: its exit status (128 + signal when a signal ended it), or `nil` when it is
    /// still running at `deadline` (`nil` deadline: wait as long as it takes).
    private func waitForExit(_ pid: pid_t, deadline: Deadline?) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, deadline == nil ? 0 : WNOHANG)
            if result == pid { break }
            if result < 0 {
                if errno == EINTR { continue }
                return -1  // not our child any more (ECHILD): nothing left to reap
            }
            // Still running after closing stdout: check again shortly, until the deadline.
            guard let deadline, deadline.remainingMilliseconds() != nil else { return nil }
            var pause = timespec(tv_sec: 0, tv_nsec: 5_000_000)
            nanosleep(&pause, nil)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros that Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

extension ExternalHelperStore {
    /// The timeout a `CREDTOOL_HELPER_TIMEOUT` value sets: seconds, a fraction allowed (`0.5`);
    /// `0` for no limit; unset or empty for ``defaultTimeout``.
    ///
    /// - Returns: `nil` for no limit.
    /// - Throws: ``ExternalHelperError/invalidTimeout(_:)`` for anything else (a negative,
    ///   non-finite or non-numeric value, or one over a day).
    package static func timeout(setting value: String?) throws(ExternalHelperError) -> Duration? {
        guard let value, !value.isEmpty else { return defaultTimeout }
        guard let seconds = Double(value), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            throw .invalidTimeout(value)
        }
        return seconds == 0 ? nil : .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}

/// A point in time on the monotonic clock.
private struct Deadline {
    private let end: ContinuousClock.Instant

    init(after duration: Duration) { end = .now + duration }

    /// Milliseconds left, at least 1 so that `poll` waits; `nil` once the deadline has passed.
    func remainingMilliseconds() -> Int32? {
        let left = ContinuousClock.now.duration(to: end)
        guard left > .zero else { return nil }
        let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(1, milliseconds))
    }
}

/// Why a call to an external `docker-credential-NAME` program failed.
///
/// The helper's own message is kept (it is what its users search for); the program's stdout is
/// otherwise never quoted, because a successful `get` prints a secret.
package enum ExternalHelperError: Error, Sendable, CustomStringConvertible {
    /// The name is empty or holds a `/` or NUL, so it cannot name a program on PATH.
    case invalidName(String)
    /// No executable `docker-credential-NAME` in any directory of the search path.
    case notFound(program: String)
    /// The program exited with a non-zero status; `message` is its stdout, trimmed to one line.
    case failed(program: String, message: String)
    /// The program did not finish in time and was killed.
    case timedOut(program: String, timeout: Duration)
    /// The program printed more than `limit` bytes.
    case outputTooLarge(program: String, limit: Int)
    /// The program's output is not what the protocol prescribes.
    case invalidOutput(program: String, reason: String)
    /// A system call needed to run the program failed.
    case system(program: String, operation: String, code: Int32)
    /// `CREDTOOL_HELPER_TIMEOUT` holds something other than a number of seconds.
    case invalidTimeout(String)

    package var description: String {
        switch self {
        case .invalidName(let name):
            "\"\(name)\" is not a valid credential helper name; use the part after docker-credential- (for example pass)"
        case .notFound(let program):
            "\(program) is not on PATH; install it or change credsStore/credHelpers in the Docker config"
        case .failed(let program, let message):
            "\(program) failed: \(message)"
        case .timedOut(let program, let timeout):
            "\(program) did not answer within \(Self.seconds(timeout)) s; check that it is not waiting for input,"
                + " or give it longer with CREDTOOL_HELPER_TIMEOUT (seconds; 0 for no limit)"
        case .outputTooLarge(let program, let limit):
            "\(program) printed more than \(limit) bytes; check that it is a credential helper"
        case .invalidOutput(let program, let reason):
            "\(program) gave an answer credtool cannot read: \(reason); check that it is a credential helper"
        case .system(let program, let operation, let code):
            "could not run \(program): \(operation) failed: \(String(cString: strerror(code)))"
        case .invalidTimeout(let value):
            "CREDTOOL_HELPER_TIMEOUT is \"\(value)\": give the seconds a credential helper may take (at most 86400), or 0 for no limit"
        }
    }

    /// `30` for 30 seconds, `0.5` for half a second.
    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)" }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        var fraction = String(milliseconds % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(milliseconds / 1000).\(fraction)"
    }
}

/// Adds "close every descriptor from `lowest` up" to `actions`, so a spawned program inherits
/// only its stdin, stdout and stderr: not a pipe or a half-written file that another thread
/// opened without close-on-exec (exec of such a file fails with ETXTBSY).
///
/// Wraps glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which the Swift Glibc
/// module does not import, looked up once with `dlsym`. Where it is missing nothing is added.
package func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, lowest: Int32 = 3) {
    if let closeFrom = posixSpawnAddCloseFrom { _ = closeFrom(&actions, lowest) }
}

private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

private let posixSpawnAddCloseFrom: AddCloseFrom? = dlsym(
    UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"
).map { unsafeBitCast($0, to: AddCloseFrom.self) }
