import DockerConfig
import Testing

@Suite("merging configs")
struct MergeTests {
    @Test("later files win, each conflict is named without secrets")
    func merge() throws {
        let docker = try ConfigFile(parsing: Array(dockerGolden.utf8), path: "docker.json")
        let podman = try ConfigFile(parsing: Array("""
            {"auths": {
              "https://ghcr.io": {"auth": "\(base64("other:SECRET"))"},
              "quay.io": {"auth": "\(base64("q:SECRET"))"},
              "https://index.docker.io/v1/": {}
            }, "credHelpers": {"gcr.io": "swift"}, "credsStore": "desktop"}
            """.utf8), path: "auth.json")
        let (merged, conflicts) = ConfigFile.merge(configs: [docker, podman])

        #expect(merged.authKeys == ["https://index.docker.io/v1/", "registry.example.com:5000", "https://ghcr.io", "quay.io"])
        #expect(try merged.authEntry(for: "https://ghcr.io")?.credentials(server: "ghcr.io")?.username == "other")
        // `{}` does not replace credentials.
        #expect(try merged.authEntry(for: "https://index.docker.io/v1/")?.credentials(server: "hub")?.username == "alice")
        #expect(merged.credHelpers == ["gcr.io": "swift", "123456789012.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"])
        #expect(merged.credsStore == nil)
        #expect(conflicts == [
            "auths ghcr.io: auth.json overrides docker.json",
            "credHelpers gcr.io: auth.json sets swift, overriding gcloud from docker.json",
            "credsStore: docker.json sets pass, auth.json sets desktop; none is kept",
        ])
        #expect(conflicts.allSatisfy { !$0.contains("SECRET") && !$0.contains("ghp_abc") })
    }

    @Test("agreeing files merge without conflicts")
    func agree() throws {
        let a = try ConfigFile(parsing: Array(desktopGolden.utf8), path: "a")
        let b = try ConfigFile(parsing: Array(desktopGolden.utf8), path: "b")
        let (merged, conflicts) = ConfigFile.merge(configs: [a, b])
        #expect(conflicts.isEmpty)
        #expect(merged.credsStore == "desktop")
        #expect(merged.authKeys == ["ghcr.io", "https://index.docker.io/v1/"])
        #expect(ConfigFile.merge(configs: []).config.serialized() == Array("{}".utf8))
    }
}
