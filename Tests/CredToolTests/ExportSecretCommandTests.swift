import CredentialHelpers
import Foundation
import OrderedJSON
import Testing

// MARK: - Outside tools: kubectl and PyYAML, each skipped with a message where absent

let kubectlPath = "/usr/bin/kubectl"

/// Whether kubectl is installed; when it is not, says so on stderr so the skip is never silent.
let kubectlAvailable: Bool = {
    let available = FileManager.default.isExecutableFile(atPath: kubectlPath)
    if !available {
        FileHandle.standardError.write(
            Data("CredToolTests: \(kubectlPath) is absent; the kubectl comparison is skipped\n".utf8))
    }
    return available
}()

/// Whether python3 with PyYAML is installed; says so on stderr when it is not.
let pyYAMLAvailable: Bool = {
    let available = (try? runTool("/usr/bin/python3", ["-c", "import yaml"]).status) == 0
    if !available {
        FileHandle.standardError.write(
            Data("CredToolTests: python3 with PyYAML is absent; the YAML check is skipped\n".utf8))
    }
    return available
}()

/// Runs a program to completion with `input` on stdin.
func runTool(_ executable: String, _ arguments: [String], input: String = "") throws -> (status: Int32, stdout: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    let writer = Thread {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !writer.isFinished { usleep(1000) }
    return (process.terminationStatus, output)
}

/// The `.dockerconfigjson` a Secret manifest in JSON carries, decoded.
func dockerConfigJSON(ofSecret secret: JSONValue) throws -> JSONValue {
    let encoded = try #require(secret.objectValue?["data"]?.objectValue?[".dockerconfigjson"]?.stringValue)
    let decoded = try #require(Data(base64Encoded: encoded))
    return try JSONValue(parsing: Array(decoded))
}

// MARK: -

@Suite("credtool export-secret")
struct ExportSecretCommandTests {
    /// Plain-text logins for ghcr.io and quay.io (with an email), and an empty entry.
    static func plaintextSandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            """
            {"auths": {
              "ghcr.io": {"auth": "\(base64("octo:gh-pw"))"},
              "quay.io": {"auth": "\(base64("robot:q pw"))", "email": "robot@example.com"},
              "empty.example": {}
            }}
            """)
        return sandbox
    }

    @Test("every registry with credentials: a YAML Secret on stdout, labelled, named regcred")
    func everyRegistryYAML() throws {
        let sandbox = try Self.plaintextSandbox()
        let config =
            #"{"auths":{"ghcr.io":{"username":"octo","password":"gh-pw","auth":"\#(base64("octo:gh-pw"))"},"#
            + #""quay.io":{"username":"robot","password":"q pw","email":"robot@example.com","auth":"\#(base64("robot:q pw"))"}}}"#
        #expect(
            sandbox.run("export-secret")
                == Outcome(
                    status: 0,
                    stdout: """
                        apiVersion: v1
                        kind: Secret
                        metadata:
                          name: regcred
                          labels:
                            app.kubernetes.io/managed-by: credtool
                        type: kubernetes.io/dockerconfigjson
                        data:
                          .dockerconfigjson: \(base64(config))

                        """, stderr: ""))
    }

    @Test("--registry, --name, --namespace, --service-account, --output json: a v1 List of both")
    func namedJSONWithServiceAccount() throws {
        let sandbox = try Self.plaintextSandbox()
        let outcome = sandbox.run(
            "export-secret", "--registry", "https://ghcr.io/", "--name", "pull", "--namespace", "apps",
            "--service-account", "default", "--output", "json")
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stderr == "")
        let list = try JSONValue(parsing: Array(outcome.stdout.utf8))
        let items = try #require(list.objectValue?["items"]?.arrayValue)
        #expect(list.objectValue?["kind"] == "List")
        #expect(items.count == 2)
        let secretMetadata: JSONValue = [
            "name": "pull", "namespace": "apps", "labels": ["app.kubernetes.io/managed-by": "credtool"],
        ]
        #expect(items[0].objectValue?["metadata"] == secretMetadata)
        #expect(
            try dockerConfigJSON(ofSecret: items[0])
                == [
                    "auths": [
                        "ghcr.io": ["username": "octo", "password": "gh-pw", "auth": .string(base64("octo:gh-pw"))]
                    ]
                ])
        #expect(
            items[1]
                == [
                    "apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default", "namespace": "apps"],
                    "imagePullSecrets": [["name": "pull"]],
                ])
    }

    @Test("the .dockerconfigjson equals kubectl create secret docker-registry's", .enabled(if: kubectlAvailable))
    func matchesKubectl() throws {
        let sandbox = try Sandbox(memory: [
            Credentials(serverURL: "registry.example.com:5000", username: "ünï", secret: "p:ss <&> \"word\"")
        ])
        try sandbox.writeConfig(#"{"credsStore": "swift"}"#)
        let outcome = sandbox.run("export-secret", "--output", "json")
        #expect(outcome.status == 0, "\(outcome)")
        let ours = try dockerConfigJSON(ofSecret: JSONValue(parsing: Array(outcome.stdout.utf8)))
        let kubectl = try runTool(
            kubectlPath,
            [
                "create", "secret", "docker-registry", "regcred", "--docker-server=registry.example.com:5000",
                "--docker-username=ünï", "--docker-password=p:ss <&> \"word\"", "--dry-run=client", "-o", "json",
            ])
        try #require(kubectl.status == 0)
        let theirs = try dockerConfigJSON(ofSecret: JSONValue(parsing: Array(kubectl.stdout)))
        #expect(ours == theirs)
    }

    @Test(
        "the YAML, with a ServiceAccount, loads in PyYAML as the same objects as the JSON",
        .enabled(if: pyYAMLAvailable))
    func yamlParses() throws {
        let sandbox = try Self.plaintextSandbox()
        let arguments = ["export-secret", "--namespace", "apps", "--service-account", "builder"]
        let yaml = sandbox.run(arguments)
        let json = sandbox.run(arguments + ["--output", "json"])
        #expect(yaml.status == 0 && json.status == 0)
        let script = "import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))"
        let loaded = try runTool("/usr/bin/python3", ["-c", script], input: yaml.stdout)
        try #require(loaded.status == 0)
        let documents = try JSONValue(parsing: Array(loaded.stdout).filter { $0 != UInt8(ascii: "\n") })
        let items = try #require(JSONValue(parsing: Array(json.stdout.utf8)).objectValue?["items"])
        #expect(documents.isEquivalent(to: items))
    }

    @Test("a store's login shadows a plain-text one; the email of its empty auths entry is kept")
    func storeShadowsPlaintext() throws {
        let sandbox = try Sandbox(memory: [Credentials(serverURL: "ghcr.io", username: "new", secret: "store-pw")])
        try sandbox.writeConfig(
            #"{"auths": {"ghcr.io": {"auth": "\#(base64("old:file-pw"))", "email": "me@example.com"}}, "credsStore": "swift"}"#
        )
        let outcome = sandbox.run("export-secret", "--output", "json")
        #expect(outcome.status == 0, "\(outcome)")
        #expect(
            try dockerConfigJSON(ofSecret: JSONValue(parsing: Array(outcome.stdout.utf8)))
                == [
                    "auths": [
                        "ghcr.io": [
                            "username": "new", "password": "store-pw", "email": "me@example.com",
                            "auth": .string(base64("new:store-pw")),
                        ]
                    ]
                ])
    }

    @Test("an identity token is skipped with a warning, or refused when named")
    func identityTokens() throws {
        let sandbox = try Sandbox(memory: [
            Credentials(serverURL: "token.example", username: "<token>", secret: "refresh"),
            Credentials(serverURL: "ghcr.io", username: "octo", secret: "pw"),
        ])
        try sandbox.writeConfig(#"{"credsStore": "swift"}"#)
        let all = sandbox.run("export-secret", "--output", "json")
        #expect(all.status == 0)
        #expect(
            all.stderr
                == "credtool: warning: skipped token.example: it has only an identity token, which the kubelet cannot use\n"
        )
        #expect(
            try dockerConfigJSON(ofSecret: JSONValue(parsing: Array(all.stdout.utf8))).objectValue?["auths"]?
                .objectValue?
                .keys == ["ghcr.io"])
        #expect(
            sandbox.run("export-secret", "--registry", "ghcr.io", "--registry", "token.example")
                == Outcome(
                    status: 1, stdout: "",
                    stderr:
                        "credtool: the kubelet cannot use identity tokens, and token.example has only one; log in with a username and password\n"
                ))
        #expect(!all.stdout.contains("refresh") && !all.stderr.contains("refresh"))
    }

    @Test("named registries without credentials are each named; nothing is written")
    func missingRegistry() throws {
        let sandbox = try Self.plaintextSandbox()
        #expect(
            sandbox.run(
                "export-secret", "--registry", "ghcr.io", "--registry", "nope.example", "--registry", "empty.example")
                == Outcome(
                    status: 1, stdout: "",
                    stderr: "credtool: no credentials for nope.example\ncredtool: no credentials for empty.example\n"))
    }

    @Test("nothing to export: an error, status 1")
    func nothingToExport() throws {
        let sandbox = try Sandbox()
        #expect(
            sandbox.run("export-secret")
                == Outcome(
                    status: 1, stdout: "",
                    stderr:
                        "credtool: no credentials to export; log in to a registry first or name one that has credentials\n"
                ))
    }

    @Test("a store that cannot be listed stops the export of every registry")
    func storeFailure() throws {
        let sandbox = try Sandbox(memory: [Credentials(serverURL: "ghcr.io", username: "octo", secret: "pw")])
        try sandbox.writeConfig(#"{"credsStore": "swift", "credHelpers": {"quay.io": "missing"}}"#)
        let outcome = sandbox.run("export-secret")
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr.hasPrefix("credtool: cannot list helper:missing: "), "\(outcome)")
        #expect(outcome.stderr.hasSuffix("credtool: nothing exported; name the registries to export with --registry\n"))
        // Named, the working store is enough.
        #expect(sandbox.run("export-secret", "--registry", "ghcr.io").status == 0)
    }

    @Test("--output-file: mode 0600, the same bytes as stdout, no temporary file left")
    func outputFile() throws {
        let sandbox = try Self.plaintextSandbox()
        let path = sandbox.path("out/secret.yaml")
        try FileManager.default.createDirectory(atPath: sandbox.path("out"), withIntermediateDirectories: false)
        try sandbox.write("old content", to: path, mode: 0o644)
        let outcome = sandbox.run("export-secret", "--output-file", path)
        #expect(
            outcome == Outcome(status: 0, stdout: "Wrote Secret regcred (ghcr.io, quay.io) to \(path)\n", stderr: ""))
        #expect(sandbox.text(path) == sandbox.run("export-secret").stdout)
        #expect(sandbox.mode(path) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.path("out")) == ["secret.yaml"])

        let missingDirectory = sandbox.path("nowhere/secret.yaml")
        let failed = sandbox.run("export-secret", "--output-file", missingDirectory)
        #expect(
            failed
                == Outcome(
                    status: 1, stdout: "",
                    stderr: "credtool: cannot write \(missingDirectory): No such file or directory\n"))
    }

    @Test("bad values are usage errors, found before any store is asked")
    func usageErrors() throws {
        let sandbox = try Self.plaintextSandbox()
        let cases: [([String], String)] = [
            (["--output", "xml"], "--output must be yaml or json, not 'xml'"),
            (
                ["--name", "Reg_Cred"],
                #""Reg_Cred" is not a valid Secret name: it holds a character other than a-z, 0-9 and '-'; use lower-case letters, digits, '-' and '.'"#
            ),
            (
                ["--namespace", "a.b"],
                #""a.b" is not a valid namespace: it holds a character other than a-z, 0-9 and '-'; use lower-case letters, digits and '-'"#
            ),
            (["--registry", ""], "--registry needs a registry"),
        ]
        for (arguments, message) in cases {
            let outcome = sandbox.run(["export-secret"] + arguments)
            #expect(outcome.status == 64, "\(arguments)")
            #expect(outcome.stderr.hasPrefix("Error: \(message)\n"), "\(outcome)")
        }
    }
}
