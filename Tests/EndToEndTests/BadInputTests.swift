import Foundation
import Testing

/// One bad input for a built binary and what it must answer.
///
/// In `arguments` and `message`, `{CONFIG}` stands for the config file's path, `{DIR}` for its
/// directory, `{OUT}` for a spare path in the sandbox and `{SEEDED}` for the server the suite keeps
/// in the rig's keyring.
struct BadInput: Sendable, CustomTestStringConvertible {
    enum Program: Sendable { case credtool, helper }

    /// What stands where the config file should be.
    enum Config: Sendable {
        case absent
        case text(String)
        case bytes([UInt8])
        case directory
        case fifo
        /// A symbolic link to /dev/null.
        case devNull
        /// A symbolic link to a file that does not exist.
        case dangling
        /// Two symbolic links naming each other.
        case loop
        /// The file with mode 000 (the run is unprivileged).
        case unreadable(String)
        /// The file in a directory with mode 0500 (the run is unprivileged).
        case readOnlyDirectory(String)
        /// A regular file where the config directory should be.
        case fileAsDirectory
        /// A valid file just over the 16 MiB limit.
        case oversized
    }

    var program: Program
    var arguments: [String]
    var stdin = ""
    var config: Config = .text(plantedConfig)
    /// Fake `docker-credential-NAME` scripts put on PATH.
    var helpers: [String: String] = [:]
    var status: Int32
    /// A fragment of the error line (after placeholder substitution).
    var message: String
    /// The row runs on the rig's keyring (credsStore `swift`), whose items must not change.
    var keyring = false
    var testDescription: String

    var unprivileged: Bool {
        switch config {
        case .unreadable, .readOnlyDirectory: true
        default: false
        }
    }
}

private func credtool(
    _ arguments: [String], config: BadInput.Config = .text(plantedConfig), stdin: String = "",
    helpers: [String: String] = [:], keyring: Bool = false, status: Int32 = 1, _ message: String, _ description: String
) -> BadInput {
    BadInput(
        program: .credtool, arguments: arguments, stdin: stdin, config: config, helpers: helpers, status: status,
        message: message, keyring: keyring, testDescription: "credtool \(description)")
}

private func helper(
    _ arguments: [String], stdin: String = "", keyring: Bool = false, _ message: String, _ description: String
) -> BadInput {
    BadInput(
        program: .helper, arguments: arguments, stdin: stdin, config: .absent, status: 1, message: message,
        keyring: keyring, testDescription: "helper \(description)")
}

private let notJSON = "{CONFIG} is not valid JSON ("
private let usage = "Error: "

/// A config that names `store` as credsStore and keeps a plain entry with a planted secret.
private func storeConfig(_ store: String) -> String {
    "{\"auths\":{\"quay.io\":{\"username\":\"carol\",\"password\":\"\(PlantedSecret.plain)\"}},\"credsStore\":\"\(store)\"}"
}

/// An `auths` entry for ghcr.io whose `auth` is `auth`.
private func authConfig(_ auth: String) -> String {
    "{\"auths\":{\"ghcr.io\":{\"auth\":\"\(auth)\"},\"quay.io\":{\"password\":\"\(PlantedSecret.plain)\"}}}"
}

private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

enum BadInputCatalogue {
    static let rows: [BadInput] = configRows + argumentRows + helperStoreRows + protocolRows + keyringRows

