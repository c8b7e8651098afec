// The kubelet's rules for which registry credentials apply to an image, from
// k8s.io/kubernetes/pkg/credentialprovider (keyring.go: BasicDockerKeyring.Add and Lookup,
// isDefaultRegistryMatch, URLsMatchStr, URLsMatch, ParseSchemelessURL, SplitURL), and the image
// name normalisation the kubelet applies before it looks up (github.com/distribution/reference
// ParseNormalizedNamed(image).Name()).

/// The config keys whose credentials the kubelet would use to pull `image`.
///
/// The image is normalised as the kubelet normalises it before a lookup (`nginx:1.25` →
/// `docker.io/library/nginx`; tag and digest dropped). Each key is turned into the kubelet's
/// form (``kubeletMatchKey(forConfigKey:)``: scheme dropped, `/v1/` and `/v2/` read as the
/// registry root) and matched with `URLsMatch`: the same number of host labels, each matched as
/// a glob (`*.example.com` matches `a.example.com`, not `a.b.example.com`), equal ports (both
/// absent or the same), and the key's path a prefix of the image's path (a string prefix, as the
/// kubelet checks it: `quay.io/org` also matches `quay.io/organisation/x`). A `?` in a key starts
/// a URL query when the kubelet parses it, so it never works as a glob. When nothing
/// matches a Docker Hub image, keys for `index.docker.io` (such as
/// `https://index.docker.io/v1/`, as `docker login` writes it) apply.
/// - Parameters:
///   - image: An image reference as a pod spec or the kubelet writes it.
///   - keys: Registry keys from a docker config (`auths`) or a credential store.
/// - Returns: Every matching key as given, most specific first (the kubelet's order: its keys
///   sorted in reverse), each once. Keys or images the kubelet cannot parse never match.
package func matchingKeys(image: String, keys: [String]) -> [String] {
    let target = normalizedImageName(image)
    var candidates: [(kubeletKey: String, key: String)] = []
    for key in keys where !candidates.contains(where: { $0.key == key }) {
        if let kubeletKey = kubeletMatchKey(forConfigKey: key) { candidates.append((kubeletKey, key)) }
    }
    // Stable reverse sort by the kubelet's key: longer, more specific paths come first.
    let ordered = candidates.enumerated().sorted {
        $0.element.kubeletKey != $1.element.kubeletKey
            ? $0.element.kubeletKey > $1.element.kubeletKey : $0.offset < $1.offset
    }.map(\.element)
    let matched = ordered.filter { urlsMatch(glob: $0.kubeletKey, target: target) }.map(\.key)
    if !matched.isEmpty { return matched }
    if isDefaultRegistryMatch(target) {
        return ordered.filter { $0.kubeletKey == "index.docker.io" }.map(\.key)
    }
    return []
}

/// The key the kubelet files a config key's credentials under (`BasicDockerKeyring.Add`):
/// `host[:port]` and the path, without scheme or user, `/v1/…` and `/v2/…` read as the root.
///
/// `https://index.docker.io/v1/` gives `index.docker.io`; `quay.io/org` stays; `http://r:5000/`
/// gives `r:5000`. This is also the form a CredentialProviderResponse's `auth` keys take.
/// - Returns: The key, or `nil` when the kubelet could not parse it (it skips such keys).
package func kubeletMatchKey(forConfigKey key: String) -> String? {
    var value = Substring(key)
    if value.hasPrefix("https://") {
        value = value.dropFirst(8)
    } else if value.hasPrefix("http://") {
        value = value.dropFirst(7)
    }
    guard let url = SchemelessURL(value) else { return nil }
    var path = url.path
    if path.hasPrefix("/v2/") || path.hasPrefix("/v1/") { path = path.dropFirst(3) }
    return path.isEmpty || path == "/" ? String(url.host) : String(url.host) + path
}

/// The repository name the kubelet looks credentials up with: `ParseNormalizedNamed(image).Name()`.
///
/// A first component without `.` or `:` that is not `localhost` (and has no upper-case letter)
/// is not a registry: the image is on Docker Hub, `docker.io`, and a single-component name gets
/// `library/`. `index.docker.io` is written `docker.io`. A tag (`:1.25`) and a digest
/// (`@sha256:…`) are dropped. The name is not validated further.
package func normalizedImageName(_ image: String) -> String {
    var name = Substring(image)
    if let at = name.firstIndex(of: "@") { name = name[..<at] }
    // A tag is a `:` after the last `/` (a `:` before it belongs to a port).
    let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
    if let colon = name[lastSlash...].lastIndex(of: ":") { name = name[..<colon] }

    var domain: Substring
    var remainder: Substring
    if let slash = name.firstIndex(of: "/"),
        case let first = name[..<slash],
        first.contains(where: { $0 == "." || $0 == ":" }) || first == "localhost"
            || first.contains(where: \.isUppercase)
    {
        domain = first
        remainder = name[name.index(after: slash)...]
    } else {
        domain = "docker.io"
        remainder = name
    }
    if domain == "index.docker.io" { domain = "docker.io" }
    if domain == "docker.io" && !remainder.contains("/") { remainder = "library/" + remainder }
    return domain + "/" + remainder
}

/// `isDefaultRegistryMatch`: whether the kubelet reads `image` as a Docker Hub image.
private func isDefaultRegistryMatch(_ image: String) -> Bool {
    let parts = image.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard let first = parts.first, !first.isEmpty else { return false }
    if parts.count == 1 { return true }
    if first == "docker.io" || first == "index.docker.io" { return true }
    return !first.contains(where: { $0 == "." || $0 == ":" }) && first != "localhost"
}

