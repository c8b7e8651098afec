import CredentialHelpers

/// Where Docker looks for a registry's credentials.
package enum CredentialSource: Hashable, Sendable, CustomStringConvertible {
    /// The config file's `auths` (plain text).
    case file
    /// The `credsStore` helper, for every registry without a `credHelpers` entry.
    case store(String)
    /// A `credHelpers` entry's helper, for one registry.
    case helper(String)

    /// `file`, `credsStore pass`, `credHelpers ecr-login`.
    package var description: String {
        switch self {
        case .file: "file"
        case .store(let name): "credsStore \(name)"
        case .helper(let name): "credHelpers \(name)"
        }
    }
}

/// Finds credentials the way Docker does: a registry's `credHelpers` entry, else `credsStore`,
/// else the file's `auths`.
///
/// As in docker/cli (`ConfigFile.GetCredentialsStore`), the first source that applies is the
/// only one asked: with a `credsStore`, plain-text `auths` entries are not read. `credHelpers`
/// keys are matched exactly against the normalised ``RegistryKey``, as Docker matches them;
/// `auths` keys also by their legacy spellings.
package struct CredentialResolver {
    /// The config whose rules apply.
    package var config: ConfigFile
    /// Opens the store for a helper name (`swift`, `pass`, `ecr-login`, ...).
    package var makeStore: (_ storeName: String) -> any CredentialStore

    /// A resolver over `config`, opening helpers with `makeStore`.
    package init(config: ConfigFile, makeStore: @escaping (_ storeName: String) -> any CredentialStore) {
        self.config = config
        self.makeStore = makeStore
    }

    /// Where Docker would look for `server`'s credentials.
    package func source(for server: String) -> CredentialSource {
        let key = RegistryKey(server)
        if let helper = config.credHelper(for: key.value), !helper.isEmpty { return .helper(helper) }
        if let store = config.credsStore, !store.isEmpty { return .store(store) }
        return .file
    }

    /// The credentials Docker would use for `server`.
    ///
    /// A helper or store is asked under the normalised key (`ghcr.io`,
    /// `https://index.docker.io/v1/`), as Docker asks it.
    /// - Returns: The credentials, or `nil` when the source has none.
    /// - Throws: The store's error, or ``ConfigError/invalidAuth(registry:reason:)``.
    package func credentials(for server: String) throws -> Credentials? {
        let key = RegistryKey(server)
        switch source(for: server) {
        case .helper(let name), .store(let name):
            return try makeStore(name).get(server: key.value)
        case .file:
            guard let configKey = config.authKeys(matching: key).first else { return nil }
            return try config.authEntry(for: configKey)?.credentials(server: configKey)
        }
    }

    /// Every registry with credentials, without loading a secret: what `credtool list` shows.
    ///
    /// The `credsStore` is listed (less the registries a `credHelpers` entry takes), then each
    /// `credHelpers` helper for its own registries, then every `auths` entry holding plain-text
    /// credentials, even those a store shadows. A store that fails is reported in `failures` and
    /// the others are still listed.
    package func allCredentialsSummary() -> CredentialSummary {
        var summary = CredentialSummary()
        var lists: [String: [String: String]?] = [:]
        func list(_ name: String, _ source: CredentialSource) -> [String: String] {
            if let cached = lists[name] { return cached ?? [:] }
            do {
                let servers = try makeStore(name).list()
                lists[name] = servers
                return servers
            } catch {
                lists[name] = .some(nil)
                summary.failures.append(.init(source: source, message: "\(error)"))
                return [:]
            }
        }

        if let store = config.credsStore, !store.isEmpty {
            for (server, username) in list(store, .store(store)) where config.credHelper(for: RegistryKey(server).value) == nil {
                summary.entries.append(.init(server: server, username: username, source: .store(store), isPlaintext: false))
            }
        }
        for (registry, helper) in config.credHelperEntries where !helper.isEmpty {
            let key = RegistryKey(registry)
            for (server, username) in list(helper, .helper(helper)) where RegistryKey(server) == key {
                summary.entries.append(.init(server: server, username: username, source: .helper(helper), isPlaintext: false))
            }
        }
        for key in config.authKeys {
            guard let entry = config.authEntry(for: key), entry.holdsCredentials else { continue }
            do {
                let username = try entry.credentials(server: key)?.username ?? ""
                summary.entries.append(.init(server: key, username: username, source: .file, isPlaintext: true))
            } catch {
                summary.failures.append(.init(source: .file, message: "\(error)"))
            }
        }
        summary.entries.sort { a, b in
            a.server != b.server ? a.server.utf8.lexicographicallyPrecedes(b.server.utf8) : a.source.description < b.source.description
        }
        return summary
    }
}

/// The registries that have credentials, and the stores that could not say.
package struct CredentialSummary: Hashable, Sendable {
    /// One registry's credentials: never the secret.
    package struct Entry: Hashable, Sendable {
        /// The key the source files the credentials under.
        package var server: String
        /// The username, `<token>` for an identity token.
        package var username: String
        /// Where the credentials are.
        package var source: CredentialSource
        /// Whether they are in the config file in plain text.
        package var isPlaintext: Bool

        package init(server: String, username: String, source: CredentialSource, isPlaintext: Bool) {
            self.server = server
            self.username = username
            self.source = source
            self.isPlaintext = isPlaintext
        }
    }

    /// A store that failed to list, or an `auths` entry that cannot be decoded.
    package struct Failure: Hashable, Sendable {
        /// Which source failed.
        package var source: CredentialSource
        /// The error's one line, which names no secret.
        package var message: String
    }

    /// The registries, by server (in byte order), then by source.
    package var entries: [Entry] = []
    /// What could not be listed.
    package var failures: [Failure] = []
}
