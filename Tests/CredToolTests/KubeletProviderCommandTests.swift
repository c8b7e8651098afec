import CommandLineKit
import CredentialHelpers
import Testing

@testable import CredTool

/// A request on stdin and the exact response on stdout.
struct ProviderCase: Sendable, CustomTestStringConvertible {
    var image: String
    /// The `auth` object, compact, as the response must write it.
    var auth: String
    var cacheKeyType = "Registry"
    var apiVersion = "credentialprovider.kubelet.k8s.io/v1"
    var testDescription: String { "\(image) (\(apiVersion.split(separator: "/").last ?? ""))" }
}

/// A malformed request and the message on stderr.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var message: String
    var testDescription: String { name }
}

@Suite("credtool kubelet-provider")
struct KubeletProviderCommandTests {
    /// A node's config: plain-text keys with a port, a glob, a path and Docker Hub's, and
    /// credHelpers sending ghcr.io (with the `{}` entry docker login leaves) and an identity
    /// token's registry to the store.
    static func node() throws -> Sandbox {
        let sandbox = try Sandbox(memory: [
            Credentials(serverURL: "ghcr.io", username: "octo", secret: "gh-pw"),
            Credentials(serverURL: "token.example", username: "<token>", secret: "refresh"),
        ])
        try sandbox.writeConfig(
            """
            {"auths": {
              "registry.example.com:5000": {"auth": "\(base64("port-user:port-pw"))"},
              "*.corp.example": {"auth": "\(base64("glob-user:glob-pw"))"},
              "quay.io/org": {"auth": "\(base64("org-user:org-pw"))"},
              "https://index.docker.io/v1/": {"auth": "\(base64("hub-user:hub-pw"))"},
              "ghcr.io": {}
            },
            "credHelpers": {"ghcr.io": "swift", "token.example": "swift"}}
            """)
        return sandbox
    }

    static func request(_ image: String, apiVersion: String = "credentialprovider.kubelet.k8s.io/v1") -> String {
        #"{"apiVersion":"\#(apiVersion)","kind":"CredentialProviderRequest","image":"\#(image)"}"#
    }

    static func entry(_ key: String, _ username: String, _ password: String) -> String {
        #""\#(key)":{"username":"\#(username)","password":"\#(password)"}"#
    }

    static let cases: [ProviderCase] = [
        ProviderCase(
            image: "registry.example.com:5000/team/app:1.2",
            auth: "{\(entry("registry.example.com:5000", "port-user", "port-pw"))}"),
        ProviderCase(image: "registry.example.com/team/app", auth: "{}"),
        ProviderCase(image: "registry.example.com:5001/app", auth: "{}"),
        ProviderCase(
            image: "eu.corp.example/app@sha256:" + String(repeating: "a", count: 64),
            auth: "{\(entry("*.corp.example", "glob-user", "glob-pw"))}"),
        ProviderCase(image: "a.eu.corp.example/app", auth: "{}"),
        ProviderCase(
            image: "quay.io/org/app:latest", auth: "{\(entry("quay.io/org", "org-user", "org-pw"))}",
            cacheKeyType: "Image"),
        ProviderCase(image: "quay.io/other/app", auth: "{}"),
        ProviderCase(image: "nginx", auth: "{\(entry("index.docker.io", "hub-user", "hub-pw"))}"),
        ProviderCase(
            image: "docker.io/library/nginx:1.25", auth: "{\(entry("index.docker.io", "hub-user", "hub-pw"))}"),
        ProviderCase(image: "someone/tool", auth: "{\(entry("index.docker.io", "hub-user", "hub-pw"))}"),
        ProviderCase(image: "ghcr.io/octo/app", auth: "{\(entry("ghcr.io", "octo", "gh-pw"))}"),
        ProviderCase(
            image: "ghcr.io/octo/app", auth: "{\(entry("ghcr.io", "octo", "gh-pw"))}",
            apiVersion: "credentialprovider.kubelet.k8s.io/v1beta1"),
        ProviderCase(image: "localhost:5000/app", auth: "{}", apiVersion: "credentialprovider.kubelet.k8s.io/v1alpha1"),
        // The kubelet cannot use an identity token: left out.
        ProviderCase(image: "token.example/app", auth: "{}"),
    ]