    /// Damaged or misplaced config files: every command that reads the file refuses it.
    static let configRows: [BadInput] = [
        credtool(["get", "ghcr.io"], config: .text(String(plantedConfig.prefix(60))), notJSON, "get: truncated JSON"),
        credtool(["list"], config: .text(String(plantedConfig.prefix(60))), notJSON, "list: truncated JSON"),
        credtool(["logout", "ghcr.io"], config: .text(String(plantedConfig.prefix(60))), notJSON, "logout: truncated JSON"),
        credtool(["merge", "{CONFIG}"], config: .text(String(plantedConfig.prefix(60))), notJSON, "merge: truncated JSON"),
        credtool(
            ["merge", "{CONFIG}", "--output", "{OUT}"], config: .text(String(plantedConfig.prefix(60))), notJSON,
            "merge --output: truncated JSON"),
        credtool(["list", "--json"], config: .text("[" + plantedConfig + "]"),
                 "{CONFIG} must hold a JSON object at the top level", "list --json: a top-level array"),
        credtool(["get", "ghcr.io"], config: .text("\"\(PlantedSecret.config)\""),
                 "{CONFIG} must hold a JSON object at the top level", "get: a top-level string"),
        credtool(["list"], config: .text("{\"auths\":[\"\(PlantedSecret.config)\"]}"),
                 "auths in {CONFIG} must be a JSON object", "list: auths not an object"),
        credtool(["logout", "ghcr.io"], config: .text("{\"auths\":\"\(PlantedSecret.config)\"}"),
                 "auths in {CONFIG} must be a JSON object", "logout: auths a string"),
        credtool(["get", "ghcr.io"], config: .text("{\"auths\":{\"ghcr.io\":\"\(PlantedSecret.config)\"}}"),
                 "auths[\"ghcr.io\"] in {CONFIG} must be a JSON object", "get: an auths entry not an object"),
        credtool(["get", "ghcr.io"], config: .text(authConfig("!!\(PlantedSecret.config)")),
                 "the credentials for ghcr.io in the config are invalid (auth is not base64)", "get: invalid base64"),
        credtool(["list"], config: .text(authConfig("%%%")),
                 "the credentials for ghcr.io in the config are invalid (auth is not base64)", "list: invalid base64"),
        credtool(["get", "ghcr.io"], config: .text(authConfig(base64(PlantedSecret.config))),
                 "auth holds no ':' between username and password", "get: auth without a colon"),
        credtool(["get", "ghcr.io"], config: .text(authConfig(base64(":" + PlantedSecret.config))),
                 "auth holds an empty username", "get: auth with an empty username"),
        credtool(["get", "ghcr.io"], config: .text(authConfig("/w==")),
                 "auth does not decode to UTF-8 text", "get: auth not UTF-8"),
        credtool(["get", "ghcr.io"], config: .text("{\"auths\":{\"ghcr.io\":{\"auth\":42}}}"),
                 "the auth field is not a string", "get: auth a number"),
        credtool(["get", "ghcr.io"], config: .text("{\"credsStore\":5}"),
                 "credsStore in {CONFIG} must be a string", "get: credsStore a number"),
        credtool(["list"], config: .text("{\"credHelpers\":{\"ghcr.io\":true}}"),
                 "credHelpers[\"ghcr.io\"] in {CONFIG} must be a string", "list: a credHelpers value not a string"),
        credtool(["list"], config: .bytes([0xEF, 0xBB, 0xBF] + Array(plantedConfig.utf8)),
                 "byte order mark", "list: a UTF-8 BOM"),
        credtool(["get", "ghcr.io"], config: .bytes([0x00, 0xFF, 0x13, 0x37, 0x7F, 0x80, 0xC3] + Array(PlantedSecret.config.utf8)),
                 notJSON, "get: binary garbage"),
        credtool(["list"], config: .text(plantedConfig + " x"), notJSON, "list: trailing garbage"),
        credtool(["get", "ghcr.io"], config: .text("{\"auths\":{},}"), notJSON, "get: a trailing comma"),
        credtool(["list"], config: .text("// \(PlantedSecret.config)\n{}"), notJSON, "list: a comment"),
        credtool(["list"], config: .text("{\"auths\":{\"\\ud800\":{}}}"), notJSON, "list: a lone surrogate"),
        credtool(["list"], config: .bytes(Array("{\"auths\":{\"a\u{0}b\":{}}}".utf8)), notJSON,
                 "list: a raw NUL in a string"),
        credtool(["list"], config: .bytes(Array("{\"psFormat\":\"".utf8) + [0xC0, 0xAF] + Array("\"}".utf8)), notJSON,
                 "list: invalid UTF-8 in a string"),
        credtool(["list"], config: .text(String(repeating: "[", count: 100_000)), notJSON, "list: nesting 100000 deep"),
        credtool(["list"], config: .oversized, "is larger than 16 MiB", "list: a 17 MiB file"),
        credtool(["logout", "ghcr.io"], config: .oversized, "is larger than 16 MiB", "logout: a 17 MiB file"),
        credtool(["get", "ghcr.io"], config: .directory, "{CONFIG} is a directory, not a config file", "get: a directory"),
        credtool(["logout", "ghcr.io"], config: .directory, "{CONFIG} is a directory, not a config file",
                 "logout: a directory"),
        credtool(["list"], config: .fifo, "{CONFIG} is not a regular file", "list: a FIFO"),
        credtool(["logout", "ghcr.io"], config: .fifo, "{CONFIG} is not a regular file", "logout: a FIFO"),
        credtool(["get", "ghcr.io"], config: .devNull, "{CONFIG} is not a regular file", "get: a link to /dev/null"),
        credtool(["logout", "ghcr.io"], config: .devNull, "{CONFIG} is not a regular file",
                 "logout: a link to /dev/null"),
        credtool(["get", "ghcr.io"], config: .dangling, "no credentials for ghcr.io", "get: a dangling link"),
        credtool(["logout", "ghcr.io"], config: .dangling, "not logged in to ghcr.io", "logout: a dangling link"),
        credtool(["get", "ghcr.io"], config: .loop, "cannot read {CONFIG}: Too many levels of symbolic links",
                 "get: a symbolic link loop"),
        credtool(["logout", "ghcr.io"], config: .loop, "Too many levels of symbolic links",
                 "logout: a symbolic link loop"),
        credtool(["list"], config: .fileAsDirectory, "cannot read {CONFIG}: Not a directory",
                 "list: the config directory is a file"),
        credtool(["get", "ghcr.io"], config: .unreadable(plantedConfig), "cannot read {CONFIG}: Permission denied",
                 "get: an unreadable file"),
        credtool(["logout", "ghcr.io"], config: .unreadable(plantedConfig), "Permission denied",
                 "logout: an unreadable file"),
        credtool(["logout", "ghcr.io"], config: .readOnlyDirectory(plantedConfig), "Permission denied",
                 "logout: a read-only config directory"),
        credtool(["merge", "{CONFIG}", "--output", "{DIR}/merged.json"], config: .readOnlyDirectory(plantedConfig),
                 "Permission denied", "merge --output into a read-only directory"),
    ]

