import CredentialHelpers
import Foundation
import Testing

@Suite("credtool list")
struct ListCommandTests {
    /// A config using all three sources: the credsStore `swift` (Docker Hub), a helper for
    /// ghcr.io, and a plain-text entry that the credsStore shadows.
    static func mixedSandbox() throws -> Sandbox {
        let sandbox = try Sandbox(memory: [
            Credentials(serverURL: "https://index.docker.io/v1/", username: "alice", secret: "hub-secret"),
            Credentials(serverURL: "ghcr.io", username: "shadowed-by-helper", secret: "s"),
        ])
        try sandbox.installFakeHelper()
        try sandbox.writeConfig("""
            {
            \t"auths": {
            \t\t"ghcr.io": {},
            \t\t"old.example": {
            \t\t\t"auth": "\(base64("bob:plain-secret"))"
            \t\t}
            \t},
            \t"credsStore": "swift",
            \t"credHelpers": {
            \t\t"ghcr.io": "fake"
            \t}
            }
            """)
        return sandbox
    }

    @Test("a table of every source, aligned, with the plain-text warning and no secret")
    func table() throws {
        let sandbox = try Self.mixedSandbox()
        let outcome = sandbox.run("list")
        #expect(outcome == Outcome(status: 0, stdout: """
            SERVER                       USERNAME  SOURCE       WARNING
            ghcr.io                      octocat   helper:fake
            https://index.docker.io/v1/  alice     store:swift
            old.example                  bob       file         plain text, unused: store:swift applies

            """, stderr: ""))
    }

    @Test("--json: an array of objects with the documented keys")
    func json() throws {
        let sandbox = try Self.mixedSandbox()
        let outcome = sandbox.run("list", "--json")
        #expect(outcome == Outcome(status: 0, stdout: """
            [
              {
                "server": "ghcr.io",
                "username": "octocat",
                "source": "helper:fake",
                "plaintext": false,
                "shadowed": false
              },
              {
                "server": "https://index.docker.io/v1/",
                "username": "alice",
                "source": "store:swift",
                "plaintext": false,
                "shadowed": false
              },
              {
                "server": "old.example",
                "username": "bob",
                "source": "file",
                "plaintext": true,
                "shadowed": true
              }
            ]

            """, stderr: ""))
    }

    @Test("plain-text entries in use are warned about; legacy keys are shown as written")
    func plaintext() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(plaintextConfig([
            ("https://registry.example/v1/", "carol", "pw"), ("reg.example:5000", "dave", "pw2"),
        ]))
        #expect(sandbox.run("list") == Outcome(status: 0, stdout: """
            SERVER                        USERNAME  SOURCE  WARNING
            https://registry.example/v1/  carol     file    stored in plain text
            reg.example:5000              dave      file    stored in plain text

            """, stderr: ""))
    }

    @Test("no config file, an empty one, or one without credentials: an empty list, status 0")
    func empty() throws {
        let sandbox = try Sandbox()
        #expect(sandbox.run("list") == Outcome(status: 0, stdout: "No registry credentials found.\n", stderr: ""))
        #expect(sandbox.run("list", "--json") == Outcome(status: 0, stdout: "[]\n", stderr: ""))
        #expect(sandbox.bytes(sandbox.configPath) == nil)
        try sandbox.writeConfig("{\"auths\": {\"docker.io\": {}}, \"psFormat\": \"x\"}")
        #expect(sandbox.run("list", "--json") == Outcome(status: 0, stdout: "[]\n", stderr: ""))
        // An empty file is an empty config, as docker reads it.
        for text in ["", " \n\t\n"] {
            try sandbox.writeConfig(text)
            #expect(sandbox.run("list", "--json") == Outcome(status: 0, stdout: "[]\n", stderr: ""))
        }
    }

    @Test("--authfile reads a Podman auth.json; --config a directory")
    func locations() throws {
        let sandbox = try Sandbox()
        try sandbox.write(plaintextConfig([("quay.io", "podman-user", "pw")]), to: sandbox.path("auth.json"))
        try FileManager.default.createDirectory(atPath: sandbox.path("other"), withIntermediateDirectories: true)
        try sandbox.write(plaintextConfig([("other.example", "eve", "pw")]), to: sandbox.path("other/config.json"))
        let podman = sandbox.run("--authfile", sandbox.path("auth.json"), "list", "--json")
        #expect(podman.status == 0)
        #expect(podman.stdout.contains("\"server\": \"quay.io\""))
        let other = sandbox.run("list", "--config", sandbox.path("other"))
        #expect(other.stdout.contains("other.example  eve"))
    }

    @Test("a missing helper is reported on stderr, the rest is listed, status 1")
    func missingHelper() throws {
        let sandbox = try Sandbox()
        let config = plaintextConfig([("plain.example", "frank", "pw")], extra: ",\n\t\"credHelpers\": {\n\t\t\"gone.example\": \"missing\"\n\t}")
        try sandbox.writeConfig(config)
        #expect(sandbox.run("list") == Outcome(status: 1, stdout: """
            SERVER         USERNAME  SOURCE  WARNING
            plain.example  frank     file    stored in plain text

            """, stderr: """
            credtool: cannot list helper:missing: docker-credential-missing is not on PATH; \
            install it or change credsStore/credHelpers in the Docker config

            """))
        #expect(sandbox.bytes(sandbox.configPath) == Array(config.utf8))
    }

    @Test("a hanging store is killed after its timeout and reported, status 1")
    func hangingStore() throws {
        let sandbox = try Sandbox()
        try sandbox.installHangingHelper()
        let config = plaintextConfig([("plain.example", "frank", "pw")], extra: ",\n\t\"credsStore\": \"hang\"")
        try sandbox.writeConfig(config)
        #expect(sandbox.run("list", "--json") == Outcome(status: 1, stdout: """
            [
              {
                "server": "plain.example",
                "username": "frank",
                "source": "file",
                "plaintext": true,
                "shadowed": true
              }
            ]

            """, stderr: """
            credtool: cannot list store:hang: docker-credential-hang did not answer within 0.3 s; \
            check that it is not waiting for input, or give it longer with CREDTOOL_HELPER_TIMEOUT (seconds; 0 for no limit)

            """))
        #expect(sandbox.bytes(sandbox.configPath) == Array(config.utf8))
    }

    @Test("an entry with invalid base64 is reported by registry; the others are listed")
    func invalidBase64() throws {
        let sandbox = try Sandbox()
        let config = """
            {"auths": {"bad.example": {"auth": "not base64!"}, "good.example": {"auth": "\(base64("gina:pw"))"}}}
            """
        try sandbox.writeConfig(config)
        #expect(sandbox.run("list") == Outcome(status: 1, stdout: """
            SERVER        USERNAME  SOURCE  WARNING
            good.example  gina      file    stored in plain text

            """, stderr: """
            credtool: the credentials for bad.example in the config are invalid (auth is not base64); \
            log in to bad.example again

            """))
        #expect(sandbox.bytes(sandbox.configPath) == Array(config.utf8))
    }
}
