import CommandLineKit
import CredentialHelpers
import Foundation
import Testing

@testable import CredTool

@Suite("credtool import-secret")
struct ImportSecretCommandTests {
    /// A Secret as `kubectl get secret -o yaml` prints it, for ghcr.io and Docker Hub.
    static let secretYAML = """
        apiVersion: v1
        data:
          .dockerconfigjson: \(base64(#"{"auths":{"ghcr.io":{"username":"octo","password":"gh-pw","auth":"\#(base64("octo:gh-pw"))"},"https://index.docker.io/v1/":{"auth":"\#(base64("hub:hub pw"))","email":"hub@example.com"}}}"#))
        kind: Secret
        metadata:
          name: regcred
          namespace: apps
        type: kubernetes.io/dockerconfigjson

        """

    static let passwords = ["gh-pw", "hub pw"]

    /// Every item of the sandbox's in-memory store, by server.
    static func stored(_ sandbox: Sandbox) -> [String: Credentials] { sandbox.memory.items }

    @Test("export then import into a fresh store: the same credentials")
    func roundTrip() throws {
        let source = try Sandbox(memory: [
            Credentials(serverURL: "ghcr.io", username: "octo", secret: "gh-pw"),
            Credentials(serverURL: "registry.example.com:5000", username: "ünï", secret: "p:ss <&> \"word\"\n"),
        ])
        try source.writeConfig(
            #"{"auths": {"quay.io": {"auth": "\#(base64("robot:q pw"))"}}, "credHelpers": {"quay.io": "swift"}, "credsStore": "swift"}"#
        )
        let secret = source.path("secret.yaml")
        #expect(source.run("export-secret", "--output-file", secret).status == 0)

        let target = try Sandbox()
        try target.write(source.text(secret) ?? "", to: target.path("secret.yaml"))
        let outcome = target.run("import-secret", target.path("secret.yaml"))
        #expect(
            outcome
                == Outcome(
                    status: 0,
                    stdout: """
                        Imported ghcr.io (octo) into store:swift
                        Imported registry.example.com:5000 (ünï) into store:swift

                        """, stderr: "credtool: note: set credsStore to \"swift\" in \(target.configPath)\n"))
        #expect(Self.stored(target) == Self.stored(source))
        #expect(
            target.text(target.configPath)
                == "{\n\t\"auths\": {\n\t\t\"ghcr.io\": {},\n\t\t\"registry.example.com:5000\": {}\n\t},\n\t\"credsStore\": \"swift\"\n}"
        )
        #expect(target.mode(target.configPath) == 0o600)
    }

    @Test("from stdin, a Secret as kubectl prints it; Docker Hub keyed as docker login keys it, with its email")
    func fromStandardInput() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(#"{"credsStore": "swift", "psFormat": "table"}"#)
        var io = CommandIO.capture(stdin: Array(Self.secretYAML.utf8), environment: sandbox.environment)
        let status = runCredTool(["import-secret", "-"], io: &io, makeStore: sandbox.makeStore)
        #expect(status == 0)
        #expect(
            io.stdout.capturedText
                == "Imported ghcr.io (octo) into store:swift\nImported https://index.docker.io/v1/ (hub) into store:swift\n"
        )
        #expect(io.stderr.capturedText == "")
        #expect(
            Self.stored(sandbox) == [
                "ghcr.io": Credentials(serverURL: "ghcr.io", username: "octo", secret: "gh-pw"),
                "https://index.docker.io/v1/": Credentials(
                    serverURL: "https://index.docker.io/v1/", username: "hub", secret: "hub pw"),
            ])
        #expect(
            sandbox.text(sandbox.configPath) == """
                {
                \t"credsStore": "swift",
                \t"psFormat": "table",
                \t"auths": {
                \t\t"ghcr.io": {},
                \t\t"https://index.docker.io/v1/": {
                \t\t\t"email": "hub@example.com"
                \t\t}
                \t}
                }
                """)
    }

    @Test("credHelpers first; a failing store is reported, the others still imported, status 1")
    func helpersAndFailures() throws {
        let sandbox = try Sandbox()
        let original =
            #"{"auths": {"ghcr.io": {"auth": "\#(base64("old:old-pw"))", "email": "e@x"}}, "credHelpers": {"ghcr.io": "swift"}, "credsStore": "missing"}"#
        try sandbox.writeConfig(original)
        try sandbox.write(Self.secretYAML, to: sandbox.path("secret.yaml"))
        let outcome = sandbox.run("import-secret", sandbox.path("secret.yaml"))
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "Imported ghcr.io (octo) into helper:swift\n")
        #expect(
            outcome.stderr.hasPrefix("credtool: cannot import https://index.docker.io/v1/ into store:missing: "),
            "\(outcome)")
        #expect(Self.stored(sandbox).keys.sorted() == ["ghcr.io"])
        // The plain-text credentials go; the email stays.
        #expect(
            sandbox.text(sandbox.configPath) == """
                {
                \t"auths": {
                \t\t"ghcr.io": {
                \t\t\t"email": "e@x"
                \t\t}
                \t},
                \t"credHelpers": {
                \t\t"ghcr.io": "swift"
                \t},
                \t"credsStore": "missing"
                }
                """)
        for password in Self.passwords + ["old-pw"] {
            #expect(!outcome.stdout.contains(password) && !outcome.stderr.contains(password))
        }
    }

    @Test("plain-text logins of other registries: credHelpers entries instead of a credsStore that would hide them")
    func keepsOtherPlaintextLogins() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(#"{"auths": {"quay.io": {"auth": "\#(base64("q:q-pw"))"}}}"#)
        try sandbox.write(Self.secretYAML, to: sandbox.path("secret.yaml"))
        let outcome = sandbox.run("import-secret", sandbox.path("secret.yaml"))
        #expect(
            outcome
                == Outcome(
                    status: 0,
                    stdout: """
                        Imported ghcr.io (octo) into helper:swift
                        Imported https://index.docker.io/v1/ (hub) into helper:swift

                        """,
                    stderr: """
                        credtool: note: set credHelpers for ghcr.io, https://index.docker.io/v1/ to "swift" in \(sandbox.configPath)
                        credtool: note: credsStore is not set, since it would hide the plain-text credentials of quay.io (credtool migrate moves them into a store)

                        """))
        #expect(sandbox.run("get", "quay.io").stdout.contains("q-pw"))
        #expect(sandbox.run("get", "docker.io").stdout.contains("hub pw"))
    }

    @Test("--dry-run: says what would happen; the store and the file are untouched")
    func dryRun() throws {
        let sandbox = try Sandbox()
        let original = #"{"auths": {"ghcr.io": {"auth": "\#(base64("old:old-pw"))"}}}"#
        try sandbox.writeConfig(original)
        let inode = sandbox.inode(sandbox.configPath)
        try sandbox.write(Self.secretYAML, to: sandbox.path("secret.yaml"))
        #expect(
            sandbox.run("import-secret", "--dry-run", sandbox.path("secret.yaml"))
                == Outcome(
                    status: 0,
                    stdout: """
                        Would import ghcr.io (octo) into store:swift
                        Would import https://index.docker.io/v1/ (hub) into store:swift

                        """, stderr: "credtool: note: would set credsStore to \"swift\" in \(sandbox.configPath)\n"))
        #expect(Self.stored(sandbox).isEmpty)
        #expect(sandbox.text(sandbox.configPath) == original)
        #expect(sandbox.inode(sandbox.configPath) == inode)
        #expect(!FileManager.default.fileExists(atPath: sandbox.configPath + ".lock"))
    }

    @Test("notes on stderr for what is passed over; identity tokens are stored as such; duplicates: the last wins")
    func notes() throws {
        let sandbox = try Sandbox()
        let stream = """
            kind: ConfigMap
            metadata: {name: settings}
            ---
            kind: Secret
            type: Opaque
            metadata: {name: other}
            ---
            {"auths": {"ghcr.io": {"auth": "\(base64("first:one"))"}, "token.example": {"identitytoken": "refresh"}, "quay.io": {}}}
            ---
            {"auths": {"https://ghcr.io": {"auth": "\(base64("second:two"))"}}}

            """
        try sandbox.write(stream, to: sandbox.path("in.yaml"))
        let outcome = sandbox.run("import-secret", sandbox.path("in.yaml"))
        #expect(outcome.status == 0, "\(outcome)")
        #expect(
            outcome.stdout == """
                Imported ghcr.io (second) into store:swift
                Imported token.example (<token>) into store:swift

                """)
        #expect(
            outcome.stderr == """
                credtool: note: ignored ConfigMap settings in document 1: only Secrets hold registry credentials
                credtool: note: ignored Secret other in document 2: its type is Opaque, not kubernetes.io/dockerconfigjson
                credtool: note: quay.io in the config.json in document 3 holds no credentials (a credential store keeps them); skipped
                credtool: note: ghcr.io is given more than once; the one in the config.json in document 4 is imported
                credtool: note: set credsStore to "swift" in \(sandbox.configPath)

                """)
        #expect(Self.stored(sandbox)["ghcr.io"]?.secret == "two")
        #expect(
            Self.stored(sandbox)["token.example"]
                == Credentials(serverURL: "token.example", username: "<token>", secret: "refresh"))
    }

    @Test("errors: a missing file, a file without credentials, input that does not parse")
    func errors() throws {
        let sandbox = try Sandbox()
        let missing = sandbox.path("missing.yaml")
        #expect(
            sandbox.run("import-secret", missing)
                == Outcome(status: 1, stdout: "", stderr: "credtool: \(missing) does not exist; check the path\n"))
        let empty = sandbox.path("empty.json")
        try sandbox.write(#"{"auths": {"quay.io": {}}}"#, to: empty)
        #expect(
            sandbox.run("import-secret", empty)
                == Outcome(
                    status: 1, stdout: "",
                    stderr: """
                        credtool: note: quay.io in the config.json in document 1 holds no credentials (a credential store keeps them); skipped
                        credtool: \(empty) holds no registry credentials

                        """))
        let bad = sandbox.path("bad.yaml")
        try sandbox.write(
            "kind: Secret\ntype: kubernetes.io/dockerconfigjson\nmetadata: {name: s}\ndata: {.dockerconfigjson: 'c2VjcmV0!!'}\n",
            to: bad)
        #expect(
            sandbox.run("import-secret", bad)
                == Outcome(
                    status: 1, stdout: "", stderr: "credtool: data[.dockerconfigjson] in Secret s is not base64\n"))
        #expect(sandbox.run("import-secret", sandbox.root).stderr.hasPrefix("credtool: cannot read \(sandbox.root): "))
        #expect(!FileManager.default.fileExists(atPath: sandbox.configPath))
    }
}
