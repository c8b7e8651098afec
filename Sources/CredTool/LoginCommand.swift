#if canImport(Glibc)
    import Glibc
#endif
import CommandLineKit
import CredentialHelpers
import DockerConfig
import RegistryAuth

/// `credtool login [SERVER]`: checks a username and password with the registry, as
/// `docker login` does but without a daemon, and only then stores them.
struct LoginCommand: Command {
    static let spec = CommandSpec(
        name: "login",
        abstract: "Check credentials with a registry, then store them.",
        discussion: """
            Asks the registry whether USERNAME and the password are right, the way docker
            login does: GET /v2/ over https (plain http only with --insecure, or on a
            loopback address after https fails), then Basic auth or the token server that
            the registry's challenge names. Only when the registry accepts them are the
            credentials stored, and "Login Succeeded" is printed.

            The password comes from stdin with --password-stdin (one trailing newline is
            removed, as docker does), else from a prompt with echo off when stdin is a
            terminal. --password works but puts the password where ps and the shell's
            history see it. Without a terminal, give both -u and --password-stdin.

            The credentials go where Docker would look for them: the registry's
            credHelpers entry, else the credsStore; with neither, the keyring (the
            'swift' store), and credsStore is set to "swift" in the config. The auths
            entry is kept as an empty {} as docker does, so docker and credtool list
            show the login. When the token server sends a refresh token, it is stored
            as an identity token (username <token>) instead of the password.

            --plaintext stores the credentials in the config file itself (base64 in the
            auths entry's auth field), as docker does without a store; it is refused when
            a store applies to SERVER, since Docker would never read them there.

            When the registry refuses the credentials, or cannot be reached, nothing is
            stored and the config file is not touched; the exit status is 1.
            """,
        options: [
            .value("username", short: "u", placeholder: "USER", help: "The username; prompted for on a terminal."),
            .value(
                "password", short: "p", placeholder: "PASSWORD",
                help: "The password (insecure: it shows in ps and shell history; use --password-stdin)."),
            .flag("password-stdin", help: "Read the password from stdin (one trailing newline is removed)."),
            .flag("insecure", help: "Allow plain http for the registry and its token server."),
            .value(
                "ca-file", placeholder: "FILE",
                help: "Also trust the CA certificates in this PEM file (a registry with a private CA).",
                completion: .file),
            .flag("plaintext", help: "Store the credentials in the config file (base64), not in a store."),
        ],
        arguments: [
            ArgumentSpec(
                "SERVER", help: "The registry: a host, host:port or URL (default: Docker Hub).", isOptional: true,
                completion: CompleteCommand.registries)
        ],
        examples: [
            Example(
                "credtool login ghcr.io -u octocat --password-stdin < ~/.ghcr-token",
                "Log in to ghcr.io with a token kept in a file."),
            Example(
                "credtool login registry.internal:5000 --ca-file /etc/ssl/internal-ca.pem",
                "Log in to a registry with a private CA, prompting for the username and password."),
        ]
    )

    /// Docker Hub's key: the registry `docker login` uses without a SERVER.
    static let defaultServer = ServerSpellings.dockerHubKey