/// `URLsMatchStr(glob, target)`: both read as schemeless URLs, then `URLsMatch`.
private func urlsMatch(glob: String, target: String) -> Bool {
    guard let globURL = SchemelessURL(Substring(glob)), let targetURL = SchemelessURL(Substring(target)) else {
        return false
    }
    let (globParts, globPort) = globURL.splitHost()
    let (targetParts, targetPort) = targetURL.splitHost()
    guard globPort == targetPort, globParts.count == targetParts.count else { return false }
    guard targetURL.path.hasPrefix(globURL.path) else { return false }
    return zip(globParts, targetParts).allSatisfy { pattern, part in globMatch(pattern, part) ?? false }
}

/// The host and path of `"https://" + text` as Go's `url.Parse` splits them, or `nil` where it
/// fails (an invalid port or a character a host cannot hold).
private struct SchemelessURL {
    var host: Substring
    var path: Substring

    init?(_ text: Substring) {
        let authorityEnd = text.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        var authority = text[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var rest = text[authorityEnd...]
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        // Go's parseHost: after a bracketed IPv6 literal or the last colon, the port is digits.
        let portStart: Substring.Index?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.first == ":" else { return nil }
            portStart = after.isEmpty ? nil : after.startIndex
        } else {
            portStart = authority.lastIndex(of: ":")
        }
        if let portStart, !authority[authority.index(after: portStart)...].allSatisfy({ $0.isASCII && $0.isNumber }) {
            return nil
        }
        guard !authority.contains(where: { $0 == " " || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) else {
            return nil
        }
        host = authority
        path = rest
    }

    /// `SplitURL`: the host's dot-separated labels and the port, using `net.SplitHostPort` and
    /// falling back to the whole host with no port where that fails.
    func splitHost() -> (parts: [Substring], port: Substring) {
        let (name, port) = splitHostPort(host) ?? (host, "")
        return (name.split(separator: ".", omittingEmptySubsequences: false), port)
    }
}

/// Go's `net.SplitHostPort`, or `nil` where it returns an error (no port, too many colons).
private func splitHostPort(_ hostport: Substring) -> (Substring, Substring)? {
    guard let colon = hostport.lastIndex(of: ":") else { return nil }
    let host: Substring
    if hostport.first == "[" {
        guard let close = hostport.firstIndex(of: "]"), hostport.index(after: close) == colon else { return nil }
        host = hostport[hostport.index(after: hostport.startIndex)..<close]
        if hostport[hostport.index(after: hostport.startIndex)...].contains("[") { return nil }
        if hostport[hostport.index(after: close)...].contains("]") { return nil }
    } else {
        host = hostport[..<colon]
        if host.contains(":") || hostport.contains("[") || hostport.contains("]") { return nil }
    }
    return (host, hostport[hostport.index(after: colon)...])
}

/// Go's `path/filepath.Match` for one host label: `*` any run, `?` one character, `[…]` a class
/// (ranges, `^` to negate), `\` escapes. There is no separator in a label, so `*` spans all.
/// - Returns: Whether `name` matches, or `nil` for a malformed pattern (Go's `ErrBadPattern`).
private func globMatch(_ pattern: Substring, _ name: Substring) -> Bool? {
    let p = Array(pattern.unicodeScalars)
    let n = Array(name.unicodeScalars)

    /// Matches the class starting after `[` at `index` against `c`; returns the index after `]`.
    func matchClass(_ start: Int, _ c: Unicode.Scalar) -> (matched: Bool, end: Int)? {
        var i = start
        var negated = false
        if i < p.count, p[i] == "^" {
            negated = true
            i += 1
        }
        var matched = false
        var first = true
        while true {
            guard i < p.count else { return nil }
            if p[i] == "]" && !first {
                i += 1
                break
            }
            first = false
            func literal() -> Unicode.Scalar? {
                guard i < p.count else { return nil }
                if p[i] == "\\" {
                    i += 1
                    guard i < p.count else { return nil }
                } else if p[i] == "-" || p[i] == "]" {
                    return nil
                }  // Go rejects these unescaped here
                defer { i += 1 }
                return p[i]
            }
            guard let low = literal() else { return nil }
            var high = low
            if i < p.count, p[i] == "-" {
                i += 1
                guard let upper = literal() else { return nil }
                high = upper
            }
            if low <= c && c <= high { matched = true }
        }
        return (matched != negated, i)
    }

    /// Backtracking match of p[pi...] against n[ni...].
    func match(_ pi: Int, _ ni: Int) -> Bool? {
        var pi = pi
        var ni = ni
        while pi < p.count {
            switch p[pi] {
            case "*":
                while pi < p.count, p[pi] == "*" { pi += 1 }
                if pi == p.count { return true }
                for start in ni...n.count {
                    guard let result = match(pi, start) else { return nil }
                    if result { return true }
                }
                return false
            case "?":
                guard ni < n.count else { return false }
                pi += 1
                ni += 1
            case "[":
                guard ni < n.count else { return classIsValid(pi + 1) ? false : nil }
                guard let (matched, end) = matchClass(pi + 1, n[ni]) else { return nil }
                guard matched else { return false }
                pi = end
                ni += 1
            case "\\":
                pi += 1
                guard pi < p.count else { return nil }
                guard ni < n.count, p[pi] == n[ni] else { return false }
                pi += 1
                ni += 1
            default:
                guard ni < n.count, p[pi] == n[ni] else { return false }
                pi += 1
                ni += 1
            }
        }
        return ni == n.count
    }

    func classIsValid(_ start: Int) -> Bool { matchClass(start, "\0") != nil }

    return match(0, 0)
}