    /// Wrong command lines and arguments (usage errors are three lines: error, usage, pointer).
    static let argumentRows: [BadInput] = [
        credtool([], status: 64, usage + "missing command", "with no arguments"),
        credtool(["lst"], status: 64, usage + "unknown command 'lst'; did you mean 'list'?", "an unknown command"),
        credtool(["get"], status: 64, usage + "missing argument SERVER", "get without a server"),
        credtool(["get", "a.example", "b.example"], status: 64, usage + "unexpected argument 'b.example'",
                 "get with two servers"),
        credtool(["get", ""], status: 64, usage + "SERVER must not be empty", "get with an empty server"),
        credtool(["logout"], status: 64, usage + "missing argument SERVER", "logout without a server"),
        credtool(["list", "--bogus"], status: 64, usage + "unknown option '--bogus'", "list with an unknown option"),
        credtool(["doctor", "--bogus"], status: 64, usage + "unknown option '--bogus'", "doctor with an unknown option"),
        credtool(["merge"], status: 64, usage + "missing argument FILE", "merge without files"),
        credtool(["--config"], status: 64, usage + "option '--config' needs a value (DIR)", "--config without a value"),
        credtool(["--config=", "list"], status: 64, usage + "--config needs a directory", "an empty --config"),
        credtool(["get", "--password", PlantedSecret.stdin, "ghcr.io"], status: 64, usage + "unknown option '--password'",
                 "a secret passed as an option"),
        credtool(["get", "nothere.example"], "no credentials for nothere.example", "get: no such registry"),
        credtool(["logout", "nothere.example"], "not logged in to nothere.example", "logout: no such registry"),
        credtool(["get", "a\nb.example"], "no credentials for a\\nb.example", "get: a line break in the server"),
        credtool(["logout", "\u{1B}[2J\u{1B}[31mx"], "not logged in to \\u{1B}[2J\\u{1B}[31mx",
                 "logout: terminal escapes in the server"),
        credtool(["merge", "{OUT}"], "{OUT} does not exist; check the path", "merge: a missing file"),
        credtool(["merge", "{CONFIG}", "--output", "{DIR}"], "{DIR} is a directory", "merge --output to a directory"),
        credtool(["--authfile", "{DIR}", "list"], "{DIR} is a directory, not a config file", "--authfile naming a directory"),
    ]

