internal import CLibSecret
import CredentialHelpers

/// Credentials kept in the Secret Service (GNOME Keyring, KeePassXC, ...) through libsecret.
///
/// Items use the schema `io.docker.Credentials` of Docker's secretservice helper, with the
/// attributes `server`, `username`, `docker_cli` = "1" and `label` = "Docker Credentials", in the
/// default collection, labelled `Registry credentials for <server>`: Docker's helper reads ours
/// and we read its items, whichever label they carry. Lookups go by the `server` attribute.
///
/// libsecret keeps one connection and one session per process, so a run that stores many
/// items (a migration) pays for the connection and the encrypted session once.
package struct LibSecretStore: CredentialStore {
    /// The `label` attribute Docker's helper sets on every item.
    static let labelAttribute = "Docker Credentials"

    package init() {}

    /// Stores `credentials` in the default collection, replacing any item for the same server.
    ///
    /// Wraps `secret_password_storev_sync`; an item with the same attributes is replaced by the
    /// provider. Items for the same server under another username are removed afterwards, so
    /// there is one item per server and no moment without one.
    package func store(_ credentials: Credentials) throws {
        if let field = credentials.fieldContainingNUL { throw SecretServiceError.containsNUL(field: field.rawValue) }
        let attributes = [
            "server": credentials.serverURL,
            "username": credentials.username,
            "docker_cli": "1",
            "label": Self.labelAttribute,
        ]
        var error: UnsafeMutablePointer<GError>?
        withAttributes(attributes) { table in
            _ = secret_password_storev_sync(
                cred_docker_schema(), table, "default", "Registry credentials for \(credentials.serverURL)",
                credentials.secret, nil, &error)
        }
        if let failure = take(error) { throw failure }
        for item in try search(server: credentials.serverURL, flags: SECRET_SEARCH_ALL)
        where item.username != credentials.username {
            try clear(["server": credentials.serverURL, "username": item.username, "docker_cli": "1"])
        }
    }

    /// The credentials stored for `server`, trying the spellings Docker treats as the same
    /// registry when the exact one has no item (``ServerSpellings``).
    ///
    /// A locked collection is unlocked if the provider can prompt; otherwise ``SecretServiceError/locked``.
    package func get(server: String) throws -> Credentials? {
        if server.containsNUL { throw SecretServiceError.containsNUL(field: CredentialField.serverURL.rawValue) }
        for candidate in [server] + ServerSpellings.alternatives(for: server) {
            if let credentials = try lookup(server: candidate) { return credentials }
        }
        return nil
    }

    /// Removes the item for `server`; when there is none under that exact spelling, the item
    /// that ``get(server:)`` would have returned, so that a logout really logs out.
    package func erase(server: String) throws -> Bool {
        if server.containsNUL { throw SecretServiceError.containsNUL(field: CredentialField.serverURL.rawValue) }
        for candidate in [server] + ServerSpellings.alternatives(for: server) {
            if try clear(["server": candidate]) { return true }
        }
        return false
    }

    /// Every item of the schema: its `server` attribute and its `username`.
    ///
    /// Reads attributes only: loads no secret and asks for no unlock, so it never prompts.
    package func list() throws -> [String: String] {
        var result: [String: String] = [:]
        for item in try search(server: nil, flags: SECRET_SEARCH_ALL) {
            result[item.server] = item.username
        }
        return result
    }

    // MARK: - libsecret calls

    private struct Item {
        var server: String
        var username: String
        /// The retrievable; retained by the search result list, which outlives this value.
        var handle: OpaquePointer
    }

    private func lookup(server: String) throws -> Credentials? {
        let flags = SecretSearchFlags(rawValue: SECRET_SEARCH_UNLOCK.rawValue)
        return try withSearch(server: server, flags: flags) { items -> Credentials? in
            guard let item = items.first else { return nil }
            var error: UnsafeMutablePointer<GError>?
            let value = secret_retrievable_retrieve_secret_sync(item.handle, nil, &error)
            if let failure = take(error) { throw failure }
            guard let value else { throw SecretServiceError.locked }
            defer { secret_value_unref(UnsafeMutableRawPointer(value)) }
            var length = 0
            let bytes = secret_value_get(value, &length)
            let secret = bytes.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
            } ?? ""
            return Credentials(serverURL: item.server, username: item.username, secret: secret)
        }
    }

    private func search(server: String?, flags: SecretSearchFlags) throws -> [(server: String, username: String)] {
        try withSearch(server: server, flags: flags) { items in items.map { ($0.server, $0.username) } }
    }

    /// Wraps `secret_password_searchv_sync`; the result list and its retrievables are freed here,
    /// after `body` returns.
    private func withSearch<R>(
        server: String?, flags: SecretSearchFlags, _ body: ([Item]) throws -> R
    ) throws -> R {
        var error: UnsafeMutablePointer<GError>?
        let list = withAttributes(server.map { ["server": $0] } ?? [:]) { table in
            secret_password_searchv_sync(cred_docker_schema(), table, flags, nil, &error)
        }
        if let failure = take(error) { throw failure }
        defer { g_list_free_full(list) { g_object_unref($0) } }
        var items: [Item] = []
        var node = list
        while let current = node {
            let handle = OpaquePointer(current.pointee.data!)  // a list from libsecret holds no NULL data
            if let attributes = secret_retrievable_get_attributes(handle) {
                defer { g_hash_table_unref(attributes) }
                if let server = lookupString(attributes, "server") {
                    items.append(Item(server: server, username: lookupString(attributes, "username") ?? "", handle: handle))
                }
            }
            node = current.pointee.next
        }
        return try body(items)
    }

    /// Wraps `secret_password_clearv_sync`: removes every item of the schema matching `attributes`.
    @discardableResult
    private func clear(_ attributes: [String: String]) throws -> Bool {
        var error: UnsafeMutablePointer<GError>?
        let removed = withAttributes(attributes) { table in
            secret_password_clearv_sync(cred_docker_schema(), table, nil, &error)
        }
        if let failure = take(error) { throw failure }
        return removed != 0
    }
}

