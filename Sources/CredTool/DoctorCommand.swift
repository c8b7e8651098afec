#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import DockerConfig
import OrderedJSON
import SecretService

/// `credtool doctor [--json]`: what is wrong with this machine's registry-credential setup, and
/// how to fix each thing.
struct DoctorCommand: Command {
    static let spec = CommandSpec(
        name: "doctor",
        abstract: "Check the credential setup and say how to fix each problem.",
        discussion: """
            Runs these checks, each with its status (ok, warn or fail) and, when it is not
            ok, the fix:
              config          the config file is valid JSON (or not there yet)
              config-mode     its mode is no looser than 0600
              plaintext       its auths hold no plain-text credentials
              creds-store     a credsStore is set, so docker login writes no plain text
              helpers         each helper it names is on PATH (swift too: docker runs it)
              session-bus     a D-Bus session bus is reachable
              secret-service  a Secret Service provider answers on the bus
              keyring-locked  the default collection is unlocked
              keyring-items   each registry has one item (Docker's helper adds one per
                              username, and then answers with any of them)
              dockercfg       no legacy ~/.dockercfg remains
              podman-auth     no Podman auth.json holds plain-text credentials

            A parse error gives the line and column. The Secret Service checks run when
            the config uses swift or secretservice, or no store at all; checks that
            depend on a failed one are left out.

            With --json the output is an array of objects with the keys "check",
            "status", "detail" and "fix" (empty when there is nothing to do), all strings.
            The exit status is 0 when every check is ok, 1 otherwise. No secret is read.
            """,
        options: [.flag("json", help: "Print a JSON array for scripts instead of a table.")],
        examples: [
            Example("credtool doctor", "Check your setup."),
            Example(
                "credtool doctor --json | jq -r '.[] | select(.status != \"ok\") | .fix'",
                "Print only the fixes to apply."),
        ]
    )

    var options: ConfigOptions
    var json: Bool

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        json = parsed.flag("json")
    }

    func run(_ io: inout CommandIO) throws {
        let location = try options.location(io.environment)
        var command = "credtool"
        if let directory = options.configDirectory { command += " --config " + shellArgument(directory) }
        if let file = options.authFile { command += " --authfile " + shellArgument(file) }
        let doctor = Doctor(
            environment: io.environment, configPath: location.path, credtool: command,
            probe: SecretServiceProbe.current)
        let checks = doctor.checks()
        if json {
            io.stdout.write(Self.json(checks))
        } else {
            let color = io.isStdoutTerminal && (io.environment["NO_COLOR"] ?? "").isEmpty
            io.stdout.write(Self.table(checks, color: color))
        }
        if checks.contains(where: { $0.status != .ok }) { throw CredToolError.reported }
    }

    /// Aligned columns CHECK, STATUS, DETAIL, FIX and a closing line; statuses in color when
    /// `color` is set.
    static func table(_ checks: [DoctorCheck], color: Bool) -> String {
        let header = ["CHECK", "STATUS", "DETAIL", "FIX"]
        let cells = [header] + checks.map { [$0.check, $0.status.rawValue, $0.detail, $0.fix] }
        var widths = [Int](repeating: 0, count: header.count - 1)
        for line in cells {
            for column in widths.indices { widths[column] = max(widths[column], line[column].count) }
        }
        var output = ""
        for (row, line) in cells.enumerated() {
            var text = ""
            for column in widths.indices {
                var cell = line[column]
                let padding = String(repeating: " ", count: widths[column] - cell.count + 2)
                if color && column == 1 && row > 0 { cell = checks[row - 1].status.colored }
                text += cell + padding
            }
            text += line[header.count - 1]
            while text.hasSuffix(" ") { text.removeLast() }
            output += text + "\n"
        }
        let problems = checks.filter { $0.status != .ok }.count
        output += "\n"
        output += problems == 0 ? "All checks passed.\n" : "\(problems) of \(checks.count) checks need attention.\n"
        return output
    }

    /// The documented JSON array, indented by two spaces, with a trailing newline.
    static func json(_ checks: [DoctorCheck]) -> String {
        let array = JSONValue.array(
            checks.map { check in
                .object([
                    "check": .string(check.check),
                    "status": .string(check.status.rawValue),
                    "detail": .string(check.detail),
                    "fix": .string(check.fix),
                ])
            })
        return array.serialized(.indented("  ")) + "\n"
    }
}