    /// Credential helpers named by the config that are missing, misnamed or misbehaving.
    static let helperStoreRows: [BadInput] = [
        credtool(["get", "ghcr.io"], config: .text(storeConfig("nosuch")),
                 "docker-credential-nosuch is not on PATH", "get: credsStore names a missing helper"),
        credtool(["logout", "ghcr.io"], config: .text(storeConfig("nosuch")),
                 "docker-credential-nosuch is not on PATH", "logout: credsStore names a missing helper"),
        credtool(["list"], config: .text("{\"credHelpers\":{\"ghcr.io\":\"nosuch\"}}"),
                 "docker-credential-nosuch is not on PATH", "list: credHelpers names a missing helper"),
        credtool(["get", "ghcr.io"], config: .text(storeConfig("../../bin/sh")),
                 "is not a valid credential helper name", "get: credsStore with a path"),
        credtool(["get", "ghcr.io"], config: .text(storeConfig("garbage")),
                 helpers: ["garbage": "echo '{\"Username\": 5, \"Secret\": \"\(PlantedSecret.helper)\"'"],
                 "docker-credential-garbage", "get: a helper answers garbage"),
        credtool(["get", "ghcr.io"], config: .text(storeConfig("crash")),
                 helpers: ["crash": "kill -SEGV $$"], "docker-credential-crash", "get: a helper crashes"),
        credtool(["logout", "ghcr.io"], config: .text(storeConfig("denied")),
                 helpers: ["denied": "echo 'permission denied'; exit 1"], "permission denied",
                 "logout: a helper refuses erase"),
        credtool(["get", "ghcr.io"], config: .text(storeConfig("silent")), helpers: ["silent": "exit 1"],
                 "docker-credential-silent", "get: a helper fails silently"),
    ]

    /// docker-credential-swift's stdin and argv (all refused before any keyring is reached).
    static let protocolRows: [BadInput] = [
        helper([], "Usage: docker-credential-swift <store|get|erase|list|version>", "no action"),
        helper(["get", "extra"], "Usage: docker-credential-swift", "two arguments"),
        helper(["steal"], "docker-credential-swift: unknown action: steal", "an unknown action"),
        helper(["store"], "no credentials on stdin", "store: empty stdin"),
        helper(["store"], stdin: " \n\t", "no credentials on stdin", "store: only whitespace"),
        helper(["store"], stdin: "ServerURL=x Secret=\(PlantedSecret.stdin)", "the credentials on stdin are not valid JSON",
               "store: not JSON"),
        helper(["store"], stdin: "[\"\(PlantedSecret.stdin)\"]", "the credentials on stdin must be a JSON object",
               "store: an array"),
        helper(["store"], stdin: "{\"ServerURL\":\"x\",\"Username\":\"u\",\"Secret\":\"\(PlantedSecret.stdin)",
               "the credentials on stdin are not valid JSON", "store: truncated JSON"),
        helper(["store"], stdin: "{\"ServerURL\":\"x\",\"Username\":\"u\"}", "the Secret field is missing",
               "store: no Secret"),
        helper(["store"], stdin: "{\"ServerURL\":\"x\",\"Username\":5,\"Secret\":\"\(PlantedSecret.stdin)\"}",
               "the credentials field Username must be a string", "store: Username a number"),
        helper(["store"], stdin: "{\"Username\":\"u\",\"Secret\":\"\(PlantedSecret.stdin)\"}", "no credentials server URL",
               "store: no ServerURL"),
        helper(["store"], stdin: "{\"ServerURL\":\"x\",\"Username\":\"u\",\"Secret\":\"\(PlantedSecret.stdin)\\u0000\"}",
               "the secret contains a NUL character", "store: a NUL in the secret"),
        helper(["store"], stdin: "{\"ServerURL\":\"x\",\"Username\":\"u\",\"Secret\":\"\(PlantedSecret.stdin)\"} {}",
               "after the JSON value", "store: trailing garbage"),
        helper(["store"], stdin: String(repeating: " ", count: (1 << 20) + 1) + "{}",
               "the input on stdin is larger than 1048576 bytes", "store: stdin over 1 MiB"),
        helper(["get"], "no credentials server URL", "get: empty stdin"),
        helper(["get"], stdin: "a\u{0}b", "the server URL contains a NUL character", "get: a NUL in the server"),
        helper(["erase"], stdin: "\n", "no credentials server URL", "erase: a blank line"),
        helper(["get"], stdin: String(repeating: "a", count: (1 << 20) + 1), "larger than 1048576 bytes",
               "get: stdin over 1 MiB"),
    ]

