import CommandLineKit
import CredentialHelpers
@testable import CredTool
import Foundation
import Testing

/// A store over an ``InMemoryCredentialStore`` that misbehaves on its `failingStore`-th store:
/// it writes the item, then throws (a helper that dies after the keyring took the item), or
/// with `garbles` set writes a different secret and reports success.
final class FlakyStore: CredentialStore {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "the flaky store is down" }
    }

    let inner: InMemoryCredentialStore
    let failingStore: Int
    let garbles: Bool
    private(set) var storeCalls = 0

    init(_ inner: InMemoryCredentialStore, failingStore: Int, garbles: Bool = false) {
        self.inner = inner
        self.failingStore = failingStore
        self.garbles = garbles
    }

    func store(_ credentials: Credentials) throws {
        storeCalls += 1
        guard storeCalls == failingStore else { return try inner.store(credentials) }
        var written = credentials
        if garbles { written.secret = String(written.secret.prefix(3)) }
        try inner.store(written)
        if !garbles { throw Failure() }
    }

    func get(server: String) throws -> Credentials? { try inner.get(server: server) }
    func erase(server: String) throws -> Bool { try inner.erase(server: server) }
    func list() throws -> [String: String] { try inner.list() }
}

extension Sandbox {
    /// Runs `credtool ARGS` in-process with the stores given by name (others are missing helpers).
    func run(_ arguments: [String], stores: [String: any CredentialStore]) -> Outcome {
        var io = CommandIO.capture(environment: environment)
        let status = runCredTool(arguments, io: &io) { name in
            stores[name] ?? ExternalHelperStore(name: name, searchPath: "/nonexistent")
        }
        return Outcome(status: status, stdout: io.stdout.capturedText ?? "", stderr: io.stderr.capturedText ?? "")
    }

    /// The names of the backups beside the config.
    var backups: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: configDirectory)) ?? [])
            .filter { $0.hasPrefix("config.json.bak-") }.sorted()
    }
}

/// Three logins as docker writes them (a password holding `:`, Docker Hub with an email, an
/// identity token), an empty entry and keys credtool does not know.
let threeLogins = """
    {
    \t"auths": {
    \t\t"ghcr.io": {
    \t\t\t"auth": "\(base64("octocat:pa:ss:word"))"
    \t\t},
    \t\t"https://index.docker.io/v1/": {
    \t\t\t"auth": "\(base64("hubuser:hubpass"))",
    \t\t\t"email": "me@example.com"
    \t\t},
    \t\t"quay.io": {
    \t\t\t"identitytoken": "refresh-token"
    \t\t},
    \t\t"empty.example": {}
    \t},
    \t"HttpHeaders": {
    \t\t"User-Agent": "x"
    \t},
    \t"psFormat": "table {{.ID}}"
    }
    """

@Suite("credtool migrate")
struct MigrateCommandTests {
    static let migrated = """
        {
        \t"auths": {
        \t\t"ghcr.io": {},
        \t\t"https://index.docker.io/v1/": {
        \t\t\t"email": "me@example.com"
        \t\t},
        \t\t"quay.io": {},
        \t\t"empty.example": {}
        \t},
        \t"HttpHeaders": {
        \t\t"User-Agent": "x"
        \t},
        \t"psFormat": "table {{.ID}}",
        \t"credsStore": "swift"
        }
        """

    static let stored: [String: Credentials] = [
        "ghcr.io": Credentials(serverURL: "ghcr.io", username: "octocat", secret: "pa:ss:word"),
        "https://index.docker.io/v1/": Credentials(
            serverURL: "https://index.docker.io/v1/", username: "hubuser", secret: "hubpass"),
        "quay.io": Credentials(serverURL: "quay.io", username: "<token>", secret: "refresh-token"),
    ]

    @Test("three logins move to the store; the file keeps every other key, the backup is the old file, 0600")
    func migrates() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(threeLogins)
        #expect(chmod(sandbox.configPath, 0o644) == 0)
        let outcome = sandbox.run("migrate")
        let backups = sandbox.backups
        try #require(backups.count == 1)
        let backup = sandbox.configDirectory + "/" + backups[0]
        #expect(outcome == Outcome(status: 0, stdout: """
            Moved ghcr.io (octocat) to store:swift
            Moved https://index.docker.io/v1/ (hubuser) to store:swift
            Moved quay.io (<token>) to store:swift
            Migrated 3 registries; \(sandbox.configPath) holds no plain-text credentials now.
            The old file is kept as \(backup) (mode 0600). It still holds the plain-text secrets: \
            delete it once you no longer need it.

