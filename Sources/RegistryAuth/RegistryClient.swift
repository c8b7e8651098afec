internal import Foundation
internal import CredentialHelpers

/// Checks registry credentials the way `docker login` does, without a Docker daemon.
///
/// 1. `GET https://HOST/v2/`. When that fails without an HTTP answer, plain http is tried if
///    ``LoginOptions/insecure`` is set or the host is a loopback address (as Docker does); the
///    http answer counts only if it is a registry's (200 or 401), otherwise the https error is
///    reported. A `Docker-Distribution-API-Version` header, where present, must say `registry/2.0`.
/// 2. 200: the registry needs no credentials; that is a success (``AuthScheme/none``).
/// 3. 401: the `WWW-Authenticate` challenges decide. `Bearer` (preferred when both are offered):
///    GET the realm with `service`, `scope`, `account`, `client_id=credtool`,
///    `offline_token=true` and Basic credentials, take `token` or `access_token` (and
///    `refresh_token`), then `GET /v2/` with the bearer token. `Basic`: `GET /v2/` again with
///    Basic credentials.
///
/// Redirects are followed only to the same host and port and never from https to http, so an
/// `Authorization` header reaches only the host that asked for it. Every request shares one
/// deadline, ``LoginOptions/totalTimeout`` from the start.
package struct RegistryClient: Sendable {
    package init() {}

    /// Verifies `username` and `password` with the registry `server`.
    ///
    /// - Parameters:
    ///   - server: `host[:port]`, optionally with `https://` or `http://` and a path (ignored).
    ///     Docker Hub's names (`docker.io`, `index.docker.io`, `https://index.docker.io/v1/`)
    ///     are checked at `registry-1.docker.io`.
    /// - Returns: the identity token to store instead of the password, if the token server
    ///   sent a refresh token, and whether credentials were needed at all.
    /// - Throws: ``RegistryAuthError``; ``RegistryAuthError/unauthorized(server:message:)``
    ///   when the credentials are wrong.
    package func checkLogin(server: String, username: String, password: String, options: LoginOptions)
        throws(RegistryAuthError) -> LoginResult
    {
        let authorization = try authorize(
            server: server, username: username, password: password, scopes: [], options: options)
        return LoginResult(
            identityToken: authorization.refreshToken, scheme: authorization.scheme, endpoint: authorization.endpoint)
    }

    /// Authenticates with `server` as ``checkLogin(server:username:password:options:)`` does and
    /// returns the `Authorization` value for further requests.
    ///
    /// - Parameter scopes: token scopes requested in addition to the challenge's, such as
    ///   `repository:team/app:pull` or `registry:catalog:*`. Ignored for Basic registries.
    package func authorize(
        server: String, username: String, password: String, scopes: [String], options: LoginOptions
    ) throws(RegistryAuthError) -> RegistryAuthorization {
        let registry = try RegistryAddress(server)
        if let caFile = options.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw .caFile(path: caFile, detail: "it does not exist or is not readable")
        }
        let transport = CurlTransport(caFile: options.caFile)
        let basic = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        var exchange = Exchange(
            transport: transport, options: options, deadline: .now + options.totalTimeout,
            secrets: [password, basic, String(basic.dropFirst(6))])
        let (endpoint, ping) = try exchange.ping(registry)
        let v2 = URL(string: endpoint + "/v2/")!  // built from a host that URLComponents accepted

        switch ping.status {
        case 200:
            return RegistryAuthorization(scheme: .none, headerValue: nil, endpoint: endpoint, refreshToken: nil)
        case 401:
            guard let header = ping.header("WWW-Authenticate") else {
                throw .badChallenge("\(registry.display) answered 401 without a WWW-Authenticate header")
            }
            let challenges = try Challenge.parse(header)
            if let bearer = challenges.first(where: { $0.scheme == "bearer" }) {
                let token = try exchange.fetchToken(
                    bearer, registry: registry, username: username, basic: basic, scopes: scopes)
                exchange.secrets += [token.value] + (token.refreshToken.map { [$0] } ?? [])
                try exchange.confirm(v2, authorization: "Bearer " + token.value, registry: registry)
                return RegistryAuthorization(
                    scheme: .bearer, headerValue: "Bearer " + token.value, endpoint: endpoint,
                    refreshToken: token.refreshToken)
            }
            if challenges.contains(where: { $0.scheme == "basic" }) {
                try exchange.confirm(v2, authorization: basic, registry: registry)
                return RegistryAuthorization(scheme: .basic, headerValue: basic, endpoint: endpoint, refreshToken: nil)
            }
            let schemes = challenges.map(\.scheme).joined(separator: ", ")
            throw .badChallenge("no Basic or Bearer challenge (offered: \(schemes))")
        default:
            throw .notARegistry(server: registry.display, detail: "GET /v2/ answered HTTP \(ping.status)")
        }
    }
}