    var options: ConfigOptions
    var server: String
    var username: String?
    var password: String?
    var passwordFromStdin: Bool
    var plaintext: Bool
    var loginOptions: LoginOptions

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        server = parsed.argument("SERVER") ?? Self.defaultServer
        username = parsed.value("username")
        password = parsed.value("password")
        passwordFromStdin = parsed.flag("password-stdin")
        plaintext = parsed.flag("plaintext")
        let caFile = parsed.value("ca-file")
        loginOptions = LoginOptions(insecure: parsed.flag("insecure"), caFile: caFile)
        if server.isEmpty { throw UsageError("SERVER must not be empty") }
        if username == "" { throw UsageError("--username must not be empty") }
        if password == "" { throw UsageError("--password must not be empty") }
        if caFile == "" { throw UsageError("--ca-file needs a file") }
        if password != nil && passwordFromStdin {
            throw UsageError("--password and --password-stdin cannot be used together")
        }
        if passwordFromStdin && username == nil {
            throw UsageError("--password-stdin needs --username: stdin holds the password")
        }
    }

    func run(_ io: inout CommandIO) throws {
        if password != nil {
            io.stderr.write("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n")
        }
        let path = try options.location(io.environment).path
        let key = RegistryKey(server)
        // Read first: a config that does not parse, or --plaintext where a store applies, fails
        // before anyone types a password.
        let config = try ConfigFileAccess.load(path: path) ?? ConfigFile(path: path)
        let makeStore = StoreContext.current.makeStore
        if plaintext { try Self.checkPlaintext(config: config, server: server, makeStore: makeStore) }

        let username = try self.username ?? Self.prompt(for: .username, io: &io)
        let password = try readPassword(&io)

        let result = try RegistryClient().checkLogin(
            server: server, username: username, password: password, options: loginOptions)

        // Docker files an identity token under the username <token> (credentials.tokenUsername).
        let credentials =
            result.identityToken.map {
                Credentials(serverURL: key.value, username: Credentials.identityTokenUsername, secret: $0)
            } ?? Credentials(serverURL: key.value, username: username, secret: password)
        try ConfigFileAccess.update(path: path) { config in
            try Self.save(credentials, in: &config, plaintext: plaintext, server: server, makeStore: makeStore)
        }
        if plaintext { io.stderr.write("WARNING! Your password will be stored unencrypted in \(path).\n") }
        io.stdout.write("Login Succeeded\n")
    }

    // MARK: - Storing

    /// The store the credentials go to, and the config's `auths` entry, edited under the lock.
    ///
    /// The store is written first: when it fails, the error leaves the file as it was.
    static func save(
        _ credentials: Credentials, in config: inout ConfigFile, plaintext: Bool, server: String,
        makeStore: @escaping StoreFactory
    ) throws {
        let key = credentials.serverURL
        var entry = config.authEntry(for: key) ?? AuthEntry()
        var setsCredsStore = false
        if plaintext {
            try checkPlaintext(config: config, server: server, makeStore: makeStore)
            if credentials.isIdentityToken {
                entry.setIdentityToken(credentials.secret)
            } else {
                entry.setPlaintext(username: credentials.username, password: credentials.secret)
            }
        } else {
            let storeName: String
            switch CredentialResolver(config: config, makeStore: makeStore).source(for: server) {
            case .helper(let name), .store(let name): storeName = name
            case .file:
                storeName = "swift"
                setsCredsStore = true
            }
            try makeStore(storeName).store(credentials)
            // docker's nativeStore keeps an entry without credentials, so the login still shows.
            entry.removeCredentials()
        }
        config.setAuthEntry(entry, for: key)
        // After auths, so that a new file has docker's field order (auths first).
        if setsCredsStore { config.credsStore = "swift" }
    }

    /// Refuses `--plaintext` when a store applies to `server`: Docker would never read the file's entry.
    static func checkPlaintext(config: ConfigFile, server: String, makeStore: @escaping StoreFactory) throws(LoginError) {
        let source = CredentialResolver(config: config, makeStore: makeStore).source(for: server)
        if source != .file { throw .plaintextShadowed(server: server, source: source, path: config.path) }
    }

    // MARK: - Reading the username and password

    /// The password: from stdin, from `--password`, or typed at a prompt with echo off.
    private func readPassword(_ io: inout CommandIO) throws -> String {
        if let password { return password }
        guard passwordFromStdin else { return try Self.prompt(for: .password, io: &io) }
        var bytes = try io.stdin.readAll(limit: 1 << 20)
        // docker: strings.TrimSuffix(contents, "\n"), then the same for "\r". On bytes: in a
        // String, "\r\n" is one Character, and hasSuffix("\n") would not see it.
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        if bytes.isEmpty { throw LoginError.emptyPassword(fromStdin: true) }
        return String(decoding: bytes, as: UTF8.self)
    }

    enum Field: String {
        case username = "Username"
        case password = "Password"
    }

    /// Asks for `field` on the terminal: the prompt on stderr, the answer from stdin, with
    /// echo off for a password.
    private static func prompt(for field: Field, io: inout CommandIO) throws -> String {
        guard io.isStdinTerminal else { throw LoginError.noTerminal(field) }
        io.stderr.write("\(field.rawValue): ")
        let line: String?
        switch field {
        case .username:
            line = try io.stdin.readLine().map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
        case .password:
            line = try LoginTerminal.current.withEchoOff { try io.stdin.readLine() }
            io.stderr.write("\n")  // the Enter typed was not echoed
        }
        guard let line, !line.isEmpty else {
            throw field == .username ? LoginError.emptyUsername : LoginError.emptyPassword(fromStdin: false)
        }
        return line
    }
}