    /// Rows on the rig's keyring: the suite's seeded item must survive each of them.
    static let keyringRows: [BadInput] = [
        helper(["get"], stdin: "nothere-badinput.example", keyring: true, "credentials not found in native keychain",
               "get: a server not in the keyring"),
        helper(["erase"], stdin: "{SEEDED}\u{0}", keyring: true, "the server URL contains a NUL character",
               "erase: the seeded server with a NUL after it"),
        helper(["store"], stdin: "{\"ServerURL\":\"{SEEDED}\",\"Username\":\"\",\"Secret\":\"\(PlantedSecret.stdin)\"}",
               keyring: true, "no credentials username", "store: replacing the seeded item with an empty username"),
        credtool(["get", "nothere-badinput.example"], config: .text(storeConfig("swift")), keyring: true,
                 "no credentials for nothere-badinput.example", "get on the keyring: no such registry"),
        credtool(["logout", "{SEEDED}"], config: .text(String(storeConfig("swift").dropLast())), keyring: true, notJSON,
                 "logout of a keyring registry with a truncated config"),
        credtool(["logout", "{SEEDED}"], config: .fifo, keyring: true, "{CONFIG} is not a regular file",
                 "logout of a keyring registry with a FIFO for config"),
        credtool(["logout", "{SEEDED}"], config: .directory, keyring: true, "{CONFIG} is a directory",
                 "logout of a keyring registry with a directory for config"),
        credtool(["logout", "{SEEDED}"], config: .text("{\"credsStore\":\"swift\",\"credHelpers\":[]}"), keyring: true,
                 "credHelpers in {CONFIG} must be a JSON object", "logout of a keyring registry, credHelpers an array"),
    ]
}

@Suite("bad input against the built binaries: one line, its status, nothing changed, no secret shown")
struct BadInputCatalogueTests {
    /// The server the suite keeps in the rig's keyring; keyring rows must leave it as it is.
    static let seededServer = "badinput-\(getpid()).e2e.example"

    /// Stores ``seededServer`` once per run (with a planted secret).
    static let seeded: Bool = {
        guard keyringIsPrivate else { return false }
        let result = try? run(helperPath, ["store"], input: storePayload(seededServer, "seed", PlantedSecret.keyring))
        return result?.status == 0
    }()

    @Test("the catalogue holds at least 50 cases, each described once")
    func size() {
        #expect(BadInputCatalogue.rows.count >= 50)
        #expect(Set(BadInputCatalogue.rows.map(\.testDescription)).count == BadInputCatalogue.rows.count)
    }

    @Test(arguments: BadInputCatalogue.rows.filter { !$0.keyring })
    func withoutKeyring(_ row: BadInput) throws {
        try check(row)
    }

