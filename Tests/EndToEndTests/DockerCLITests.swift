import Foundation
import Testing

/// Debian's docker-registry on 127.0.0.1 with htpasswd auth, in a temporary directory; stopped
/// (SIGKILL, then reaped) by `stop()`.
struct HtpasswdRegistry {
    let directory: String
    let address: String
    let process: Process

    init(user: String, password: String) throws {
        directory = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: "/tmp"), create: true
        ).path
        let port = try run("/usr/bin/python3", ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        address = "127.0.0.1:\(port)"
        let htpasswd = try run("/usr/bin/htpasswd", ["-Bbn", user, password])
        try htpasswd.stdout.write(toFile: directory + "/htpasswd", atomically: true, encoding: .utf8)
        try """
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: \(directory)/data
            http:
              addr: \(address)
            auth:
              htpasswd:
                realm: credtool-test
                path: \(directory)/htpasswd
            """.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/docker-registry")
        process.arguments = ["serve", directory + "/config.yml"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // Ready when /v2/ answers (401: auth required); at most 10 s.
        for _ in 0..<200 {
            let probe = try run("/usr/bin/python3", ["-c", """
                import urllib.request, urllib.error, sys
                try: urllib.request.urlopen('http://\(address)/v2/', timeout=1)
                except urllib.error.HTTPError as e: sys.exit(0 if e.code == 401 else 1)
                except Exception: sys.exit(1)
                """])
            if probe.status == 0 { return }
            usleep(50_000)
        }
        stop()
        throw RegistryFailure(message: "docker-registry did not answer on \(address) within 10 s")
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)  // SIGTERM may be blocked in children of Process
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct RegistryFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

@Suite("the docker CLI through docker-credential-swift", .enabled(if: keyringIsPrivate))
struct DockerCLITests {
    @Test("docker login stores in the keyring, docker logout erases it; config.json holds no secret")
    func loginLogout() throws {
        let docker = try #require(
            ["/usr/local/bin/docker", "/usr/bin/docker"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "the docker CLI is part of this machine image")
        let registry = try HtpasswdRegistry(user: "alice", password: "s3cret-pw")
        defer { registry.stop() }
        let configDirectory = registry.directory + "/docker"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        try #"{"credsStore":"swift"}"#.write(toFile: configDirectory + "/config.json", atomically: true, encoding: .utf8)
        // docker finds docker-credential-swift on PATH.
        let path = productsDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let login = try run(docker, ["--config", configDirectory, "login", "-u", "alice", "--password-stdin", registry.address],
                            input: "s3cret-pw\n", environment: ["PATH": path])
        #expect(login.status == 0, "\(login)")
        #expect(login.stdout.contains("Login Succeeded"))
        let config = try String(contentsOfFile: configDirectory + "/config.json", encoding: .utf8)
        #expect(!config.contains("s3cret-pw"))
        #expect(!config.contains("\"auth\""))
        #expect(try run(helperPath, ["get"], input: registry.address).stdout
            == "{\"ServerURL\":\"\(registry.address)\",\"Username\":\"alice\",\"Secret\":\"s3cret-pw\"}\n")

        let wrong = try run(docker, ["--config", configDirectory, "login", "-u", "alice", "--password-stdin", registry.address],
                            input: "wrong\n", environment: ["PATH": path])
        #expect(wrong.status != 0)

        let logout = try run(docker, ["--config", configDirectory, "logout", registry.address], environment: ["PATH": path])
        #expect(logout.status == 0, "\(logout)")
        #expect(try run(helperPath, ["get"], input: registry.address).status == 1)
    }
}
