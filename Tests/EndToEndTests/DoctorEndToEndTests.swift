import Foundation
import Testing

/// A config directory holding `{"credsStore": "swift"}` (mode 0600) and an empty home.
private func setup() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("credtool-doctor-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
    FileManager.default.createFile(
        atPath: directory + "/config.json", contents: Data(#"{"credsStore": "swift"}"#.utf8),
        attributes: [.posixPermissions: 0o600])
    return directory
}

/// `credtool doctor --json` (through `prefix`, such as with-keyring, when given), decoded.
private func doctor(_ directory: String, through prefix: [String] = []) throws -> (ProcessResult, [[String: String]]) {
    let command = prefix + [credtoolPath, "doctor", "--json"]
    let result = try run(
        command[0], Array(command.dropFirst()),
        environment: [
            "DOCKER_CONFIG": directory, "HOME": directory + "/home", "XDG_CONFIG_HOME": directory + "/home/.config",
            "REGISTRY_AUTH_FILE": nil,
            // docker-credential-swift must be on PATH for the helpers check.
            "PATH": productsDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ])
    let checks = try JSONDecoder().decode([[String: String]].self, from: Data(result.stdout.utf8))
    return (result, checks)
}

private func statuses(_ checks: [[String: String]]) -> [String] {
    checks.map { "\($0["check"] ?? "") \($0["status"] ?? "")" }
}

@Suite("credtool doctor against a real keyring")
struct DoctorEndToEndTests {
    @Test("the test rig's own keyring: every check ok", .enabled(if: keyringIsPrivate))
    func healthy() throws {
        let directory = try setup()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (result, checks) = try doctor(directory)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        #expect(
            statuses(checks) == [
                "config ok", "config-mode ok", "plaintext ok", "creds-store ok", "helpers ok", "session-bus ok",
                "secret-service ok", "keyring-locked ok", "dockercfg ok", "podman-auth ok",
            ], "\(checks)")
    }

    @Test("a locked default collection: a warning, exit 1")
    func locked() throws {
        let directory = try setup()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (result, checks) = try doctor(directory, through: [withKeyring, "--locked"])
        #expect(result.status == 1, "\(result)")
        #expect(
            statuses(checks) == [
                "config ok", "config-mode ok", "plaintext ok", "creds-store ok", "helpers ok", "session-bus ok",
                "secret-service ok", "keyring-locked warn", "dockercfg ok", "podman-auth ok",
            ], "\(checks)")
        // list reads locked items too.
        #expect(checks.first { $0["check"] == "secret-service" }?["detail"] == "a Secret Service provider answers (1 Docker item)")
    }

    @Test("a session bus without a Secret Service provider: fail, with the fix")
    func noProvider() throws {
        let directory = try setup()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (result, checks) = try doctor(directory, through: [withKeyring, "--no-provider"])
        #expect(result.status == 1, "\(result)")
        let found = try #require(checks.first { $0["check"] == "secret-service" })
        #expect(found["status"] == "fail")
        #expect(found["detail"]?.hasPrefix("no Secret Service provider on the session bus") == true, "\(found)")
        #expect(found["fix"]?.hasPrefix("start gnome-keyring-daemon") == true)
        #expect(checks.first { $0["check"] == "session-bus" }?["status"] == "ok")
        #expect(checks.first { $0["check"] == "keyring-locked" } == nil)
    }
}