/// Why `credtool login` failed before or after asking the registry (the registry's own
/// answers are ``RegistryAuthError``s).
enum LoginError: Error, Equatable, CustomStringConvertible {
    /// A prompt was needed, but stdin is not a terminal.
    case noTerminal(LoginCommand.Field)
    case emptyUsername
    case emptyPassword(fromStdin: Bool)
    /// `--plaintext` for a registry whose credentials Docker reads from a store.
    case plaintextShadowed(server: String, source: CredentialSource, path: String)

    var description: String {
        switch self {
        case .noTerminal(.username):
            "cannot prompt for a username: stdin is not a terminal; pass it with --username"
        case .noTerminal(.password):
            "cannot prompt for a password: stdin is not a terminal; pipe it to --password-stdin"
        case .emptyUsername: "a username is required"
        case .emptyPassword(let fromStdin): fromStdin ? "stdin holds no password" : "a password is required"
        case .plaintextShadowed(let server, let source, let path):
            "--plaintext: \(path) sends \(server) to \(source), so Docker would never read a password"
                + " stored in the file; log in without --plaintext"
        }
    }
}

// MARK: - The terminal

/// Turns off echo on the terminal a password is typed at.
///
/// The tool uses ``StandardInputEcho``; in-process tests, whose stdin is a buffer, set
/// ``current`` to a stand-in so that the test run's own terminal is never touched.
package protocol PasswordEcho: Sendable {
    /// Runs `body` with echo off, and restores the terminal on every way out.
    func withEchoOff<R>(_ body: () throws -> R) throws -> R
}

enum LoginTerminal {
    @TaskLocal static var current: any PasswordEcho = StandardInputEcho()
}

/// Echo off on file descriptor 0 with termios; restored when `body` returns or throws, and by
/// a signal handler when SIGINT, SIGTERM, SIGHUP or SIGQUIT end the process meanwhile.
struct StandardInputEcho: PasswordEcho {
    func withEchoOff<R>(_ body: () throws -> R) throws -> R {
        var original = termios()
        // Not a terminal after all (stdin redirected under a TTY check's nose): nothing to hide.
        guard tcgetattr(0, &original) == 0 else { return try body() }
        var quiet = original
        quiet.c_lflag &= ~tcflag_t(ECHO | ECHOE | ECHOK | ECHONL)
        EchoRestorer.arm(original)
        defer { EchoRestorer.disarm() }
        guard tcsetattr(0, TCSANOW, &quiet) == 0 else { return try body() }
        return try body()
    }
}

/// The saved terminal state and the signal handlers that put it back.
///
/// Process-wide state, as signal dispositions are: one prompt at a time (the tool prompts once
/// per run). The handler only calls async-signal-safe functions (`tcsetattr`, `sigaction`,
/// `raise`).
private enum EchoRestorer {
    /// The terminal state to restore, on the heap: a Swift global of the imported `termios`
    /// gets its 57-byte size while an assignment copies its 60-byte stride, three bytes past
    /// the end (AddressSanitizer's global-buffer-overflow). Allocated once, never freed.
    nonisolated(unsafe) static let saved = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    nonisolated(unsafe) static var previous: [Int32: sigaction] = [:]
    static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    static func arm(_ original: termios) {
        saved.initialize(to: original)  // termios is trivial: initializing again is an assignment
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                _ = tcsetattr(0, TCSANOW, EchoRestorer.saved)
                var fallback = sigaction()
                fallback.__sigaction_handler.sa_handler = SIG_DFL
                sigaction(received, &fallback, nil)
                raise(received)  // delivered once the handler returns: the process ends as it would have
            }
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
    }

    static func disarm() {
        _ = tcsetattr(0, TCSANOW, saved)
        for (signal, var old) in previous { sigaction(signal, &old, nil) }
        previous = [:]
    }
}
