import CommandLineKit
import CredentialHelpers
@testable import CredTool
import Foundation
import Testing

private let user = "alice"
private let password = "s3cret pässword"

/// Stands in for the terminal: counts the reads done with echo off.
final class RecordingEcho: PasswordEcho, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var echoOffReads: Int { lock.withLock { count } }

    func withEchoOff<R>(_ body: () throws -> R) throws -> R {
        lock.withLock { count += 1 }
        return try body()
    }
}

private struct Unchecked<Value>: @unchecked Sendable { var value: Value }

extension Sandbox {
    /// Runs `credtool ARGS` in-process on a thread of its own, with `stdin` as standard input.
    ///
    /// `login` blocks its thread while the registry answers; a thread of the concurrency pool
    /// (two on a two-core machine) must not be the one blocked, so the test awaits instead.
    func login(
        _ arguments: [String], stdin: String = "", terminal: Bool = false, echo: RecordingEcho = RecordingEcho()
    ) async -> Outcome {
        let sandbox = Unchecked(value: self)
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var io = CommandIO.capture(
                    stdin: Array(stdin.utf8), environment: sandbox.value.environment, isStdinTerminal: terminal)
                let status = LoginTerminal.$current.withValue(echo) {
                    runCredTool(arguments, io: &io, makeStore: sandbox.value.makeStore)
                }
                continuation.resume(
                    returning: Outcome(
                        status: status, stdout: io.stdout.capturedText ?? "", stderr: io.stderr.capturedText ?? ""))
            }
        }
    }

    /// `credtool login SERVER -u alice --password-stdin` with `stdin`, and any `extra` arguments.
    func login(_ server: String, stdin: String, _ extra: String...) async -> Outcome {
        await login(["login", server, "-u", user, "--password-stdin"] + extra, stdin: stdin)
    }
}

/// A config.json with other settings, whose bytes a failed login must leave alone.
private let settledConfig = """
    {
    \t"auths": {
    \t\t"quay.io": {
    \t\t\t"auth": "\(base64("carol:pw"))"
    \t\t}
    \t},
    \t"psFormat": "table {{.ID}}"
    }
    """

@Suite("credtool login: arguments and prompts")
struct LoginArgumentTests {
    struct UsageCase: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let usageCases: [UsageCase] = [
        UsageCase(
            arguments: ["login", "reg.example", "-u", "a", "-p", "x", "--password-stdin"],
            message: "--password and --password-stdin cannot be used together"),
        UsageCase(arguments: ["login", "reg.example", "-u", "", "--password-stdin"], message: "--username must not be empty"),
        UsageCase(
            arguments: ["login", "reg.example", "--password-stdin"],
            message: "--password-stdin needs --username: stdin holds the password"),
        UsageCase(arguments: ["login", "reg.example", "-u", "a", "-p", ""], message: "--password must not be empty"),
        UsageCase(arguments: ["login", "", "-u", "a", "-p", "x"], message: "SERVER must not be empty"),
        UsageCase(arguments: ["login", "reg.example", "--ca-file", ""], message: "--ca-file needs a file"),
    ]

    @Test("usage errors exit 64 and touch nothing", arguments: usageCases)
    func usage(_ c: UsageCase) async throws {
        let sandbox = try Sandbox()
        let outcome = await sandbox.login(c.arguments, stdin: "pw\n")
        #expect(outcome.status == 64)
        #expect(outcome.stderr.hasPrefix("Error: \(c.message)\n"), "\(outcome)")
        #expect(outcome.stdout == "")
        #expect(sandbox.bytes(sandbox.configPath) == nil)
        #expect(sandbox.memory.items.isEmpty)
    }

    /// The command `credtool ARGS` parses to.
    private func command(_ arguments: String...) throws -> LoginCommand {
        guard case .run(let parsed) = try parse(arguments, root: credToolSpec) else { throw UsageError("not a run") }
        return try LoginCommand(parsed)
    }

    @Test("without SERVER, Docker Hub under docker's key; --insecure and --ca-file reach RegistryAuth")
    func parsing() throws {
        let hub = try command("login", "-u", "a", "--password-stdin")
        #expect(hub.server == "https://index.docker.io/v1/")
        #expect(hub.loginOptions.insecure == false)
        #expect(hub.loginOptions.caFile == nil)
        let other = try command("login", "reg.example:5000", "--insecure", "--ca-file", "/ca.pem", "-u", "a")
        #expect(other.server == "reg.example:5000")
        #expect(other.loginOptions.insecure == true)
        #expect(other.loginOptions.caFile == "/ca.pem")
        #expect(other.username == "a" && other.password == nil && !other.passwordFromStdin && !other.plaintext)
    }