// MARK: - Checks

/// How one check came out.
enum DoctorStatus: String, Sendable {
    case ok, warn, fail

    /// The status in ANSI color: green, yellow or red.
    var colored: String {
        let code = switch self {
        case .ok: "32"
        case .warn: "33"
        case .fail: "31"
        }
        return "\u{1B}[\(code)m\(rawValue)\u{1B}[0m"
    }
}

/// One finding of `credtool doctor`.
struct DoctorCheck: Sendable, Equatable, CustomStringConvertible {
    /// The check's stable name (`config-mode`); a check may give several findings.
    var check: String
    var status: DoctorStatus
    /// What was found, naming files and registries, never a secret.
    var detail: String
    /// The command or change that fixes it; empty when the status is ok.
    var fix: String = ""

    var description: String { "\(check) \(status): \(detail)" + (fix.isEmpty ? "" : " (fix: \(fix))") }
}

/// What doctor asks the Secret Service; tests put their own in ``current``.
struct SecretServiceProbe: Sendable {
    /// Lists the Docker items, duplicates included: it succeeds when a provider answers.
    var listItems: @Sendable () throws -> [(server: String, username: String)]
    /// Whether the default collection is locked.
    var isDefaultCollectionLocked: @Sendable () throws -> Bool

    /// libsecret on the process's session bus.
    static let live = SecretServiceProbe(
        listItems: { try LibSecretStore().items() },
        isDefaultCollectionLocked: { try LibSecretStore().isDefaultCollectionLocked() })

    @TaskLocal static var current = live
}

/// The checks of `credtool doctor`, over an environment and a config path.
struct Doctor {
    /// `HOME`, `PATH`, `DBUS_SESSION_BUS_ADDRESS`, `XDG_RUNTIME_DIR`, `XDG_CONFIG_HOME`,
    /// `REGISTRY_AUTH_FILE` are read from here.
    var environment: [String: String]
    /// The config file the command line and environment name.
    var configPath: String
    /// `credtool` with the global options given, for the fixes to repeat.
    var credtool = "credtool"
    var probe: SecretServiceProbe

    /// The helper names that mean the Secret Service.
    static let secretServiceHelpers: Set<String> = ["swift", "secretservice"]

    /// Every finding, in the documented order of the checks.
    func checks() -> [DoctorCheck] {
        var results: [DoctorCheck] = []
        let path = shellArgument(configPath)
        var config: ConfigFile?
        do {
            config = try ConfigFileAccess.load(path: configPath)
            results.append(
                config == nil
                    ? DoctorCheck(
                        check: "config", status: .ok,
                        detail: "\(configPath) does not exist yet; docker creates it at the first login")
                    : DoctorCheck(check: "config", status: .ok, detail: "\(configPath) is valid"))
        } catch .notJSON(_, let error) {
            results.append(
                DoctorCheck(
                    check: "config", status: .fail, detail: "\(configPath) is not valid JSON: \(error)",
                    fix: "correct the file at line \(error.line), column \(error.column), or move it away"))
            return results + localChecks(usesSecretService: true)
        } catch {
            results.append(
                DoctorCheck(check: "config", status: .fail, detail: "\(error)", fix: "fix the file, or move it away"))
            return results + localChecks(usesSecretService: true)
        }

        if config != nil { results.append(modeCheck(path: path)) }

        let plaintext = (config?.authKeys ?? []).filter { config?.authEntry(for: $0)?.holdsCredentials == true }
        results.append(
            plaintext.isEmpty
                ? DoctorCheck(check: "plaintext", status: .ok, detail: "no credentials in plain text in the config")
                : DoctorCheck(
                    check: "plaintext", status: .warn,
                    detail: "\(registries(plaintext)) in plain text in \(configPath): \(plaintext.joined(separator: ", "))",
                    fix: "\(credtool) migrate"))

        let store = config?.credsStore ?? ""
        results.append(
            store.isEmpty
                ? DoctorCheck(
                    check: "creds-store", status: .warn,
                    detail: "no credsStore: docker login saves passwords in plain text in the config",
                    fix: config == nil
                        ? "create \(configPath) holding {\"credsStore\": \"swift\"}"
                        : "set \"credsStore\": \"swift\" in \(configPath)")
                : DoctorCheck(
                    check: "creds-store", status: .ok,
                    detail: store == "secretservice"
                        ? "credsStore is secretservice (Docker's helper; \(credtool) migrate --store swift switches to"
                            + " docker-credential-swift, which reads the same items)"
                        : "credsStore is \(store)"))

        // Each helper named, with the places that name it.
        var helpers: [(name: String, users: [String])] = []
        func use(_ name: String, by user: String) {
            if let index = helpers.firstIndex(where: { $0.name == name }) {
                helpers[index].users.append(user)
            } else {
                helpers.append((name, [user]))
            }
        }
        if !store.isEmpty { use(store, by: "credsStore") }
        for (registry, helper) in config?.credHelperEntries ?? [] where !helper.isEmpty {
            use(helper, by: "credHelpers \(registry)")
        }
        results += helpers.map(helperCheck)

        let usesSecretService = store.isEmpty || helpers.contains { Self.secretServiceHelpers.contains($0.name) }
        return results + localChecks(usesSecretService: usesSecretService)
    }