            """, stderr: ""))
        #expect(sandbox.text(sandbox.configPath) == Self.migrated)
        #expect(sandbox.mode(sandbox.configPath) == 0o644)
        #expect(sandbox.memory.items == Self.stored)
        #expect(sandbox.bytes(backup) == Array(threeLogins.utf8))
        #expect(sandbox.mode(backup) == 0o600)
        #expect(try Regex(#"^config\.json\.bak-\d{8}T\d{6}Z$"#).wholeMatch(in: backups[0]) != nil)
    }

    @Test("a second run finds nothing to move and leaves the file alone")
    func idempotent() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(threeLogins)
        #expect(sandbox.run("migrate", "--no-backup").status == 0)
        let inode = sandbox.inode(sandbox.configPath)
        #expect(sandbox.run("migrate") == Outcome(
            status: 0, stdout: "Nothing to migrate: \(sandbox.configPath) holds no plain-text credentials.\n", stderr: ""))
        #expect(sandbox.inode(sandbox.configPath) == inode)
        #expect(sandbox.text(sandbox.configPath) == Self.migrated)
        #expect(sandbox.backups.isEmpty)
    }

    @Test("--no-backup: no copy of the plain-text file is left")
    func noBackup() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(threeLogins)
        let outcome = sandbox.run("migrate", "--no-backup")
        #expect(outcome.status == 0)
        #expect(!outcome.stdout.contains("bak-"))
        #expect(sandbox.backups.isEmpty)
        #expect(sandbox.text(sandbox.configPath) == Self.migrated)
    }

    @Test("--dry-run lists registry, username and store, and changes nothing")
    func dryRun() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(threeLogins)
        let inode = sandbox.inode(sandbox.configPath)
        #expect(sandbox.run("migrate", "--dry-run", "--store", "pass") == Outcome(status: 0, stdout: """
            Would move ghcr.io (octocat) to store:pass
            Would move https://index.docker.io/v1/ (hubuser) to store:pass
            Would move quay.io (<token>) to store:pass
            Dry run: 3 registries would move; nothing was changed.

            """, stderr: ""))
        #expect(sandbox.inode(sandbox.configPath) == inode)
        #expect(sandbox.text(sandbox.configPath) == threeLogins)
        #expect(sandbox.memory.items.isEmpty)
        #expect(sandbox.backups.isEmpty)
    }

    @Test("a corrupt auth: nothing stored, the file untouched, the registry named")
    func corruptBase64() throws {
        let sandbox = try Sandbox()
        let config = plaintextConfig([("a.example", "alice", "pw")]).replacingOccurrences(
            of: "\"a.example\": {", with: "\"bad.example\": {\n\t\t\t\"auth\": \"!!not base64!!\"\n\t\t},\n\t\t\"a.example\": {")
        try sandbox.writeConfig(config)
        let inode = sandbox.inode(sandbox.configPath)
        #expect(sandbox.run("migrate") == Outcome(status: 1, stdout: "", stderr: """
            credtool: the credentials for bad.example in \(sandbox.configPath) are invalid (auth is not base64); \
            fix or remove the entry

            """))
        #expect(sandbox.text(sandbox.configPath) == config)
        #expect(sandbox.inode(sandbox.configPath) == inode)
        #expect(sandbox.memory.items.isEmpty)
        #expect(sandbox.backups.isEmpty)
    }

    @Test("a store failing on the second item: what was created is erased, what was replaced restored")
    func rollback() throws {
        let sandbox = try Sandbox()
        let old = Credentials(serverURL: "a.example", username: "old-user", secret: "old-secret")
        let memory = InMemoryCredentialStore([old])
        let flaky = FlakyStore(memory, failingStore: 2)
        let config = plaintextConfig([("a.example", "alice", "pw-a"), ("b.example", "bob", "pw-b"), ("c.example", "carol", "pw-c")])
        try sandbox.writeConfig(config)
        let inode = sandbox.inode(sandbox.configPath)
        #expect(sandbox.run(["migrate"], stores: ["swift": flaky]) == Outcome(status: 1, stdout: "", stderr: """
            credtool: cannot migrate b.example: cannot store it in store:swift: the flaky store is down
            credtool: rolled back: erased 1 new item, restored 1 replaced item; \(sandbox.configPath) was left as it was

