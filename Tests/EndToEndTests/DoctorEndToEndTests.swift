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
    @Test("a private keyring: every check ok")
    func healthy() throws {
        let directory = try setup()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A keyring of its own: tests beside it leave duplicate items in the shared one.
        let (result, checks) = try doctor(directory, through: [withKeyring])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        #expect(
            statuses(checks) == [
                "config ok", "config-mode ok", "plaintext ok", "creds-store ok", "helpers ok", "session-bus ok",
                "secret-service ok", "keyring-locked ok", "keyring-items ok", "dockercfg ok", "podman-auth ok",
            ], "\(checks)")
    }

    @Test("duplicate items that Docker's helper made: a warning whose fix, run as printed, leaves one item")
    func duplicateItems() throws {
        let directory = try setup()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // On a private keyring: Docker's helper stores dup.example twice (a second username adds
        // an item), doctor runs, its fix runs through sh, doctor runs again.
        let script = #"""
            set -eu
            credtool=$1 dir=$2
            for user in alice bob; do
              printf '{"ServerURL":"dup.example","Username":"%s","Secret":"pw-%s"}' "$user" "$user" |
                /usr/bin/docker-credential-secretservice store
            done
            doctor() { DOCKER_CONFIG=$dir HOME=$dir/home XDG_CONFIG_HOME=$dir/home/.config "$credtool" doctor --json || true; }
            doctor >"$dir/before.json"
            fix=$(python3 -c 'import json, sys
            print(next(c["fix"] for c in json.load(open(sys.argv[1])) if c["check"] == "keyring-items").split(" (")[0])' "$dir/before.json")
            sh -c "$fix"
            doctor >"$dir/after.json"
            docker-credential-swift list >"$dir/list.json"
            echo dup.example | /usr/bin/docker-credential-secretservice get >"$dir/get.json"
            """#
        let result = try run(
            withKeyring, ["bash", "-c", script, "rig", credtoolPath, directory],
            environment: ["PATH": productsDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
        #expect(result.status == 0, "\(result)")
        func checks(_ name: String) throws -> [[String: String]] {
            try JSONDecoder().decode([[String: String]].self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        }
        let before = try checks("before.json").filter { $0["check"] == "keyring-items" }
        #expect(before.map { $0["status"] } == ["warn"])
        #expect(before.first?["detail"] == "2 items for dup.example (usernames alice, bob): clients get any one of them")
        #expect(try checks("after.json").filter { $0["check"] == "keyring-items" }.map { $0["status"] } == ["ok"])
        // One item is left, and Docker's helper reads the same login that ours lists.
        let list = try String(contentsOfFile: directory + "/list.json", encoding: .utf8)
        let get = try String(contentsOfFile: directory + "/get.json", encoding: .utf8)
        let user = try #require(["alice", "bob"].first { list == "{\"dup.example\":\"\($0)\"}\n" }, "\(list)")
        #expect(get == "{\"ServerURL\":\"dup.example\",\"Username\":\"\(user)\",\"Secret\":\"pw-\(user)\"}\n")
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
                "secret-service ok", "keyring-locked warn", "keyring-items ok", "dockercfg ok", "podman-auth ok",
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
