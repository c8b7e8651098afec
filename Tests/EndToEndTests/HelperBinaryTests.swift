import Foundation
import Testing

@Suite("docker-credential-swift without a keyring")
struct HelperBinaryTests {
    @Test("version, usage and unknown actions")
    func usage() throws {
        let usage = "Usage: docker-credential-swift <store|get|erase|list|version>\n"
        #expect(try run(helperPath, ["version"]) == ProcessResult(stdout: "docker-credential-swift (credtool) 0.1.0\n", stderr: "", status: 0))
        #expect(try run(helperPath, ["--help"]) == ProcessResult(stdout: usage, stderr: "", status: 0))
        #expect(try run(helperPath, []) == ProcessResult(stdout: usage, stderr: "", status: 1))
        #expect(try run(helperPath, ["foo"]) == ProcessResult(stdout: "docker-credential-swift: unknown action: foo\n", stderr: "", status: 1))
    }

    @Test("the helper links no Foundation, ICU or curl")
    func linkGraph() throws {
        let libraries = try run("/usr/bin/ldd", [helperPath]).stdout
        #expect(libraries.contains("libsecret-1"))
        for forbidden in ["Foundation", "icu", "curl"] {
            #expect(!libraries.contains(forbidden), "\(forbidden) is linked: \(libraries)")
        }
    }

    @Test("no session bus: a one-line message saying what to do")
    func noBus() throws {
        let result = try run(helperPath, ["get"], input: "reg.example\n", environment: [
            "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/credtool-test-bus", "DISPLAY": nil,
        ])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("no D-Bus session bus ("))
        #expect(result.stdout.hasSuffix("run inside a desktop session, or start one with dbus-run-session\n"))
        #expect(result.stdout.split(separator: "\n").count == 1)
    }

    @Test("no Secret Service provider on the bus")
    func noProvider() throws {
        let result = try run(withKeyring, ["--no-provider", helperPath, "get"], input: "reg.example\n")
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("no Secret Service provider on the session bus"))
        #expect(result.stdout.contains("start gnome-keyring-daemon"))
    }

    @Test("a locked keyring is reported as locked, never as not found", arguments: ["get", "erase", "store"])
    func locked(action: String) throws {
        let input = action == "store" ? storePayload("locked.example", "rig", "new-secret") : "locked.example\n"
        let result = try run(withKeyring, ["--locked", helperPath, action], input: input)
        #expect(result == ProcessResult(
            stdout: "the keyring is locked and no unlock prompt could be shown: unlock it with your desktop's keyring tool,"
                + " or with `gnome-keyring-daemon --replace --unlock` reading the password on stdin\n",
            stderr: "", status: 1))
    }

    @Test("list on a locked keyring reads attributes only and asks for no unlock")
    func lockedList() throws {
        #expect(try run(withKeyring, ["--locked", helperPath, "list"])
            == ProcessResult(stdout: "{\"locked.example\":\"rig\"}\n", stderr: "", status: 0))
    }
}

@Suite("docker-credential-swift on a real keyring, beside Docker's helper", .enabled(if: keyringIsPrivate))
struct HelperKeyringTests {
    @Test("Docker's reference helper is installed (scripts/bootstrap installs it)")
    func peerInstalled() {
        #expect(FileManager.default.isExecutableFile(atPath: goHelperPath))
    }

    @Test("get prints the same bytes as Docker's helper for the same item")
    func sameBytes() throws {
        let server = uniqueServer("bytes")
        let secret = "p\"w\\d <>& \u{2028} é😀 \u{1} tab\t/"
        #expect(try run(goHelperPath, ["store"], input: storePayload(server, "üser", secret)).status == 0)
        let ours = try run(helperPath, ["get"], input: server + "\n")
        let theirs = try run(goHelperPath, ["get"], input: server + "\n")
        #expect(ours.status == 0)
        #expect(ours == theirs)
        _ = try run(helperPath, ["erase"], input: server)
    }

