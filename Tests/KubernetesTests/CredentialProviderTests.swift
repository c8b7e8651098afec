import CredentialHelpers
import OrderedJSON
import Testing

@testable import Kubernetes

@Suite("Go durations")
struct GoDurationTests {
    @Test(
        arguments: zip(
            [
                "5m", "1h", "30s", "1h30m", "90s", "1.5h", "300ms", "1.5s", "2h45m0.5s", "0", "-5m", "+1m", "1us",
                "1µs", "7ns", "1m0.000000001s",
            ],
            [
                "5m0s", "1h0m0s", "30s", "1h30m0s", "1m30s", "1h30m0s", "300ms", "1.5s", "2h45m0.5s", "0s", "-5m0s",
                "1m0s", "1µs", "1µs", "7ns", "1m0.000000001s",
            ]))
    func parsesAndFormats(_ text: String, _ formatted: String) throws {
        #expect(try GoDuration(parsing: text).description == formatted)
    }

    @Test(arguments: ["", "5", "m", "5x", ".m", ".", "5m3", "-", "9999999999h", "1h-1m"])
    func rejects(_ text: String) {
        #expect(throws: KubernetesError.self) { try GoDuration(parsing: text) }
    }

    @Test("values in nanoseconds")
    func values() throws {
        #expect(try GoDuration(parsing: "1h30m").nanoseconds == 5_400_000_000_000)
        #expect(try GoDuration(parsing: ".5s").nanoseconds == 500_000_000)
        #expect(GoDuration.minutes(5).description == "5m0s")
        #expect(GoDuration(nanoseconds: 1_500_000).description == "1.5ms")
    }
}

@Suite("Kubelet credential provider")
struct CredentialProviderTests {
    static let store = [
        Credentials(serverURL: "https://index.docker.io/v1/", username: "hub", secret: "hub-pass"),
        Credentials(serverURL: "*.registry.example.com", username: "glob", secret: "glob-pass"),
        Credentials(serverURL: "registry.example.com:5000", username: "port", secret: "port-pass"),
        Credentials(serverURL: "quay.io/team", username: "team", secret: "team-pass"),
        Credentials(serverURL: "quay.io", username: "quay", secret: "quay-pass"),
        Credentials(serverURL: "acr.example.io", username: Credentials.identityTokenUsername, secret: "refresh"),
    ]

    /// What `kubelet-provider` does: parse, match, answer.
    static func answer(_ request: String) throws -> String {
        let parsed = try CredentialProviderRequest(parsing: Array(request.utf8))
        let keys = matchingKeys(image: parsed.image, keys: store.map(\.serverURL))
        let credentials = keys.compactMap { key in store.first { $0.serverURL == key } }
        return CredentialProviderResponse(answering: parsed, credentials: credentials).json()
    }

    struct GoldenCase: Sendable, CustomTestStringConvertible {
        var request: String
        var response: String
        var testDescription: String { request }
    }

    static let golden: [GoldenCase] = [
        .init(
            request:
                #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"docker.io/library/nginx"}"#,
            response:
                #"{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1","cacheKeyType":"Registry","cacheDuration":"5m0s","auth":{"index.docker.io":{"username":"hub","password":"hub-pass"}}}"#
        ),
        .init(
            request:
                #"{"apiVersion":"credentialprovider.kubelet.k8s.io/v1beta1","kind":"CredentialProviderRequest","image":"eu.registry.example.com/app:v2"}"#,
            response:
                #"{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1beta1","cacheKeyType":"Registry","cacheDuration":"5m0s","auth":{"*.registry.example.com":{"username":"glob","password":"glob-pass"}}}"#
        ),
        .init(
            request:
                #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1alpha1","image":"registry.example.com:5000/app"}"#,
            response:
                #"{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1alpha1","cacheKeyType":"Registry","cacheDuration":"5m0s","auth":{"registry.example.com:5000":{"username":"port","password":"port-pass"}}}"#
        ),
        .init(
            request:
                #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"quay.io/team/app","serviceAccountToken":"ignored"}"#,
            response:
                #"{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1","cacheKeyType":"Image","cacheDuration":"5m0s","auth":{"quay.io/team":{"username":"team","password":"team-pass"},"quay.io":{"username":"quay","password":"quay-pass"}}}"#
        ),
        .init(
            request:
                #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"registry.example.com/app"}"#,
            response:
                #"{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1","cacheKeyType":"Registry","cacheDuration":"5m0s","auth":{}}"#
        ),
        .init(
            request:
                #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"acr.example.io/app"}"#,
            response:
                #"{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1","cacheKeyType":"Registry","cacheDuration":"5m0s","auth":{}}"#
        ),
    ]

