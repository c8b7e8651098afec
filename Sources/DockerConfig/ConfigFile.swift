import OrderedJSON

/// A Docker `config.json` (or Podman `auth.json`): the whole JSON object, with typed views over
/// the parts credtool owns (`auths`, `credsStore`, `credHelpers`).
///
/// Every key the views do not touch is carried as it was, in its place, so a file read and
/// serialised again without changes comes back byte-identical when Docker wrote it, and setting
/// a value back to what it was leaves the bytes as they were. Top-level names are matched as
/// Go's decoder matches docker/cli's `ConfigFile` fields: case-insensitively, the last one
/// winning; a view writes under the key it read.
package struct ConfigFile: Hashable, Sendable {
    /// The top-level object.
    package var root: JSONObject
    /// Where the file was read from (or will be written), for error messages.
    package var path: String

    /// Wraps a top-level object, by default an empty one (a file that does not exist yet).
    package init(root: JSONObject = JSONObject(), path: String) {
        self.root = root
        self.path = path
    }

    /// Reads a config file's text; an empty text (or white space only) is an empty config.
    ///
    /// `null` for `auths`, `credHelpers` or `credsStore`, or for an `auths` entry, is accepted as
    /// Go accepts it (as absent).
    /// - Parameters:
    ///   - bytes: The file's content.
    ///   - path: The file's path, named in errors.
    /// - Throws: ``ConfigError/notJSON(path:_:)`` with the line and column,
    ///   ``ConfigError/notAnObject(path:)`` when the top level is not an object,
    ///   ``ConfigError/fieldNotAnObject(path:field:)`` when `auths`, `credHelpers` or an `auths`
    ///   entry is not an object, ``ConfigError/fieldNotAString(path:field:)`` when `credsStore`
    ///   or a `credHelpers` value is not a string.
    package init(parsing bytes: some Collection<UInt8>, path: String) throws(ConfigError) {
        // An empty file, or one of white space only, is an empty config, as docker reads it (Go's
        // decoder meets the end of input before any value, which the CLI does not count an error).
        if bytes.allSatisfy(JSONValue.isWhitespace) {
            self.init(path: path)
            return
        }
        let value: JSONValue
        do { value = try JSONValue(parsing: bytes) } catch { throw .notJSON(path: path, error) }
        guard let root = value.objectValue else { throw .notAnObject(path: path) }
        self.init(root: root, path: path)
        try validate()
    }

    /// Checks the types Go's decoder would insist on for the fields credtool reads.
    private func validate() throws(ConfigError) {
        for name in [Field.auths, Field.credHelpers] {
            guard let value = root.value(forKeyFoldingCase: name), !value.isNull else { continue }
            guard let object = value.objectValue else { throw .fieldNotAnObject(path: path, field: name) }
            for (key, member) in object where !member.isNull {
                if name == Field.auths, member.objectValue == nil {
                    throw .fieldNotAnObject(path: path, field: "\(name)[\"\(key)\"]")
                }
                if name == Field.credHelpers, member.stringValue == nil {
                    throw .fieldNotAString(path: path, field: "\(name)[\"\(key)\"]")
                }
            }
        }
        if let store = root.value(forKeyFoldingCase: Field.credsStore), !store.isNull, store.stringValue == nil {
            throw .fieldNotAString(path: path, field: Field.credsStore)
        }
    }

    /// The file's text as Docker writes it: Go's `json.MarshalIndent(…, "", "\t")`, without a
    /// trailing newline.
    package func serialized() -> [UInt8] {
        Array(JSONValue.object(root).serialized(.indented("\t")).utf8)
    }

    // MARK: - credsStore

    /// `credsStore`: the credential helper for every registry without a `credHelpers` entry.
    ///
    /// Setting `nil` removes the key.
    package var credsStore: String? {
        get { root.value(forKeyFoldingCase: Field.credsStore)?.stringValue }
        set { root.setValue(newValue.map(JSONValue.string), forKeyFoldingCase: Field.credsStore) }
    }

    // MARK: - credHelpers

    /// `credHelpers`: registry key → helper name, in file order.
    package var credHelperEntries: [(registry: String, helper: String)] {
        object(Field.credHelpers).compactMap { key, value in value.stringValue.map { (key, $0) } }
    }

    /// `credHelpers` as a dictionary: registry key → helper name.
    package var credHelpers: [String: String] {
        Dictionary(credHelperEntries.map { ($0.registry, $0.helper) }, uniquingKeysWith: { _, last in last })
    }

    /// The helper `credHelpers` names for `registry` (matched exactly, as Docker does).
    package func credHelper(for registry: String) -> String? {
        object(Field.credHelpers)[registry]?.stringValue
    }

    /// Sets or (with `nil`) removes the `credHelpers` entry for `registry`, in place.
    package mutating func setCredHelper(_ helper: String?, for registry: String) {
        updateObject(Field.credHelpers) { $0[registry] = helper.map(JSONValue.string) }
    }

    // MARK: - auths

    /// The keys of `auths`, in file order.
    package var authKeys: [String] { object(Field.auths).keys }

    /// The `auths` entry stored under exactly `key`, if any (`null` reads as an empty entry).
    package func authEntry(for key: String) -> AuthEntry? {
        guard let value = object(Field.auths)[key] else { return nil }
        return AuthEntry(value.objectValue ?? JSONObject())
    }

    /// Sets the `auths` entry under `key`: in place when the key exists, at the end otherwise.
    package mutating func setAuthEntry(_ entry: AuthEntry, for key: String) {
        updateObject(Field.auths) { $0[key] = .object(entry.fields) }
    }

    /// Removes the `auths` entry under exactly `key`.
    ///
    /// - Returns: whether there was one.
    @discardableResult
    package mutating func removeAuthEntry(for key: String) -> Bool {
        var removed = false
        updateObject(Field.auths) { removed = $0.removeValue(forKey: key) != nil }
        return removed
    }

    /// The `auths` keys that name `registry`: its own key first, then legacy spellings
    /// (`https://host/v1/`, `http://host`) in file order.
    package func authKeys(matching registry: RegistryKey) -> [String] {
        let keys = authKeys.filter { registry.matches(configKey: $0) }
        return keys.filter { $0 == registry.value } + keys.filter { $0 != registry.value }
    }

    // MARK: - Helpers

    /// The top-level field names credtool reads, as docker/cli's struct tags spell them.
    enum Field {
        static let auths = "auths"
        static let credHelpers = "credHelpers"
        static let credsStore = "credsStore"
    }

    /// The object under a top-level field; empty when it is absent or `null`.
    private func object(_ name: String) -> JSONObject {
        root.value(forKeyFoldingCase: name)?.objectValue ?? JSONObject()
    }

    /// Edits the object under a top-level field, creating it (at the end) when it is absent.
    private mutating func updateObject(_ name: String, _ body: (inout JSONObject) -> Void) {
        let key = root.key(foldingCase: name) ?? name
        var object = root[key]?.objectValue ?? JSONObject()
        let before = object
        body(&object)
        // An absent field stays absent when nothing was added to it.
        if root[key] == nil && object == before { return }
        root[key] = .object(object)
    }
}
