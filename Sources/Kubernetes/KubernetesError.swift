import OrderedJSON

/// Why a manifest could not be written or read, or a kubelet request not answered.
///
/// Each `description` is the one line a user sees. No case carries a secret: errors about
/// credentials name the registry, the Secret or the document, and the kind of damage, never the
/// encoded or decoded value.
package enum KubernetesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input is not YAML (or breaks a limit or a rule of the reader), at a 1-based position.
    case invalidYAML(line: Int, column: Int, reason: String)
    /// The input looked like JSON (it starts with `{` or `[`) and is not valid JSON.
    case invalidJSON(JSONError)
    /// libyaml's emitter failed (it only does when memory runs out).
    case emitterFailed(reason: String)
    /// No credentials were given to export.
    case nothingToExport
    /// These registries only have an identity token, which the kubelet cannot use.
    case identityTokenOnly(registries: [String])
    /// A Secret, namespace or ServiceAccount name Kubernetes would refuse.
    case invalidName(field: String, name: String, reason: String)
    /// A document of the input is not something credentials can be imported from.
    case unsupportedDocument(document: String, reason: String)
    /// A docker-registry Secret holds neither `data` nor `stringData` under its key.
    case secretWithoutData(secret: String, key: String)
    /// A docker-registry Secret's value cannot be decoded.
    case invalidSecretData(secret: String, key: String, reason: String)
    /// One registry's entry in a docker config cannot be decoded.
    case invalidAuth(registry: String, source: String, reason: String)
    /// A kubelet CredentialProviderRequest that cannot be answered.
    case invalidCredentialProviderRequest(reason: String)
    /// A duration in Go's syntax (`5m`, `1h30m`) that cannot be read.
    case invalidDuration(text: String, reason: String)

    package var description: String {
        switch self {
        case .invalidYAML(let line, let column, let reason):
            "not valid YAML: line \(line), column \(column): \(reason)"
        case .invalidJSON(let error):
            "not valid JSON: \(error)"
        case .emitterFailed(let reason):
            "could not write YAML: \(reason)"
        case .nothingToExport:
            "no credentials to export; log in to a registry first or name one that has credentials"
        case .identityTokenOnly(let registries):
            "the kubelet cannot use identity tokens, and \(registries.joined(separator: ", ")) "
                + (registries.count == 1 ? "has" : "have") + " only one; log in with a username and password"
        case .invalidName(let field, let name, let reason):
            "\"\(name)\" is not a valid \(field): \(reason)"
        case .unsupportedDocument(let document, let reason):
            "\(document): \(reason)"
        case .secretWithoutData(let secret, let key):
            "\(secret) holds no \(key) in data or stringData; it has no credentials to import"
        case .invalidSecretData(let secret, let key, let reason):
            "\(key) in \(secret) \(reason)"
        case .invalidAuth(let registry, let source, let reason):
            "the credentials for \(registry) in \(source) are invalid (\(reason))"
        case .invalidCredentialProviderRequest(let reason):
            "not a kubelet CredentialProviderRequest: \(reason)"
        case .invalidDuration(let text, let reason):
            "\"\(text)\" is not a duration (\(reason)); write one like 5m, 1h30m or 90s"
        }
    }
}
