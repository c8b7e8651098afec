import Testing

@testable import Kubernetes

struct MatchCase: Sendable, CustomTestStringConvertible {
    var image: String
    var keys: [String]
    var expected: [String]
    var note: String
    var testDescription: String { "\(image) against \(keys): \(note)" }
}

@Suite("Image matching with the kubelet's rules")
struct ImageMatchingTests {
    static let hub = "https://index.docker.io/v1/"

    static let cases: [MatchCase] = [
        // Docker Hub forms
        .init(
            image: "nginx", keys: [hub], expected: [hub],
            note: "a bare name is a Hub image; the docker login key applies"),
        .init(image: "library/nginx", keys: [hub], expected: [hub], note: "a two-part name without a dot is on Hub"),
        .init(image: "docker.io/library/nginx:1.25", keys: [hub], expected: [hub], note: "docker.io with a tag"),
        .init(image: "index.docker.io/x", keys: [hub], expected: [hub], note: "index.docker.io is Hub"),
        .init(image: "nginx", keys: ["docker.io"], expected: ["docker.io"], note: "a docker.io key matches directly"),
        .init(
            image: "nginx", keys: ["index.docker.io"], expected: ["index.docker.io"], note: "a bare index.docker.io key"
        ),
        .init(
            image: "nginx", keys: ["docker.io", hub], expected: ["docker.io"],
            note: "a direct match wins over the Hub fallback"),
        .init(
            image: "user/app", keys: ["registry-1.docker.io"], expected: [],
            note: "registry-1.docker.io is not a key the kubelet treats as Hub"),
        .init(
            image: "docker.io/library/nginx", keys: ["docker.io/library"], expected: ["docker.io/library"],
            note: "a Hub key with a path"),
        .init(
            image: "docker.io/other/app", keys: ["docker.io/library"], expected: [], note: "a Hub key with another path"
        ),
        .init(
            image: "nginx@sha256:" + String(repeating: "a", count: 64), keys: [hub], expected: [hub],
            note: "a digest is dropped"),
        .init(image: "ghcr.io/org/app", keys: [hub], expected: [], note: "the Hub fallback is for Hub images only"),
        // hosts and globs
        .init(image: "ghcr.io/org/app:v1", keys: ["ghcr.io"], expected: ["ghcr.io"], note: "the host alone"),
        .init(
            image: "ghcr.io/org/app", keys: ["https://ghcr.io"], expected: ["https://ghcr.io"],
            note: "a scheme is ignored"),
        .init(
            image: "ghcr.io/org/app", keys: ["http://ghcr.io/v2/"], expected: ["http://ghcr.io/v2/"],
            note: "/v2/ is the root"),
        .init(image: "a.example.com/x", keys: ["*.example.com"], expected: ["*.example.com"], note: "a label glob"),
        .init(image: "a.b.example.com/x", keys: ["*.example.com"], expected: [], note: "a glob spans one label only"),
        .init(image: "example.com/x", keys: ["*.example.com"], expected: [], note: "label counts must be equal"),
        .init(
            image: "registry.eu-west-1.example.com/x", keys: ["registry.*.example.com"],
            expected: ["registry.*.example.com"], note: "a glob in the middle"),
        .init(
            image: "r1.example.com/x", keys: ["r?.example.com"], expected: [],
            note: "? starts a URL query, so the kubelet never reads it as a glob"),
        .init(
            image: "r1.example.com/x", keys: ["r[0-9].example.com"], expected: ["r[0-9].example.com"],
            note: "a character class"),
        .init(
            image: "rx.example.com/x", keys: ["r[^0-9].example.com"], expected: ["r[^0-9].example.com"],
            note: "a negated class"),
        .init(
            image: "r1.example.com/x", keys: ["r[.example.com"], expected: [], note: "a malformed glob matches nothing"),
        .init(image: "GHCR.io/x", keys: ["ghcr.io"], expected: [], note: "host labels compare case-sensitively"),
        // ports
        .init(
            image: "registry.example.com:5000/x", keys: ["registry.example.com:5000"],
            expected: ["registry.example.com:5000"], note: "equal ports"),
        .init(
            image: "registry.example.com:5000/x", keys: ["registry.example.com"], expected: [],
            note: "a port on one side only"),
        .init(
            image: "registry.example.com/x", keys: ["registry.example.com:443"], expected: [],
            note: "an explicit default port is still a port"),
        .init(
            image: "registry.example.com:5001/x", keys: ["registry.example.com:5000"], expected: [],
            note: "different ports"),
        .init(
            image: "localhost:5000/x", keys: ["localhost:5000"], expected: ["localhost:5000"],
            note: "localhost with a port"),
        .init(
            image: "localhost/x", keys: ["localhost"], expected: ["localhost"],
            note: "localhost is a registry, not a Hub user"),
        .init(image: "localhost/x", keys: [hub], expected: [], note: "so it never falls back to Hub"),
        .init(
            image: "[::1]:5000/x:tag", keys: ["[::1]:5000"], expected: ["[::1]:5000"],
            note: "an IPv6 literal with a port"),
        .init(image: "[::1]:5000/x", keys: ["[::1]:5001"], expected: [], note: "an IPv6 literal with another port"),
        .init(
            image: "r.example.com:5000/x", keys: ["r.example.com:abc"], expected: [],
            note: "a key with an invalid port never matches"),
        // paths
        .init(image: "quay.io/org/app", keys: ["quay.io/org"], expected: ["quay.io/org"], note: "a path prefix"),
        .init(image: "quay.io/other/app", keys: ["quay.io/org"], expected: [], note: "another path"),
        .init(
            image: "quay.io/organisation/app", keys: ["quay.io/org"], expected: ["quay.io/org"],
            note: "the prefix is a string prefix, as in the kubelet"),
        .init(
            image: "quay.io/org/app", keys: ["quay.io", "quay.io/org", "quay.io/org/app"],
            expected: ["quay.io/org/app", "quay.io/org", "quay.io"], note: "all matches, most specific first"),
        .init(
            image: "quay.io/org/app", keys: ["https://quay.io/v1/org"], expected: ["https://quay.io/v1/org"],
            note: "/v1/ before a path is dropped"),
        .init(
            image: "quay.io/org/app", keys: ["quay.io/org/app/more"], expected: [], note: "a key longer than the image"),
        .init(
            image: "quay.io/org/app", keys: ["quay.io", "quay.io"], expected: ["quay.io"],
            note: "a key given twice is returned once"),
        .init(
            image: "quay.io/org/app", keys: ["user@quay.io"], expected: ["user@quay.io"], note: "user info is dropped"),
        .init(image: "quay.io/org/app", keys: [], expected: [], note: "no keys"),
    ]

