import CredentialHelpers
import OrderedJSON

/// One value of a config file's `auths` object: the credentials Docker or Podman keep in the
/// file for one registry, with any fields this type does not know kept as they are.
///
/// Fields follow docker/cli's `types.AuthConfig` (https://github.com/docker/cli, package
/// `cli/config/types`): `auth` is base64 of `username:password`; `username` and `password` are
/// the older plain form; `identitytoken` is an OAuth refresh token; `registrytoken` a bearer
/// token; `email` is obsolete. Keys are read as Go's decoder reads them (case-insensitively, the
/// last match winning) and written back under the key that was read.
package struct AuthEntry: Hashable, Sendable {
    /// The entry's members, in order, including unknown ones.
    package var fields: JSONObject

    /// Wraps an `auths` value; an empty object when none is given (Docker Desktop writes `{}`
    /// for registries whose credentials are in its store).
    package init(_ fields: JSONObject = JSONObject()) {
        self.fields = fields
    }

    /// An entry holding `auth` only, as `docker login` writes one without a credential store.
    package static func plaintext(username: String, password: String) -> AuthEntry {
        var entry = AuthEntry()
        entry.setPlaintext(username: username, password: password)
        return entry
    }

    /// `auth`: base64 of `username:password`.
    package var auth: String? {
        get { string("auth") }
        set { setString(newValue, "auth") }
    }

    /// `username`, the older plain form (Podman and old Docker versions).
    package var username: String? {
        get { string("username") }
        set { setString(newValue, "username") }
    }

    /// `password`, the older plain form.
    package var password: String? {
        get { string("password") }
        set { setString(newValue, "password") }
    }

    /// `identitytoken`: an OAuth refresh token used instead of a password.
    package var identityToken: String? {
        get { string("identitytoken") }
        set { setString(newValue, "identitytoken") }
    }

    /// `registrytoken`: a bearer token sent to the registry as is.
    package var registryToken: String? {
        get { string("registrytoken") }
        set { setString(newValue, "registrytoken") }
    }

    /// `email`, which Docker no longer uses but still carries.
    package var email: String? {
        get { string("email") }
        set { setString(newValue, "email") }
    }

    /// The string field `key`, matched as Go's decoder matches struct fields.
    private func string(_ key: String) -> String? {
        fields.value(forKeyFoldingCase: key)?.stringValue
    }

    /// Sets (or, with `nil`, removes) the string field `key`, under the spelling the entry has.
    private mutating func setString(_ value: String?, _ key: String) {
        fields.setValue(value.map(JSONValue.string), forKeyFoldingCase: key)
    }

    /// Replaces the entry's credentials with `auth` for `username` and `password`, as docker/cli
    /// saves them; `username`, `password`, `identitytoken` and `registrytoken` are removed, other
    /// fields stay where they are.
    package mutating func setPlaintext(username: String, password: String) {
        auth = Base64.encode((username + ":" + password).utf8)
        for key in ["username", "password", "identitytoken", "registrytoken"] {
            fields.setValue(nil, forKeyFoldingCase: key)
        }
    }

    /// Replaces the entry's credentials with `identitytoken`; `auth`, `username`, `password` and
    /// `registrytoken` are removed, other fields stay where they are.
    package mutating func setIdentityToken(_ token: String) {
        identityToken = token
        for key in ["auth", "username", "password", "registrytoken"] {
            fields.setValue(nil, forKeyFoldingCase: key)
        }
    }

    /// Removes the entry's credentials (`auth`, `username`, `password`, `identitytoken`,
    /// `registrytoken`), keeping its other fields: the `{}` docker keeps in `auths` for a
    /// registry whose credentials are in a store.
    package mutating func removeCredentials() {
        for key in ["auth", "username", "password", "identitytoken", "registrytoken"] {
            fields.setValue(nil, forKeyFoldingCase: key)
        }
    }

    /// Whether the entry holds credentials in the file (`auth`, `username` or `identitytoken`),
    /// rather than being `{}` or holding only unknown fields.
    package var holdsCredentials: Bool {
        for key in ["auth", "username", "password", "identitytoken"] {
            if case .string(let text)? = fields.value(forKeyFoldingCase: key), !text.isEmpty { return true }
        }
        return false
    }

    /// The credentials the entry holds, decoded as docker/cli's `decodeAuth` does.
    ///
    /// An `identitytoken` gives the username `<token>` and the token as the secret (the way the
    /// credential-helper protocol carries identity tokens). Otherwise `auth` is decoded and split
    /// at its first `:` (the password may hold more), NULs around the password are dropped as Go
    /// does; without `auth`, the `username` and `password` fields are used. A `registrytoken` is
    /// not a credential the helper protocol can carry and is ignored here.
    /// - Parameter server: The registry, named in errors.
    /// - Returns: The credentials, or `nil` when the entry holds none (`{}`).
    /// - Throws: ``ConfigError/invalidAuth(registry:reason:)`` when `auth` is not base64 of
    ///   `user:password` or a field is not a string. The error never holds the value.
    package func credentials(server: String) throws(ConfigError) -> Credentials? {
        func field(_ key: String) throws(ConfigError) -> String {
            switch fields.value(forKeyFoldingCase: key) {
            case nil, .null?: return ""
            case .string(let text)?: return text
            case _?: throw .invalidAuth(registry: server, reason: "the \(key) field is not a string")
            }
        }
        let token = try field("identitytoken")
        if !token.isEmpty {
            return Credentials(serverURL: server, username: Credentials.identityTokenUsername, secret: token)
        }
        let auth = try field("auth")
        if !auth.isEmpty {
            guard let bytes = Base64.decode(auth) else {
                throw .invalidAuth(registry: server, reason: "auth is not base64")
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .invalidAuth(registry: server, reason: "auth does not decode to UTF-8 text")
            }
            guard let colon = text.firstIndex(of: ":") else {
                throw .invalidAuth(registry: server, reason: "auth holds no ':' between username and password")
            }
            let username = String(text[..<colon])
            guard !username.isEmpty else {
                throw .invalidAuth(registry: server, reason: "auth holds an empty username")
            }
            let password = text[text.index(after: colon)...].trimmingNULs()
            return Credentials(serverURL: server, username: username, secret: password)
        }
        let username = try field("username")
        if username.isEmpty { return nil }
        return Credentials(serverURL: server, username: username, secret: try field("password"))
    }
}

extension Substring {
    /// The text without leading and trailing NUL characters (Go's `strings.Trim(s, "\x00")`).
    fileprivate func trimmingNULs() -> String {
        let start = firstIndex { $0 != "\0" } ?? endIndex
        let end = lastIndex { $0 != "\0" }.map(index(after:)) ?? start
        return String(self[start..<end])
    }
}

extension JSONObject {
    /// The last key that Go's decoder would match with `name` (ASCII letters folded), if any.
    func key(foldingCase name: String) -> String? {
        keys.last { $0.utf8.count == name.utf8.count && $0.lowercasedASCII == name.lowercasedASCII }
    }

    /// Sets the member Go's decoder would read for `name`: in place under the key already used,
    /// or appended under `name`. `nil` removes every member that matches.
    mutating func setValue(_ value: JSONValue?, forKeyFoldingCase name: String) {
        if let value {
            self[key(foldingCase: name) ?? name] = value
        } else {
            while let key = key(foldingCase: name) { removeValue(forKey: key) }
        }
    }
}

extension String {
    /// The string with ASCII upper-case letters lowered and every other character kept.
    var lowercasedASCII: String {
        String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
