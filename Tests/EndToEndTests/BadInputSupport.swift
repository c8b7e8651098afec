import Foundation
import Testing

// MARK: - Planted secrets

/// The secrets the bad-input, security and fault tests plant in configs, stdin, keyrings and fake
/// helpers. None may ever appear in anything credtool or the helper prints when it fails.
enum PlantedSecret {
    static let config = "hunter2-config-7f3a9c"
    static let plain = "hunter2-plain-0d44e1"
    static let keyring = "hunter2-keyring-91bc04"
    static let stdin = "hunter2-stdin-c04d5e"
    static let helper = "hunter2-helper-5a1e22"
    static let all = [config, plain, keyring, stdin, helper]

    /// The `auth` value `bob:<config secret>`.
    static let configAuth = Data("bob:\(config)".utf8).base64EncodedString()

    /// Every planted secret, and each in the forms a leak could take (the base64 `auth`).
    static let forms = all + [configAuth]

    /// The forms of a planted secret that occur in `text`.
    static func leaked(in text: String) -> [String] { forms.filter { text.contains($0) } }
}

/// A config.json with a base64 `auth` entry, a plain username/password entry and a key credtool
/// does not own.
let plantedConfig = """
    {
    \t"auths": {
    \t\t"ghcr.io": {
    \t\t\t"auth": "\(PlantedSecret.configAuth)"
    \t\t},
    \t\t"quay.io": {
    \t\t\t"username": "carol",
    \t\t\t"password": "\(PlantedSecret.plain)"
    \t\t}
    \t},
    \t"psFormat": "table"
    }
    """

// MARK: - Sandbox

/// A throwaway directory for one test: a home, a Docker config directory and a `bin` of fake
/// helpers, removed on deinit. Nothing points at the real `~/.docker`.
final class EndToEndSandbox {
    /// The uid and gid that `unprivileged` runs use when the tests run as root (`nobody`).
    static let unprivilegedID: UInt32 = 65534

    let root: String
    var home: String { root + "/home" }
    var configDirectory: String { root + "/docker" }
    var configPath: String { configDirectory + "/config.json" }
    var binDirectory: String { root + "/bin" }

    init() throws {
        var template = Array("/tmp/credtool-e2e-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }  // non-empty array
        root = String(cString: try #require(made))
        for directory in [home, configDirectory, binDirectory] {
            try #require(mkdir(directory, 0o700) == 0)
        }
    }

    deinit {
        // Give back every permission a test took away, so the tree can be removed.
        _ = try? run("/bin/chmod", ["-R", "u+rwx", root])
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ name: String) -> String { root + "/" + name }

    /// Writes `bytes` to `path` with `mode`, through a descriptor closed on exec.
    func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        // O_CLOEXEC: a child another test forks meanwhile must not inherit a writable descriptor
        // of a script, or exec of the script fails with ETXTBSY.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        try #require(fd >= 0, "open \(path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            try #require(written > 0)
            offset += written
        }
        try #require(fchmod(fd, mode) == 0)
    }

    func write(_ text: String, to path: String, mode: mode_t = 0o600) throws {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    /// Adds an executable `docker-credential-NAME` to `bin` that runs `body` under `/bin/sh`.
    func addHelper(_ name: String, _ body: String) throws {
        try write("#!/bin/sh\n" + body, to: binDirectory + "/docker-credential-" + name, mode: 0o755)
    }

    /// The environment of a run: this sandbox's HOME and DOCKER_CONFIG, `bin` and the built
    /// products first on PATH, and, unless `keyring`, a session bus address that leads nowhere
    /// (so a row that unexpectedly reaches for a keyring fails instead of using one).
    func environment(keyring: Bool) -> [String: String?] {
        var variables: [String: String?] = [
            "HOME": home, "DOCKER_CONFIG": configDirectory, "XDG_CONFIG_HOME": home + "/.config",
            "XDG_RUNTIME_DIR": nil, "REGISTRY_AUTH_FILE": nil, "NO_COLOR": "1",
            "PATH": binDirectory + ":" + productsDirectory + ":/usr/local/bin:/usr/bin:/bin",
        ]
        if !keyring { variables["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/credtool-test-bus" }
        return variables
    }

    /// Runs `program` in this sandbox; `unprivileged` runs it as `nobody` when the tests run as
    /// root (root ignores file permissions), after handing the sandbox to `nobody`.
    func run(
        _ program: String, _ arguments: [String], input: String = "", keyring: Bool = false,
        unprivileged: Bool = false, environment extra: [String: String?] = [:]
    ) throws -> ProcessResult {
        var variables = environment(keyring: keyring)
        for (name, value) in extra { variables[name] = value }
        guard unprivileged && geteuid() == 0 else {
            return try EndToEndTests.run(program, arguments, input: input, environment: variables)
        }
        let id = Self.unprivilegedID
        try #require(EndToEndTests.run("/bin/chown", ["-hR", "\(id):\(id)", root]).status == 0)
        return try EndToEndTests.run(
            "/usr/bin/setpriv", ["--reuid=\(id)", "--regid=\(id)", "--clear-groups", "--", program] + arguments,
            input: input, environment: variables)
    }

    /// Every entry under the sandbox's config directory (and the directory itself): name, type,
    /// mode and size, a content hash for regular files and the target of links. Lock files
    /// (`*.lock`, which stay beside a config by design) are left out.
    func snapshot() -> [String] {
        var lines: [String] = []
        func visit(_ path: String, _ name: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return lines.append("\(name) missing") }
            let type = info.st_mode & S_IFMT
            var line = "\(name) type \(String(type, radix: 8)) mode \(String(info.st_mode & 0o7777, radix: 8)) size \(info.st_size)"
            switch type {
            case S_IFREG: line += " fnv \(fileHash(path))"
            case S_IFLNK: line += " -> \((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")"
            case S_IFDIR:
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
                for child in names where !child.hasSuffix(".lock") { visit(path + "/" + child, name + "/" + child) }
            default: break
            }
            lines.append(line)
        }
        visit(configDirectory, "docker")
        return lines
    }

    /// FNV-1a (64-bit) of a file's bytes: enough to tell whether a file changed.
    private func fileHash(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "unreadable" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}

// MARK: - Keyring

/// The servers in the rig's keyring whose names contain `marker`, with their usernames, as
/// `docker-credential-swift list` reports them.
func keyringItems(containing marker: String) throws -> [String: String] {
    let result = try run(helperPath, ["list"])
    try #require(result.status == 0, "docker-credential-swift list: \(result)")
    let object = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String])
    return object.filter { $0.key.contains(marker) }
}
