/// The spellings under which a credential for one registry may have been stored.
///
/// Docker keys a registry by `host[:port]`, but items written over the years by the docker CLI,
/// older helpers and other clients carry `https://host`, `https://host/`, `https://host/v1/`, and
/// Docker Hub goes by several names. A `get` that misses on the exact spelling tries these, in
/// order; they never name another host or port.
package enum ServerSpellings {
    /// The key Docker uses for Docker Hub.
    package static let dockerHubKey = "https://index.docker.io/v1/"

    /// The host names Docker treats as Docker Hub.
    package static let dockerHubHosts = ["index.docker.io", "docker.io", "registry-1.docker.io"]

    /// The other spellings of `server`, closest first, without `server` itself.
    package static func alternatives(for server: String) -> [String] {
        let hostAndPath = strippingScheme(server)
        let host = String(hostAndPath.prefix { $0 != "/" })
        guard !host.isEmpty else { return [] }
        var result: [String] = []
        func add(_ candidate: String) {
            if candidate != server, !result.contains(candidate) { result.append(candidate) }
        }
        let path = hostAndPath.hasSuffix("/") ? hostAndPath.dropLast() : hostAndPath
        if path.count > host.count {
            // A request with a path: that path first, with and without its slash and scheme.
            for form in [String(path), path + "/"] {
                add(form)
                add("https://" + form)
                add("http://" + form)
            }
        }
        let isDockerHub = dockerHubHosts.contains(host)
        if isDockerHub { add(dockerHubKey) }
        for name in isDockerHub ? dockerHubHosts : [host] {
            for form in [name, "https://\(name)", "https://\(name)/", "http://\(name)", "http://\(name)/",
                         "https://\(name)/v1/", "https://\(name)/v2/"] {
                add(form)
            }
        }
        return result
    }

    private static func strippingScheme(_ server: String) -> Substring {
        for scheme in ["https://", "http://"] where server.hasPrefix(scheme) {
            return server.dropFirst(scheme.count)
        }
        return server[...]
    }
}
