import CredentialHelpers
import Foundation
import OrderedJSON
import Testing

@testable import Kubernetes

/// The `.dockerconfigjson` kubectl makes for one registry, decoded from its `-o json` output.
func kubectlDockerConfigJSON(server: String, username: String, password: String, email: String? = nil) throws
    -> JSONValue
{
    var arguments = [
        "create", "secret", "docker-registry", "regcred", "--docker-server=\(server)", "--docker-username=\(username)",
        "--docker-password=\(password)", "--dry-run=client", "-o", "json",
    ]
    if let email { arguments.append("--docker-email=\(email)") }
    let result = try run(kubectlPath, arguments)
    try #require(result.status == 0, "kubectl failed: \(result.stderr)")
    let secret = try JSONValue(parsing: result.stdout)
    let encoded = try #require(secret.objectValue?["data"]?.objectValue?[".dockerconfigjson"]?.stringValue)
    let decoded = try #require(Data(base64Encoded: encoded))
    return try JSONValue(parsing: Array(decoded))
}

@Suite("Exporting a docker-registry Secret")
struct SecretExportTests {
    struct KubectlCase: Sendable, CustomTestStringConvertible {
        var server: String
        var username: String
        var password: String
        var email: String?
        var testDescription: String { "\(server) \(username)" + (email.map { " \($0)" } ?? "") }
    }

    static let kubectlCases: [KubectlCase] = [
        .init(server: "ghcr.io", username: "octo", password: "p:ss word"),
        .init(server: "https://index.docker.io/v1/", username: "hub-user", password: "s3cr3t<&>\"\\"),
        .init(server: "registry.example.com:5000", username: "ünï", password: "日本語🔑", email: "me@example.com"),
        .init(server: "localhost:5000", username: "u", password: "true"),
    ]

    @Test(
        "the JSON equals kubectl create secret docker-registry's", .enabled(if: kubectlAvailable),
        arguments: kubectlCases)
    func matchesKubectl(_ c: KubectlCase) throws {
        let credentials = Credentials(serverURL: c.server, username: c.username, secret: c.password)
        let ours = try dockerConfigJSON(for: [credentials], emails: c.email.map { [c.server: $0] } ?? [:])
        let theirs = try kubectlDockerConfigJSON(
            server: c.server, username: c.username, password: c.password, email: c.email)
        let parsed = try JSONValue(parsing: ours)
        #expect(parsed.isEquivalent(to: theirs))
        #expect(parsed == theirs, "same key order too")
    }

