internal import Foundation

/// One GET as RegistryAuth sends it: never a body, never a redirect followed by the transport.
struct HTTPRequest: Sendable {
    var url: URL
    /// Header fields; `Authorization` is among them when the request carries credentials.
    var headers: [String: String] = [:]
}

/// A response, with its header names in lower case; repeated fields joined with `, `.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a request got no HTTP response at all.
enum TransportFailure: Error, Equatable {
    case connectionRefused
    case hostNotFound
    case tls(detail: String, unknownAuthority: Bool)
    case timedOut
    /// libcurl cannot load or use the CA file (`CURLE_SSL_CACERT_BADFILE`).
    case caFileUnsupported(String)
    /// libcurl itself could not be loaded.
    case curlUnavailable(String)
    case other(String)
}

/// Sends one request and returns the response as it came, 3xx and 401 included. Blocks the
/// calling thread, and needs no other thread of the concurrency pool: credtool's commands are
/// synchronous, and a blocking wait on an async task could starve the pool.
///
/// A transport never follows redirects and never answers authentication challenges itself:
/// ``RegistryClient`` decides both, so credentials go only where it sends them.
protocol HTTPTransport: Sendable {
    /// - Parameters:
    ///   - connectTimeout: how long the connection (and each wait for data) may take.
    ///   - deadline: when the request is abandoned, whatever its state.
    func send(_ request: HTTPRequest, connectTimeout: Duration, deadline: ContinuousClock.Instant)
        throws(TransportFailure) -> HTTPResponse
}

extension TransportFailure {
    /// Classifies libcurl's error text (both transports surface it) and its numeric code.
    static func classify(curlCode: Int?, message: String) -> TransportFailure {
        let lower = message.lowercased()
        switch curlCode {
        case 6?: return .hostNotFound
        case 7?: return .connectionRefused  // CURLE_COULDNT_CONNECT: refused, or no route
        case 28?: return .timedOut
        case 35?, 58?, 59?, 60?, 64?, 66?, 77?, 80?, 82?, 83?, 90?, 91?:
            return .tls(detail: message, unknownAuthority: isUnknownAuthority(lower))
        default: break
        }
        if lower.contains("could not resolve") || lower.contains("couldn't resolve") { return .hostNotFound }
        if lower.contains("connection refused") || lower.contains("couldn't connect to server") {
            return .connectionRefused
        }
        if lower.contains("timed out") || lower.contains("timeout") { return .timedOut }
        if lower.contains("ssl") || lower.contains("tls") || lower.contains("certificate") {
            return .tls(detail: message, unknownAuthority: isUnknownAuthority(lower))
        }
        return .other(message)
    }

    private static func isUnknownAuthority(_ lower: String) -> Bool {
        ["self-signed", "self signed", "unable to get local issuer", "unknown ca", "unable to get issuer"]
            .contains { lower.contains($0) }
    }
}

/// The User-Agent credtool sends.
let userAgent = "credtool"

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
