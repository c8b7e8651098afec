import DockerConfig
import Foundation
import Testing

/// The built `credtool` beside the test bundle (the directory of /proc/self/exe).
func builtCredtool() throws -> String {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let path = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("credtool").path
    try #require(FileManager.default.isExecutableFile(atPath: path), "build the credtool product first: \(path)")
    return path
}

@Suite("concurrent credtool processes")
struct ConcurrentLogoutTests {
    @Test("50 processes each log out of a different registry: the other entries remain, the file valid throughout")
    func fiftyWriters() throws {
        let credtool = try builtCredtool()
        let sandbox = try Sandbox()
        let logins = (0..<60).map { (server: "r\($0).example", username: "user\($0)", password: "pw\($0)") }
        try sandbox.writeConfig(plaintextConfig(logins, extra: ",\n\t\"psFormat\": \"kept\""))

        let processes = try (0..<50).map { index in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: credtool)
            process.arguments = ["logout", "r\(index).example"]
            process.environment = ["DOCKER_CONFIG": sandbox.configDirectory, "HOME": sandbox.home, "PATH": sandbox.bin]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            return (process, output)
        }
        // Every read while the writers run sees a whole file, old or new.
        var reads = 0
        while processes.contains(where: { $0.0.isRunning }) {
            #expect(throws: Never.self) { try ConfigFileAccess.load(path: sandbox.configPath) }
            reads += 1
        }
        for (index, (process, output)) in processes.enumerated() {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "process \(index)")
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(text == "Removed login credentials for r\(index).example (auths entry)\n")
        }
        let config = try #require(try ConfigFileAccess.load(path: sandbox.configPath))
        #expect(config.authKeys == (50..<60).map { "r\($0).example" })
        #expect(sandbox.text(sandbox.configPath) == plaintextConfig(Array(logins[50...]), extra: ",\n\t\"psFormat\": \"kept\""))
        #expect(reads > 0)
    }
}