// MARK: - Addresses

/// A registry's `host[:port]`, from what the user typed.
struct RegistryAddress: Equatable {
    /// `host[:port]`, IPv6 addresses in brackets: what follows `https://` in a URL.
    var authority: String
    /// The host without brackets or port.
    var host: String
    /// What the user typed, trimmed: the name errors use.
    var display: String

    init(_ server: String) throws(RegistryAuthError) {
        var text = server.trimmingCharacters(in: .whitespaces)
        for scheme in ["https://", "http://"] where text.lowercased().hasPrefix(scheme) {
            text = String(text.dropFirst(scheme.count))
        }
        let authority = String(text.prefix { $0 != "/" })
        guard !authority.isEmpty, !authority.contains("@"),
            let components = URLComponents(string: "https://\(authority)/"), let host = components.host, !host.isEmpty
        else { throw .invalidServer(server) }
        self.display = server.trimmingCharacters(in: .whitespaces)
        if ServerSpellings.dockerHubHosts.contains(host.lowercased()) {
            self.host = "registry-1.docker.io"
            self.authority = "registry-1.docker.io"
        } else {
            self.host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            self.authority = authority.lowercased()
        }
    }

    var isLoopback: Bool { Self.isLoopback(host) }

    /// `localhost`, 127.0.0.0/8 and `::1`: where Docker also tries plain http.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}


// MARK: - One check's requests

/// The requests of one check: its transport, deadline, and the secrets to keep out of errors.
private struct Exchange {
    let transport: any HTTPTransport
    let options: LoginOptions
    let deadline: ContinuousClock.Instant
    var secrets: [String]

    struct Token {
        var value: String
        var refreshToken: String?
    }

    /// `GET /v2/` over https, then over http where allowed (see ``RegistryClient``).
    func ping(_ registry: RegistryAddress) throws(RegistryAuthError) -> (endpoint: String, response: HTTPResponse) {
        let https = "https://" + registry.authority
        let httpsError: RegistryAuthError
        do throws(RegistryAuthError) {
            let response = try get(URL(string: https + "/v2/")!, headers: [:])  // authority checked by RegistryAddress
            try checkAPIVersion(response, registry: registry)
            return (https, response)
        } catch {
            httpsError = error
        }
        switch httpsError {
        case .connectionRefused, .tlsFailure, .network, .timedOut:
            guard options.insecure || registry.isLoopback else { throw httpsError }
        default: throw httpsError
        }
        let http = "http://" + registry.authority
        let response: HTTPResponse
        do throws(RegistryAuthError) {
            response = try get(URL(string: http + "/v2/")!, headers: [:])
        } catch {
            if case .redirectToOtherHost = error { throw error }  // an http server answered, and that is its answer
            // A TLS failure against a server that then fails over http too: the http error says more.
            if case .tlsFailure = httpsError { throw error }
            throw httpsError
        }
        // Anything else, such as the "HTTP request to an HTTPS server" 400 of a TLS registry, leaves
        // the https failure as the one to report.
        guard response.status == 200 || response.status == 401 else { throw httpsError }
        try checkAPIVersion(response, registry: registry)
        return (http, response)
    }

