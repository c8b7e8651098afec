/// The spellings under which a credential for one registry may have been stored.
///
/// Docker keys a registry by `host[:port]`, but items written by older docker CLIs and other
/// clients carry `https://host` or `https://host/`, and Docker Hub goes by several names. A
/// `get` that misses on the exact spelling tries these; they never name another host or port.
/// The list is short on purpose: every spelling costs the keyring daemon a search, on the path
/// of every pull from a registry without credentials.
package enum ServerSpellings {
    /// The key Docker uses for Docker Hub.
    package static let dockerHubKey = "https://index.docker.io/v1/"

    /// The host names Docker treats as Docker Hub.
    package static let dockerHubHosts = ["index.docker.io", "docker.io", "registry-1.docker.io"]

    /// The other spellings of `server`, closest first, without `server` itself.
    ///
    /// - `host` ↔ `https://host`; with a path, the path with and without the scheme, then the
    ///   host alone; a trailing `/` is dropped.
    /// - Docker Hub: `https://index.docker.io/v1/`, `docker.io`, `index.docker.io`.
    package static func alternatives(for server: String) -> [String] {
        var hostAndPath = strippingScheme(server)
        while hostAndPath.hasSuffix("/") { hostAndPath = hostAndPath.dropLast() }
        let host = hostAndPath.prefix { $0 != "/" }
        guard !host.isEmpty else { return [] }
        let forms = dockerHubHosts.contains(String(host))
            ? [dockerHubKey, "docker.io", "index.docker.io"]
            : [String(hostAndPath), "https://\(hostAndPath)"]
                + (host.count < hostAndPath.count ? [String(host), "https://\(host)"] : [])
        var result: [String] = []
        for form in forms where form != server && !result.contains(form) { result.append(form) }
        return result
    }

    private static func strippingScheme(_ server: String) -> Substring {
        for scheme in ["https://", "http://"] where server.hasPrefix(scheme) {
            return server.dropFirst(scheme.count)
        }
        return server[...]
    }
}
