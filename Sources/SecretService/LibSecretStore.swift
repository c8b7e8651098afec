internal import CLibSecret
import CredentialHelpers

/// Credentials kept in the Secret Service (GNOME Keyring, KeePassXC, ...) through libsecret.
///
/// Items use the schema `io.docker.Credentials` of Docker's secretservice helper, with the
/// attributes `server`, `username`, `docker_cli` = "1" and `label` = "Docker Credentials", in the
/// default collection, labelled `Registry credentials for <server>`: Docker's helper reads ours
/// and we read its items, whichever label they carry. Lookups go by the `server` attribute.
///
/// One instance keeps one connection and one encrypted session for all its calls, so a run that
/// stores many items (a migration) pays for them once. Reads go through libsecret's D-Bus path
/// functions: a search answers with item paths, and an item's attributes and secret are asked
/// for by path, without the per-item proxies (two more D-Bus calls each) that the password
/// API's search builds.
package final class LibSecretStore: CredentialStore {
    /// The `label` attribute Docker's helper sets on every item.
    static let labelAttribute = "Docker Credentials"

    /// The session bus connection, on first use; one reference owned here.
    private var sessionBus: OpaquePointer?
    /// The service proxy (for sessions, secrets, unlocking and writes), on first use; one
    /// reference owned here. Searches and attribute reads go straight to the bus and skip its
    /// two set-up round trips, so a `get` miss never builds it.
    private var connectedService: OpaquePointer?

    package init() {}

    deinit {
        if let connectedService { g_object_unref(UnsafeMutableRawPointer(connectedService)) }
        if let sessionBus { g_object_unref(UnsafeMutableRawPointer(sessionBus)) }
    }

    /// Stores `credentials` in the default collection, replacing any item for the same server.
    ///
    /// Wraps `secret_service_store_sync` on this store's service proxy; the provider replaces an
    /// item with the same attributes in place (and libsecret creates the default collection if
    /// there is none). The server's other items are removed afterwards, so there is one item per
    /// server and no moment without one: those under another username, and those that lack one
    /// of this item's attributes (an older helper's, without `docker_cli`). The search for them
    /// goes out before the proxy is set up, and their attributes are read while the item is
    /// stored, so neither costs a round trip of its own.
    package func store(_ credentials: Credentials) throws {
        if let field = credentials.fieldContainingNUL { throw SecretServiceError.containsNUL(field: field.rawValue) }
        let existing = try searchBatch([["server": credentials.serverURL]])
        existing.start()
        let service = try service()
        let paths = try existing.finish(searchResult)[0]?.unlocked ?? []
        let reading = try attributesBatch(paths)
        reading.start()
        let itemAttributes = [
            "server": credentials.serverURL,
            "username": credentials.username,
            "docker_cli": "1",
            "label": Self.labelAttribute,
        ]
        let value = secret_value_new(credentials.secret, -1, "text/plain")!  // copies; never NULL
        defer { secret_value_unref(UnsafeMutableRawPointer(value)) }
        var error: UnsafeMutablePointer<GError>?
        withAttributes(itemAttributes) { table in
            _ = secret_service_store_sync(
                service, cred_docker_schema(), table, "default", "Registry credentials for \(credentials.serverURL)",
                value, nil, &error)
        }
        if let failure = take(error) { throw failure }
        // The provider replaced an item holding all of these attributes (its search matches a
        // subset), perhaps in place at one of `paths`, whose attributes were read before that:
        // such an item is never removed. Every other item for the server is a stale duplicate.
        let others = zip(paths, try reading.finish(attributesResult)).filter { _, attributes in
            guard let attributes else { return false }  // erased meanwhile
            return !itemAttributes.allSatisfy { attributes[$0.key] == $0.value }
        }
        try delete(others.map(\.0))
    }

    /// The credentials stored for `server`, trying the spellings Docker treats as the same
    /// registry when the exact one has no item (``ServerSpellings``).
    ///
    /// A locked item is unlocked if the provider can prompt; otherwise ``SecretServiceError/locked``.
    package func get(server: String) throws -> Credentials? {
        guard let (found, paths) = try firstMatch(server) else { return nil }
        let path = try paths.unlocked.first ?? unlock(paths.locked).first
        guard let path else { throw SecretServiceError.locked }
        // The username is read while the session is opened and the secret fetched.
        let reading = try attributesBatch([path])
        reading.start()
        let secret = try secret(of: path)
        guard let attributes = try reading.finish(attributesResult)[0] else { return nil }  // erased meanwhile
        return Credentials(
            serverURL: attributes["server"] ?? found, username: attributes["username"] ?? "", secret: secret)
    }

    /// Removes the items for `server`; when there is none under that exact spelling, the one
    /// that ``get(server:)`` would have returned, so that a logout really logs out.
    ///
    /// A locked item that cannot be unlocked is ``SecretServiceError/locked``, never a silent success.
    package func erase(server: String) throws -> Bool {
        guard let (_, paths) = try firstMatch(server) else { return false }
        let unlocked = paths.locked.isEmpty ? [] : try unlock(paths.locked)
        guard unlocked.count == paths.locked.count else { throw SecretServiceError.locked }
        try delete(paths.unlocked + unlocked)
        return true
    }

    /// Every item of the schema: its `server` attribute and its `username`.
    ///
    /// Reads attributes only, locked items' too: loads no secret and asks for no unlock, so it
    /// never prompts. The attribute requests are all in flight together.
    package func list() throws -> [String: String] {
        Dictionary(try items().map { ($0.server, $0.username) }) { _, later in later }
    }

    /// Every item of the schema that names a server, duplicates included: Docker's helper adds
    /// an item for each username a server is stored under, where ``store(_:)`` keeps one.
    ///
    /// Reads attributes only, as ``list()`` does: no secret, no unlock, no prompt.
    package func items() throws -> [(server: String, username: String)] {
        let paths = try search([[:]])[0]
        return try attributes(of: paths.unlocked + paths.locked).compactMap { attributes in
            guard let attributes, let server = attributes["server"] else { return nil }  // nil: erased meanwhile
            return (server, attributes["username"] ?? "")
        }
    }

    /// Whether the collection the `default` alias names is locked; `false` when no collection
    /// has that alias yet (the first store creates one).
    ///
    /// Wraps `secret_collection_for_alias_sync` (no flags: no items loaded, no unlock asked
    /// for) and `secret_collection_get_locked`; the collection proxy is released here.
    package func isDefaultCollectionLocked() throws -> Bool {
        let service = try service()
        var error: UnsafeMutablePointer<GError>?
        let collection = secret_collection_for_alias_sync(service, "default", SECRET_COLLECTION_NONE, nil, &error)
        if let failure = take(error) { throw failure }
        guard let collection else { return false }
        defer { g_object_unref(collection) }
        return secret_collection_get_locked(collection) != 0
    }

    // MARK: - Secret Service calls

    /// The item paths for `server` under its exact spelling or else the first of its other
    /// spellings that has any; `nil` when none has.
    ///
    /// A hit on the exact spelling costs one round trip; only a miss asks the other spellings,
    /// all together, in a second one.
    private func firstMatch(_ server: String) throws -> (server: String, paths: SearchPaths)? {
        if server.containsNUL { throw SecretServiceError.containsNUL(field: CredentialField.serverURL.rawValue) }
        // The exact spelling alone first: it is the one clients ask for, and each search costs
        // the daemon a scan of every item (3 ms at 2,000 items), which delays the calls after it.
        let exact = try search([["server": server]])[0]
        if !exact.isEmpty { return (server, exact) }
        let spellings = ServerSpellings.alternatives(for: server)
        let found = zip(spellings, try search(spellings.map { ["server": $0] })).first { !$0.1.isEmpty }
        return found.map { ($0.0, $0.1) }
    }

    /// The connected service proxy, no session yet: `secret_service_open_sync`, this store's own
    /// (libsecret's shared one, from `secret_service_get_sync`, also watches the bus name: two
    /// more calls).
    private func service() throws -> UnsafeMutablePointer<SecretService> {
        if let connectedService { return UnsafeMutablePointer(connectedService) }
        var error: UnsafeMutablePointer<GError>?
        let service = secret_service_open_sync(secret_service_get_type(), nil, SECRET_SERVICE_NONE, nil, &error)
        if let failure = take(error) { throw failure }
        guard let service else { throw SecretServiceError.failed(message: "libsecret returned no service") }
        connectedService = OpaquePointer(service)
        return service
    }

    /// The schema's items with each set of attributes (all its items for an empty set): one
    /// SearchItems call each, sent together.
    private func search(_ attributeSets: [[String: String]]) throws -> [SearchPaths] {
        try searchBatch(attributeSets).run(searchResult).map { $0 ?? SearchPaths(unlocked: [], locked: []) }
    }

    /// The SearchItems calls of ``search(_:)``, not yet sent.
    private func searchBatch(_ attributeSets: [[String: String]]) throws -> BatchCall {
        let calls = attributeSets.map { attributes in
            MethodCall(
                path: "/org/freedesktop/secrets", interface: "org.freedesktop.Secret.Service", method: "SearchItems",
                arguments: searchArguments(attributes))
        }
        return try batch(calls)
    }

    /// The `Attributes` property of each item in `paths`, in order, read together; `nil` for an
    /// item deleted since its path was found.
    private func attributes(of paths: [String]) throws -> [[String: String]?] {
        try attributesBatch(paths).run(attributesResult)
    }

    /// The Properties.Get calls of ``attributes(of:)``, not yet sent.
    private func attributesBatch(_ paths: [String]) throws -> BatchCall {
        let calls = paths.map { path in
            MethodCall(
                path: path, interface: "org.freedesktop.DBus.Properties", method: "Get",
                arguments: cred_property_get_arguments("org.freedesktop.Secret.Item", "Attributes"))
        }
        return try batch(calls)
    }

    private func batch(_ calls: [MethodCall]) throws -> BatchCall {
        BatchCall(connection: try bus(), busName: "org.freedesktop.secrets", calls: calls)
    }

    /// Wraps `g_bus_get_sync`: the process's shared session bus connection, which libsecret's
    /// service proxy uses too.
    private func bus() throws -> OpaquePointer {
        if let sessionBus { return sessionBus }
        var error: UnsafeMutablePointer<GError>?
        let connection = g_bus_get_sync(G_BUS_TYPE_SESSION, nil, &error)
        if let failure = take(error) { throw failure }
        guard let connection else { throw SecretServiceError.noSessionBus(detail: "GLib returned no connection") }
        sessionBus = connection
        return connection
    }

    /// Wraps `secret_service_unlock_dbus_paths_sync`: the paths that are unlocked afterwards.
    /// The provider may show a prompt; where it cannot, the result is empty.
    private func unlock(_ paths: [String]) throws -> [String] {
        let service = try service()
        var error: UnsafeMutablePointer<GError>?
        var unlocked: UnsafeMutablePointer<UnsafeMutablePointer<gchar>?>?
        withCStringArray(paths) { array in
            _ = secret_service_unlock_dbus_paths_sync(service, array, nil, &unlocked, &error)
        }
        defer { g_strfreev(unlocked) }
        if let failure = take(error) {
            // A prompt that could not be shown ends as a failed or dismissed unlock.
            if case .failed = failure { throw SecretServiceError.locked }
            throw failure
        }
        return strings(unlocked)
    }

    /// Wraps `secret_service_get_secret_for_dbus_path_sync` (opens the encrypted session on first
    /// use). The secret value is freed here; libsecret wipes its memory.
    private func secret(of path: String) throws -> String {
        let service = try service()
        var error: UnsafeMutablePointer<GError>?
        let value = secret_service_get_secret_for_dbus_path_sync(service, path, nil, &error)
        if let failure = take(error) { throw failure }
        guard let value else { throw SecretServiceError.locked }  // NULL without an error: still locked
        defer { secret_value_unref(UnsafeMutableRawPointer(value)) }
        var length = 0
        guard let bytes = secret_value_get(value, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// Deletes the items at `paths` with `Item.Delete` calls sent together on the bus, which
    /// needs no service proxy (eight D-Bus calls to set up). A provider that answers with a
    /// prompt gets the call again through `secret_service_delete_item_dbus_path_sync`, which
    /// runs prompts.
    private func delete(_ paths: [String]) throws {
        guard !paths.isEmpty else { return }
        let calls = paths.map { path in
            MethodCall(path: path, interface: "org.freedesktop.Secret.Item", method: "Delete", arguments: emptyArguments())
        }
        let prompts = try batch(calls).run { reply in
            let prompt = g_variant_get_child_value(reply, 0)!
            defer { g_variant_unref(prompt) }
            return String(cString: g_variant_get_string(prompt, nil))
        }
        for (path, prompt) in zip(paths, prompts) where prompt != nil && prompt != "/" {
            let service = try service()
            var error: UnsafeMutablePointer<GError>?
            _ = secret_service_delete_item_dbus_path_sync(service, path, nil, &error)
            if let failure = take(error) { throw failure }
        }
    }
}

/// The paths a search found.
private struct SearchPaths {
    var unlocked: [String]
    var locked: [String]
    var isEmpty: Bool { unlocked.isEmpty && locked.isEmpty }
}

/// The schema name, which libsecret stores in each item's `xdg:schema` attribute.
private let dockerSchemaName = String(cString: cred_docker_schema().pointee.name)

// MARK: - Batched D-Bus calls

/// One D-Bus method call of a batch.
private struct MethodCall {
    var path: String
    var interface: String
    var method: String
    /// A floating GVariant tuple; the call sinks it.
    var arguments: OpaquePointer
}

/// Sends many asynchronous D-Bus calls on the service's connection, a window of them in flight
/// at once (a bus caps the replies one connection may await), and iterates a main context until
/// every reply is in.
private final class BatchCall {
    static let window = 64

    let connection: OpaquePointer
    let busName: String
    let calls: [MethodCall]
    /// The replies, one reference each owned here until ``run(_:)`` returns.
    var replies: [OpaquePointer?]
    var failure: SecretServiceError?
    var sent = 0
    var answered = 0
    /// Where the replies are dispatched; owned here.
    let context: OpaquePointer = g_main_context_new()!  // GLib aborts rather than return NULL

    init(connection: OpaquePointer, busName: String, calls: [MethodCall]) {
        self.connection = connection
        self.busName = busName
        self.calls = calls
        self.replies = Array(repeating: nil, count: calls.count)
    }

    deinit {
        for case let reply? in replies { g_variant_unref(reply) }
        g_main_context_unref(context)
    }

    /// Sends the first window of calls without waiting for their replies, so the caller can do
    /// other work while they are in flight; ``finish(_:)`` collects them.
    func start() {
        sendWindow()
    }

    /// Sends the calls and hands each reply, in order, to `parse`.
    func run<R>(_ parse: (OpaquePointer) -> R) throws -> [R?] {
        try finish(parse)
    }

    /// Sends whatever calls are left and hands each reply, in order, to `parse`; `nil` for a call
    /// whose object is gone (an item deleted since the search that named it: the keyring
    /// changes under us).
    ///
    /// The replies are dispatched to a main context of this batch's own (it is the thread's
    /// default while a call is sent), so batches on several threads, and libsecret's own sync
    /// calls in between, never run each other's callbacks.
    func finish<R>(_ parse: (OpaquePointer) -> R) throws -> [R?] {
        sendWindow()
        while answered < calls.count {
            if failure != nil, answered == sent { break }
            g_main_context_iteration(context, 1)
            sendWindow()
        }
        if let failure { throw failure }
        return replies.map { $0.map(parse) }
    }

    private func sendWindow() {
        while sent < calls.count, sent - answered < Self.window, failure == nil {
            send(sent)
            sent += 1
        }
    }

    private func send(_ index: Int) {
        let call = calls[index]
        let request = Unmanaged.passRetained(Request(owner: self, index: index)).toOpaque()
        // The reply goes to the context that is the thread's default when the call is made.
        g_main_context_push_thread_default(context)
        defer { g_main_context_pop_thread_default(context) }
        g_dbus_connection_call(
            connection, busName, call.path, call.interface, call.method, call.arguments, nil,
            G_DBUS_CALL_FLAGS_NONE, -1, nil,
            { source, result, userData in
                let request = Unmanaged<Request>.fromOpaque(userData!).takeRetainedValue()  // retained in send
                request.owner.finish(request.index, source, result)
            },
            request)
    }

    private func finish(_ index: Int, _ source: UnsafeMutablePointer<GObject>?, _ result: OpaquePointer?) {
        answered += 1
        var error: UnsafeMutablePointer<GError>?
        let reply = g_dbus_connection_call_finish(OpaquePointer(source), result, &error)
        if let error, isMissingObject(error) {
            g_error_free(error)
        } else if let failure = take(error), self.failure == nil {
            self.failure = failure
        }
        replies[index] = reply
    }

    /// One call's context, retained while the call is in flight.
    private final class Request {
        let owner: BatchCall
        let index: Int
        init(owner: BatchCall, index: Int) {
            self.owner = owner
            self.index = index
        }
    }
}

/// The `(a{ss})` argument of SearchItems for the schema's items with these attributes.
private func searchArguments(_ attributes: [String: String]) -> OpaquePointer {
    var entries = (attributes.sorted { $0.key < $1.key } + [("xdg:schema", dockerSchemaName)]).map { key, value in
        g_variant_new_dict_entry(g_variant_new_string(key), g_variant_new_string(value))
    }
    let array = entries.withUnsafeMutableBufferPointer { g_variant_new_array(nil, $0.baseAddress, gsize($0.count)) }
    var tuple: [OpaquePointer?] = [array]
    return tuple.withUnsafeMutableBufferPointer { g_variant_new_tuple($0.baseAddress, 1) }!
}

/// The empty argument tuple `()`, floating.
private func emptyArguments() -> OpaquePointer {
    g_variant_new_tuple(nil, 0)!
}

/// The two path lists of a SearchItems reply `(aoao)`: unlocked, then locked.
private func searchResult(_ reply: OpaquePointer) -> SearchPaths {
    func paths(_ position: Int) -> [String] {
        let list = g_variant_get_child_value(reply, gsize(position))!
        defer { g_variant_unref(list) }
        return (0..<g_variant_n_children(list)).map { child in
            let path = g_variant_get_child_value(list, child)!
            defer { g_variant_unref(path) }
            return String(cString: g_variant_get_string(path, nil))
        }
    }
    return SearchPaths(unlocked: paths(0), locked: paths(1))
}

/// The dictionary of a Properties.Get reply `(v)` holding the item's `a{ss}` attributes.
private func attributesResult(_ reply: OpaquePointer) -> [String: String] {
    let boxed = g_variant_get_child_value(reply, 0)!
    defer { g_variant_unref(boxed) }
    let dictionary = g_variant_get_variant(boxed)!
    defer { g_variant_unref(dictionary) }
    var attributes: [String: String] = [:]
    for position in 0..<g_variant_n_children(dictionary) {
        let entry = g_variant_get_child_value(dictionary, position)!
        let key = g_variant_get_child_value(entry, 0)!
        let value = g_variant_get_child_value(entry, 1)!
        attributes[String(cString: g_variant_get_string(key, nil))] = String(cString: g_variant_get_string(value, nil))
        g_variant_unref(value)
        g_variant_unref(key)
        g_variant_unref(entry)
    }
    return attributes
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

/// Runs `body` with a NULL-terminated C array of copies of `strings`, freed after.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<gchar>?>) throws -> R) rethrows -> R {
    let copies = strings.map { UnsafePointer(g_strdup($0)) } + [nil]
    defer { for copy in copies { g_free(UnsafeMutableRawPointer(mutating: copy)) } }
    var array = copies
    return try array.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }  // never empty: it ends with NULL
}

/// The strings of a NULL-terminated `gchar **`, copied; the array stays the caller's.
private func strings(_ array: UnsafeMutablePointer<UnsafeMutablePointer<gchar>?>?) -> [String] {
    guard let array else { return [] }
    var result: [String] = []
    var index = 0
    while let string = array[index] {
        result.append(String(cString: string))
        index += 1
    }
    return result
}

/// Whether a D-Bus error says the object called is gone: gnome-keyring answers a call on a
/// deleted item with UnknownMethod ("No such interface … on object at path …").
private func isMissingObject(_ error: UnsafeMutablePointer<GError>) -> Bool {
    guard error.pointee.domain == g_dbus_error_quark() else { return false }
    let code = error.pointee.code
    return code == Int32(G_DBUS_ERROR_UNKNOWN_METHOD.rawValue) || code == Int32(G_DBUS_ERROR_UNKNOWN_OBJECT.rawValue)
        || code == Int32(G_DBUS_ERROR_UNKNOWN_INTERFACE.rawValue)
}

/// Turns the GError a libsecret or GDBus call left into a ``SecretServiceError``, and frees it.
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
