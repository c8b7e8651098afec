import Foundation
import FoundationNetworking
import Testing

@testable import RegistryAuth

// These tests start real components (Debian's docker-registry 2.8, the token-server fixture,
// openssl, htpasswd) on 127.0.0.1. A missing tool fails the test with a pointer to
// scripts/bootstrap; nothing is skipped.

let user = "alice"
let password = "s3cret-pässword"

/// Asserts that `error`'s line names no secret.
func expectNoSecret(_ error: RegistryAuthError, _ secrets: [String] = [password]) {
    for secret in secrets {
        #expect(!error.description.contains(secret))
    }
    #expect(!error.description.contains("\n"))
}

func login(
    _ server: String, _ password: String, _ options: LoginOptions = fastOptions()
) async -> Result<LoginResult, RegistryAuthError> {
    do throws(RegistryAuthError) {
        return .success(try RegistryClient().checkLogin(server: server, username: user, password: password, options: options))
    } catch {
        return .failure(error)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

@Suite("Basic auth against docker-registry (htpasswd)")
struct BasicLoginTests {
    @Test("the right password is accepted, over http on loopback")
    func rightPassword() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try Registry(directory: directory, auth: .htpasswd(user: user, password: password))
        defer { registry.stop() }

        let result = try await login(registry.address, password).get()
        #expect(result == LoginResult(identityToken: nil, scheme: .basic, endpoint: "http://\(registry.address)"))
    }

    @Test("a wrong password is unauthorized, and the line names no secret")
    func wrongPassword() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try Registry(directory: directory, auth: .htpasswd(user: user, password: password))
        defer { registry.stop() }

        let error = try #require(await login(registry.address, "wrong-password").failure)
        guard case .unauthorized(let server, _) = error else {
            Issue.record("expected unauthorized, got \(error)")
            return
        }
        #expect(server == registry.address)
        #expect(error.description.hasPrefix("login to \(registry.address) failed: unauthorized"))
        expectNoSecret(error, ["wrong-password", password])
    }

    @Test("the blocking wrapper works from synchronous code")
    func blocking() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try Registry(directory: directory, auth: .htpasswd(user: user, password: password))
        defer { registry.stop() }

        let client = RegistryClient()
        let result = try client.checkLogin(
            server: "http://\(registry.address)/", username: user, password: password, options: fastOptions())
        #expect(result.scheme == .basic)
        #expect(throws: RegistryAuthError.self) {
            try client.checkLogin(server: registry.address, username: user, password: "nope", options: fastOptions())
        }
    }

    @Test("a registry without auth needs no credentials, and that is a success")
    func noAuth() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try Registry(directory: directory, auth: .none)
        defer { registry.stop() }

        let result = try await login(registry.address, password).get()
        #expect(result.scheme == .none)
        #expect(result.credentialsRequired == false)
    }
}

@Suite("Token auth against docker-registry and the token-server fixture")
struct BearerLoginTests {
    /// A token server and a registry that trusts its signing certificate.
    struct Rig {
        let directory: URL
        let tokenServer: TokenServer
        let registry: Registry

        init() throws {
            directory = try makeTemporaryDirectory()
            let signing = try Certificate.make(in: directory, name: "token-signing")
            tokenServer = try TokenServer(directory: directory, signing: signing, user: user, password: password)
            registry = try Registry(
                directory: directory,
                auth: .token(realm: "http://127.0.0.1:\(tokenServer.port)/token", rootCertificate: signing.certificate))
        }