    private func checkAPIVersion(_ response: HTTPResponse, registry: RegistryAddress) throws(RegistryAuthError) {
        guard let version = response.header("Docker-Distribution-API-Version") else { return }
        let versions = version.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard versions.contains("registry/2.0") else {
            throw .notARegistry(
                server: registry.display,
                detail: "Docker-Distribution-API-Version is \(RegistryAuthError.sanitized(version, removing: secrets))")
        }
    }

    /// `GET /v2/` with credentials; anything but 200 fails the login.
    func confirm(_ url: URL, authorization: String, registry: RegistryAddress) throws(RegistryAuthError) {
        let response = try get(url, headers: ["Authorization": authorization])
        switch response.status {
        case 200: return
        case 401, 403: throw .unauthorized(server: registry.display, message: message(from: response))
        default:
            throw .notARegistry(
                server: registry.display,
                detail: "GET /v2/ answered HTTP \(response.status)" + (message(from: response).map { ": \($0)" } ?? ""))
        }
    }

    /// Asks the token server of `challenge` for a bearer token.
    func fetchToken(
        _ challenge: Challenge, registry: RegistryAddress, username: String, basic: String, scopes: [String]
    ) throws(RegistryAuthError) -> Token {
        guard let realm = challenge[parameter: "realm"], !realm.isEmpty else {
            throw .badChallenge("the Bearer challenge has no realm")
        }
        guard var components = URLComponents(string: realm), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let realmHost = components.host, !realmHost.isEmpty
        else { throw .badChallenge("the Bearer realm \(realm.debugDescription) is not an http(s) URL") }
        if scheme == "http" && !options.insecure && !RegistryAddress.isLoopback(realmHost) {
            throw .insecureRealm(realm)
        }
        var query = components.queryItems ?? []
        if let service = challenge[parameter: "service"] { query.append(URLQueryItem(name: "service", value: service)) }
        var allScopes: [String] = []
        for scope in (challenge[parameter: "scope"].map { $0.split(separator: " ").map(String.init) } ?? []) + scopes
        where !allScopes.contains(scope) {
            allScopes.append(scope)
        }
        query += allScopes.map { URLQueryItem(name: "scope", value: $0) }
        if !username.isEmpty { query.append(URLQueryItem(name: "account", value: username)) }
        query.append(URLQueryItem(name: "client_id", value: "credtool"))
        query.append(URLQueryItem(name: "offline_token", value: "true"))
        components.queryItems = query
        // `+` is legal in a query but read as a space by many servers.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacing("+", with: "%2B")
        guard let url = components.url else { throw .badChallenge("the Bearer realm \(realm.debugDescription) is not a URL") }
        let realmName = realmHost + (components.port.map { ":\($0)" } ?? "")

        let response = try get(url, headers: ["Authorization": basic])
        switch response.status {
        case 200: break
        case 401, 403: throw .unauthorized(server: registry.display, message: message(from: response))
        default:
            throw .badTokenResponse(
                realm: realmName,
                detail: "HTTP \(response.status)" + (message(from: response).map { ": \($0)" } ?? ""))
        }
        struct Body: Decodable {
            var token: String?
            var access_token: String?
            var refresh_token: String?
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: response.body) else {
            let type = response.header("Content-Type").map { " (\(RegistryAuthError.sanitized($0, removing: secrets)))" } ?? ""
            throw .badTokenResponse(realm: realmName, detail: "the answer is not JSON\(type)")
        }
        guard let token = [body.token, body.access_token].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw .badTokenResponse(realm: realmName, detail: "the JSON has neither token nor access_token")
        }
        return Token(value: token, refreshToken: body.refresh_token.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// One GET, following same-host redirects (at most five).
    func get(_ url: URL, headers: [String: String]) throws(RegistryAuthError) -> HTTPResponse {
        var url = url
        for _ in 0..<6 {
            let response: HTTPResponse
            do {
                response = try transport.send(
                    HTTPRequest(url: url, headers: headers), connectTimeout: options.connectTimeout, deadline: deadline)
            } catch {
                throw translate(error, url: url)
            }
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") else {
                return response
            }
            guard let target = URL(string: location, relativeTo: url)?.absoluteURL, Self.sameOrigin(url, target) else {
                let to = URL(string: location, relativeTo: url).map { Self.origin($0.absoluteURL) } ?? "an invalid URL"
                throw .redirectToOtherHost(from: Self.origin(url), to: RegistryAuthError.sanitized(to, removing: secrets))
            }
            url = target
        }
        throw .network(host: Self.authority(url), detail: "too many redirects")
    }

