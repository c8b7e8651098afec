import Foundation
import Testing

/// A damaged config.json and the one line every command prints for it.
struct DamagedConfig: Sendable, CustomTestStringConvertible {
    var content: String
    /// The message after `credtool: `; `PATH` stands for the config's path.
    var message: String
    var testDescription: String
}

/// The commands that read the config: each must fail with the same line, status 1, and change
/// no file.
let readingCommands: [[String]] = [
    ["list"], ["list", "--json"], ["get", "ghcr.io"], ["logout", "ghcr.io"], ["merge", "CONFIG"],
    ["merge", "CONFIG", "--output", "OUTPUT"],
]

@Suite("bad input: one line naming the file, status 1, no file changed")
struct BadInputTests {
    static let damaged: [DamagedConfig] = [
        DamagedConfig(
            content: "{\"auths\": {\"ghcr.io\": {\"auth\": \"",
            message: "PATH is not valid JSON (line 1, column 33: unterminated string (it starts at line 1, column 32)); fix or move the file",
            testDescription: "truncated"),
        DamagedConfig(
            content: "hello",
            message: "PATH is not valid JSON (line 1, column 1: expected a JSON value, found 'h'); fix or move the file",
            testDescription: "not JSON"),
        DamagedConfig(
            content: "[{\"auths\": {}}]",
            message: "PATH must hold a JSON object at the top level; fix or move the file",
            testDescription: "a top-level array"),
        DamagedConfig(
            content: "{\"auths\": [\"ghcr.io\"]}",
            message: "auths in PATH must be a JSON object; fix the file",
            testDescription: "auths not an object"),
        DamagedConfig(
            content: "{\"auths\": {\"ghcr.io\": \"x\"}}",
            message: "auths[\"ghcr.io\"] in PATH must be a JSON object; fix the file",
            testDescription: "an auths entry not an object"),
        DamagedConfig(
            content: "{\"credsStore\": 5}",
            message: "credsStore in PATH must be a string; fix the file",
            testDescription: "credsStore not a string"),
        DamagedConfig(
            content: "{\"credHelpers\": {\"ghcr.io\": 1}}",
            message: "credHelpers[\"ghcr.io\"] in PATH must be a string; fix the file",
            testDescription: "a credHelpers value not a string"),
    ]

    @Test(arguments: damaged)
    func damagedConfig(_ c: DamagedConfig) throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(c.content)
        let output = sandbox.path("output.json")
        try sandbox.write("{\"psFormat\": \"x\"}", to: output)
        for command in readingCommands {
            let arguments = command.map { $0 == "CONFIG" ? sandbox.configPath : $0 == "OUTPUT" ? output : $0 }
            #expect(sandbox.run(arguments) == Outcome(status: 1, stdout: "", stderr: "credtool: \(c.message.replacing("PATH", with: sandbox.configPath))\n"),
                    "credtool \(command.joined(separator: " "))")
        }
        #expect(sandbox.text(sandbox.configPath) == c.content)
        #expect(sandbox.text(output) == "{\"psFormat\": \"x\"}")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.configDirectory) == ["config.json"])
    }

    @Test("a directory where config.json should be")
    func directory() throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(atPath: sandbox.configPath, withIntermediateDirectories: true)
        for command in readingCommands.dropLast(2) {
            #expect(sandbox.run(command) == Outcome(status: 1, stdout: "", stderr: """
                credtool: \(sandbox.configPath) is a directory, not a config file; move it or point credtool at a file

                """), "credtool \(command.joined(separator: " "))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.configPath) == [])
    }

    @Test("a config that cannot be read: its directory is a file")
    func notADirectory() throws {
        let sandbox = try Sandbox()
        try sandbox.write("not a directory", to: sandbox.path("file"))
        for command in readingCommands.dropLast(2) {
            #expect(sandbox.run(["--config", sandbox.path("file")] + command) == Outcome(status: 1, stdout: "", stderr: """
                credtool: cannot read \(sandbox.path("file"))/config.json: Not a directory; check its permissions

                """), "credtool \(command.joined(separator: " "))")
        }
        #expect(sandbox.text(sandbox.path("file")) == "not a directory")
    }

    @Test("a config without read permission", .enabled(if: geteuid() != 0, "root reads any file"))
    func unreadable() throws {
        let sandbox = try Sandbox()
        let config = plaintextConfig([("ghcr.io", "bob", "pw")])
        try sandbox.writeConfig(config)
        #expect(chmod(sandbox.configPath, 0) == 0)
        for command in readingCommands.dropLast(2) {
            #expect(sandbox.run(command) == Outcome(status: 1, stdout: "", stderr: """
                credtool: cannot read \(sandbox.configPath): Permission denied; check its permissions

                """), "credtool \(command.joined(separator: " "))")
        }
        #expect(chmod(sandbox.configPath, 0o600) == 0)
        #expect(sandbox.text(sandbox.configPath) == config)
    }
}