            """))
        #expect(memory.items == ["a.example": old])
        #expect(flaky.storeCalls == 3)  // a, b (failed half-way), then a restored
        #expect(sandbox.text(sandbox.configPath) == config)
        #expect(sandbox.inode(sandbox.configPath) == inode)
        #expect(sandbox.backups.isEmpty)
    }

    @Test("a store that reads back other credentials than it took: rolled back")
    func readBackMismatch() throws {
        let sandbox = try Sandbox()
        let memory = InMemoryCredentialStore()
        let config = plaintextConfig([("a.example", "alice", "pw-a"), ("b.example", "bob", "pw-b")])
        try sandbox.writeConfig(config)
        let outcome = sandbox.run(["migrate"], stores: ["swift": FlakyStore(memory, failingStore: 2, garbles: true)])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix(
            "credtool: cannot migrate b.example: store:swift returns other credentials than it was given\n"))
        #expect(outcome.stderr.contains("erased 2 new items"))
        #expect(memory.items.isEmpty)
        #expect(sandbox.text(sandbox.configPath) == config)
    }

    @Test("a registry with its own credHelpers entry moves to that helper")
    func credHelpersRouting() throws {
        let sandbox = try Sandbox()
        let other = InMemoryCredentialStore()
        try sandbox.writeConfig(plaintextConfig(
            [("ghcr.io", "octocat", "pw1"), ("quay.io", "quayuser", "pw2")],
            extra: ",\n\t\"credHelpers\": {\n\t\t\"ghcr.io\": \"other\"\n\t}"))
        let outcome = sandbox.run(["migrate", "--no-backup"], stores: ["swift": sandbox.memory, "other": other])
        #expect(outcome.stdout.hasPrefix("Moved ghcr.io (octocat) to helper:other\nMoved quay.io (quayuser) to store:swift\n"))
        #expect(other.items == ["ghcr.io": Credentials(serverURL: "ghcr.io", username: "octocat", secret: "pw1")])
        #expect(sandbox.memory.items == ["quay.io": Credentials(serverURL: "quay.io", username: "quayuser", secret: "pw2")])
        #expect(sandbox.text(sandbox.configPath) == """
            {
            \t"auths": {
            \t\t"ghcr.io": {},
            \t\t"quay.io": {}
            \t},
            \t"credHelpers": {
            \t\t"ghcr.io": "other"
            \t},
            \t"credsStore": "swift"
            }
            """)
    }

    @Test("an auth.json gets a credHelpers entry per registry, Docker Hub as docker.io, and no credsStore")
    func authFile() throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("auth.json")
        try sandbox.write(plaintextConfig([("docker.io", "hubuser", "pw1"), ("quay.io", "quayuser", "pw2")]), to: path)
        let outcome = sandbox.run("--authfile", path, "migrate", "--no-backup")
        #expect(outcome.stdout.hasPrefix("Moved docker.io (hubuser) to helper:swift\nMoved quay.io (quayuser) to helper:swift\n"))
        #expect(sandbox.text(path) == """
            {
            \t"auths": {
            \t\t"docker.io": {},
            \t\t"quay.io": {}
            \t},
            \t"credHelpers": {
            \t\t"docker.io": "swift",
            \t\t"quay.io": "swift"
            \t}
            }
            """)
        #expect(Set(sandbox.memory.items.keys) == ["docker.io", "quay.io"])
    }

    @Test("an auth.json login for one namespace cannot move: nothing changes")
    func namespacedAuthFile() throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("auth.json")
        let config = plaintextConfig([("quay.io", "a", "1"), ("quay.io/team", "b", "2")])
        try sandbox.write(config, to: path)
        let outcome = sandbox.run("--authfile", path, "migrate")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("credtool: quay.io/team in \(path) is one namespace's login"))
        #expect(sandbox.text(path) == config)
        #expect(sandbox.memory.items.isEmpty)
    }

    @Test("legacy spellings of one registry move as one item; different credentials under them are refused")
    func spellings() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(plaintextConfig([("https://reg.example/v1/", "a", "1"), ("reg.example", "a", "1")]))
        #expect(sandbox.run("migrate", "--no-backup").status == 0)
        #expect(sandbox.memory.items == ["reg.example": Credentials(serverURL: "reg.example", username: "a", secret: "1")])
        #expect(sandbox.text(sandbox.configPath)?.contains("\"https://reg.example/v1/\": {},\n\t\t\"reg.example\": {}") == true)

        let conflicting = try Sandbox()
        let config = plaintextConfig([("https://reg.example/v1/", "a", "1"), ("reg.example", "b", "2")])
        try conflicting.writeConfig(config)
        let outcome = conflicting.run("migrate")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("holds different credentials for reg.example"))
        #expect(conflicting.text(conflicting.configPath) == config)
        #expect(conflicting.memory.items.isEmpty)
    }

    @Test("a config with a credsStore: it is the target, --store must agree; shadowed entries keep the store's item")
    func existingCredsStore() throws {
        let sandbox = try Sandbox()
        let inStore = Credentials(serverURL: "ghcr.io", username: "current", secret: "current-pw")
        let other = InMemoryCredentialStore([inStore])
        let config = plaintextConfig(
            [("ghcr.io", "stale", "stale-pw"), ("quay.io", "q", "q-pw")], extra: ",\n\t\"credsStore\": \"other\"")
        try sandbox.writeConfig(config)
        let refused = sandbox.run(["migrate", "--store", "swift"], stores: ["other": other])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already uses the credsStore other"))
        #expect(sandbox.text(sandbox.configPath) == config)

        let outcome = sandbox.run(["migrate", "--no-backup"], stores: ["other": other])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("""
            Emptied ghcr.io (stale): Docker used the credentials store:other holds for it, which stay
            Moved quay.io (q) to store:other

