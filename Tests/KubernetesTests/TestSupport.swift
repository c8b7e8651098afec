import Foundation
import OrderedJSON

/// The output and status of a process run to completion.
struct ProcessResult {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
}

/// Runs `executable` with `arguments`, feeding `input` on stdin, and waits for it.
func run(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Feed stdin and drain stderr on other threads so no pipe fills up and blocks the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errorBytes = Data()
    DispatchQueue.global().async(group: group) {
        stdin.fileHandleForWriting.write(Data(input))
        try? stdin.fileHandleForWriting.close()
    }
    DispatchQueue.global().async(group: group) {
        errorBytes = stderr.fileHandleForReading.readDataToEndOfFile()
    }
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: Array(out), stderr: String(decoding: errorBytes, as: UTF8.self))
}

/// Whether an executable exists at `path`.
func executableExists(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

let kubectlPath = "/usr/bin/kubectl"
let python3Path = "/usr/bin/python3"

/// Whether kubectl is installed; when it is not, says so on stderr so the skip is never silent.
let kubectlAvailable: Bool = {
    let available = executableExists(kubectlPath)
    if !available {
        FileHandle.standardError.write(
            Data("KubernetesTests: \(kubectlPath) is absent; the kubectl comparisons are skipped\n".utf8))
    }
    return available
}()

/// Whether python3 with PyYAML is installed; says so on stderr when it is not.
let pyYAMLAvailable: Bool = {
    let available = executableExists(python3Path) && ((try? run(python3Path, ["-c", "import yaml"]).status) == 0)
    if !available {
        FileHandle.standardError.write(
            Data("KubernetesTests: python3 with PyYAML is absent; those checks are skipped\n".utf8))
    }
    return available
}()

/// Loads every document of `yaml` with PyYAML's `safe_load_all` and returns them as JSON.
func pyYAMLDocuments(_ yaml: String) throws -> JSONValue {
    let script = "import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin.buffer))))"
    let result = try run(python3Path, ["-c", script], input: Array(yaml.utf8))
    guard result.status == 0 else { throw PyYAMLFailure(message: result.stderr) }
    return try JSONValue(parsing: result.stdout.filter { $0 != UInt8(ascii: "\n") })
}

struct PyYAMLFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "PyYAML failed: \(message)" }
}