    /// The checks that do not depend on the config: session bus, Secret Service, legacy and
    /// Podman files.
    private func localChecks(usesSecretService: Bool) -> [DoctorCheck] {
        var results: [DoctorCheck] = []
        if usesSecretService {
            let bus = sessionBusCheck()
            results.append(bus)
            if bus.status != .fail { results += secretServiceChecks() }
        } else {
            results.append(
                DoctorCheck(
                    check: "secret-service", status: .ok,
                    detail: "not checked: the config names no Secret Service helper (swift, secretservice)"))
        }
        results.append(dockercfgCheck())
        results += podmanChecks()
        return results
    }

    private func modeCheck(path: String) -> DoctorCheck {
        var info = stat()
        guard stat(configPath, &info) == 0 else {
            return DoctorCheck(check: "config-mode", status: .ok, detail: "\(configPath) is gone")
        }
        let mode = info.st_mode & 0o7777
        let octal = "0" + String(mode, radix: 8)
        guard mode & ~0o600 != 0 else {
            return DoctorCheck(check: "config-mode", status: .ok, detail: "\(configPath) has mode \(octal)")
        }
        let readers = mode & 0o044 != 0 ? ": other users can read it" : ""
        return DoctorCheck(
            check: "config-mode", status: .warn, detail: "\(configPath) has mode \(octal), looser than 0600\(readers)",
            fix: "chmod 600 \(path)")
    }

    private func helperCheck(_ helper: (name: String, users: [String])) -> DoctorCheck {
        let program = "docker-credential-" + helper.name
        let users = helper.users.joined(separator: ", ")
        if let found = lookUp(program) {
            return DoctorCheck(check: "helpers", status: .ok, detail: "\(program) is \(found) (\(users))")
        }
        let fix =
            helper.name == "swift"
            ? "install docker-credential-swift (make install) or add its directory to PATH; credtool has the store built in, docker needs the program"
            : "install \(program), or name another helper in the config"
        return DoctorCheck(check: "helpers", status: .fail, detail: "\(program) is not on PATH (\(users))", fix: fix)
    }

    /// The first executable `name` in `PATH`'s directories.
    private func lookUp(_ name: String) -> String? {
        for directory in (environment["PATH"] ?? "").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    private func sessionBusCheck() -> DoctorCheck {
        let noBusFix = "run inside a desktop session, or start one with dbus-run-session"
        if let address = environment["DBUS_SESSION_BUS_ADDRESS"], !address.isEmpty {
            let sockets = unixSockets(inBusAddress: address)
            if sockets.isEmpty {
                return DoctorCheck(
                    check: "session-bus", status: .ok,
                    detail: "DBUS_SESSION_BUS_ADDRESS is \(address) (no unix socket in it to try)")
            }
            if sockets.contains(where: canConnect) {
                return DoctorCheck(check: "session-bus", status: .ok, detail: "the bus at \(address) is reachable")
            }
            return DoctorCheck(
                check: "session-bus", status: .fail,
                detail: "nothing answers at DBUS_SESSION_BUS_ADDRESS (\(address))",
                fix: "\(noBusFix); or unset DBUS_SESSION_BUS_ADDRESS if it is stale")
        }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            let socket = runtime + "/bus"
            if canConnect(UnixSocket(path: socket, isAbstract: false)) {
                return DoctorCheck(
                    check: "session-bus", status: .ok,
                    detail: "DBUS_SESSION_BUS_ADDRESS is not set; the bus at \(socket) is reachable")
            }
            return DoctorCheck(
                check: "session-bus", status: .fail,
                detail: "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set and nothing answers at \(socket)",
                fix: noBusFix)
        }
        return DoctorCheck(
            check: "session-bus", status: .fail,
            detail: "no D-Bus session bus: neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set", fix: noBusFix)
    }

