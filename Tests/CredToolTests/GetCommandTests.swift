import CredentialHelpers
import Testing

@Suite("credtool get")
struct GetCommandTests {
    @Test("a plain-text entry, asked by another spelling: the helper's JSON with the server as asked")
    func fromFile() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(plaintextConfig([("https://index.docker.io/v1/", "alice", "p:a<s>s&\"w")]))
        #expect(sandbox.run("get", "docker.io") == Outcome(status: 0, stdout: """
            {"ServerURL":"docker.io","Username":"alice","Secret":"p:a\\u003cs\\u003es\\u0026\\"w"}

            """, stderr: ""))
    }

    @Test("a legacy https://host/v1/ key is found by the host name")
    func legacyKey() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(plaintextConfig([("https://registry.example/v1/", "carol", "pw")]))
        let outcome = sandbox.run("get", "registry.example")
        #expect(outcome.stdout == "{\"ServerURL\":\"registry.example\",\"Username\":\"carol\",\"Secret\":\"pw\"}\n")
    }

    @Test("an identity token comes back as <token>, escaped as Go escapes it")
    func identityToken() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("{\"auths\": {\"acr.example\": {\"identitytoken\": \"refresh-token\"}}}")
        #expect(sandbox.run("get", "acr.example").stdout == """
            {"ServerURL":"acr.example","Username":"\\u003ctoken\\u003e","Secret":"refresh-token"}

            """)
    }

    @Test("from the credsStore: the same bytes docker-credential-swift get prints")
    func fromStoreMatchesHelper() throws {
        let hub = Credentials(serverURL: "https://index.docker.io/v1/", username: "alice", secret: "s3</cret>")
        let sandbox = try Sandbox(memory: [hub])
        try sandbox.writeConfig("{\"auths\": {\"https://index.docker.io/v1/\": {}}, \"credsStore\": \"swift\"}")
        let outcome = sandbox.run("get", "https://index.docker.io/v1/")
        let helper = HelperServer(name: "docker-credential-swift", version: "test") { InMemoryCredentialStore([hub]) }
            .run(arguments: ["get"]) { _ in Array("https://index.docker.io/v1/\n".utf8) }
        #expect(helper.status == 0)
        #expect(outcome == Outcome(status: 0, stdout: helper.output, stderr: ""))
    }

    @Test("from a credHelpers helper on PATH; the plain-text entry is not used")
    func fromHelper() throws {
        let sandbox = try Sandbox()
        try sandbox.installFakeHelper()
        try sandbox.writeConfig(plaintextConfig([("ghcr.io", "stale", "pw")], extra: ",\n\t\"credHelpers\": {\"ghcr.io\": \"fake\"}"))
        #expect(sandbox.run("get", "https://ghcr.io/v2/") == Outcome(status: 0, stdout: """
            {"ServerURL":"https://ghcr.io/v2/","Username":"octocat","Secret":"fake-secret"}

            """, stderr: ""))
    }

    @Test("no credentials: a message on stderr, nothing on stdout, status 1")
    func notFound() throws {
        let sandbox = try Sandbox()
        #expect(sandbox.run("get", "nope.example") == Outcome(status: 1, stdout: "", stderr: "credtool: no credentials for nope.example\n"))
        try sandbox.writeConfig("{\"auths\": {\"nope.example\": {}}, \"credHelpers\": {\"ghcr.io\": \"fake\"}}")
        try sandbox.installFakeHelper()
        #expect(sandbox.run("get", "nope.example").stderr == "credtool: no credentials for nope.example\n")
        try sandbox.writeConfig("{\"credHelpers\": {\"other.example\": \"fake\"}}")
        #expect(sandbox.run("get", "other.example") == Outcome(status: 1, stdout: "", stderr: "credtool: no credentials for other.example\n"))
    }

    @Test("a helper named in the config but missing, and one that hangs: one line, status 1")
    func brokenHelpers() throws {
        let sandbox = try Sandbox()
        try sandbox.installHangingHelper()
        try sandbox.writeConfig("{\"credHelpers\": {\"gone.example\": \"missing\", \"slow.example\": \"hang\"}}")
        #expect(sandbox.run("get", "gone.example") == Outcome(status: 1, stdout: "", stderr: """
            credtool: docker-credential-missing is not on PATH; install it or change credsStore/credHelpers in the Docker config

            """))
        #expect(sandbox.run("get", "slow.example") == Outcome(status: 1, stdout: "", stderr: """
            credtool: docker-credential-hang did not answer within 0.3 s; check that it is not waiting for input, \
            or give it longer with CREDTOOL_HELPER_TIMEOUT (seconds; 0 for no limit)

            """))
    }

    @Test("invalid base64 names the registry, never the value")
    func invalidBase64() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("{\"auths\": {\"bad.example\": {\"auth\": \"S3CRET!!\"}}}")
        #expect(sandbox.run("get", "bad.example") == Outcome(status: 1, stdout: "", stderr: """
            credtool: the credentials for bad.example in the config are invalid (auth is not base64); log in to bad.example again

            """))
    }
}