    @Test("golden requests and responses: globs, ports, path prefixes, Docker Hub, versions", arguments: cases)
    func golden(_ c: ProviderCase) throws {
        let sandbox = try Self.node()
        var io = CommandIO.capture(
            stdin: Array(Self.request(c.image, apiVersion: c.apiVersion).utf8), environment: sandbox.environment)
        let status = runCredTool(["kubelet-provider"], io: &io, makeStore: sandbox.makeStore)
        #expect(status == 0)
        #expect(io.stderr.capturedText == "")
        #expect(
            io.stdout.capturedText
                == #"{"kind":"CredentialProviderResponse","apiVersion":"\#(c.apiVersion)","cacheKeyType":"\#(c.cacheKeyType)","cacheDuration":"5m0s","auth":\#(c.auth)}"#
                + "\n")
    }

    @Test("--cache-duration in Go's syntax; a bad one is a usage error")
    func cacheDuration() throws {
        let sandbox = try Self.node()
        var io = CommandIO.capture(stdin: Array(Self.request("example.org/app").utf8), environment: sandbox.environment)
        #expect(
            runCredTool(["kubelet-provider", "--cache-duration", "1h30m"], io: &io, makeStore: sandbox.makeStore) == 0)
        #expect(io.stdout.capturedText?.contains(#""cacheDuration":"1h30m0s","auth":{}}"#) == true)

        for (value, message) in [
            ("5x", #"--cache-duration: "5x" is not a duration"#), ("-1m", "--cache-duration must not be negative"),
        ] {
            let outcome = sandbox.run("kubelet-provider", "--cache-duration=" + value)
            #expect(outcome.status == 64)
            #expect(outcome.stderr.hasPrefix("Error: \(message)"), "\(outcome)")
        }
    }

    static let malformed: [MalformedCase] = [
        MalformedCase(
            name: "empty input", input: "", message: "not a kubelet CredentialProviderRequest: the input is not JSON"),
        MalformedCase(
            name: "not JSON", input: "image: nginx",
            message: "not a kubelet CredentialProviderRequest: the input is not JSON"),
        MalformedCase(
            name: "a JSON array", input: "[]",
            message: "not a kubelet CredentialProviderRequest: the input is not a JSON object"),
        MalformedCase(
            name: "another kind",
            input:
                #"{"apiVersion":"credentialprovider.kubelet.k8s.io/v1","kind":"CredentialProviderResponse","image":"x"}"#,
            message:
                #"not a kubelet CredentialProviderRequest: kind is "CredentialProviderResponse", not "CredentialProviderRequest""#
        ),
        MalformedCase(
            name: "an unknown version",
            input:
                #"{"apiVersion":"credentialprovider.kubelet.k8s.io/v2","kind":"CredentialProviderRequest","image":"x"}"#,
            message:
                #"not a kubelet CredentialProviderRequest: apiVersion "credentialprovider.kubelet.k8s.io/v2" is not one of"#
        ),
        MalformedCase(
            name: "no image",
            input: #"{"apiVersion":"credentialprovider.kubelet.k8s.io/v1","kind":"CredentialProviderRequest"}"#,
            message: "not a kubelet CredentialProviderRequest: image is missing or empty"),
    ]

    @Test("malformed requests: a message on stderr, nothing on stdout, status 1", arguments: malformed)
    func rejects(_ c: MalformedCase) throws {
        let sandbox = try Self.node()
        var io = CommandIO.capture(stdin: Array(c.input.utf8), environment: sandbox.environment)
        #expect(runCredTool(["kubelet-provider"], io: &io, makeStore: sandbox.makeStore) == 1)
        #expect(io.stdout.capturedText == "")
        #expect(io.stderr.capturedText?.hasPrefix("credtool: " + c.message) == true, "\(io.stderr.capturedText ?? "")")
    }

    @Test("a store that fails: status 1, so that the kubelet caches no empty answer")
    func storeFailure() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(#"{"credsStore": "missing"}"#)
        var io = CommandIO.capture(stdin: Array(Self.request("ghcr.io/app").utf8), environment: sandbox.environment)
        #expect(runCredTool(["kubelet-provider"], io: &io, makeStore: sandbox.makeStore) == 1)
        #expect(io.stdout.capturedText == "")
        #expect(io.stderr.capturedText?.hasPrefix("credtool: ") == true)
    }

    @Test("the registries a credsStore lists are matched too")
    func credsStoreKeys() throws {
        let sandbox = try Sandbox(memory: [Credentials(serverURL: "quay.io", username: "robot", secret: "q-pw")])
        try sandbox.writeConfig(#"{"credsStore": "swift"}"#)
        var io = CommandIO.capture(
            stdin: Array(Self.request("quay.io/org/app:1").utf8), environment: sandbox.environment)
        #expect(runCredTool(["kubelet-provider"], io: &io, makeStore: sandbox.makeStore) == 0)
        #expect(
            io.stdout.capturedText?.hasSuffix(#""auth":{\#(Self.entry("quay.io", "robot", "q-pw"))}}"# + "\n") == true)
    }

    @Test("no config at all: an empty answer")
    func noConfig() throws {
        let sandbox = try Sandbox()
        var io = CommandIO.capture(stdin: Array(Self.request("nginx").utf8), environment: sandbox.environment)
        #expect(runCredTool(["kubelet-provider"], io: &io, makeStore: sandbox.makeStore) == 0)
        #expect(
            io.stdout.capturedText
                == #"{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1","cacheKeyType":"Registry","cacheDuration":"5m0s","auth":{}}"#
                + "\n")
    }

    @Test("the sample CredentialProviderConfig in --help is valid YAML for the kubelet", .enabled(if: pyYAMLAvailable))
    func sampleConfig() throws {
        let help = KubeletProviderCommand.spec.discussion
        let start = try #require(help.firstRange(of: "  apiVersion: kubelet.config.k8s.io/v1"))
        let sample = help[start.lowerBound...]
        let script = """
            import sys, json, yaml
            c = yaml.safe_load(sys.stdin)
            p = c["providers"][0]
            assert c["kind"] == "CredentialProviderConfig", c
            assert p["name"] == "credtool" and p["args"] == ["kubelet-provider"], p
            assert p["apiVersion"] == "credentialprovider.kubelet.k8s.io/v1", p
            assert p["matchImages"] and p["defaultCacheDuration"] == "5m", p
            assert p["env"][0]["name"] == "DOCKER_CONFIG", p
            """
        #expect(try runTool("/usr/bin/python3", ["-c", script], input: String(sample)).status == 0)
    }
}
