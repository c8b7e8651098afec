import CredentialHelpers

/// The key under which Docker files a registry's credentials in `auths`, `credHelpers` and
/// credential stores.
///
/// Mirrors docker/cli: `credentials.ConvertToHostname` drops a scheme (`http://`, `https://`,
/// any `scheme://`), a user-info part and everything from the first `/`, and keeps the host and
/// port exactly as written (no lower-casing, IPv6 literals stay bracketed: `[::1]:5000`).
/// Docker Hub and its aliases `docker.io`, `index.docker.io` and `registry-1.docker.io` are keyed
/// `https://index.docker.io/v1/` (`registry.IndexServer`), as `docker login` writes them.
package struct RegistryKey: Hashable, Sendable, CustomStringConvertible {
    /// The normalised key, such as `ghcr.io`, `registry.example.com:5000` or
    /// `https://index.docker.io/v1/`.
    package let value: String

    /// Normalises a server as a user or a config file spells it.
    ///
    /// - Parameter server: A host, `host:port`, URL or Docker Hub alias. Empty stays empty.
    package init(_ server: String) {
        let host = Self.hostname(server)
        value = ServerSpellings.dockerHubHosts.contains(host) ? ServerSpellings.dockerHubKey : host
    }

    /// Whether this is Docker Hub.
    package var isDockerHub: Bool { value == ServerSpellings.dockerHubKey }

    /// Whether a key found in a config file (possibly a legacy spelling such as
    /// `https://host/v1/` or `http://host`) names this registry.
    package func matches(configKey: String) -> Bool { RegistryKey(configKey) == self }

    /// The key.
    package var description: String { value }

    /// docker/cli's `ConvertToHostname`: the `host[:port]` part of `server`.
    ///
    /// - Parameter server: A host, `host:port` or URL.
    /// - Returns: The text between the scheme (and any `user@`) and the first `/`.
    package static func hostname(_ server: String) -> String {
        var rest = Substring(server)
        if let schemeEnd = rest.firstRange(of: "://") {
            rest = rest[schemeEnd.upperBound...]
            let authority = rest.prefix { $0 != "/" }
            if let at = authority.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        }
        return String(rest.prefix { $0 != "/" })
    }
}
