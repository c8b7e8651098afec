import CredentialHelpers
import DockerConfig
import OrderedJSON

/// One registry's credentials found in an imported file.
package struct ImportedCredential: Sendable, Hashable {
    /// The credentials; `serverURL` is the registry key exactly as the file writes it (normalise
    /// it with `RegistryKey` before storing). An identity token has the username `<token>`.
    package var credentials: Credentials
    /// The obsolete `email` field, when the entry has one.
    package var email: String?
    /// Where the entry came from, for reports: `Secret default/regcred`, `config.json`….
    package var source: String

    package init(credentials: Credentials, email: String? = nil, source: String) {
        self.credentials = credentials
        self.email = email
        self.source = source
    }
}

/// What an import found: the credentials, and notes about what was passed over.
package struct SecretImport: Sendable, Hashable {
    /// Every credential, in the order of the input; a registry found twice appears twice.
    package var credentials: [ImportedCredential]
    /// One line per thing ignored (another kind, a Secret of another type, an entry without
    /// credentials), ready to print as a note.
    package var notes: [String]
}

/// The credentials in a file `import-secret` is given.
///
/// Same as ``importSecrets(from:)``, without the notes.
package func importedCredentials(from bytes: [UInt8]) throws(KubernetesError) -> [ImportedCredential] {
    try importSecrets(from: bytes).credentials
}

/// Reads credentials from a Secret manifest, a stream or `List` of objects, a config.json or a
/// `.dockercfg`.
///
/// - Input that starts with `{` or `[` is read as JSON (OrderedJSON, strict); anything else as a
///   YAML stream (``YAML/documents(parsing:limits:)``), as `kubectl get secret -o yaml` prints.
/// - Each document may be a `Secret`, a `List` (or any `…List` kind) whose `items` are read the
///   same way, a bare config.json (`{"auths":{…}}`), or a bare `.dockercfg` (the auths map
///   itself: every value an object). Empty documents are skipped.
/// - A Secret of type `kubernetes.io/dockerconfigjson` is read from `.dockerconfigjson`, one of
///   type `kubernetes.io/dockercfg` from `.dockercfg` (its JSON is the bare auths map), each from
///   `stringData` (plain text) when present, otherwise from `data` (base64), as the API server
///   merges them. Secrets of other types and objects of other kinds are ignored with a note.
/// - Each entry is decoded as docker/cli does (`AuthEntry`): `identitytoken`, else `auth`
///   (base64 of `user:password`), else `username` and `password`. An entry without credentials
///   (`{}`, as a credsStore leaves them) is skipped with a note.
/// - Throws: ``KubernetesError`` naming the document, Secret or registry, never a value:
///   `invalidYAML`/`invalidJSON` for unreadable input, `unsupportedDocument` for a document
///   that is a scalar or a sequence or unrecognised, `secretWithoutData` for a docker-registry
///   Secret without its key, `invalidSecretData` when that key is not base64, not JSON or not an
///   object, `invalidAuth` for an undecodable entry.
package func importSecrets(from bytes: [UInt8]) throws(KubernetesError) -> SecretImport {
    var input = bytes[...]
    if input.starts(with: [0xEF, 0xBB, 0xBF]) { input = input.dropFirst(3) }
    let first = input.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    let documents: [JSONValue]
    if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
        do throws(JSONError) {
            documents = [try JSONValue(parsing: input)]
        } catch {
            throw .invalidJSON(error)
        }
    } else {
        documents = try YAML.documents(parsing: Array(input))
    }
    var reader = ImportReader()
    for (index, document) in documents.enumerated() {
        try reader.read(document, at: "document \(index + 1)")
    }
    return SecretImport(credentials: reader.credentials, notes: reader.notes)
}

private struct ImportReader {
    var credentials: [ImportedCredential] = []
    var notes: [String] = []

    mutating func read(_ document: JSONValue, at location: String) throws(KubernetesError) {
        switch document {
        case .null:
            return
        case .object(let object):
            try read(object, at: location)
        case .array:
            throw .unsupportedDocument(
                document: location, reason: "is a sequence, not a Kubernetes object or a docker config")
        default:
            throw .unsupportedDocument(
                document: location, reason: "is a single value, not a Kubernetes object or a docker config")
        }
    }

