/// Why checking a login with a registry failed.
///
/// Each case's `description` is one line for the user. None carries a password or a token: the
/// text a registry or token server sends back is cut to one line and has the secrets of the
/// attempt blanked out before it is stored here (see ``RegistryAuthError/sanitized(_:removing:)``).
package enum RegistryAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The registry or its token server refused the username and password.
    case unauthorized(server: String, message: String?)
    /// The connection was refused, or the host is unreachable (libcurl's `CURLE_COULDNT_CONNECT`
    /// does not tell them apart).
    case connectionRefused(host: String)
    /// The host name does not resolve.
    case hostNotFound(host: String)
    /// The TLS handshake failed; `unknownAuthority` when the certificate's issuer is not trusted.
    case tlsFailure(host: String, detail: String, unknownAuthority: Bool)
    /// No answer within the connect timeout, or the whole check took longer than the total timeout.
    case timedOut(host: String, seconds: Int)
    /// Another network failure, with libcurl's text.
    case network(host: String, detail: String)
    /// A redirect to another host (or from https to http); the request is not repeated there.
    case redirectToOtherHost(from: String, to: String)
    /// A `WWW-Authenticate` header that cannot be parsed, or one without a usable challenge.
    case badChallenge(String)
    /// A token realm on plain http, allowed only with `insecure` or on a loopback address.
    case insecureRealm(String)
    /// The token server's answer is not JSON with a `token` or `access_token`.
    case badTokenResponse(realm: String, detail: String)
    /// `/v2/` answered something no Docker registry answers.
    case notARegistry(server: String, detail: String)
    /// The server address is not `host[:port]` (optionally with a scheme).
    case invalidServer(String)
    /// The `--ca-file` cannot be read, or libcurl is not there to use it.
    case caFile(path: String, detail: String)

    package var description: String {
        switch self {
        case .unauthorized(let server, let message):
            "login to \(server) failed: unauthorized" + (message.map { ": \($0)" } ?? "")
        case .connectionRefused(let host): "cannot connect to \(host): connection refused or host unreachable"
        case .hostNotFound(let host): "cannot resolve \(host): no such host"
        case .tlsFailure(let host, let detail, let unknownAuthority):
            "TLS handshake with \(host) failed: \(detail)"
                + (unknownAuthority ? "; if the registry uses a private CA, pass its certificate with --ca-file" : "")
        case .timedOut(let host, let seconds): "\(host) did not answer within \(seconds) s"
        case .network(let host, let detail): "request to \(host) failed: \(detail)"
        case .redirectToOtherHost(let from, let to):
            "\(from) redirected to \(to); refusing to follow a redirect to another host or to plain http"
        case .badChallenge(let detail): "the registry sent an unusable authentication challenge: \(detail)"
        case .insecureRealm(let realm):
            "the token realm \(realm) is not https; use --insecure to allow it"
        case .badTokenResponse(let realm, let detail): "the token server \(realm) sent no usable token: \(detail)"
        case .notARegistry(let server, let detail): "\(server) does not look like a Docker registry: \(detail)"
        case .invalidServer(let server): "invalid registry address \(server.debugDescription): expected host[:port]"
        case .caFile(let path, let detail): "cannot use the CA file \(path): \(detail)"
        }
    }

    /// `text` made fit for an error line: one line, no control characters, at most 300
    /// characters, and each of `secrets` (passwords, tokens) replaced by `***`.
    package static func sanitized(_ text: String, removing secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = result.replacing(secret, with: "***")
        }
        result = String(result.map { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? false) ? " " : $0 })
        while result.contains("  ") { result = result.replacing("  ", with: " ") }
        result = String(result.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        return result.count > 300 ? String(result.prefix(300)) + "…" : result
    }
}
