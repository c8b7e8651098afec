#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Testing
@testable import CommandLineKit

@Suite("Command streams")
struct CommandIOTests {
    @Test(
        "readLine splits on \\n, drops a \\r before it, and returns a last unterminated line",
        arguments: zip(
            ["", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "pässword\n"],
            [[], ["a"], ["a", "b"], ["a", "b"], ["", ""], ["pässword"]]))
    func readsLines(_ input: String, _ expected: [String]) throws {
        var stdin = CommandInput.bytes(Array(input.utf8))
        var lines: [String] = []
        while let line = try stdin.readLine() { lines.append(line) }
        #expect(lines == expected)
    }

    @Test("readAll returns what readLine left, then nothing")
    func readAllAfterLine() throws {
        var stdin = CommandInput.bytes(Array("first\nrest\nof it".utf8))
        #expect(try stdin.readLine() == "first")
        #expect(try stdin.readAll() == Array("rest\nof it".utf8))
        #expect(try stdin.readAll() == [])
        #expect(try stdin.readLine() == nil)
    }

    @Test("readAll refuses input over its limit")
    func readAllLimit() {
        var stdin = CommandInput.bytes([UInt8](repeating: 65, count: 11))
        #expect(throws: CommandIOError.inputTooLarge(limit: 10)) { try stdin.readAll(limit: 10) }
    }

    @Test("captured output keeps text and bytes in order")
    func capturesOutput() {
        var io = CommandIO.capture()
        print("one", to: &io.stdout)
        io.stdout.write([0x74, 0x77, 0x6F])
        io.stderr.write("err\n")
        #expect(io.stdout.capturedText == "one\ntwo")
        #expect(io.stderr.capturedBytes == Array("err\n".utf8))
    }

    @Test("file descriptors: output written to a pipe reads back through input, line by line")
    func pipeRoundTrip() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        var output = CommandOutput.fileDescriptor(ends[1])
        let long = String(repeating: "x", count: 50_000)  // under the 64 KiB a pipe holds: nothing reads yet
        output.write("user\n\(long)\nlast")
        close(ends[1])
        #expect(output.capturedText == nil)

        var input = CommandInput.fileDescriptor(ends[0])
        #expect(try input.readLine() == "user")
        #expect(try input.readLine() == long)
        #expect(try input.readAll() == Array("last".utf8))
        #expect(try input.readLine() == nil)
    }

    @Test("the process environment is read from environ")
    func processEnvironment() {
        let io = CommandIO.process()
        #expect(io.environment["PATH"] == getenv("PATH").map { String(cString: $0) })
    }
}
