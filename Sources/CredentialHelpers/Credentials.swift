/// One registry login as the docker-credential-helpers protocol carries it.
///
/// Field names follow the protocol's JSON (`ServerURL`, `Username`, `Secret`); see
/// https://github.com/docker/docker-credential-helpers. An identity token (an OAuth refresh
/// token) is stored with the username ``identityTokenUsername`` and the token as the secret.
package struct Credentials: Hashable, Sendable {
    /// The username that marks an identity token, as Docker writes it.
    package static let identityTokenUsername = "<token>"

    package var serverURL: String
    package var username: String
    package var secret: String

    package init(serverURL: String, username: String, secret: String) {
        self.serverURL = serverURL
        self.username = username
        self.secret = secret
    }

    /// Whether the secret is an identity token rather than a password.
    package var isIdentityToken: Bool { username == Self.identityTokenUsername }
}

/// Where stored credentials live: the Secret Service, an external helper, a plaintext file.
///
/// Implementations throw their module's error type; its `description` is one line that names the
/// server or the store, never a secret.
package protocol CredentialStore {
    /// Stores `credentials`, replacing whatever the store held for the same server.
    func store(_ credentials: Credentials) throws

    /// The credentials for `server`, or `nil` when the store has none.
    func get(server: String) throws -> Credentials?

    /// Removes the credentials for `server`.
    ///
    /// - Returns: whether anything was removed.
    @discardableResult
    func erase(server: String) throws -> Bool

    /// Every server the store holds credentials for, with its username. Loads no secret.
    func list() throws -> [String: String]
}

/// The field of a credential that holds a character the Secret Service cannot take.
package enum CredentialField: String, Sendable {
    case serverURL = "server URL"
    case username
    case secret
}

extension String {
    /// Whether the string holds a NUL, which a C API (libsecret) would silently cut at.
    package var containsNUL: Bool { utf8.contains(0) }
}

extension Credentials {
    /// The first field that holds a NUL character, if any.
    ///
    /// C strings end at NUL, so `victim.example\0evil` would reach `victim.example`'s item: such
    /// input is refused, never cut.
    package var fieldContainingNUL: CredentialField? {
        if serverURL.containsNUL { return .serverURL }
        if username.containsNUL { return .username }
        if secret.containsNUL { return .secret }
        return nil
    }
}
