import Foundation
import Testing
@testable import RegistryAuth

#if canImport(Glibc)
    import Glibc
#endif

/// A failure to set up a test's real components, with what to do about it.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The tools the fixtures run; a missing one fails the test (never skips it).
func tool(_ path: String, package: String) throws -> String {
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw FixtureError(description: "\(path) is missing (Debian package \(package)): run scripts/bootstrap")
    }
    return path
}

/// A fresh directory for one test, removed by `cleanUp`.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("credtool-registry-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a short command to its end (bounded by `timeout`) and returns its stdout.
@discardableResult
func runTool(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(20)) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let clock = ContinuousClock(), deadline = clock.now + timeout
    // Small outputs only (a certificate's subject, an htpasswd line): the pipe buffer holds them.
    while process.isRunning && clock.now < deadline { usleep(5_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw FixtureError(description: "\(executable) did not finish within \(timeout)")
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard process.terminationStatus == 0 else {
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw FixtureError(description: "\(executable) \(arguments.joined(separator: " ")) failed: \(stderr)")
    }
    return text
}

/// A self-signed certificate and its key, for 127.0.0.1.
struct Certificate {
    var certificate: String
    var key: String

    static func make(in directory: URL, name: String) throws -> Certificate {
        let openssl = try tool("/usr/bin/openssl", package: "openssl")
        let certificate = directory.appendingPathComponent("\(name).pem").path
        let key = directory.appendingPathComponent("\(name).key").path
        try runTool(openssl, [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "1", "-keyout", key, "-out", certificate,
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        return Certificate(certificate: certificate, key: key)
    }
}

/// A free TCP port on 127.0.0.1 (bound, read back and closed: a later bind may still race).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw FixtureError(description: "socket: errno \(errno)") }
    defer { close(fd) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard bound else { throw FixtureError(description: "bind: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

func loopbackAddress(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// Whether something accepts connections on 127.0.0.1:`port`.
func isListening(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = loopbackAddress(port: UInt16(port))
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

/// A listening socket that never accepts: connections complete in the kernel's backlog and
/// then hear nothing, which is how a hung server looks.
final class SilentListener {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = loopbackAddress(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 && listen(fd, 16) == 0
            }
        }
        guard ok else { throw FixtureError(description: "listen: errno \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// A server process the test started; `stop` kills it with SIGKILL (Foundation's Process
/// starts children with SIGTERM blocked) and reaps it.
final class ServerProcess {
    let process: Process
    let logPath: String

    init(_ executable: String, _ arguments: [String], log: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        logPath = log
        try process.run()
        try? handle.close()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits (at most `timeout`) until `ready` holds; fails with the server's log if it exits first.
    func wait(for what: String, timeout: Duration = .seconds(10), until ready: () -> Bool) throws {
        let clock = ContinuousClock(), deadline = clock.now + timeout
        while clock.now < deadline {
            if ready() { return }
            guard process.isRunning else { throw FixtureError(description: "\(what) exited: \(log)") }
            usleep(20_000)
        }
        throw FixtureError(description: "\(what) was not ready within \(timeout): \(log)")
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        let clock = ContinuousClock(), deadline = clock.now + .seconds(5)
        while process.isRunning && clock.now < deadline { usleep(5_000) }
    }

    deinit { stop() }
}

/// The token-server fixture (Fixtures/token_server.py) on a free port.
final class TokenServer {
    let server: ServerProcess
    let port: Int
    let requestLog: String

    init(directory: URL, signing: Certificate, user: String, password: String, extra: [String] = []) throws {
        let python = try tool("/usr/bin/python3", package: "python3")
        requestLog = directory.appendingPathComponent("token-requests.jsonl").path
        let portFile = directory.appendingPathComponent("token-server-\(UUID().uuidString).out").path
        let server = try ServerProcess(
            python,
            [fixturesDirectory.appendingPathComponent("token_server.py").path, "--key", signing.key,
             "--cert", signing.certificate, "--user", user, "--password", password, "--log", requestLog] + extra,
            log: portFile)
        self.server = server
        var found = 0
        try server.wait(for: "the token server") {
            guard let line = server.log.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }) else { return false }
            found = Int(line.dropFirst(5)) ?? 0
            return found > 0
        }
        port = found
    }

    /// The requests it received, one decoded JSON object each.
    var requests: [[String: Any]] {
        let text = (try? String(contentsOfFile: requestLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func stop() { server.stop() }
}

/// Debian's docker-registry (distribution 2.8) on 127.0.0.1, configured by the test.
final class Registry {
    enum Auth {
        case none
        case htpasswd(user: String, password: String)
        case token(realm: String, rootCertificate: String)
    }

    let server: ServerProcess
    let port: Int
    var address: String { "127.0.0.1:\(port)" }

    init(directory: URL, auth: Auth, tls: Certificate? = nil) throws {
        let binary = try tool("/usr/bin/docker-registry", package: "docker-registry")
        var authSection = ""
        switch auth {
        case .none: break
        case .htpasswd(let user, let password):
            let htpasswd = try tool("/usr/bin/htpasswd", package: "apache2-utils")
            let line = try runTool(htpasswd, ["-Bbn", user, password])
            let path = directory.appendingPathComponent("htpasswd").path
            try line.write(toFile: path, atomically: false, encoding: .utf8)
            authSection = "auth:\n  htpasswd:\n    realm: credtool-test\n    path: \(path)\n"
        case .token(let realm, let rootCertificate):
            authSection = """
                auth:
                  token:
                    realm: \(realm)
                    service: test-registry
                    issuer: credtool-test
                    rootcertbundle: \(rootCertificate)

                """
        }
        let tlsSection = tls.map { "  tls:\n    certificate: \($0.certificate)\n    key: \($0.key)\n" } ?? ""
        var lastError: any Error = FixtureError(description: "docker-registry did not start")
        // The free port may be taken between our probe and the registry's bind: try a few.
        for attempt in 1...3 {
            let port = try freePort()
            let config = directory.appendingPathComponent("config-\(attempt).yml")
            try """
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(directory.appendingPathComponent("data").path)
            http:
              addr: 127.0.0.1:\(port)
            \(tlsSection)\(authSection)
            """.write(to: config, atomically: false, encoding: .utf8)
            let server = try ServerProcess(
                binary, ["serve", config.path], log: directory.appendingPathComponent("registry-\(attempt).log").path)
            do {
                try server.wait(for: "docker-registry") { isListening(port) }
                self.server = server
                self.port = port
                return
            } catch {
                server.stop()
                lastError = error
            }
        }
        throw lastError
    }

    func stop() { server.stop() }
}

/// Options with short timeouts: everything here is on loopback.
func fastOptions(insecure: Bool = false, caFile: String? = nil) -> LoginOptions {
    LoginOptions(insecure: insecure, caFile: caFile, connectTimeout: .seconds(5), totalTimeout: .seconds(10))
}