    @Test("without a terminal, a missing password or username is an error, not a prompt")
    func noTerminal() async throws {
        let sandbox = try Sandbox()
        let port = try freePort()
        #expect(await sandbox.login(["login", "127.0.0.1:\(port)", "-u", user]) == Outcome(
            status: 1, stdout: "",
            stderr: "credtool: cannot prompt for a password: stdin is not a terminal; pipe it to --password-stdin\n"))
        #expect(await sandbox.login(["login", "127.0.0.1:\(port)", "-p", "pw"]) == Outcome(
            status: 1, stdout: "",
            stderr: """
                WARNING! Using --password via the CLI is insecure. Use --password-stdin.
                credtool: cannot prompt for a username: stdin is not a terminal; pass it with --username

                """))
        #expect(sandbox.bytes(sandbox.configPath) == nil)
    }

    @Test("an empty stdin is no password")
    func emptyStdin() async throws {
        let sandbox = try Sandbox()
        #expect(await sandbox.login("reg.example", stdin: "\n") == Outcome(
            status: 1, stdout: "", stderr: "credtool: stdin holds no password\n"))
    }

    @Test("an unreachable registry: one line, exit 1, the config untouched")
    func refused() async throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(settledConfig)
        let port = try freePort()
        #expect(await sandbox.login("127.0.0.1:\(port)", stdin: "pw\n") == Outcome(
            status: 1, stdout: "",
            stderr: "credtool: cannot connect to 127.0.0.1:\(port): connection refused or host unreachable\n"))
        #expect(sandbox.text(sandbox.configPath) == settledConfig)
    }

    @Test("a config that does not parse fails before the password is read")
    func badConfig() async throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("{\"auths\": [")
        let outcome = await sandbox.login(["login", "reg.example", "-u", user], terminal: true)
        #expect(outcome.status == 1)
        #expect(!outcome.stderr.contains("Password:"), "\(outcome)")
        #expect(outcome.stderr.contains(sandbox.configPath), "\(outcome)")
    }

    @Test("--plaintext is refused where a store applies, before anything is asked")
    func plaintextShadowed() async throws {
        let sandbox = try Sandbox()
        let config = "{\"credsStore\": \"swift\"}"
        try sandbox.writeConfig(config)
        #expect(await sandbox.login("reg.example", stdin: "pw\n", "--plaintext") == Outcome(
            status: 1, stdout: "",
            stderr: "credtool: --plaintext: \(sandbox.configPath) sends reg.example to credsStore swift, so Docker"
                + " would never read a password stored in the file; log in without --plaintext\n"))
        #expect(sandbox.text(sandbox.configPath) == config)
    }
}