// MARK: - GLib helpers

/// Runs `body` with a GHashTable that owns copies of `attributes`; the table is freed after.
private func withAttributes<R>(_ attributes: [String: String], _ body: (OpaquePointer) throws -> R) rethrows -> R {
    let table = g_hash_table_new_full({ g_str_hash($0) }, { g_str_equal($0, $1) }, { g_free($0) }, { g_free($0) })!  // GLib aborts rather than return NULL
    defer { g_hash_table_unref(table) }
    for (name, value) in attributes {
        g_hash_table_insert(table, g_strdup(name), g_strdup(value))
    }
    return try body(table)
}

/// The string value of `key` in a GHashTable of strings, copied.
private func lookupString(_ table: OpaquePointer, _ key: String) -> String? {
    guard let value = g_hash_table_lookup(table, key) else { return nil }
    return String(cString: value.assumingMemoryBound(to: CChar.self))
}

/// Turns the GError a libsecret call left into a ``SecretServiceError``, and frees it.
private func take(_ error: UnsafeMutablePointer<GError>?) -> SecretServiceError? {
    guard let error else { return nil }
    defer { g_error_free(error) }
    let domain = error.pointee.domain
    let code = error.pointee.code
    let message = String(cString: error.pointee.message)
    if domain == secret_error_get_quark(), code == Int32(SECRET_ERROR_IS_LOCKED.rawValue) {
        return .locked
    }
    if domain == g_dbus_error_quark() {
        switch code {
        case Int32(G_DBUS_ERROR_SERVICE_UNKNOWN.rawValue), Int32(G_DBUS_ERROR_NAME_HAS_NO_OWNER.rawValue),
             Int32(G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND.rawValue), Int32(G_DBUS_ERROR_SPAWN_EXEC_FAILED.rawValue):
            return .noProvider(detail: message)
        default: break
        }
    }
    if domain == g_io_error_quark() {
        return .noSessionBus(detail: message)
    }
    return .failed(message: message)
}
