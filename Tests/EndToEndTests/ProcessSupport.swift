import Foundation

/// What a finished process printed and how it exited.
struct ProcessResult: Equatable, CustomStringConvertible {
    var stdout: String
    var stderr: String
    var status: Int32
    var description: String { "status \(status), stdout \(stdout.debugDescription), stderr \(stderr.debugDescription)" }
}

/// The package's root directory (this file is Tests/EndToEndTests/ProcessSupport.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The directory of the built products: the test bundle's own (the executables are dependencies
/// of this test target, so they are built next to it).
let productsDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path

let helperPath = productsDirectory + "/docker-credential-swift"
let credtoolPath = productsDirectory + "/credtool"
let goHelperPath = "/usr/bin/docker-credential-secretservice"
let withKeyring = packageRoot + "/scripts/with-keyring"

/// Set by scripts/with-keyring: the session bus and keyring are the test run's own.
let keyringIsPrivate = ProcessInfo.processInfo.environment["CREDTOOL_TEST_KEYRING"] == "1"

/// Runs `executable` with `arguments`, `input` on stdin, and the environment changed by `environment`
/// (a `nil` value removes a variable).
func run(
    _ executable: String, _ arguments: [String] = [], input: String = "", environment: [String: String?] = [:]
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var variables = ProcessInfo.processInfo.environment
    for (name, value) in environment { variables[name] = value }
    process.environment = variables
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    // Read both pipes to the end concurrently, so neither can fill up and block the child. The
    // semaphore orders the reader thread's write of errorData before the read below.
    nonisolated(unsafe) var errorData = Data()
    let errorRead = DispatchSemaphore(value: 0)
    Thread {
        errorData = stderr.fileHandleForReading.readDataToEndOfFile()
        errorRead.signal()
    }.start()
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    errorRead.wait()
    return ProcessResult(
        stdout: String(decoding: outputData, as: UTF8.self), stderr: String(decoding: errorData, as: UTF8.self),
        status: process.terminationStatus)
}

/// A server name no other test uses, so tests can share the rig's keyring in parallel.
func uniqueServer(_ label: String) -> String {
    "\(label)-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).e2e.example"
}

/// The helper's `store` payload.
func storePayload(_ server: String, _ username: String, _ secret: String) -> String {
    func quoted(_ text: String) -> String {
        String(data: try! JSONEncoder().encode(text), encoding: .utf8)!  // a String always encodes
    }
    return "{\"ServerURL\":\(quoted(server)),\"Username\":\(quoted(username)),\"Secret\":\(quoted(secret))}"
}
