import CredentialHelpers
import Testing
@testable import SecretService

#if canImport(Glibc)
import Glibc
#endif

/// Set by scripts/with-keyring, inside which the session bus and keyring are private to the
/// test run. Outside it these tests must not run: they would write to the user's own keyring.
let keyringIsPrivate = getenv("CREDTOOL_TEST_KEYRING").map { String(cString: $0) } == "1"

/// A server name no other test uses, so tests can share the rig's keyring in parallel.
func uniqueServer(_ label: String) -> String {
    "\(label)-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).test.example"
}

@Suite("the keyring rig")
struct KeyringRigTests {
    @Test("CI runs the keyring tests: CI=true without the private keyring is a broken set-up")
    func ciHasKeyring() {
        if getenv("CI") != nil {
            #expect(keyringIsPrivate, "run the tests through `make test` (scripts/with-keyring)")
        }
    }
}

@Suite("LibSecretStore on a real gnome-keyring", .enabled(if: keyringIsPrivate))
struct LibSecretStoreTests {
    let store = LibSecretStore()

    @Test("store, get, list and erase round-trip")
    func roundTrip() throws {
        let server = uniqueServer("roundtrip")
        let credentials = Credentials(serverURL: server, username: "me", secret: "pa:ss \"word\" \\ é😀\n")
        try store.store(credentials)
        #expect(try store.get(server: server) == credentials)
        #expect(try store.list()[server] == "me")
        #expect(try store.erase(server: server))
        #expect(try store.get(server: server) == nil)
        #expect(try store.list()[server] == nil)
        #expect(try !store.erase(server: server))
    }

    @Test("storing a server again replaces its item, whatever the username")
    func replaces() throws {
        let server = uniqueServer("replace")
        try store.store(Credentials(serverURL: server, username: "first", secret: "one"))
        try store.store(Credentials(serverURL: server, username: "second", secret: "two"))
        #expect(try store.get(server: server) == Credentials(serverURL: server, username: "second", secret: "two"))
        #expect(try store.list().filter { $0.key == server }.count == 1)
        #expect(try store.erase(server: server))
        #expect(try store.get(server: server) == nil)
    }

    @Test("get and erase find an item stored under another spelling of the same registry")
    func spellings() throws {
        let host = uniqueServer("spelling")
        try store.store(Credentials(serverURL: "https://\(host)", username: "u", secret: "s"))
        let found = try #require(try store.get(server: host))
        #expect(found.serverURL == "https://\(host)")
        #expect(try store.get(server: "\(host):5000") == nil)
        #expect(try store.get(server: "other-\(host)") == nil)
        #expect(try store.erase(server: host))
        #expect(try store.get(server: "https://\(host)") == nil)
    }

    @Test("identity tokens round-trip")
    func identityToken() throws {
        let server = uniqueServer("token")
        let token = Credentials(serverURL: server, username: "<token>", secret: "refresh-token-value")
        try store.store(token)
        #expect(try store.get(server: server) == token)
        try store.erase(server: server)
    }

    @Test("a NUL character is refused, never cut", arguments: [
        Credentials(serverURL: "victim.example\u{0}evil", username: "u", secret: "s"),
        Credentials(serverURL: "nul.example", username: "u\u{0}x", secret: "s"),
        Credentials(serverURL: "nul.example", username: "u", secret: "s\u{0}x"),
    ])
    func refusesNUL(_ credentials: Credentials) throws {
        #expect(throws: SecretServiceError.self) { try store.store(credentials) }
        #expect(throws: SecretServiceError.self) { try store.get(server: "victim.example\u{0}evil") }
        #expect(throws: SecretServiceError.self) { try store.erase(server: "victim.example\u{0}evil") }
        #expect(try store.get(server: "nul.example") == nil)
    }

    @Test("list of 200 items: every server with its username, one connection")
    func listMany() throws {
        let prefix = uniqueServer("many")
        for index in 0..<200 {
            try store.store(Credentials(serverURL: "\(index).\(prefix)", username: "user\(index)", secret: "s\(index)"))
        }
        let listed = try store.list()
        for index in 0..<200 { #expect(listed["\(index).\(prefix)"] == "user\(index)") }
        for index in 0..<200 { try store.erase(server: "\(index).\(prefix)") }
        #expect(try store.list().keys.filter { $0.hasSuffix(prefix) }.isEmpty)
    }
}
