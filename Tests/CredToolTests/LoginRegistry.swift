import Foundation
import Testing

/// Debian's docker-registry on 127.0.0.1 for `credtool login` tests: htpasswd auth, or token
/// auth trusting RegistryAuthTests' token-server fixture (started here too); optionally behind
/// TLS with a self-signed certificate (``caFile``). Everything lives in one temporary directory;
/// `stop()` kills the servers with SIGKILL and removes it.
///
/// Every wait here is a `Task.sleep`, never a blocked thread: the concurrency pool has as many
/// threads as cores (two on CI), and the RegistryAuth tests running beside these need them.
final class LoginRegistry {
    enum Auth { case htpasswd, token }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RegistryAuthTests/Fixtures/token_server.py").path

    let directory: String
    private(set) var address = ""
    /// The registry's TLS certificate, for `--ca-file`; `nil` for plain http.
    private(set) var caFile: String?
    private var servers: [Process] = []

    init(_ auth: Auth, user: String, password: String, tls: Bool = false) async throws {
        var template = Array("/tmp/credtool-login-XXXXXX".utf8CString)
        directory = String(cString: try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }))
        do { try await start(auth, user: user, password: password, tls: tls) } catch {
            stop()
            throw error
        }
    }

    private func start(_ auth: Auth, user: String, password: String, tls: Bool) async throws {
        var authSection: String
        switch auth {
        case .htpasswd:
            try await tool("/usr/bin/htpasswd", ["-Bbn", user, password]).write(
                toFile: directory + "/htpasswd", atomically: false, encoding: .utf8)
            authSection = "auth:\n  htpasswd:\n    realm: credtool-test\n    path: \(directory)/htpasswd\n"
        case .token:
            let signing = try await certificate("signing")
            let portFile = directory + "/token-server.out"
            let server = try launch(
                "/usr/bin/python3",
                [Self.fixture, "--key", signing + ".key", "--cert", signing + ".pem", "--user", user,
                 "--password", password, "--log", directory + "/token-requests.jsonl"],
                output: portFile)
            var port = 0
            try await wait("the token server", server) {
                let text = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
                port = text.split(separator: "\n").first { $0.hasPrefix("PORT ") }.flatMap { Int($0.dropFirst(5)) } ?? 0
                return port > 0
            }
            authSection = """
                auth:
                  token:
                    realm: http://127.0.0.1:\(port)/token
                    service: test-registry
                    issuer: credtool-test
                    rootcertbundle: \(signing).pem

                """
        }
        var tlsSection = ""
        if tls {
            let certificate = try await certificate("tls")
            tlsSection = "  tls:\n    certificate: \(certificate).pem\n    key: \(certificate).key\n"
            caFile = certificate + ".pem"
        }
        // The probed port may be taken before the registry binds it: a few tries.
        for attempt in 1...3 {
            let port = try freePort()
            let config = "\(directory)/registry-\(attempt).yml"
            try """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: \(directory)/data
                http:
                  addr: 127.0.0.1:\(port)
                \(tlsSection)\(authSection)
                """.write(toFile: config, atomically: false, encoding: .utf8)
            let registry = try launch("/usr/bin/docker-registry", ["serve", config], output: config + ".log")
            do {
                try await wait("docker-registry", registry) { Self.isListening(port) }
                address = "127.0.0.1:\(port)"
                return
            } catch where attempt < 3 {
                kill(registry.processIdentifier, SIGKILL)
            }
        }
    }

    /// The Basic-authenticated `GET /v2/_catalog` status, sent by python3 (not by the code under test).
    func catalogStatus(username: String, password: String) async throws -> String {
        let scheme = caFile == nil ? "http" : "https"
        let script = """
            import base64, ssl, sys, urllib.request, urllib.error
            request = urllib.request.Request('\(scheme)://\(address)/v2/_catalog')
            request.add_header('Authorization', 'Basic ' + base64.b64encode(sys.stdin.buffer.read()).decode())
            context = ssl.create_default_context(cafile=sys.argv[1]) if sys.argv[1] else None
            try: print(urllib.request.urlopen(request, timeout=5, context=context).status)
            except urllib.error.HTTPError as e: print(e.code)
            """
        return try await tool("/usr/bin/python3", ["-c", script, caFile ?? ""], input: "\(username):\(password)")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() {
        for server in servers where server.isRunning {
            kill(server.processIdentifier, SIGKILL)  // Process starts children with SIGTERM blocked
            server.waitUntilExit()
        }
        servers = []
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    // MARK: - Helpers

    /// A self-signed certificate for 127.0.0.1: `NAME.pem` and `NAME.key` in ``directory``.
    private func certificate(_ name: String) async throws -> String {
        let base = directory + "/" + name
        try await tool("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "1", "-keyout", base + ".key",
            "-out", base + ".pem", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        return base
    }

    private func launch(_ executable: String, _ arguments: [String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        servers.append(process)
        return process
    }

    /// Polls `ready` for at most 30 s, and once more after that.
    ///
    /// The last look after the deadline matters: tests that block both threads of the
    /// cooperative pool (waiting for child processes) can keep this task from waking for
    /// seconds, and a server that came up meanwhile is ready, not late.
    private func wait(_ what: String, _ process: Process, until ready: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            if ready() { return }
            guard process.isRunning else { throw LoginFixtureError("\(what) exited early (see \(directory))") }
            if ContinuousClock.now >= deadline { throw LoginFixtureError("\(what) was not ready within 30 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Runs a short tool to its end (at most 20 s) and returns its stdout.
    @discardableResult
    private func tool(_ executable: String, _ arguments: [String], input: String = "") async throws -> String {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw LoginFixtureError("\(executable) is missing: run scripts/bootstrap")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + .seconds(20)
        // Small outputs only (an htpasswd line, a status code): the pipe buffer holds them.
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw LoginFixtureError("\(executable) did not finish within 20 s")
        }
        guard process.terminationStatus == 0 else { throw LoginFixtureError("\(executable) \(arguments) failed") }
        return String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A free TCP port on 127.0.0.1 (bound, read back and closed: a later bind may still race).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard fd >= 0, bound else { throw LoginFixtureError("cannot bind a port on 127.0.0.1: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

private func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

struct LoginFixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
