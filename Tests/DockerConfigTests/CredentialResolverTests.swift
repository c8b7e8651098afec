import CredentialHelpers
import DockerConfig
import Foundation
import Testing

/// A store in memory, for resolution tests.
final class InMemoryStore: CredentialStore, @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: Credentials] = [:]

    init(_ credentials: [Credentials] = []) {
        for item in credentials { items[item.serverURL] = item }
    }

    func store(_ credentials: Credentials) { lock.withLock { items[credentials.serverURL] = credentials } }
    func get(server: String) -> Credentials? { lock.withLock { items[server] } }
    func erase(server: String) -> Bool { lock.withLock { items.removeValue(forKey: server) != nil } }
    func list() -> [String: String] { lock.withLock { items.mapValues(\.username) } }
}

@Suite("credential resolution")
struct CredentialResolverTests {
    static let config = """
    {
    	"auths": {
    		"ghcr.io": {
    			"auth": "\(base64("file-user:file-pw"))"
    		},
    		"https://plain.example.com/v1/": {
    			"auth": "\(base64("legacy:pw"))"
    		},
    		"broken.example.com": {
    			"auth": "!!"
    		}
    	},
    	"credHelpers": {
    		"helped.example.com": "fake"
    	}
    }
    """

    @Test("credHelpers, then credsStore, then auths")
    func order() throws {
        var config = try ConfigFile(parsing: Array(Self.config.utf8), path: "config.json")
        let store = InMemoryStore([
            Credentials(serverURL: "ghcr.io", username: "store-user", secret: "store-pw"),
            Credentials(serverURL: "https://index.docker.io/v1/", username: "hub", secret: "hub-pw"),
        ])
        let helper = InMemoryStore([Credentials(serverURL: "helped.example.com", username: "h", secret: "h-pw")])
        let stores: [String: InMemoryStore] = ["swift": store, "fake": helper]

        var resolver = CredentialResolver(config: config) { stores[$0]! }  // the test names only these
        #expect(resolver.source(for: "ghcr.io") == .file)
        #expect(try resolver.credentials(for: "https://ghcr.io")?.username == "file-user")
        #expect(try resolver.credentials(for: "plain.example.com")?.username == "legacy")
        #expect(try resolver.credentials(for: "helped.example.com")?.secret == "h-pw")
        #expect(resolver.source(for: "helped.example.com") == .helper("fake"))
        #expect(try resolver.credentials(for: "quay.io") == nil)
        #expect(throws: ConfigError.self) { try resolver.credentials(for: "broken.example.com") }

        config.credsStore = "swift"
        resolver.config = config
        #expect(resolver.source(for: "ghcr.io") == .store("swift"))
        #expect(try resolver.credentials(for: "ghcr.io")?.username == "store-user")  // the file is not read
        #expect(try resolver.credentials(for: "docker.io")?.username == "hub")
        #expect(try resolver.credentials(for: "plain.example.com") == nil)
        #expect(resolver.source(for: "helped.example.com") == .helper("fake"))
    }

    @Test("an external helper script answers through the resolver")
    func externalHelper() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("""
            #!/bin/sh
            read -r server
            [ "$1" = get ] && [ "$server" = helped.example.com ] && { echo '{"ServerURL":"helped.example.com","Username":"ext","Secret":"ext-pw"}'; exit 0; }
            echo 'credentials not found in native keychain'; exit 1
            """, to: "docker-credential-fake", mode: 0o755)
        let config = try ConfigFile(parsing: Array(Self.config.utf8), path: "config.json")
        let resolver = CredentialResolver(config: config) { ExternalHelperStore(name: $0, searchPath: dir.path) }
        #expect(try resolver.credentials(for: "https://helped.example.com/v2/")
            == Credentials(serverURL: "helped.example.com", username: "ext", secret: "ext-pw"))
    }

    @Test("the summary lists every source, marks plain text, and reports failures without secrets")
    func summary() throws {
        var config = try ConfigFile(parsing: Array(Self.config.utf8), path: "config.json")
        config.credsStore = "swift"
        config.setCredHelper("missing", for: "gone.example.com")
        let store = InMemoryStore([
            Credentials(serverURL: "quay.io", username: "q", secret: "q-pw"),
            Credentials(serverURL: "helped.example.com", username: "shadowed", secret: "x"),
        ])
        let helper = InMemoryStore([
            Credentials(serverURL: "helped.example.com", username: "h", secret: "h-pw"),
            Credentials(serverURL: "unrelated.example.com", username: "z", secret: "z"),
        ])
        let resolver = CredentialResolver(config: config) { name in
            switch name {
            case "swift": store
            case "fake": helper
            default: ExternalHelperStore(name: name, searchPath: "/nonexistent")
            }
        }
        let summary = resolver.allCredentialsSummary()
        #expect(summary.entries == [
            .init(server: "ghcr.io", username: "file-user", source: .file, isPlaintext: true),
            .init(server: "helped.example.com", username: "h", source: .helper("fake"), isPlaintext: false),
            .init(server: "https://plain.example.com/v1/", username: "legacy", source: .file, isPlaintext: true),
            .init(server: "quay.io", username: "q", source: .store("swift"), isPlaintext: false),
        ])
        #expect(summary.failures.map(\.source) == [.helper("missing"), .file])
        #expect(summary.failures.allSatisfy { !$0.message.contains("pw") })
    }
}
