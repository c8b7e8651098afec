/// How ``RegistryClient`` reaches a registry.
package struct LoginOptions: Sendable, Equatable {
    /// Allows plain http: `/v2/` falls back to http when https fails, and a token realm may be
    /// http. (Certificates are still verified whenever https is used.)
    package var insecure: Bool
    /// A PEM file of CA certificates trusted in addition to the system's, for registries and
    /// token servers with a private CA (Docker's `certs.d/HOST/ca.crt`).
    package var caFile: String?
    /// How long connecting, and each wait for data, may take.
    package var connectTimeout: Duration
    /// How long the whole check may take, every request and fallback included.
    package var totalTimeout: Duration

    package init(
        insecure: Bool = false, caFile: String? = nil, connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(30)
    ) {
        self.insecure = insecure
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }
}

/// How a registry wants requests authenticated, as its `/v2/` challenge said.
package enum AuthScheme: String, Sendable, Equatable {
    /// `/v2/` answered 200 without credentials: the registry needs no login.
    case none
    case basic
    case bearer
}

/// What a successful ``RegistryClient/checkLogin(server:username:password:options:)`` learned.
package struct LoginResult: Sendable, Equatable {
    /// The token server's `refresh_token`, which Docker stores as the identity token (username
    /// `<token>`) instead of the password. `nil` for Basic registries and token servers that
    /// send none.
    package var identityToken: String?
    /// How the registry authenticates; `.none` when it needed no credentials at all (Docker
    /// still reports success and stores them, and so may the caller).
    package var scheme: AuthScheme
    /// The base URL that answered `/v2/`: `https://host[:port]`, or `http://…` after a fallback.
    package var endpoint: String

    /// Whether the registry asked for credentials.
    package var credentialsRequired: Bool { scheme != .none }

    package init(identityToken: String?, scheme: AuthScheme, endpoint: String) {
        self.identityToken = identityToken
        self.scheme = scheme
        self.endpoint = endpoint
    }
}

/// The `Authorization` header value that ``RegistryClient/authorize(server:username:password:scopes:options:)``
/// obtained, for requests to ``endpoint``. Its description never shows the secret.
package struct RegistryAuthorization: Sendable, CustomStringConvertible {
    package var scheme: AuthScheme
    /// `Basic …` or `Bearer …`; `nil` when the registry needs none.
    package var headerValue: String?
    /// The base URL that answered `/v2/`, such as `https://127.0.0.1:5000`.
    package var endpoint: String
    /// The token server's `refresh_token`, if it sent one.
    package var refreshToken: String?

    package var description: String {
        "\(scheme.rawValue) authorization for \(endpoint)" + (refreshToken == nil ? "" : " (with a refresh token)")
    }
}
