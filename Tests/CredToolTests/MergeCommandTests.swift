import Foundation
import Testing

@Suite("credtool merge")
struct MergeCommandTests {
    /// A Docker config and a Podman auth file that disagree on ghcr.io and on credHelpers.
    static func inputs(_ sandbox: Sandbox) throws -> (docker: String, podman: String) {
        let docker = sandbox.path("config.json")
        let podman = sandbox.path("auth.json")
        try sandbox.write("""
            {
            \t"auths": {
            \t\t"https://ghcr.io/v1/": {
            \t\t\t"auth": "\(base64("old:pw"))"
            \t\t},
            \t\t"quay.io": {}
            \t},
            \t"credHelpers": {
            \t\t"gcr.io": "gcloud"
            \t},
            \t"credsStore": "swift",
            \t"psFormat": "dropped"
            }
            """, to: docker)
        try sandbox.write("""
            {"auths": {"ghcr.io": {"auth": "\(base64("new:pw"))"}, "quay.io": {"auth": "\(base64("q:pw"))"}},
             "credHelpers": {"gcr.io": "other"}, "credsStore": "swift"}
            """, to: podman)
        return (docker, podman)
    }

    // The later spelling of a registry's key is kept, so ghcr.io moves behind quay.io.
    @Test("to stdout: tab-indented with a newline; conflicts on stderr, later files winning")
    func toStdout() throws {
        let sandbox = try Sandbox()
        let (docker, podman) = try Self.inputs(sandbox)
        #expect(sandbox.run("merge", docker, podman) == Outcome(status: 0, stdout: """
            {
            \t"auths": {
            \t\t"quay.io": {
            \t\t\t"auth": "\(base64("q:pw"))"
            \t\t},
            \t\t"ghcr.io": {
            \t\t\t"auth": "\(base64("new:pw"))"
            \t\t}
            \t},
            \t"credHelpers": {
            \t\t"gcr.io": "other"
            \t},
            \t"credsStore": "swift"
            }

            """, stderr: """
            credtool: warning: auths ghcr.io: \(podman) overrides \(docker)
            credtool: warning: auths quay.io: \(podman) overrides \(docker)
            credtool: warning: credHelpers gcr.io: \(podman) sets other, overriding gcloud from \(docker)

            """))
    }

    @Test("credsStore is dropped when the files disagree, and that is reported")
    func credsStoreConflict() throws {
        let sandbox = try Sandbox()
        try sandbox.write("{\"credsStore\": \"swift\"}", to: sandbox.path("a.json"))
        try sandbox.write("{\"credsStore\": \"pass\"}", to: sandbox.path("b.json"))
        #expect(sandbox.run("merge", sandbox.path("a.json"), sandbox.path("b.json")) == Outcome(status: 0, stdout: "{}\n", stderr: """
            credtool: warning: credsStore: \(sandbox.path("a.json")) sets swift, \(sandbox.path("b.json")) sets pass; none is kept

            """))
    }

    @Test("--output FILE that does not exist: created 0600, nothing printed")
    func toNewFile() throws {
        let sandbox = try Sandbox()
        try sandbox.write(plaintextConfig([("a.example", "a", "1")]), to: sandbox.path("a.json"))
        try sandbox.write(plaintextConfig([("b.example", "b", "2")]), to: sandbox.path("b.json"))
        let output = sandbox.path("new/merged.json")
        #expect(sandbox.run("merge", sandbox.path("a.json"), sandbox.path("b.json"), "--output", output) == Outcome(status: 0, stdout: "", stderr: ""))
        #expect(sandbox.text(output) == plaintextConfig([("a.example", "a", "1"), ("b.example", "b", "2")]))
        #expect(sandbox.mode(output) == 0o600)
    }

    @Test("--output an input: its other keys are kept, and its entries merged as read under the lock")
    func intoAnInput() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(plaintextConfig([("mine.example", "me", "1")], extra: ",\n\t\"psFormat\": \"kept\""))
        try sandbox.write(plaintextConfig([("ci.example", "ci", "2")]), to: sandbox.path("ci.json"))
        #expect(chmod(sandbox.configPath, 0o644) == 0)
        let outcome = sandbox.run("merge", sandbox.configPath, sandbox.path("ci.json"), "-o", sandbox.configPath)
        #expect(outcome == Outcome(status: 0, stdout: "", stderr: ""))
        #expect(sandbox.text(sandbox.configPath) == plaintextConfig(
            [("mine.example", "me", "1"), ("ci.example", "ci", "2")], extra: ",\n\t\"psFormat\": \"kept\""))
        #expect(sandbox.mode(sandbox.configPath) == 0o644)

        // Merging the same again changes nothing, so the file is not rewritten.
        let inode = sandbox.inode(sandbox.configPath)
        #expect(sandbox.run("merge", sandbox.configPath, sandbox.path("ci.json"), "-o", sandbox.configPath).status == 0)
        #expect(sandbox.inode(sandbox.configPath) == inode)
    }

    @Test("an input that does not exist or has invalid base64: one line naming it, no file changed")
    func badInputs() throws {
        let sandbox = try Sandbox()
        let output = sandbox.path("out.json")
        try sandbox.write("{\"psFormat\": \"x\"}", to: output)
        try sandbox.write(plaintextConfig([("a.example", "a", "1")]), to: sandbox.path("a.json"))
        try sandbox.write("{\"auths\": {\"bad.example\": {\"auth\": \"S3CRET!\"}}}", to: sandbox.path("bad.json"))
        let missing = sandbox.path("missing.json")
        #expect(sandbox.run("merge", sandbox.path("a.json"), missing, "--output", output) == Outcome(status: 1, stdout: "", stderr: """
            credtool: \(missing) does not exist; check the path

            """))
        #expect(sandbox.run("merge", sandbox.path("a.json"), sandbox.path("bad.json"), "--output", output) == Outcome(status: 1, stdout: "", stderr: """
            credtool: the credentials for bad.example in \(sandbox.path("bad.json")) are invalid (auth is not base64); fix or remove the entry

            """))
        #expect(sandbox.text(output) == "{\"psFormat\": \"x\"}")
    }

    @Test("an --output file that does not parse is never overwritten")
    func brokenOutput() throws {
        let sandbox = try Sandbox()
        let output = sandbox.path("out.json")
        try sandbox.write("{\"auths\": {", to: output)
        try sandbox.write(plaintextConfig([("a.example", "a", "1")]), to: sandbox.path("a.json"))
        let outcome = sandbox.run("merge", sandbox.path("a.json"), "--output", output)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("credtool: \(output) is not valid JSON ("))
        #expect(outcome.stderr.hasSuffix("); fix or move the file\n"))
        #expect(sandbox.text(output) == "{\"auths\": {")
    }
}
