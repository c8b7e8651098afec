import CredentialHelpers
import DockerConfig
import OrderedJSON

// MARK: - .dockerconfigjson

extension Credentials {
    /// Whether the kubelet can pull with these credentials: it sends `username` and `password`
    /// as Basic auth and has no use for an identity token (username `<token>`).
    package var isUsableByKubelet: Bool { !isIdentityToken }
}

/// The `.dockerconfigjson` of a docker-registry Secret: compact JSON
/// `{"auths":{SERVER:{"username":…,"password":…,"email":…,"auth":…}}}`.
///
/// Matches `kubectl create secret docker-registry` (k8s.io/kubectl `DockerConfigEntry`: fields
/// `username`, `password`, `email`, `auth` in that order, each `omitempty`; `auth` is base64 of
/// `username:password`). Each server is keyed as its `serverURL` is written; a later credential
/// for the same server replaces an earlier one.
/// - Parameters:
///   - credentials: One per registry.
///   - emails: An email by server, for the obsolete `email` field, when known.
/// - Returns: The JSON text.
/// - Throws: ``KubernetesError/nothingToExport`` when `credentials` is empty;
///   ``KubernetesError/identityTokenOnly(registries:)`` naming every credential that holds an
///   identity token (filter with ``CredentialHelpers/Credentials/isUsableByKubelet`` first to skip
///   them with a warning instead).
package func dockerConfigJSON(for credentials: [Credentials], emails: [String: String] = [:]) throws(KubernetesError)
    -> String
{
    guard !credentials.isEmpty else { throw .nothingToExport }
    let tokens = credentials.filter { !$0.isUsableByKubelet }.map(\.serverURL)
    guard tokens.isEmpty else { throw .identityTokenOnly(registries: tokens) }
    var auths = JSONObject()
    for credential in credentials {
        var entry = JSONObject()
        if !credential.username.isEmpty { entry["username"] = .string(credential.username) }
        if !credential.secret.isEmpty { entry["password"] = .string(credential.secret) }
        if let email = emails[credential.serverURL], !email.isEmpty { entry["email"] = .string(email) }
        entry["auth"] = .string(Base64.encode((credential.username + ":" + credential.secret).utf8))
        auths[credential.serverURL] = .object(entry)
    }
    return JSONValue.object(["auths": .object(auths)]).serialized(.compact)
}

// MARK: - Manifests