    @Test(.enabled(if: keyringIsPrivate), arguments: BadInputCatalogue.rows.filter(\.keyring))
    func onKeyring(_ row: BadInput) throws {
        try #require(Self.seeded)
        let marker = "badinput-"
        let before = try keyringItems(containing: marker)
        try #require(before[Self.seededServer] == "seed")
        try check(row)
        // Only this suite's servers: other suites use the rig's keyring in parallel.
        #expect(try keyringItems(containing: marker) == before)
    }

    private func check(_ row: BadInput) throws {
        let sandbox = try EndToEndSandbox()
        try prepare(row.config, in: sandbox)
        for (name, body) in row.helpers { try sandbox.addHelper(name, body) }
        func substitute(_ text: String) -> String {
            text.replacing("{CONFIG}", with: sandbox.configPath).replacing("{DIR}", with: sandbox.configDirectory)
                .replacing("{OUT}", with: sandbox.path("out.json")).replacing("{SEEDED}", with: Self.seededServer)
        }
        let before = sandbox.snapshot()
        let program = row.program == .credtool ? credtoolPath : helperPath
        let result = try sandbox.run(
            program, row.arguments.map(substitute), input: substitute(row.stdin), keyring: row.keyring,
            unprivileged: row.unprivileged)

        #expect(result.status == row.status, "\(result)")
        // credtool reports on stderr, the helper on stdout (the protocol's rule).
        let (report, other) = row.program == .credtool ? (result.stderr, result.stdout) : (result.stdout, result.stderr)
        let lines = report.split(separator: "\n", omittingEmptySubsequences: false)
        if row.status == 64 {
            // Usage errors: the error, the usage line (wrapped when long), the --help pointer.
            #expect(lines.count >= 4 && lines[0].hasPrefix("Error: ") && lines[1].hasPrefix("Usage: "), "\(result)")
            #expect(lines.dropLast().last?.hasPrefix("  See '") == true, "\(result)")
        } else {
            #expect(lines.count == 2 && lines[1].isEmpty, "not one line: \(result)")
        }
        if row.program == .credtool && row.status != 64 { #expect(report.hasPrefix("credtool: "), "\(result)") }
        #expect(report.contains(substitute(row.message)), "\(result)")
        // `list` prints what it could read before it reports the rest; nothing else prints.
        let partialListing = row.program == .credtool && row.arguments.first == "list"
        if !partialListing { #expect(other == "", "\(result)") }
        #expect(PlantedSecret.leaked(in: result.stdout + result.stderr) == [], "\(result)")
        #expect(sandbox.snapshot() == before)
    }

    private func prepare(_ config: BadInput.Config, in sandbox: EndToEndSandbox) throws {
        let path = sandbox.configPath
        switch config {
        case .absent: break
        case .text(let text): try sandbox.write(text, to: path)
        case .bytes(let bytes): try sandbox.write(bytes, to: path)
        case .directory: try #require(mkdir(path, 0o700) == 0)
        case .fifo: try #require(mkfifo(path, 0o600) == 0)
        case .devNull: try #require(symlink("/dev/null", path) == 0)
        case .dangling: try #require(symlink(sandbox.path("nowhere/config.json"), path) == 0)
        case .loop:
            try #require(symlink("loop", path) == 0)
            try #require(symlink("config.json", sandbox.configDirectory + "/loop") == 0)
        case .unreadable(let text):
            try sandbox.write(text, to: path)
            try #require(chmod(path, 0) == 0)
        case .readOnlyDirectory(let text):
            try sandbox.write(text, to: path)
            try #require(chmod(sandbox.configDirectory, 0o500) == 0)
        case .fileAsDirectory:
            try #require(rmdir(sandbox.configDirectory) == 0)
            try sandbox.write(plantedConfig, to: sandbox.configDirectory)
        case .oversized:
            let filler = String(repeating: "a", count: 17 << 20)
            try sandbox.write("{\"psFormat\":\"\(filler)\",\"auths\":{\"ghcr.io\":{}}}", to: path)
        }
    }
}
