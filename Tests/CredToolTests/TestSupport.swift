import CommandLineKit
import CredentialHelpers
@testable import CredTool
import Foundation
import Testing

/// One test's world: a temp directory (mkdtemp) with a fake HOME, a DOCKER_CONFIG directory,
/// a PATH holding fake helpers, and an in-memory store serving the name `swift`.
final class Sandbox {
    let root: String
    /// Served for `credsStore`/`credHelpers` name `swift`, as LibSecretStore is in the tool.
    let memory: InMemoryCredentialStore
    /// How long an external helper may take: generous, since tests run in parallel (and
    /// beside 50 processes); ``installHangingHelper()`` shortens it.
    var helperTimeout: Duration = .seconds(20)

    init(memory: [Credentials] = []) throws {
        var template = Array("/tmp/credtool-tool-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        root = String(cString: try #require(made))
        self.memory = InMemoryCredentialStore(memory)
        for directory in [home, configDirectory, bin] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var home: String { root + "/home" }
    var configDirectory: String { root + "/docker" }
    var configPath: String { configDirectory + "/config.json" }
    var bin: String { root + "/bin" }

    func path(_ name: String) -> String { root + "/" + name }

    var environment: [String: String] {
        ["HOME": home, "DOCKER_CONFIG": configDirectory, "PATH": bin]
    }

    /// The store factory handed to `runCredTool`.
    func makeStore(_ name: String) -> any CredentialStore {
        name == "swift" ? memory : ExternalHelperStore(name: name, searchPath: bin, timeout: helperTimeout)
    }

    /// Runs `credtool ARGS` in-process with captured streams.
    func run(_ arguments: String...) -> Outcome { run(arguments) }

    /// Runs `credtool ARGS` in-process with captured streams.
    func run(_ arguments: [String]) -> Outcome {
        var io = CommandIO.capture(environment: environment)
        let status = runCredTool(arguments, io: &io, makeStore: makeStore)
        return Outcome(status: status, stdout: io.stdout.capturedText ?? "", stderr: io.stderr.capturedText ?? "")
    }

    // MARK: - Files

    func write(_ text: String, to path: String, mode: mode_t = 0o600) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, mode) == 0)
    }

    func writeConfig(_ text: String) throws { try write(text, to: configPath) }

    /// The bytes at `path`, `nil` when nothing is there.
    func bytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    func text(_ path: String) -> String? { bytes(path).map { String(decoding: $0, as: UTF8.self) } }

    /// The inode of `path`: an atomic save replaces it, so an unchanged inode means no save.
    func inode(_ path: String) -> ino_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_ino : nil
    }

    func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    // MARK: - Helpers on PATH

    /// Puts `docker-credential-NAME` in ``bin``: a symbolic link to one of ``HelperScripts``.
    func installHelper(_ name: String) throws {
        let target = try HelperScripts.path(name)
        try FileManager.default.createSymbolicLink(atPath: bin + "/docker-credential-" + name, withDestinationPath: target)
    }

    /// `docker-credential-fake`: holds ghcr.io (octocat) and quay.io (quayuser); each erase is
    /// appended to `fake-erased.log` in ``bin``.
    func installFakeHelper() throws { try installHelper("fake") }

    /// `docker-credential-hang`: never answers. Helpers get 0.3 s from here on, so that the
    /// hanging cases stay fast.
    func installHangingHelper() throws {
        helperTimeout = .milliseconds(300)
        try installHelper("hang")
    }

    /// The servers the fake helper was asked to erase, in order.
    var fakeErased: [String] {
        (text(bin + "/fake-erased.log") ?? "").split(separator: "\n").map(String.init)
    }
}

/// The fake helpers' scripts, written once beside the test bundle and never again.
///
/// A script written while another thread forks (any test spawning a helper or a process) can
/// fail to run with ETXTBSY, as long as a forked child still holds the descriptor it was
/// written through (Foundation opens it without close-on-exec, and ExternalHelperStore passes
/// such descriptors on). So each script is written once per build (a file with the same content is
/// left alone), checked to run, and sandboxes link to it. The scripts find their sandbox
/// through `$0`, the link's path.
enum HelperScripts {
    /// Closes every descriptor above 2: ExternalHelperStore passes a helper whatever the test
    /// process has open without close-on-exec (Foundation's `Data.write` opens files that way),
    /// and a helper holding another test's half-written script would make that one fail.
    private static let closeInherited =
        "for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\" 2>/dev/null; done"

    static let scripts: [String: String] = [
        "fake": """
            #!/bin/bash
            \(closeInherited)
            case "$1" in
            list) printf '{"ghcr.io":"octocat","quay.io":"quayuser"}\\n' ;;
            get)
              read -r server
              case "$server" in
              ghcr.io) printf '{"ServerURL":"ghcr.io","Username":"octocat","Secret":"fake-secret"}\\n' ;;
              quay.io) printf '{"ServerURL":"quay.io","Username":"quayuser","Secret":"quay-secret"}\\n' ;;
              *) echo "credentials not found in native keychain"; exit 1 ;;
              esac ;;
            erase)
              read -r server
              echo "$server" >> "$(dirname "$0")/fake-erased.log"
              case "$server" in
              ghcr.io|quay.io) ;;
              *) echo "credentials not found in native keychain"; exit 1 ;;
              esac ;;
            check) ;;
            *) echo "unknown action"; exit 1 ;;
            esac

            """,
        "hang": "#!/bin/bash\n\(closeInherited)\n[ \"$1\" = check ] && exit 0\nexec sleep 30\n",
    ]

    /// The directory holding the scripts, made on first use.
    private static let directory: Result<String, any Error> = Result {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            .appendingPathComponent("credtool-test-helpers").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, script) in scripts {
            let path = directory + "/" + name
            if FileManager.default.contents(atPath: path) == Data(script.utf8) { continue }
            let temporary = path + ".tmp-\(getpid())"
            try Data(script.utf8).write(to: URL(fileURLWithPath: temporary))
            guard chmod(temporary, 0o755) == 0, rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown)
            }
            // Runs once the last writer's descriptor is gone.
            for attempt in 1...100 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: path)
                process.arguments = ["check"]
                process.standardOutput = FileHandle.nullDevice
                do {
                    try process.run()
                    process.waitUntilExit()
                    break
                } catch where attempt < 100 {
                    usleep(10_000)
                }
            }
        }
        return directory
    }

    /// The path of the script called `name`.
    static func path(_ name: String) throws -> String { try directory.get() + "/" + name }
}

/// What one run of credtool printed, and its exit status.
struct Outcome: Equatable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "status \(status)\nstdout: \(stdout.debugDescription)\nstderr: \(stderr.debugDescription)" }
}

/// base64 of a string's UTF-8 bytes, computed independently of the code under test.
func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

/// A tab-indented config with `auths` entries holding `user:password` pairs, as docker writes it.
func plaintextConfig(_ logins: [(server: String, username: String, password: String)], extra: String = "") -> String {
    var text = "{\n\t\"auths\": {"
    text += logins.map { "\n\t\t\"\($0.server)\": {\n\t\t\t\"auth\": \"\(base64($0.username + ":" + $0.password))\"\n\t\t}" }
        .joined(separator: ",")
    text += logins.isEmpty ? "}" : "\n\t}"
    return text + extra + "\n}"
}