    @Test("shape and key order: username, password, email, auth; empty fields omitted")
    func shape() throws {
        let json = try dockerConfigJSON(
            for: [
                Credentials(serverURL: "ghcr.io", username: "u", secret: "p"),
                Credentials(serverURL: "quay.io", username: "v", secret: ""),
            ], emails: ["ghcr.io": "e@x"])
        #expect(
            json
                == #"{"auths":{"ghcr.io":{"username":"u","password":"p","email":"e@x","auth":"dTpw"},"quay.io":{"username":"v","auth":"djo="}}}"#
        )
    }

    @Test("identity tokens are refused by name, and nothing at all is an error")
    func refusals() {
        let token = Credentials(serverURL: "acr.example.io", username: Credentials.identityTokenUsername, secret: "t")
        let plain = Credentials(serverURL: "ghcr.io", username: "u", secret: "p")
        #expect(throws: KubernetesError.identityTokenOnly(registries: ["acr.example.io"])) {
            try dockerConfigJSON(for: [plain, token])
        }
        #expect(throws: KubernetesError.nothingToExport) { try dockerConfigJSON(for: []) }
        #expect([plain, token].filter(\.isUsableByKubelet) == [plain])
        #expect(!"\(KubernetesError.identityTokenOnly(registries: ["acr.example.io"]))".contains("t\""))
    }

    @Test("the Secret and ServiceAccount as YAML")
    func yaml() throws {
        let manifest = try SecretManifest(
            dockerConfigJSON: #"{"auths":{}}"#, namespace: "team-a", serviceAccount: "default")
        let expected = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: regcred
              namespace: team-a
              labels:
                app.kubernetes.io/managed-by: credtool
            type: kubernetes.io/dockerconfigjson
            data:
              .dockerconfigjson: eyJhdXRocyI6e319
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: default
              namespace: team-a
            imagePullSecrets:
            - name: regcred

            """
        #expect(try manifest.yaml() == expected)
    }

    @Test("JSON: the Secret alone, or a v1 List of both, indented 4 spaces like kubectl -o json")
    func json() throws {
        let single = try SecretManifest(dockerConfigJSON: "{}", name: "pull")
        #expect(
            single.json() == """
                {
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "metadata": {
                        "name": "pull",
                        "labels": {
                            "app.kubernetes.io/managed-by": "credtool"
                        }
                    },
                    "type": "kubernetes.io/dockerconfigjson",
                    "data": {
                        ".dockerconfigjson": "e30="
                    }
                }

                """)
        let both = try SecretManifest(dockerConfigJSON: "{}", serviceAccount: "builder")
        let list = try JSONValue(parsing: both.json())
        #expect(list.objectValue?["kind"] == "List")
        #expect(list.objectValue?["items"]?.arrayValue == both.objects)
    }

    @Test("names Kubernetes would refuse are refused")
    func names() {
        for bad in ["", "Regcred", "reg_cred", "-x", "x-", "a..b", String(repeating: "a", count: 254)] {
            #expect(throws: KubernetesError.self, "\(bad)") { try SecretManifest(dockerConfigJSON: "{}", name: bad) }
        }
        #expect(throws: KubernetesError.self) { try SecretManifest(dockerConfigJSON: "{}", namespace: "a.b") }
        #expect(throws: KubernetesError.self) { try SecretManifest(dockerConfigJSON: "{}", serviceAccount: "Default") }
        #expect(throws: Never.self) {
            try SecretManifest(dockerConfigJSON: "{}", name: "a.b-c.9", namespace: "kube-system")
        }
    }

    @Test("kubectl's own YAML reader (kustomize, offline) reads the same objects", .enabled(if: kubectlAvailable))
    func kubectlReads() throws {
        // `kubectl apply --dry-run=client` needs a cluster for discovery; `kubectl kustomize`
        // reads the manifest with Go's YAML library and writes it back without one.
        let json = try dockerConfigJSON(for: [Credentials(serverURL: "ghcr.io", username: "yes", secret: "0x1F")])
        let manifest = try SecretManifest(
            dockerConfigJSON: json, name: "on", namespace: "null", serviceAccount: "default")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "credtool-kustomize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("resources:\n- manifest.yaml\n".utf8).write(to: directory.appendingPathComponent("kustomization.yaml"))
        try Data(try manifest.yaml().utf8).write(to: directory.appendingPathComponent("manifest.yaml"))
        let result = try run(kubectlPath, ["kustomize", directory.path])
        try #require(result.status == 0, "kubectl kustomize: \(result.stderr)")
        let documents = try YAML.documents(parsing: result.stdout)
        // kustomize sorts the objects (ServiceAccount first) and their keys.
        let byKind = Dictionary(
            uniqueKeysWithValues: documents.map { ($0.objectValue?["kind"]?.stringValue ?? "", $0) })
        #expect(byKind["Secret"]?.isEquivalent(to: manifest.objects[0]) == true)
        #expect(byKind["ServiceAccount"]?.isEquivalent(to: manifest.objects[1]) == true)
    }

    @Test("the YAML reads back with PyYAML as the same objects", .enabled(if: pyYAMLAvailable))
    func pyYAML() throws {
        let json = try dockerConfigJSON(for: [Credentials(serverURL: "ghcr.io", username: "no", secret: "null")])
        let manifest = try SecretManifest(dockerConfigJSON: json, serviceAccount: "sa")
        #expect(try pyYAMLDocuments(manifest.yaml()) == .array(manifest.objects))
    }

    @Test("export then import gives the same credentials")
    func roundTrip() throws {
        let credentials = [
            Credentials(serverURL: "ghcr.io", username: "u", secret: "p:with:colons"),
            Credentials(serverURL: "https://index.docker.io/v1/", username: "hub", secret: "ünï 🔑"),
        ]
        let manifest = try SecretManifest(
            dockerConfigJSON: try dockerConfigJSON(for: credentials), serviceAccount: "default")
        let outputs = [
            (try manifest.yaml(), "document 2"),
            (manifest.json(), "document 1, item 2"),
        ]
        for (text, location) in outputs {
            let imported = try importSecrets(from: Array(text.utf8))
            #expect(imported.credentials.map(\.credentials) == credentials)
            #expect(
                imported.notes == [
                    "ignored ServiceAccount default in \(location): only Secrets hold registry credentials"
                ])
        }
    }
}