    @Test("items stored by our helper are read and erased by Docker's")
    func oursToTheirs() throws {
        let server = uniqueServer("ours")
        #expect(try run(helperPath, ["store"], input: storePayload(server, "alice", "s3cret")) == ProcessResult(stdout: "", stderr: "", status: 0))
        #expect(try run(goHelperPath, ["get"], input: server).stdout
            == "{\"ServerURL\":\"\(server)\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}\n")
        #expect(try run(goHelperPath, ["erase"], input: server).status == 0)
        #expect(try run(helperPath, ["get"], input: server)
            == ProcessResult(stdout: "credentials not found in native keychain\n", stderr: "", status: 1))
    }

    @Test("items stored by Docker's helper are read, listed and erased by ours")
    func theirsToOurs() throws {
        let server = uniqueServer("theirs")
        #expect(try run(goHelperPath, ["store"], input: storePayload("https://" + server, "bob", "t0ken")).status == 0)
        #expect(try run(helperPath, ["get"], input: "https://" + server).stdout
            == "{\"ServerURL\":\"https://\(server)\",\"Username\":\"bob\",\"Secret\":\"t0ken\"}\n")
        // Docker's helper keys on the exact URL; ours also finds the host-only spelling.
        #expect(try run(helperPath, ["get"], input: server).stdout
            == "{\"ServerURL\":\"\(server)\",\"Username\":\"bob\",\"Secret\":\"t0ken\"}\n")
        #expect(try run(helperPath, ["list"]).stdout.contains("\"https://\(server)\":\"bob\""))
        #expect(try run(helperPath, ["erase"], input: server).status == 0)
        #expect(try run(goHelperPath, ["get"], input: "https://" + server).status == 1)
    }

    @Test(
        "a store leaves one item for its server, also over the duplicates Docker's helper makes",
        arguments: ["b", "c"])
    func storeLeavesOneItem(username: String) throws {
        let server = uniqueServer("duplicates")
        // Docker's helper keeps a second item when the username changes.
        #expect(try run(goHelperPath, ["store"], input: storePayload(server, "a", "one")).status == 0)
        #expect(try run(goHelperPath, ["store"], input: storePayload(server, "b", "two")).status == 0)
        #expect(try secretToolItems(server: server).count == 2)
        #expect(try run(helperPath, ["store"], input: storePayload(server, username, "three")).status == 0)
        let items = try secretToolItems(server: server)
        #expect(items.count == 1)
        #expect(items.first?["username"] == username)
        #expect(try run(helperPath, ["get"], input: server).stdout
            == "{\"ServerURL\":\"\(server)\",\"Username\":\"\(username)\",\"Secret\":\"three\"}\n")
        #expect(try run(helperPath, ["erase"], input: server).status == 0)
    }

    @Test("an item under the same username that lacks docker_cli (an older helper's) is replaced, not kept beside")
    func storeReplacesLegacyItem() throws {
        let server = uniqueServer("legacy")
        let legacy = try secretToolStore(["server", server, "username", "alice"], secret: "old")
        #expect(legacy.status == 0, "\(legacy)")
        #expect(try run(helperPath, ["store"], input: storePayload(server, "alice", "new")).status == 0)
        let items = try secretToolItems(server: server)
        #expect(items.count == 1, "\(items)")
        #expect(items.first?["docker_cli"] == "1")
        #expect(try run(goHelperPath, ["get"], input: server).stdout == storePayload(server, "alice", "new") + "\n")
        #expect(try run(helperPath, ["erase"], input: server).status == 0)
    }

    @Test("an item holding this item's attributes and more is never removed: the keyring may have replaced it in place")
    func storeKeepsSupersetItem() throws {
        let server = uniqueServer("superset")
        let extra = try secretToolStore(
            ["server", server, "username", "alice", "docker_cli", "1", "label", "Docker Credentials", "note", "mine"],
            secret: "old")
        #expect(extra.status == 0, "\(extra)")
        #expect(try run(helperPath, ["store"], input: storePayload(server, "alice", "new")).status == 0)
        #expect(try run(helperPath, ["get"], input: server).stdout == storePayload(server, "alice", "new") + "\n")
        #expect(try secretToolItems(server: server).count >= 1)
        #expect(try run(helperPath, ["erase"], input: server).status == 0)
        #expect(try secretToolItems(server: server).isEmpty)
    }

    @Test("20 concurrent stores: every one is there afterwards")
    func concurrentStores() async throws {
        let prefix = uniqueServer("concurrent")
        try await withThrowingTaskGroup(of: ProcessResult.self) { group in
            for index in 0..<20 {
                group.addTask { try run(helperPath, ["store"], input: storePayload("\(index).\(prefix)", "user\(index)", "secret\(index)")) }
            }
            for try await result in group { #expect(result == ProcessResult(stdout: "", stderr: "", status: 0)) }
        }
        let listed = try run(helperPath, ["list"]).stdout
        for index in 0..<20 {
            #expect(listed.contains("\"\(index).\(prefix)\":\"user\(index)\""))
            #expect(try run(helperPath, ["get"], input: "\(index).\(prefix)").stdout.contains("\"Secret\":\"secret\(index)\""))
            _ = try run(helperPath, ["erase"], input: "\(index).\(prefix)")
        }
    }

    @Test("a refused store leaves nothing behind")
    func refusedStore() throws {
        let server = uniqueServer("refused")
        let result = try run(helperPath, ["store"], input: "{\"ServerURL\":\"\(server)\",\"Username\":\"u\"}")
        #expect(result == ProcessResult(stdout: "no credentials secret: the Secret field is missing\n", stderr: "", status: 1))
        #expect(try run(helperPath, ["get"], input: server).status == 1)
    }
}

/// The attributes of every item whose `server` attribute is `server`, as `secret-tool search
/// --all` prints them: the keyring's own count, whatever either helper reports.
/// Stores `secret` with secret-tool in the Docker schema under `attributes` (name, value, ...),
/// as a program other than the two helpers would.
private func secretToolStore(_ attributes: [String], secret: String) throws -> ProcessResult {
    try run("/usr/bin/secret-tool", ["store", "--label=other", "xdg:schema", "io.docker.Credentials"] + attributes, input: secret)
}

private func secretToolItems(server: String) throws -> [[String: String]] {
    let result = try run("/usr/bin/secret-tool", ["search", "--all", "server", server])
    var items: [[String: String]] = []
    for line in (result.stdout + result.stderr).split(separator: "\n") {
        if line.hasPrefix("[/") { items.append([:]) }
        if line.hasPrefix("attribute."), let equals = line.firstIndex(of: "=") {
            let key = line[line.index(line.startIndex, offsetBy: "attribute.".count)..<equals]
            items[items.count - 1][key.trimmingCharacters(in: .whitespaces)] =
                line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
    }
    return items
}