@Suite("credtool login against docker-registry (htpasswd)")
struct LoginHtpasswdTests {
    @Test("the right password: stored in the swift store, credsStore set, a {} entry, Login Succeeded")
    func rightPassword() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        // Exactly one line end goes: "\r\n" as docker strips it.
        #expect(await sandbox.login(registry.address, stdin: password + "\r\n")
            == Outcome(status: 0, stdout: "Login Succeeded\n", stderr: ""))
        #expect(sandbox.memory.items == [
            registry.address: Credentials(serverURL: registry.address, username: user, secret: password)
        ])
        #expect(sandbox.text(sandbox.configPath) == """
            {
            \t"auths": {
            \t\t"\(registry.address)": {}
            \t},
            \t"credsStore": "swift"
            }
            """)
        #expect(sandbox.mode(sandbox.configPath) == 0o600)
        // The stored credential opens the registry: a real authenticated request.
        let stored = try #require(sandbox.memory.items[registry.address])
        #expect(try await registry.catalogStatus(username: stored.username, password: stored.secret) == "200")
        #expect(try await registry.catalogStatus(username: user, password: "wrong") == "401")
    }

    @Test("only one newline is removed: a second one is part of the (wrong) password")
    func oneNewline() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        let outcome = await sandbox.login(registry.address, stdin: password + "\n\n")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("credtool: login to \(registry.address) failed: unauthorized"), "\(outcome)")
    }

    @Test("a wrong password: unauthorized, exit 1, nothing stored, the config byte-identical")
    func wrongPassword() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(settledConfig)
        let inode = sandbox.inode(sandbox.configPath)
        let outcome = await sandbox.login(registry.address, stdin: "wrong-password\n")
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr.hasPrefix("credtool: login to \(registry.address) failed: unauthorized"), "\(outcome)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(!outcome.stderr.contains("wrong-password"))
        #expect(sandbox.text(sandbox.configPath) == settledConfig)
        #expect(sandbox.inode(sandbox.configPath) == inode)
        #expect(sandbox.memory.items.isEmpty)
    }

    @Test("credHelpers wins over credsStore; neither setting is changed")
    func credHelpers() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig("{\"credsStore\": \"fake\", \"credHelpers\": {\"\(registry.address)\": \"swift\"}}")
        #expect(await sandbox.login("http://\(registry.address)/", stdin: password).status == 0)
        #expect(sandbox.memory.items[registry.address]?.secret == password)
        #expect(sandbox.text(sandbox.configPath) == """
            {
            \t"credsStore": "fake",
            \t"credHelpers": {
            \t\t"\(registry.address)": "swift"
            \t},
            \t"auths": {
            \t\t"\(registry.address)": {}
            \t}
            }
            """)
    }

    @Test("a plain-text entry gives way to the store: its credentials go, its other fields stay")
    func replacesPlaintext() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig("""
            {
            \t"auths": {
            \t\t"\(registry.address)": {
            \t\t\t"auth": "\(base64("old:old"))",
            \t\t\t"email": "alice@example.com"
            \t\t}
            \t},
            \t"credsStore": "swift"
            }
            """)
        #expect(await sandbox.login(registry.address, stdin: password + "\n").status == 0)
        #expect(sandbox.text(sandbox.configPath) == """
            {
            \t"auths": {
            \t\t"\(registry.address)": {
            \t\t\t"email": "alice@example.com"
            \t\t}
            \t},
            \t"credsStore": "swift"
            }
            """)
        #expect(sandbox.memory.items[registry.address]?.username == user)
    }

    @Test("--plaintext writes auth into the file, says so, and sets no credsStore")
    func plaintext() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        #expect(await sandbox.login(registry.address, stdin: password + "\n", "--plaintext") == Outcome(
            status: 0, stdout: "Login Succeeded\n",
            stderr: "WARNING! Your password will be stored unencrypted in \(sandbox.configPath).\n"))
        #expect(sandbox.text(sandbox.configPath) == plaintextConfig([(registry.address, user, password)]))
        #expect(sandbox.memory.items.isEmpty)
    }

    @Test("on a terminal: both prompts on stderr, the password read with echo off")
    func prompts() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        let echo = RecordingEcho()
        let outcome = await sandbox.login(
            ["login", registry.address], stdin: " \(user) \n\(password)\n", terminal: true, echo: echo)
        #expect(outcome == Outcome(status: 0, stdout: "Login Succeeded\n", stderr: "Username: Password: \n"))
        #expect(echo.echoOffReads == 1)
        #expect(sandbox.memory.items[registry.address]?.username == user)
    }

    @Test("-p works, with docker's warning")
    func passwordOption() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        #expect(await sandbox.login(["login", registry.address, "-u", user, "-p", password]) == Outcome(
            status: 0, stdout: "Login Succeeded\n",
            stderr: "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"))
    }
}

@Suite("credtool login against docker-registry with token auth")
struct LoginTokenTests {
    @Test("the right password: the refresh token is stored as an identity token")
    func rightPassword() async throws {
        let registry = try await LoginRegistry(.token, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        #expect(await sandbox.login(registry.address, stdin: password + "\n")
            == Outcome(status: 0, stdout: "Login Succeeded\n", stderr: ""))
        let stored = try #require(sandbox.memory.items[registry.address])
        #expect(stored.username == "<token>")
        #expect(stored.secret.hasPrefix("refresh-"))
        #expect(!(sandbox.text(sandbox.configPath) ?? "").contains(stored.secret))
    }

    @Test("--plaintext with a refresh token writes identitytoken, not the password")
    func plaintextIdentityToken() async throws {
        let registry = try await LoginRegistry(.token, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        #expect(await sandbox.login(registry.address, stdin: password + "\n", "--plaintext").status == 0)
        let text = try #require(sandbox.text(sandbox.configPath))
        #expect(text.contains("\"identitytoken\": \"refresh-"))
        #expect(!text.contains("\"auth\""))
    }

    @Test("a wrong password: the token server's message, nothing stored, the config untouched")
    func wrongPassword() async throws {
        let registry = try await LoginRegistry(.token, user: user, password: password)
        defer { registry.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(settledConfig)
        #expect(await sandbox.login(registry.address, stdin: "wrong\n") == Outcome(
            status: 1, stdout: "",
            stderr: "credtool: login to \(registry.address) failed: unauthorized: invalid username or password\n"))
        #expect(sandbox.text(sandbox.configPath) == settledConfig)
        #expect(sandbox.memory.items.isEmpty)
    }
}

@Suite("credtool login over TLS with --ca-file")
struct LoginTLSTests {
    @Test("trusted through --ca-file; without it, a one-line TLS error that names --ca-file")
    func caFile() async throws {
        let registry = try await LoginRegistry(.htpasswd, user: user, password: password, tls: true)
        defer { registry.stop() }
        let caFile = try #require(registry.caFile)
        let sandbox = try Sandbox()
        let untrusted = await sandbox.login(registry.address, stdin: password + "\n")
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.hasPrefix("credtool: TLS handshake with \(registry.address) failed"), "\(untrusted)")
        #expect(untrusted.stderr.hasSuffix("pass its certificate with --ca-file\n"), "\(untrusted)")
        #expect(sandbox.bytes(sandbox.configPath) == nil)

        #expect(await sandbox.login(registry.address, stdin: password + "\n", "--ca-file", caFile)
            == Outcome(status: 0, stdout: "Login Succeeded\n", stderr: ""))
        let stored = try #require(sandbox.memory.items[registry.address])
        #expect(try await registry.catalogStatus(username: stored.username, password: stored.secret) == "200")
    }
}