    private mutating func read(_ object: JSONObject, at location: String) throws(KubernetesError) {
        guard let kindValue = object["kind"] else {
            if let auths = object["auths"] {
                guard case .object(let map) = auths else {
                    throw .unsupportedDocument(document: location, reason: "auths is not a mapping")
                }
                try readAuths(map, source: "the config.json in \(location)")
                return
            }
            if !object.isEmpty, object.values.allSatisfy({ $0.objectValue != nil }) {
                try readAuths(object, source: "the .dockercfg in \(location)")
                return
            }
            throw .unsupportedDocument(
                document: location, reason: "is neither a Kubernetes object (no kind) nor a docker config (no auths)")
        }
        let kind = kindValue.stringValue ?? ""
        let metadata = object["metadata"]?.objectValue
        let name = metadata?["name"]?.stringValue ?? "(unnamed)"
        let described = metadata?["namespace"]?.stringValue.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
        if kind.hasSuffix("List"), let items = object["items"] {
            guard case .array(let elements) = items else {
                throw .unsupportedDocument(document: location, reason: "the items of the \(kind) are not a sequence")
            }
            for (index, item) in elements.enumerated() {
                try read(item, at: "\(location), item \(index + 1)")
            }
            return
        }
        guard kind == "Secret" else {
            notes.append("ignored \(described) in \(location): only Secrets hold registry credentials")
            return
        }
        let type = object["type"]?.stringValue ?? "Opaque"
        let key: String
        switch type {
        case SecretType.dockerConfigJSON: key = SecretKey.dockerConfigJSON
        case SecretType.dockercfg: key = SecretKey.dockercfg
        default:
            notes.append("ignored \(described) in \(location): its type is \(type), not \(SecretType.dockerConfigJSON)")
            return
        }
        let text = try secretText(object, key: key, secret: described)
        let content: JSONValue
        do throws(JSONError) {
            content = try JSONValue(parsing: text)
        } catch {
            // Only the position: the reason could quote a character of the secret.
            throw .invalidSecretData(
                secret: described, key: key, reason: "is not valid JSON (line \(error.line), column \(error.column))")
        }
        guard case .object(let root) = content else {
            throw .invalidSecretData(secret: described, key: key, reason: "is not a JSON object")
        }
        if key == SecretKey.dockercfg {
            try readAuths(root, source: described)
        } else {
            guard case .object(let auths)? = root["auths"] else {
                throw .invalidSecretData(secret: described, key: key, reason: "has no auths object")
            }
            try readAuths(auths, source: described)
        }
    }

    /// The Secret's value for `key`: `stringData` as is, or `data` decoded from base64.
    private func secretText(_ secret: JSONObject, key: String, secret described: String) throws(KubernetesError)
        -> [UInt8]
    {
        if case .object(let stringData)? = secret["stringData"], let value = stringData[key] {
            guard case .string(let text) = value else {
                throw .invalidSecretData(secret: described, key: "stringData[\(key)]", reason: "is not a string")
            }
            return Array(text.utf8)
        }
        if case .object(let data)? = secret["data"], let value = data[key] {
            guard case .string(let encoded) = value else {
                throw .invalidSecretData(secret: described, key: "data[\(key)]", reason: "is not a string")
            }
            // Base64.decode skips line breaks, as Go's decoder (encoding/json for []byte) does.
            guard let decoded = Base64.decode(encoded) else {
                throw .invalidSecretData(secret: described, key: "data[\(key)]", reason: "is not base64")
            }
            return decoded
        }
        throw .secretWithoutData(secret: described, key: key)
    }

    private mutating func readAuths(_ auths: JSONObject, source: String) throws(KubernetesError) {
        if auths.isEmpty { notes.append("\(source) holds no registries") }
        for (registry, value) in auths {
            guard case .object(let fields) = value else {
                throw .invalidAuth(registry: registry, source: source, reason: "the entry is not an object")
            }
            let entry = AuthEntry(fields)
            let found: Credentials?
            do throws(ConfigError) {
                found = try entry.credentials(server: registry)
            } catch {
                if case .invalidAuth(_, let reason) = error {
                    throw .invalidAuth(registry: registry, source: source, reason: reason)
                }
                throw .invalidAuth(registry: registry, source: source, reason: "\(error)")
            }
            guard let found else {
                notes.append("\(registry) in \(source) holds no credentials (a credential store keeps them); skipped")
                continue
            }
            credentials.append(ImportedCredential(credentials: found, email: entry.email, source: source))
        }
    }
}