    private func secretServiceChecks() -> [DoctorCheck] {
        let items: [(server: String, username: String)]
        do {
            items = try probe.listItems()
        } catch {
            return [secretServiceFailure("secret-service", error)]
        }
        var results = [
            DoctorCheck(
                check: "secret-service", status: .ok,
                detail: "a Secret Service provider answers (\(items.count) Docker item\(items.count == 1 ? "" : "s"))")
        ]
        do {
            results.append(
                try probe.isDefaultCollectionLocked()
                    ? DoctorCheck(
                        check: "keyring-locked", status: .warn,
                        detail: "the default collection is locked: clients that cannot show an unlock prompt (ssh, CI) get no credentials",
                        fix: "unlock it with your desktop's keyring tool, or with `gnome-keyring-daemon --replace --unlock` reading the password on stdin")
                    : DoctorCheck(check: "keyring-locked", status: .ok, detail: "the default collection is unlocked"))
        } catch {
            results.append(secretServiceFailure("keyring-locked", error))
        }
        return results + itemChecks(items)
    }

    /// One warning for each server with more than one item, whose fix keeps the one `get`
    /// answers with (`store` removes the server's other items); ok when there is none.
    private func itemChecks(_ items: [(server: String, username: String)]) -> [DoctorCheck] {
        let usernames = Dictionary(grouping: items, by: \.server).mapValues { $0.map(\.username) }
        let duplicated = usernames.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
        guard !duplicated.isEmpty else {
            return [DoctorCheck(check: "keyring-items", status: .ok, detail: "one item for each registry")]
        }
        return duplicated.map { server, names in
            DoctorCheck(
                check: "keyring-items", status: .warn,
                detail: "\(names.count) items for \(server) (usernames \(names.sorted().joined(separator: ", "))): clients get any one of them",
                fix: "echo \(shellArgument(server)) | docker-credential-swift get | docker-credential-swift store"
                    + " (keeps the one get returns), or log in again as the user to keep")
        }
    }

    private func secretServiceFailure(_ check: String, _ error: any Error) -> DoctorCheck {
        guard let error = error as? SecretServiceError else {
            return DoctorCheck(check: check, status: .fail, detail: "\(error)", fix: "check the keyring daemon's log")
        }
        switch error {
        case .noSessionBus(let detail):
            return DoctorCheck(
                check: check, status: .fail, detail: "no D-Bus session bus (\(detail))",
                fix: "run inside a desktop session, or start one with dbus-run-session")
        case .noProvider(let detail):
            return DoctorCheck(
                check: check, status: .fail, detail: "no Secret Service provider on the session bus (\(detail))",
                fix: "start gnome-keyring-daemon (or KeePassXC with its Secret Service integration)")
        case .locked:
            return DoctorCheck(
                check: check, status: .warn, detail: "the keyring is locked",
                fix: "unlock it with your desktop's keyring tool, or with `gnome-keyring-daemon --replace --unlock` reading the password on stdin")
        case .containsNUL, .failed:
            return DoctorCheck(
                check: check, status: .fail, detail: error.description,
                fix: "check the keyring daemon (journalctl --user), or restart it")
        }
    }

    private func dockercfgCheck() -> DoctorCheck {
        guard let home = environment["HOME"], !home.isEmpty else {
            return DoctorCheck(check: "dockercfg", status: .ok, detail: "HOME is not set: no ~/.dockercfg to check")
        }
        let path = (home.hasSuffix("/") ? home : home + "/") + ".dockercfg"
        guard access(path, F_OK) == 0 else {
            return DoctorCheck(check: "dockercfg", status: .ok, detail: "no legacy \(path)")
        }
        return DoctorCheck(
            check: "dockercfg", status: .warn,
            detail: "\(path) exists: Docker's legacy credentials file, in plain text",
            fix: "log in again (docker login) to the registries it names, then remove it: rm \(shellArgument(path))")
    }