    @Test("golden request and response pairs", arguments: golden)
    func goldenCases(_ c: GoldenCase) throws {
        #expect(try Self.answer(c.request) == c.response + "\n")
    }

    @Test("the cache duration and key type can be chosen; without a duration the field is left out")
    func options() throws {
        let request = CredentialProviderRequest(apiVersion: .v1, image: "quay.io/x")
        let credentials = [Credentials(serverURL: "quay.io", username: "u", secret: "p")]
        let hour = CredentialProviderResponse(
            answering: request, credentials: credentials, cacheDuration: try GoDuration(parsing: "1h"),
            cacheKeyType: .global)
        #expect(hour.json().contains(#""cacheKeyType":"Global","cacheDuration":"1h0m0s""#))
        let none = CredentialProviderResponse(answering: request, credentials: credentials, cacheDuration: nil)
        #expect(!none.json().contains("cacheDuration"))
    }

    struct MalformedCase: Sendable, CustomTestStringConvertible {
        var request: String
        var message: String
        var testDescription: String { message }
    }

    static let malformed: [MalformedCase] = [
        .init(
            request: "", message: "not a kubelet CredentialProviderRequest: the input is not JSON (line 1, column 1: "),
        .init(request: "image: nginx", message: "not a kubelet CredentialProviderRequest: the input is not JSON"),
        .init(request: "[]", message: "not a kubelet CredentialProviderRequest: the input is not a JSON object"),
        .init(
            request: #"{"apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"x"}"#,
            message: "not a kubelet CredentialProviderRequest: kind is missing"),
        .init(
            request:
                #"{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"x"}"#,
            message:
                #"not a kubelet CredentialProviderRequest: kind is "CredentialProviderResponse", not "CredentialProviderRequest""#
        ),
        .init(
            request: #"{"kind":"CredentialProviderRequest","image":"x"}"#,
            message: "not a kubelet CredentialProviderRequest: apiVersion is missing"),
        .init(
            request:
                #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v2","image":"x"}"#,
            message:
                #"not a kubelet CredentialProviderRequest: apiVersion "credentialprovider.kubelet.k8s.io/v2" is not one of credentialprovider.kubelet.k8s.io/v1, credentialprovider.kubelet.k8s.io/v1beta1, credentialprovider.kubelet.k8s.io/v1alpha1"#
        ),
        .init(
            request: #"{"kind":"CredentialProviderRequest","apiVersion":"v1","image":"x"}"#,
            message: #"not a kubelet CredentialProviderRequest: apiVersion "v1" is not one of"#),
        .init(
            request: #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1"}"#,
            message: "not a kubelet CredentialProviderRequest: image is missing or empty"),
        .init(
            request:
                #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":""}"#,
            message: "not a kubelet CredentialProviderRequest: image is missing or empty"),
        .init(
            request:
                #"{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":7}"#,
            message: "not a kubelet CredentialProviderRequest: image is missing or empty"),
    ]

    @Test("malformed requests fail with a clear message", arguments: malformed)
    func rejects(_ c: MalformedCase) {
        do {
            let request = try CredentialProviderRequest(parsing: Array(c.request.utf8))
            Issue.record("expected an error, got \(request)")
        } catch {
            #expect("\(error)".hasPrefix(c.message))
        }
    }
}