    @Test(arguments: cases)
    func matches(_ c: MatchCase) {
        #expect(matchingKeys(image: c.image, keys: c.keys) == c.expected)
    }

    struct NameCase: Sendable, CustomTestStringConvertible {
        var image: String
        var name: String
        var testDescription: String { image }
    }

    @Test(arguments: [
        NameCase(image: "nginx", name: "docker.io/library/nginx"),
        NameCase(image: "nginx:1.25", name: "docker.io/library/nginx"),
        NameCase(image: "user/app@sha256:abc", name: "docker.io/user/app"),
        NameCase(image: "index.docker.io/user/app", name: "docker.io/user/app"),
        NameCase(image: "docker.io/nginx", name: "docker.io/library/nginx"),
        NameCase(image: "localhost:5000/app:v1", name: "localhost:5000/app"),
        NameCase(image: "Registry/app", name: "Registry/app"),
        NameCase(image: "[::1]:5000/a/b:c", name: "[::1]:5000/a/b"),
    ])
    func normalises(_ c: NameCase) {
        #expect(normalizedImageName(c.image) == c.name)
    }

    @Test("config keys in the kubelet's form")
    func kubeletKeys() {
        #expect(kubeletMatchKey(forConfigKey: "https://index.docker.io/v1/") == "index.docker.io")
        #expect(kubeletMatchKey(forConfigKey: "http://r.example.com:5000/") == "r.example.com:5000")
        #expect(kubeletMatchKey(forConfigKey: "https://quay.io/v2/org") == "quay.io/org")
        #expect(kubeletMatchKey(forConfigKey: "quay.io/org") == "quay.io/org")
        #expect(kubeletMatchKey(forConfigKey: "r.example.com:port") == nil)
    }
}
