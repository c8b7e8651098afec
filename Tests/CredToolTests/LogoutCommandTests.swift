import CredentialHelpers
import Foundation
import Testing

@Suite("credtool logout")
struct LogoutCommandTests {
    @Test("a plain-text entry: removed, every other key and entry kept byte for byte")
    func plaintext() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("""
            {
            \t"auths": {
            \t\t"ghcr.io": {
            \t\t\t"auth": "\(base64("bob:pw"))"
            \t\t},
            \t\t"quay.io": {
            \t\t\t"auth": "\(base64("carol:pw"))",
            \t\t\t"email": "carol@example.com"
            \t\t}
            \t},
            \t"psFormat": "table {{.ID}}",
            \t"proxies": {
            \t\t"default": {
            \t\t\t"httpProxy": "http://proxy.example:3128"
            \t\t}
            \t}
            }
            """)
        #expect(chmod(sandbox.configPath, 0o640) == 0)
        #expect(sandbox.run("logout", "ghcr.io") == Outcome(status: 0, stdout: "Removed login credentials for ghcr.io (auths entry)\n", stderr: ""))
        #expect(sandbox.text(sandbox.configPath) == """
            {
            \t"auths": {
            \t\t"quay.io": {
            \t\t\t"auth": "\(base64("carol:pw"))",
            \t\t\t"email": "carol@example.com"
            \t\t}
            \t},
            \t"psFormat": "table {{.ID}}",
            \t"proxies": {
            \t\t"default": {
            \t\t\t"httpProxy": "http://proxy.example:3128"
            \t\t}
            \t}
            }
            """)
        #expect(sandbox.mode(sandbox.configPath) == 0o640)
    }

    @Test("every auths spelling of the registry goes: the given one, the key and legacy URLs")
    func spellings() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(plaintextConfig([
            ("https://reg.example/v1/", "a", "1"), ("reg.example", "b", "2"), ("http://reg.example", "c", "3"),
            ("reg.example:5000", "d", "4"),
        ]))
        #expect(sandbox.run("logout", "https://reg.example/v1/") == Outcome(status: 0, stdout: "Removed login credentials for reg.example (3 auths entries)\n", stderr: ""))
        #expect(sandbox.text(sandbox.configPath) == plaintextConfig([("reg.example:5000", "d", "4")]))
    }

    @Test("Docker Hub by any of its names")
    func dockerHub() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(plaintextConfig([("https://index.docker.io/v1/", "alice", "pw")]))
        #expect(sandbox.run("logout", "docker.io").stdout == "Removed login credentials for https://index.docker.io/v1/ (auths entry)\n")
        #expect(sandbox.text(sandbox.configPath) == plaintextConfig([]))
    }

    @Test("the credsStore is asked under the given spelling and the normalised key; the {} entry goes too")
    func store() throws {
        let sandbox = try Sandbox(memory: [
            Credentials(serverURL: "https://reg.example", username: "u", secret: "s1"),
            Credentials(serverURL: "reg.example", username: "u", secret: "s2"),
            Credentials(serverURL: "other.example", username: "u", secret: "s3"),
        ])
        try sandbox.writeConfig("{\"auths\": {\"reg.example\": {}}, \"credsStore\": \"swift\"}")
        #expect(sandbox.run("logout", "https://reg.example") == Outcome(status: 0, stdout: """
            Removed login credentials for reg.example (store:swift, auths entry)

            """, stderr: ""))
        #expect(sandbox.memory.items.keys.sorted() == ["other.example"])
        #expect(sandbox.text(sandbox.configPath) == "{\n\t\"auths\": {},\n\t\"credsStore\": \"swift\"\n}")
    }

    @Test("a credHelpers helper erases; the file, with nothing to change, is not rewritten")
    func helper() throws {
        let sandbox = try Sandbox()
        try sandbox.installFakeHelper()
        let config = "{\"credHelpers\": {\"ghcr.io\": \"fake\"}}"
        try sandbox.writeConfig(config)
        let inode = sandbox.inode(sandbox.configPath)
        #expect(sandbox.run("logout", "ghcr.io") == Outcome(status: 0, stdout: "Removed login credentials for ghcr.io (helper:fake)\n", stderr: ""))
        #expect(sandbox.fakeErased == ["ghcr.io"])
        #expect(sandbox.bytes(sandbox.configPath) == Array(config.utf8))
        #expect(sandbox.inode(sandbox.configPath) == inode)
    }

    @Test("nothing to remove: 'not logged in', status 1, the file untouched")
    func notLoggedIn() throws {
        let sandbox = try Sandbox()
        let config = plaintextConfig([("ghcr.io", "bob", "pw")])
        try sandbox.writeConfig(config)
        let inode = sandbox.inode(sandbox.configPath)
        #expect(sandbox.run("logout", "quay.io") == Outcome(status: 1, stdout: "", stderr: "credtool: not logged in to quay.io\n"))
        #expect(sandbox.bytes(sandbox.configPath) == Array(config.utf8))
        #expect(sandbox.inode(sandbox.configPath) == inode)

        try sandbox.installFakeHelper()
        try sandbox.writeConfig("{\"credsStore\": \"fake\"}")
        #expect(sandbox.run("logout", "nope.example") == Outcome(status: 1, stdout: "", stderr: "credtool: not logged in to nope.example\n"))
        #expect(sandbox.fakeErased == ["nope.example"])
    }

    @Test("no config file: 'not logged in', and no file, directory or lock is created")
    func noConfig() throws {
        let sandbox = try Sandbox()
        try FileManager.default.removeItem(atPath: sandbox.configDirectory)
        #expect(sandbox.run("logout", "ghcr.io") == Outcome(status: 1, stdout: "", stderr: "credtool: not logged in to ghcr.io\n"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.configDirectory))
    }

    @Test("a missing or hanging helper: one line, status 1, and the auths entry is kept")
    func brokenHelpers() throws {
        let sandbox = try Sandbox()
        try sandbox.installHangingHelper()
        let config = plaintextConfig([("gone.example", "a", "1"), ("slow.example", "b", "2")],
                                     extra: ",\n\t\"credHelpers\": {\"gone.example\": \"missing\", \"slow.example\": \"hang\"}")
        try sandbox.writeConfig(config)
        #expect(sandbox.run("logout", "gone.example") == Outcome(status: 1, stdout: "", stderr: """
            credtool: docker-credential-missing is not on PATH; install it or change credsStore/credHelpers in the Docker config

            """))
        #expect(sandbox.run("logout", "slow.example") == Outcome(status: 1, stdout: "", stderr: """
            credtool: docker-credential-hang did not answer within 0.3 s; check that it is not waiting for input, \
            or give it longer with CREDTOOL_HELPER_TIMEOUT (seconds; 0 for no limit)

            """))
        #expect(sandbox.bytes(sandbox.configPath) == Array(config.utf8))
    }

    @Test("an entry whose base64 is damaged can still be logged out of (that is the fix)")
    func damagedEntry() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("{\"auths\": {\"bad.example\": {\"auth\": \"not base64!\"}, \"ok.example\": {}}}")
        #expect(sandbox.run("logout", "bad.example").stdout == "Removed login credentials for bad.example (auths entry)\n")
        #expect(sandbox.text(sandbox.configPath) == "{\n\t\"auths\": {\n\t\t\"ok.example\": {}\n\t}\n}")
    }
}