        func stop() {
            registry.stop()
            tokenServer.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("the right password gets a token, a refresh token, and a working catalog request")
    func rightPassword() async throws {
        let rig = try Rig()
        defer { rig.stop() }

        let result = try await login(rig.registry.address, password).get()
        #expect(result.scheme == .bearer)
        let identityToken = try #require(result.identityToken)
        #expect(identityToken.hasPrefix("refresh-"))

        let tokenRequests = rig.tokenServer.requests.filter { $0["path"] as? String == "/token" }
        let query = try #require(tokenRequests.first?["query"] as? [String: [String]])
        #expect(query["account"] == [user])
        #expect(query["client_id"] == ["credtool"])
        #expect(query["offline_token"] == ["true"])
        #expect(query["service"] == ["test-registry"])

        // A real authenticated request with a token for the catalog scope.
        let authorization = try RegistryClient().authorize(
            server: rig.registry.address, username: user, password: password, scopes: ["registry:catalog:*"],
            options: fastOptions())
        let header = try #require(authorization.headerValue)
        #expect(header.hasPrefix("Bearer "))
        #expect(!authorization.description.contains(header.dropFirst(7)))
        var request = URLRequest(url: try #require(URL(string: authorization.endpoint + "/v2/_catalog")))
        request.setValue(header, forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("\"repositories\""))

        // Without the token the catalog is refused, so the 200 above is the token's doing.
        var anonymous = request
        anonymous.setValue(nil, forHTTPHeaderField: "Authorization")
        let (_, refused) = try await URLSession(configuration: .ephemeral).data(for: anonymous)
        #expect((refused as? HTTPURLResponse)?.statusCode == 401)
    }

    @Test("a wrong password is unauthorized with the token server's message")
    func wrongPassword() async throws {
        let rig = try Rig()
        defer { rig.stop() }

        let error = try #require(await login(rig.registry.address, "wrong-password").failure)
        #expect(error == .unauthorized(server: rig.registry.address, message: "invalid username or password"))
        expectNoSecret(error, ["wrong-password"])
    }

    @Test("a token server that answers HTML is a clear error")
    func notJSON() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let signing = try Certificate.make(in: directory, name: "unused")
        let placeholder = try freePort()
        // The fixture acts as the registry too: its /v2/ points the realm at its own /notjson.
        let fake = try TokenServer(
            directory: directory, signing: signing, user: user, password: password,
            extra: ["--v2-challenge", #"Bearer realm="http://127.0.0.1:\#(placeholder)/notjson",service="x""#])
        defer { fake.stop() }
        // The realm's port is known only now: start a second fixture whose challenge names the first.
        let registry = try TokenServer(
            directory: directory, signing: signing, user: user, password: password,
            extra: ["--v2-challenge", #"Bearer realm="http://127.0.0.1:\#(fake.port)/notjson",service="x""#])
        defer { registry.stop() }

        let error = try #require(await login("127.0.0.1:\(registry.port)", password).failure)
        #expect(error == .badTokenResponse(realm: "127.0.0.1:\(fake.port)", detail: "the answer is not JSON (text/html)"))
    }

    @Test("a plain-http realm off loopback is refused before any credential is sent")
    func insecureRealm() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let signing = try Certificate.make(in: directory, name: "unused")
        let registry = try TokenServer(
            directory: directory, signing: signing, user: user, password: password,
            extra: ["--v2-challenge", #"Bearer realm="http://auth.example.invalid/token",service="x""#])
        defer { registry.stop() }

        let error = try #require(await login("127.0.0.1:\(registry.port)", password).failure)
        #expect(error == .insecureRealm("http://auth.example.invalid/token"))
        #expect(registry.requests.allSatisfy { $0["authorization"] as? Bool == false })
    }
}

@Suite("TLS with a private CA")
struct TLSLoginTests {
    @Test("without --ca-file the handshake fails clearly; with it the login succeeds")
    func caFile() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = try Certificate.make(in: directory, name: "registry-tls")
        let registry = try Registry(
            directory: directory, auth: .htpasswd(user: user, password: password), tls: certificate)
        defer { registry.stop() }

        let untrusted = try #require(await login(registry.address, password).failure)
        guard case .tlsFailure(let host, _, let unknownAuthority) = untrusted else {
            Issue.record("expected a TLS failure, got \(untrusted)")
            return
        }
        #expect(host == registry.address)
        #expect(unknownAuthority)
        #expect(untrusted.description.contains("--ca-file"))

        let trusted = try await login(registry.address, password, fastOptions(caFile: certificate.certificate)).get()
        #expect(trusted == LoginResult(identityToken: nil, scheme: .basic, endpoint: "https://\(registry.address)"))

        let wrong = try #require(await login(registry.address, "wrong", fastOptions(caFile: certificate.certificate)).failure)
        guard case .unauthorized = wrong else {
            Issue.record("expected unauthorized, got \(wrong)")
            return
        }
    }

    @Test("an unreadable CA file is reported before any request")
    func missingCAFile() async {
        let error = await login("127.0.0.1:1", password, fastOptions(caFile: "/nonexistent/ca.pem")).failure
        #expect(error == .caFile(path: "/nonexistent/ca.pem", detail: "it does not exist or is not readable"))
    }
}

@Suite("Network failures")
struct NetworkFailureTests {
    @Test("nothing listening: connection refused")
    func refused() async throws {
        let port = try freePort()
        let error = await login("127.0.0.1:\(port)", password).failure
        #expect(error == .connectionRefused(host: "127.0.0.1:\(port)"))
    }

    @Test("an unknown host: DNS failure")
    func unknownHost() async {
        let error = await login("registry.credtool-test.invalid", password).failure
        #expect(error == .hostNotFound(host: "registry.credtool-test.invalid"))
    }

    @Test("a server that never answers: timeout within the total deadline")
    func silent() async throws {
        let listener = try SilentListener()
        let options = LoginOptions(connectTimeout: .seconds(1), totalTimeout: .seconds(2))
        let error = await login("127.0.0.1:\(listener.port)", password, options).failure
        guard case .timedOut(let host, _) = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        #expect(host == "127.0.0.1:\(listener.port)")
        withExtendedLifetime(listener) {}
    }

    @Test("a redirect to another host is refused, and that host hears nothing")
    func crossHostRedirect() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let signing = try Certificate.make(in: directory, name: "unused")
        let target = try TokenServer(directory: directory, signing: signing, user: user, password: password)
        defer { target.stop() }
        let redirecting = try TokenServer(
            directory: directory.appendingPathComponent("r", isDirectory: true).creatingDirectory(), signing: signing,
            user: user, password: password, extra: ["--v2-redirect", "http://localhost:\(target.port)/v2/"])
        defer { redirecting.stop() }

        let error = await login("127.0.0.1:\(redirecting.port)", password).failure
        #expect(
            error == .redirectToOtherHost(from: "http://127.0.0.1:\(redirecting.port)", to: "http://localhost:\(target.port)"))
        #expect(target.requests.isEmpty)
    }

    @Test("a /v2/ that is not a registry's")
    func notARegistry() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let signing = try Certificate.make(in: directory, name: "unused")
        let server = try TokenServer(
            directory: directory, signing: signing, user: user, password: password,
            extra: ["--v2-challenge", "Digest realm=x"])
        defer { server.stop() }
        let error = try #require(await login("127.0.0.1:\(server.port)", password).failure)
        #expect(error == .badChallenge("no Basic or Bearer challenge (offered: digest)"))
    }
}

extension URL {
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}

@Suite("Error lines")
struct ErrorLineTests {
    @Test("registry text is cut to one line and secrets are blanked")
    func sanitized() {
        let text = "bad\npassword hunter2 in\r\nbody\u{7}" + String(repeating: "x", count: 400)
        let line = RegistryAuthError.sanitized(text, removing: ["hunter2"])
        #expect(!line.contains("hunter2"))
        #expect(!line.contains("\n") && !line.contains("\r"))
        #expect(line.hasPrefix("bad password *** in body "))
        #expect(line.count <= 301)
    }

    @Test("server addresses")
    func addresses() throws {
        #expect(try RegistryAddress("https://Registry.Example:5000/v1/").authority == "registry.example:5000")
        #expect(try RegistryAddress("docker.io").authority == "registry-1.docker.io")
        #expect(try RegistryAddress("[::1]:5000").isLoopback)
        #expect(try RegistryAddress("127.3.4.5").isLoopback)
        #expect(try RegistryAddress("127.example.com").isLoopback == false)
        #expect(throws: RegistryAuthError.self) { try RegistryAddress("https:///v2/") }
        #expect(throws: RegistryAuthError.self) { try RegistryAddress("user@host") }
    }
}
