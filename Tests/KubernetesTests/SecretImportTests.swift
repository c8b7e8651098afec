import CredentialHelpers
import Foundation
import OrderedJSON
import Testing

@testable import Kubernetes

private func imported(_ text: String) throws -> SecretImport {
    try importSecrets(from: Array(text.utf8))
}

private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

@Suite("Importing credentials")
struct SecretImportTests {
    @Test("kubectl's own Secret, as -o yaml and -o json", .enabled(if: kubectlAvailable), arguments: ["yaml", "json"])
    func kubectlOutput(_ format: String) throws {
        let result = try run(
            kubectlPath,
            [
                "create", "secret", "docker-registry", "pull", "--namespace=ci",
                "--docker-server=registry.example.com:5000",
                "--docker-username=robot$ci", "--docker-password=p:ss #word", "--docker-email=ci@example.com",
                "--dry-run=client", "-o", format,
            ])
        try #require(result.status == 0, "kubectl: \(result.stderr)")
        let found = try importSecrets(from: result.stdout)
        #expect(
            found.credentials == [
                ImportedCredential(
                    credentials: Credentials(
                        serverURL: "registry.example.com:5000", username: "robot$ci", secret: "p:ss #word"),
                    email: "ci@example.com", source: "Secret ci/pull")
            ])
        #expect(found.notes == [])
    }

    @Test("a multi-document stream: other kinds and other Secret types are noted, empty documents skipped")
    func stream() throws {
        let config = #"{"auths":{"ghcr.io":{"auth":"\#(base64("a:b"))"},"quay.io":{"username":"q","password":"r"}}}"#
        let text = """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: apps}
            ---
            apiVersion: v1
            kind: Secret
            type: Opaque
            metadata: {name: tls}
            data: {key: eA==}
            ---
            ---
            apiVersion: v1
            kind: Secret
            type: kubernetes.io/dockerconfigjson
            metadata: {name: regcred, namespace: apps}
            data:
              .dockerconfigjson: \(base64(config))
            """
        let found = try imported(text)
        #expect(
            found.credentials.map(\.credentials) == [
                Credentials(serverURL: "ghcr.io", username: "a", secret: "b"),
                Credentials(serverURL: "quay.io", username: "q", secret: "r"),
            ])
        #expect(found.credentials.map(\.source) == ["Secret apps/regcred", "Secret apps/regcred"])
        #expect(
            found.notes == [
                "ignored ConfigMap apps/settings in document 1: only Secrets hold registry credentials",
                "ignored Secret tls in document 2: its type is Opaque, not kubernetes.io/dockerconfigjson",
            ])
    }

    @Test("a List, as kubectl get secrets -o yaml prints several")
    func list() throws {
        let text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Secret
              type: kubernetes.io/dockerconfigjson
              metadata: {name: one}
              stringData:
                .dockerconfigjson: '{"auths":{"one.example":{"auth":"\(base64("u1:p1"))"}}}'
            - apiVersion: v1
              kind: Secret
              type: kubernetes.io/dockercfg
              metadata: {name: two}
              data:
                .dockercfg: \(base64(#"{"two.example":{"auth":"\#(base64("u2:p2"))","email":"x@y"}}"#))
            """
        let found = try imported(text)
        #expect(
            found.credentials == [
                ImportedCredential(
                    credentials: Credentials(serverURL: "one.example", username: "u1", secret: "p1"),
                    source: "Secret one"),
                ImportedCredential(
                    credentials: Credentials(serverURL: "two.example", username: "u2", secret: "p2"), email: "x@y",
                    source: "Secret two"),
            ])
    }

    @Test("stringData wins over data, as the API server merges them")
    func stringDataWins() throws {
        let text = """
            {"kind": "Secret", "type": "kubernetes.io/dockerconfigjson", "metadata": {"name": "s"},
             "data": {".dockerconfigjson": "\(base64(#"{"auths":{"old":{"auth":"\#(base64("o:o"))"}}}"#))"},
             "stringData": {".dockerconfigjson": "{\\"auths\\":{\\"new\\":{\\"username\\":\\"n\\",\\"password\\":\\"n\\"}}}"}}
            """
        #expect(
            try imported(text).credentials.map(\.credentials) == [
                Credentials(serverURL: "new", username: "n", secret: "n")
            ])
    }

    @Test("a bare config.json: entries a credsStore left empty are noted; identity tokens kept")
    func configJSON() throws {
        let text = """
            {
            \t"auths": {
            \t\t"https://index.docker.io/v1/": {},
            \t\t"ghcr.io": {"auth": "\(base64("u:p"))"},
            \t\t"acr.example.io": {"identitytoken": "tok"}
            \t},
            \t"credsStore": "desktop"
            }
            """
        let found = try imported(text)
        #expect(
            found.credentials.map(\.credentials) == [
                Credentials(serverURL: "ghcr.io", username: "u", secret: "p"),
                Credentials(serverURL: "acr.example.io", username: "<token>", secret: "tok"),
            ])
        #expect(
            found.notes == [
                "https://index.docker.io/v1/ in the config.json in document 1 holds no credentials (a credential store keeps them); skipped"
            ])
    }

    @Test("a bare .dockercfg, in YAML or JSON")
    func dockercfg() throws {
        let json = #"{"https://index.docker.io/v1/":{"auth":"\#(base64("hub:pw"))","email":"h@x"}}"#
        let expected = [Credentials(serverURL: "https://index.docker.io/v1/", username: "hub", secret: "pw")]
        #expect(try imported(json).credentials.map(\.credentials) == expected)
        #expect(
            try imported("https://index.docker.io/v1/:\n  auth: \(base64("hub:pw"))\n").credentials.map(\.credentials)
                == expected)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var message: String
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        .init(
            name: "not YAML", text: "kind: Secret\n  data: [\n",
            message: "not valid YAML: line 2, column 7: mapping values are not allowed in this context"),
        .init(name: "broken JSON", text: "{\"kind\": \"Secret\",}", message: "not valid JSON: line 1, column 19"),
        .init(
            name: "a scalar document", text: "just text\n",
            message: "document 1: is a single value, not a Kubernetes object or a docker config"),
        .init(
            name: "a sequence document", text: "- a\n",
            message: "document 1: is a sequence, not a Kubernetes object or a docker config"),
        .init(
            name: "an unknown mapping", text: "a: 1\n",
            message: "document 1: is neither a Kubernetes object (no kind) nor a docker config (no auths)"),
        .init(
            name: "a Secret without data",
            text: "kind: Secret\ntype: kubernetes.io/dockerconfigjson\nmetadata: {name: s, namespace: ns}\n",
            message: "Secret ns/s holds no .dockerconfigjson in data or stringData; it has no credentials to import"),
        .init(
            name: "invalid base64",
            text:
                "kind: Secret\ntype: kubernetes.io/dockerconfigjson\nmetadata: {name: s}\ndata: {.dockerconfigjson: 'c2VjcmV0!!'}\n",
            message: "data[.dockerconfigjson] in Secret s is not base64"),
        .init(
            name: "data that is not JSON",
            text:
                "kind: Secret\ntype: kubernetes.io/dockerconfigjson\nmetadata: {name: s}\nstringData: {.dockerconfigjson: 'hunter2'}\n",
            message: ".dockerconfigjson in Secret s is not valid JSON (line 1, column 1)"),
        .init(
            name: "data without auths",
            text:
                "kind: Secret\ntype: kubernetes.io/dockerconfigjson\nmetadata: {name: s}\nstringData: {.dockerconfigjson: '{}'}\n",
            message: ".dockerconfigjson in Secret s has no auths object"),
        .init(
            name: "an auth that is not base64",
            text: #"{"auths":{"ghcr.io":{"auth":"hunter2!"}}}"#,
            message: "the credentials for ghcr.io in the config.json in document 1 are invalid (auth is not base64)"),
        .init(
            name: "an auth without a colon", text: #"{"auths":{"ghcr.io":{"auth":"\#(base64("hunter2"))"}}}"#,
            message:
                "the credentials for ghcr.io in the config.json in document 1 are invalid (auth holds no ':' between username and password)"
        ),
        .init(
            name: "an entry that is not an object", text: #"{"auths":{"ghcr.io":"hunter2"}}"#,
            message:
                "the credentials for ghcr.io in the config.json in document 1 are invalid (the entry is not an object)"),
    ]

    @Test("bad inputs fail with a message that names the place and never the secret", arguments: badInputs)
    func badInput(_ c: BadInput) {
        do {
            let found = try imported(c.text)
            Issue.record("expected an error, got \(found)")
        } catch {
            #expect("\(error)".hasPrefix(c.message))
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test("a List whose items are not a sequence, and an auths that is not a mapping")
    func malformedContainers() {
        #expect(throws: KubernetesError.self) { try imported("kind: List\nitems: 3\n") }
        #expect(throws: KubernetesError.self) { try imported("auths: []\n") }
    }
}
