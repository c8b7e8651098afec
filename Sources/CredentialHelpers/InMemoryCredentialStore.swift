/// A ``CredentialStore`` that keeps credentials in memory, keyed by the exact server string.
///
/// For tests of everything above the store (the helper protocol, credtool's commands); the real
/// stores are tested against a real keyring and real helper programs.
package final class InMemoryCredentialStore: CredentialStore {
    package private(set) var items: [String: Credentials]
    /// When set, every call throws it (a store that is down).
    package var failure: (any Error)?

    package init(_ items: [Credentials] = []) {
        self.items = Dictionary(items.map { ($0.serverURL, $0) }, uniquingKeysWith: { $1 })
    }

    package func store(_ credentials: Credentials) throws {
        if let failure { throw failure }
        items[credentials.serverURL] = credentials
    }

    package func get(server: String) throws -> Credentials? {
        if let failure { throw failure }
        return items[server]
    }

    package func erase(server: String) throws -> Bool {
        if let failure { throw failure }
        return items.removeValue(forKey: server) != nil
    }

    package func list() throws -> [String: String] {
        if let failure { throw failure }
        return items.mapValues(\.username)
    }
}
