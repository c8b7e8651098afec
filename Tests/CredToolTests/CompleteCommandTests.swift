import Testing

@Suite("credtool __complete")
struct CompleteCommandTests {
    @Test("registries: auths and credHelpers keys in file order, once each, no store asked")
    func registries() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("""
            {"auths": {"ghcr.io": {}, "https://index.docker.io/v1/": {"auth": "x"}},
             "credsStore": "missing", "credHelpers": {"gcr.io": "missing", "ghcr.io": "missing"}}
            """)
        #expect(sandbox.run("__complete", "registries") == Outcome(status: 0, stdout: """
            ghcr.io
            https://index.docker.io/v1/
            gcr.io

            """, stderr: ""))
    }

    @Test("hidden from help; no config prints nothing; an unknown kind is a usage error")
    func edges() throws {
        let sandbox = try Sandbox()
        #expect(!sandbox.run("--help").stdout.contains("__complete"))
        #expect(sandbox.run("__complete", "registries") == Outcome(status: 0, stdout: "", stderr: ""))
        let unknown = sandbox.run("__complete", "stores")
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("Error: unknown completion 'stores'; the only one is 'registries'\n"))
    }
}