            """))
        #expect(other.items["ghcr.io"] == inStore)
        #expect(other.items["quay.io"] == Credentials(serverURL: "quay.io", username: "q", secret: "q-pw"))
    }

    @Test("--store swift on a secretservice config: credsStore and its credHelpers entries switch, plain text moves")
    func switchFromSecretService() throws {
        let sandbox = try Sandbox()
        let config = plaintextConfig(
            [("quay.io", "q", "q-pw")],
            extra: ",\n\t\"credsStore\": \"secretservice\",\n\t\"credHelpers\": {\n\t\t\"ghcr.io\": \"secretservice\",\n\t\t\"gcr.io\": \"gcloud\"\n\t}")
        try sandbox.writeConfig(config)
        // Another store than the Secret Service is still refused, and so is pass.
        #expect(sandbox.run("migrate", "--store", "pass").stderr.contains("already uses the credsStore secretservice"))
        #expect(sandbox.run("migrate", "--store", "swift", "--dry-run") == Outcome(status: 0, stdout: """
            Would move quay.io (q) to store:swift
            Would switch credsStore from secretservice to swift
            Would switch credHelpers ghcr.io from secretservice to swift
            Dry run: 1 registry would move; nothing was changed.

            """, stderr: ""))
        #expect(sandbox.text(sandbox.configPath) == config)

        let outcome = sandbox.run("migrate", "--store", "swift", "--no-backup")
        #expect(outcome == Outcome(status: 0, stdout: """
            Switched credsStore from secretservice to swift: both read the same keyring items, so no login had to move
            Switched credHelpers ghcr.io from secretservice to swift: both read the same keyring items, so no login had to move
            Moved quay.io (q) to store:swift
            Migrated 1 registry; \(sandbox.configPath) holds no plain-text credentials now.

            """, stderr: ""))
        #expect(sandbox.text(sandbox.configPath) == """
            {
            \t"auths": {
            \t\t"quay.io": {}
            \t},
            \t"credsStore": "swift",
            \t"credHelpers": {
            \t\t"ghcr.io": "swift",
            \t\t"gcr.io": "gcloud"
            \t}
            }
            """)
        #expect(sandbox.memory.items["quay.io"] == Credentials(serverURL: "quay.io", username: "q", secret: "q-pw"))
        #expect(sandbox.run("migrate") == Outcome(
            status: 0, stdout: "Nothing to migrate: \(sandbox.configPath) holds no plain-text credentials.\n", stderr: ""))
    }

    @Test("a switch alone, with no plain text: the file gets the new credsStore and no backup")
    func switchOnly() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("{\n\t\"credsStore\": \"secretservice\",\n\t\"psFormat\": \"x\"\n}")
        #expect(sandbox.run("migrate", "--store", "swift") == Outcome(status: 0, stdout: """
            Switched credsStore from secretservice to swift: both read the same keyring items, so no login had to move

            """, stderr: ""))
        #expect(sandbox.text(sandbox.configPath) == "{\n\t\"credsStore\": \"swift\",\n\t\"psFormat\": \"x\"\n}")
        #expect(sandbox.backups == [])
        // Without --store the config's own store is the target: nothing switches.
        try sandbox.writeConfig("{\"credsStore\": \"secretservice\"}")
        #expect(sandbox.run("migrate").stdout == "Nothing to migrate: \(sandbox.configPath) holds no plain-text credentials.\n")
        #expect(sandbox.text(sandbox.configPath) == "{\"credsStore\": \"secretservice\"}")
    }

    @Test("no config file: nothing to migrate, nothing created")
    func noFile() throws {
        let sandbox = try Sandbox()
        #expect(sandbox.run("migrate") == Outcome(
            status: 0, stdout: "Nothing to migrate: \(sandbox.configPath) does not exist.\n", stderr: ""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.configDirectory).isEmpty)
    }

    @Test("a store that is down: nothing changes, the reason is printed")
    func storeDown() throws {
        let sandbox = try Sandbox()
        let config = plaintextConfig([("a.example", "alice", "pw")])
        try sandbox.writeConfig(config)
        let outcome = sandbox.run("migrate", "--store", "missing")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("credtool: cannot migrate a.example: cannot read it from store:missing: "))
        #expect(outcome.stderr.hasSuffix("rolled back: erased 0 new items, restored 0 replaced items; \(sandbox.configPath) was left as it was\n"))
        #expect(sandbox.text(sandbox.configPath) == config)
    }
}