    /// Podman's auth.json files: `REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`
    /// and `$XDG_CONFIG_HOME/containers/auth.json` (`~/.config` by default), those that exist.
    private func podmanChecks() -> [DoctorCheck] {
        var candidates: [String] = []
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty { candidates.append(file) }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            candidates.append(runtime + "/containers/auth.json")
        }
        if let configHome = environment["XDG_CONFIG_HOME"], !configHome.isEmpty {
            candidates.append(configHome + "/containers/auth.json")
        } else if let home = environment["HOME"], !home.isEmpty {
            candidates.append(home + "/.config/containers/auth.json")
        }
        var seen: Set<String> = [configPath]
        var results: [DoctorCheck] = []
        for path in candidates where seen.insert(path).inserted {
            let file: ConfigFile?
            do {
                file = try ConfigFileAccess.load(path: path)
            } catch {
                results.append(
                    DoctorCheck(check: "podman-auth", status: .warn, detail: "\(error)", fix: "fix the file, or move it away"))
                continue
            }
            guard let file else { continue }
            let plaintext = file.authKeys.filter { file.authEntry(for: $0)?.holdsCredentials == true }
            results.append(
                plaintext.isEmpty
                    ? DoctorCheck(check: "podman-auth", status: .ok, detail: "\(path) holds no plain-text credentials")
                    : DoctorCheck(
                        check: "podman-auth", status: .warn,
                        detail: "\(registries(plaintext)) in plain text in \(path): \(plaintext.joined(separator: ", "))",
                        fix: "credtool --authfile \(shellArgument(path)) migrate"))
        }
        if results.isEmpty {
            results.append(DoctorCheck(check: "podman-auth", status: .ok, detail: "no Podman auth.json"))
        }
        return results
    }

    private func registries(_ keys: [String]) -> String {
        keys.count == 1 ? "1 registry" : "\(keys.count) registries"
    }
}

// MARK: - Sockets

/// A unix socket named by a D-Bus address: a path, or a name in the abstract namespace.
struct UnixSocket: Equatable {
    var path: String
    var isAbstract: Bool
}

/// The unix sockets of a D-Bus address list (`unix:path=/run/user/1000/bus;unix:abstract=…`),
/// with `%XX` escapes decoded; other transports are left out.
func unixSockets(inBusAddress address: String) -> [UnixSocket] {
    address.split(separator: ";").compactMap { entry in
        guard entry.hasPrefix("unix:") else { return nil }
        for pair in entry.dropFirst("unix:".count).split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let key = pair[..<equals]
            let value = unescapeBusValue(pair[pair.index(after: equals)...])
            if key == "path" { return UnixSocket(path: value, isAbstract: false) }
            if key == "abstract" { return UnixSocket(path: value, isAbstract: true) }
        }
        return nil
    }
}

private func unescapeBusValue(_ value: Substring) -> String {
    var bytes: [UInt8] = []
    var utf8 = value.utf8[...]
    while let byte = utf8.popFirst() {
        if byte == UInt8(ascii: "%"), utf8.count >= 2,
            let decoded = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
        {
            bytes.append(decoded)
            utf8 = utf8.dropFirst(2)
        } else {
            bytes.append(byte)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Whether something accepts a connection on `socket`. The connection is closed at once.
func canConnect(_ socket: UnixSocket) -> Bool {
    let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let name = Array(socket.path.utf8)
    let offset = socket.isAbstract ? 1 : 0  // an abstract name starts with a NUL byte
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard name.count + offset < capacity else { return false }
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        for (index, byte) in name.enumerated() { buffer[offset + index] = byte }
    }
    let length = MemoryLayout<sa_family_t>.size + offset + name.count + (socket.isAbstract ? 0 : 1)
    let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(length)) }
    }
    return status == 0
}

/// `text` as one shell word: unchanged when it holds no character a shell treats specially,
/// single-quoted otherwise.
func shellArgument(_ text: String) -> String {
    let plain =
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0)) }
    return plain ? text : "'" + text.replacing("'", with: #"'\''"#) + "'"
}