    /// Same host and port, and not from https down to http.
    static func sameOrigin(_ from: URL, _ to: URL) -> Bool {
        guard let toScheme = to.scheme?.lowercased(), toScheme == "https" || toScheme == "http" else { return false }
        if from.scheme?.lowercased() == "https" && toScheme == "http" { return false }
        return from.host?.lowercased() == to.host?.lowercased() && effectivePort(from) == effectivePort(to)
    }

    private static func effectivePort(_ url: URL) -> Int? {
        url.port ?? (url.scheme?.lowercased() == "https" ? 443 : url.scheme?.lowercased() == "http" ? 80 : nil)
    }

    static func authority(_ url: URL) -> String {
        let host = url.host ?? "?"
        return (host.contains(":") ? "[\(host)]" : host) + (url.port.map { ":\($0)" } ?? "")
    }

    static func origin(_ url: URL) -> String { (url.scheme ?? "?") + "://" + authority(url) }

    private func translate(_ failure: TransportFailure, url: URL) -> RegistryAuthError {
        let host = Self.authority(url)
        switch failure {
        case .connectionRefused: return .connectionRefused(host: host)
        case .hostNotFound: return .hostNotFound(host: url.host ?? host)
        case .tls(let detail, let unknownAuthority):
            return .tlsFailure(
                host: host, detail: RegistryAuthError.sanitized(detail, removing: secrets), unknownAuthority: unknownAuthority)
        case .timedOut:
            let limit = ContinuousClock.now >= deadline ? options.totalTimeout : options.connectTimeout
            return .timedOut(host: host, seconds: Int(limit.seconds.rounded(.up)))
        case .caFileUnsupported(let detail):
            return .caFile(path: options.caFile ?? "?", detail: RegistryAuthError.sanitized(detail, removing: secrets))
        case .curlUnavailable(let detail):
            return .network(host: host, detail: detail + "; install libcurl4 (Debian: apt-get install libcurl4)")
        case .other(let detail): return .network(host: host, detail: RegistryAuthError.sanitized(detail, removing: secrets))
        }
    }

    /// The error text of a registry or token server answer: `errors[].message` (distribution),
    /// `details` (Docker Hub's auth), `error_description`/`error` (OAuth), or short plain text.
    func message(from response: HTTPResponse) -> String? {
        var texts: [String] = []
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
            if let errors = object["errors"] as? [[String: Any]] {
                texts += errors.compactMap { $0["message"] as? String ?? $0["code"] as? String }
            }
            for key in ["details", "error_description", "message"] {
                if let text = object[key] as? String { texts.append(text) }
            }
            if texts.isEmpty, let text = object["error"] as? String { texts.append(text) }
        } else if let text = String(data: response.body, encoding: .utf8),
            !text.isEmpty, text.count <= 500, !text.trimmingCharacters(in: .whitespaces).hasPrefix("<")
        {
            texts.append(text)
        }
        let joined = RegistryAuthError.sanitized(texts.joined(separator: "; "), removing: secrets)
        return joined.isEmpty ? nil : joined
    }
}
