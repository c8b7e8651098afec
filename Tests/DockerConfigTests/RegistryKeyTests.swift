import DockerConfig
import Testing

struct KeyCase: Sendable, CustomTestStringConvertible {
    var input: String
    var key: String
    var testDescription: String { "\(input) → \(key)" }
}

@Suite("Registry keys")
struct RegistryKeyTests {
    // docker/cli credentials.ConvertToHostname vectors, plus Docker Hub as `docker login` keys it.
    static let cases: [KeyCase] = [
        KeyCase(input: "reg.example.com", key: "reg.example.com"),
        KeyCase(input: "http://reg.example.com", key: "reg.example.com"),
        KeyCase(input: "https://reg.example.com", key: "reg.example.com"),
        KeyCase(input: "https://reg.example.com/", key: "reg.example.com"),
        KeyCase(input: "https://reg.example.com/v1/", key: "reg.example.com"),
        KeyCase(input: "https://reg.example.com/v2/", key: "reg.example.com"),
        KeyCase(input: "reg.example.com:5000/path", key: "reg.example.com:5000"),
        KeyCase(input: "http://reg.example.com:5000/v1/", key: "reg.example.com:5000"),
        KeyCase(input: "https://user@reg.example.com:5000/", key: "reg.example.com:5000"),
        KeyCase(input: "localhost:5000", key: "localhost:5000"),
        KeyCase(input: "[::1]:5000", key: "[::1]:5000"),
        KeyCase(input: "http://[::1]:5000/v2/", key: "[::1]:5000"),
        KeyCase(input: "Reg.Example.COM", key: "Reg.Example.COM"),  // docker does not lower-case
        KeyCase(input: "ghcr.io/owner/image", key: "ghcr.io"),
        KeyCase(input: "docker.io", key: "https://index.docker.io/v1/"),
        KeyCase(input: "index.docker.io", key: "https://index.docker.io/v1/"),
        KeyCase(input: "registry-1.docker.io", key: "https://index.docker.io/v1/"),
        KeyCase(input: "https://index.docker.io/v1/", key: "https://index.docker.io/v1/"),
        KeyCase(input: "https://registry-1.docker.io/v2/", key: "https://index.docker.io/v1/"),
        KeyCase(input: "http://docker.io", key: "https://index.docker.io/v1/"),
        KeyCase(input: "docker.io/library/alpine", key: "https://index.docker.io/v1/"),
        KeyCase(input: "", key: ""),
    ]

    @Test(arguments: cases)
    func normalises(_ c: KeyCase) {
        #expect(RegistryKey(c.input).value == c.key)
    }

    @Test("legacy auths keys match the registry they name")
    func legacyKeysMatch() {
        let key = RegistryKey("reg.example.com")
        #expect(key.matches(configKey: "https://reg.example.com/v1/"))
        #expect(key.matches(configKey: "http://reg.example.com"))
        #expect(key.matches(configKey: "reg.example.com"))
        #expect(!key.matches(configKey: "reg.example.com:5000"))
        #expect(!key.matches(configKey: "other.example.com"))
        #expect(RegistryKey("docker.io").matches(configKey: "https://index.docker.io/v1/"))
        #expect(RegistryKey("docker.io").isDockerHub)
    }
}
