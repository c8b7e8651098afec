import CredentialHelpers

/// Credentials kept in plain text in a config file's `auths`, as Docker keeps them when no
/// credential store is configured.
///
/// Every change goes through ``ConfigFileAccess/update(path:_:)``, under the file's lock, and
/// keeps every other part of the file as it was.
package struct PlaintextStore: CredentialStore, Sendable {
    /// The config file.
    package let path: String

    /// A store over the config file at `path`, which need not exist yet.
    package init(path: String) {
        self.path = path
    }

    /// Writes the credentials under the server's normalised key (``RegistryKey``): `auth` for a
    /// password, `identitytoken` for an identity token; the entry's other fields and its place
    /// in the file are kept.
    ///
    /// - Throws: ``ConfigError`` when the file cannot be read or saved.
    package func store(_ credentials: Credentials) throws {
        let key = RegistryKey(credentials.serverURL).value
        try ConfigFileAccess.update(path: path) { config in
            var entry = config.authEntry(for: key) ?? AuthEntry()
            if credentials.isIdentityToken {
                entry.setIdentityToken(credentials.secret)
            } else {
                entry.setPlaintext(username: credentials.username, password: credentials.secret)
            }
            config.setAuthEntry(entry, for: key)
        }
    }

    /// The credentials of the first `auths` entry naming `server`: its normalised key, else a
    /// legacy spelling such as `https://host/v1/`.
    ///
    /// - Returns: The credentials with `serverURL` set to `server`, or `nil` when the file, the
    ///   entry or its credentials are absent.
    /// - Throws: ``ConfigError`` when the file cannot be read or the entry cannot be decoded.
    package func get(server: String) throws -> Credentials? {
        guard let config = try ConfigFileAccess.load(path: path),
              let key = config.authKeys(matching: RegistryKey(server)).first,
              var found = try config.authEntry(for: key)?.credentials(server: key) else { return nil }
        found.serverURL = server
        return found
    }

    /// Removes every `auths` entry naming `server` (its normalised key and legacy spellings).
    ///
    /// - Returns: Whether an entry was removed.
    @discardableResult
    package func erase(server: String) throws -> Bool {
        try ConfigFileAccess.update(path: path) { config in
            var removed = false
            for key in config.authKeys(matching: RegistryKey(server)) where config.removeAuthEntry(for: key) {
                removed = true
            }
            return removed
        }
    }

    /// Every `auths` key whose entry holds credentials, with its username; entries that cannot
    /// be decoded are left out.
    package func list() throws -> [String: String] {
        guard let config = try ConfigFileAccess.load(path: path) else { return [:] }
        var servers: [String: String] = [:]
        for key in config.authKeys {
            if let credentials = try? config.authEntry(for: key)?.credentials(server: key) {
                servers[key] = credentials.username
            }
        }
        return servers
    }
}
