import CredentialHelpers
import DockerConfig
import Foundation
import Testing

/// The built `credtool` beside the test bundle (the directory of /proc/self/exe).
func builtCredtool() throws -> String {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let path = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("credtool").path
    try #require(FileManager.default.isExecutableFile(atPath: path), "build the credtool product first: \(path)")
    return path
}

@Suite("concurrent credtool processes")
struct ConcurrentLogoutTests {
    @Test("50 processes each log out of a different registry: the other entries remain, the file valid throughout")
    func fiftyWriters() throws {
        let credtool = try builtCredtool()
        let sandbox = try Sandbox()
        let logins = (0..<60).map { (server: "r\($0).example", username: "user\($0)", password: "pw\($0)") }
        try sandbox.writeConfig(plaintextConfig(logins, extra: ",\n\t\"psFormat\": \"kept\""))

        let environment = ["DOCKER_CONFIG=\(sandbox.configDirectory)", "HOME=\(sandbox.home)", "PATH=\(sandbox.bin)"]
        let processes = try (0..<50).map { index in
            try SpawnedProcess(credtool, ["logout", "r\(index).example"], environment: environment,
                               stdout: sandbox.path("out-\(index)"))
        }
        // Every read while the writers run sees a whole file, old or new.
        var reads = 0
        while processes.contains(where: { !$0.hasExited }) {
            #expect(throws: Never.self) { try ConfigFileAccess.load(path: sandbox.configPath) }
            reads += 1
        }
        for (index, process) in processes.enumerated() {
            #expect(process.wait() == 0, "process \(index)")
            #expect(sandbox.text(sandbox.path("out-\(index)")) == "Removed login credentials for r\(index).example (auths entry)\n")
        }
        let config = try #require(try ConfigFileAccess.load(path: sandbox.configPath))
        #expect(config.authKeys == (50..<60).map { "r\($0).example" })
        #expect(sandbox.text(sandbox.configPath) == plaintextConfig(Array(logins[50...]), extra: ",\n\t\"psFormat\": \"kept\""))
        #expect(reads > 0)
    }
}

/// A child process started with `posix_spawn`, its stdout sent to a file.
///
/// Not Foundation's `Process`: its child closes descriptors one by one up to the limit before
/// it runs the program, and while it does, it holds every file the test process has open,
/// including other tests' half-written helper scripts (which then fail with ETXTBSY).
/// `posix_spawn_file_actions_addclosefrom_np` closes them in one call.
///
/// Glibc (2.34 and later) has it, but the Swift overlay does not import it: it is looked up.
final class SpawnedProcess {
    private let pid: pid_t
    private var status: Int32?

    init(_ executable: String, _ arguments: [String], environment: [String], stdout: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        addCloseFrom(&actions)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        self.pid = pid
    }

    /// Whether the process has finished (it is reaped then).
    var hasExited: Bool {
        if status != nil { return true }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return false }
        status = raw
        return true
    }

    /// Waits for the process and returns its exit status (128 + the signal when one ended it).
    func wait() -> Int32 {
        while status == nil {
            var raw: Int32 = 0
            if waitpid(pid, &raw, 0) == pid { status = raw } else if errno != EINTR { return -1 }
        }
        let raw = status ?? -1
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }
}