/// A `kubernetes.io/dockerconfigjson` Secret, and optionally a ServiceAccount that pulls with it,
/// ready for `kubectl apply -f -`.
///
/// The Secret is `v1`, labelled `app.kubernetes.io/managed-by: credtool`, with
/// `data[".dockerconfigjson"]` the base64 of ``dockerConfigJSON``. The ServiceAccount (same
/// namespace) lists the Secret in `imagePullSecrets`; `kubectl apply` merges that list by name,
/// so an existing account keeps its other pull secrets. It carries no label: credtool does not
/// manage the account (often `default`), only the one entry.
package struct SecretManifest: Sendable, Hashable {
    /// The compact JSON the Secret carries.
    package var dockerConfigJSON: String
    /// `metadata.name` of the Secret.
    package var name: String
    /// `metadata.namespace` of both objects; `nil` leaves it to kubectl's context.
    package var namespace: String?
    /// The ServiceAccount to write, if any.
    package var serviceAccount: String?

    /// The Secret name kubectl's documentation uses, `regcred`.
    package static let defaultName = "regcred"

    /// Describes the manifest, checking each name as the API server would.
    ///
    /// - Parameters:
    ///   - dockerConfigJSON: The Secret's content, from ``dockerConfigJSON(for:emails:)``.
    ///   - name: The Secret's name: a DNS subdomain (lower-case letters, digits, `-`, `.`; 253 at most).
    ///   - namespace: A DNS label (lower-case letters, digits, `-`; 63 at most), or `nil`.
    ///   - serviceAccount: A DNS subdomain, or `nil` for no ServiceAccount document.
    /// - Throws: ``KubernetesError/invalidName(field:name:reason:)`` naming the first bad name.
    package init(
        dockerConfigJSON: String, name: String = SecretManifest.defaultName, namespace: String? = nil,
        serviceAccount: String? = nil
    ) throws(KubernetesError) {
        try checkSubdomain(name, field: "Secret name")
        if let namespace { try checkLabel(namespace, field: "namespace") }
        if let serviceAccount { try checkSubdomain(serviceAccount, field: "ServiceAccount name") }
        self.dockerConfigJSON = dockerConfigJSON
        self.name = name
        self.namespace = namespace
        self.serviceAccount = serviceAccount
    }

    /// The Secret, then the ServiceAccount when there is one, as JSON values in the key order
    /// hand-written manifests use (`apiVersion`, `kind`, `metadata`, then the rest).
    package var objects: [JSONValue] {
        var metadata: JSONObject = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        metadata["labels"] = ["app.kubernetes.io/managed-by": "credtool"]
        let secret: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "metadata": .object(metadata),
            "type": .string(SecretType.dockerConfigJSON),
            "data": [SecretKey.dockerConfigJSON: .string(Base64.encode(dockerConfigJSON.utf8))],
        ]
        guard let serviceAccount else { return [secret] }
        var accountMetadata: JSONObject = ["name": .string(serviceAccount)]
        if let namespace { accountMetadata["namespace"] = .string(namespace) }
        let account: JSONValue = [
            "apiVersion": "v1", "kind": "ServiceAccount", "metadata": .object(accountMetadata),
            "imagePullSecrets": [["name": .string(name)]],
        ]
        return [secret, account]
    }

    /// The objects as a YAML stream (`---` between them), ending with a line break.
    /// - Throws: ``KubernetesError/emitterFailed(reason:)`` only when libyaml runs out of memory.
    package func yaml() throws(KubernetesError) -> String {
        try YAML.serialized(objects)
    }

    /// The Secret alone, or a `v1` `List` holding both objects, as kubectl's `-o json` writes
    /// (4-space indentation), ending with a line break.
    package func json() -> String {
        let objects = objects
        let value: JSONValue =
            objects.count == 1
            ? objects[0] : ["apiVersion": "v1", "kind": "List", "items": .array(objects)]
        return value.serialized(.indented("    ")) + "\n"
    }
}

/// The Secret types credentials are read from and written to.
enum SecretType {
    static let dockerConfigJSON = "kubernetes.io/dockerconfigjson"
    static let dockercfg = "kubernetes.io/dockercfg"
}

/// The data keys those Secret types require.
enum SecretKey {
    static let dockerConfigJSON = ".dockerconfigjson"
    static let dockercfg = ".dockercfg"
}

/// Checks a DNS-1123 subdomain (k8s.io/apimachinery `IsDNS1123Subdomain`).
private func checkSubdomain(_ name: String, field: String) throws(KubernetesError) {
    guard name.utf8.count <= 253 else {
        throw .invalidName(field: field, name: name, reason: "it is longer than 253 characters")
    }
    for label in name.split(separator: ".", omittingEmptySubsequences: false) {
        if let reason = labelProblem(label) {
            throw .invalidName(
                field: field, name: name, reason: reason + "; use lower-case letters, digits, '-' and '.'")
        }
    }
}

/// Checks a DNS-1123 label (k8s.io/apimachinery `IsDNS1123Label`).
private func checkLabel(_ name: String, field: String) throws(KubernetesError) {
    guard name.utf8.count <= 63 else {
        throw .invalidName(field: field, name: name, reason: "it is longer than 63 characters")
    }
    if let reason = labelProblem(Substring(name)) {
        throw .invalidName(field: field, name: name, reason: reason + "; use lower-case letters, digits and '-'")
    }
}

/// What is wrong with one DNS label, or `nil`.
private func labelProblem(_ label: Substring) -> String? {
    let bytes = Array(label.utf8)
    guard let first = bytes.first, let last = bytes.last else { return "it is empty or has an empty part" }
    func alphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
    guard bytes.allSatisfy({ alphanumeric($0) || $0 == UInt8(ascii: "-") }) else {
        return "it holds a character other than a-z, 0-9 and '-'"
    }
    guard alphanumeric(first), alphanumeric(last) else { return "it must start and end with a letter or digit" }
    return nil
}
