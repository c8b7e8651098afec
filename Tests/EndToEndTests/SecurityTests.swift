import Foundation
import Testing

/// A fake helper, `docker-credential-spy`, that appends its own `/proc/$$/cmdline` and
/// `/proc/$$/environ` (as the kernel holds them) to `cmdline.log` and `environ.log` beside it,
/// and answers like a store holding `ghcr.io` and `quay.io` (user `spy`, the helper secret).
private let spyHelper = #"""
    dir=$(dirname "$0")
    tr '\0' ' ' < /proc/$$/cmdline >> "$dir/cmdline.log"; echo >> "$dir/cmdline.log"
    tr '\0' '\n' < /proc/$$/environ >> "$dir/environ.log"; echo ---- >> "$dir/environ.log"
    case "$1" in
    get) read -r server
         printf '{"ServerURL":"%s","Username":"spy","Secret":"SECRET"}\n' "$server" ;;
    erase) read -r server ;;
    list) echo '{"ghcr.io":"spy","quay.io":"spy"}' ;;
    store) cat > /dev/null ;;
    esac
    """#.replacing("SECRET", with: PlantedSecret.helper)

/// What a run through the spy left behind.
private struct SpyRun {
    var result: ProcessResult
    var commandLines: String
    var environments: String
}

@Suite("security: secrets stay out of argv, environments, messages and world-readable files")
struct SecurityTests {
    /// A sandbox whose config names the spy as credsStore (and, for quay.io, in credHelpers),
    /// beside plain-text entries holding planted secrets.
    private func spySandbox() throws -> EndToEndSandbox {
        let sandbox = try EndToEndSandbox()
        try sandbox.addHelper("spy", spyHelper)
        try sandbox.write(
            """
            {"auths":{"ghcr.io":{},"other.example":{"auth":"\(PlantedSecret.configAuth)"},\
            "plain.example":{"username":"carol","password":"\(PlantedSecret.plain)"}},\
            "credsStore":"spy","credHelpers":{"quay.io":"spy"}}
            """, to: sandbox.configPath)
        return sandbox
    }

    private func runThroughSpy(_ sandbox: EndToEndSandbox, _ arguments: [String]) throws -> SpyRun {
        let result = try sandbox.run(credtoolPath, arguments)
        func log(_ name: String) -> String {
            (try? String(contentsOfFile: sandbox.binDirectory + "/" + name, encoding: .utf8)) ?? ""
        }
        return SpyRun(result: result, commandLines: log("cmdline.log"), environments: log("environ.log"))
    }

    @Test(
        "no secret in the argv or environment of a helper credtool starts",
        arguments: [["get", "ghcr.io"], ["get", "quay.io"], ["logout", "ghcr.io"], ["logout", "quay.io"], ["list"]])
    func helperArgvAndEnvironment(_ arguments: [String]) throws {
        let sandbox = try spySandbox()
        let spy = try runThroughSpy(sandbox, arguments)
        #expect(spy.result.status == 0, "\(spy.result)")
        // The spy ran, with only the action as its argument.
        let lines = spy.commandLines.split(separator: "\n")
        try #require(!lines.isEmpty, "the spy was not run: \(spy.result)")
        for line in lines {
            #expect(line.hasSuffix("docker-credential-spy \(arguments[0] == "logout" ? "erase" : arguments[0]) "), "\(line)")
        }
        #expect(PlantedSecret.leaked(in: spy.commandLines) == [])
        #expect(PlantedSecret.leaked(in: spy.environments) == [])
        #expect(!spy.environments.isEmpty)
        if arguments[0] == "get" {
            // The one place a secret belongs: get's answer on stdout.
            #expect(spy.result.stdout.contains(PlantedSecret.helper))
        } else {
            #expect(PlantedSecret.leaked(in: spy.result.stdout) == [])
        }
        #expect(PlantedSecret.leaked(in: spy.result.stderr) == [])
    }

    @Test("no secret in the argv or environment of credtool's helper, seen from /proc while it runs")
    func liveCommandLine() throws {
        // A helper that waits for its parent's turn to be inspected: it copies the parent's
        // (credtool's) cmdline and environ too, which must not hold the config's secrets.
        let sandbox = try spySandbox()
        try sandbox.addHelper(
            "peek",
            #"""
            dir=$(dirname "$0")
            tr '\0' ' ' < /proc/$PPID/cmdline >> "$dir/parent-cmdline.log"
            tr '\0' '\n' < /proc/$PPID/environ >> "$dir/parent-environ.log"
            read -r server
            echo "credentials not found in native keychain"; exit 1
            """#)
        try sandbox.write(
            "{\"auths\":{\"plain.example\":{\"auth\":\"\(PlantedSecret.configAuth)\"}},\"credsStore\":\"peek\"}",
            to: sandbox.configPath)
        let result = try sandbox.run(credtoolPath, ["get", "ghcr.io"])
        #expect(result.status == 1 && result.stderr == "credtool: no credentials for ghcr.io\n", "\(result)")
        let parent = try String(contentsOfFile: sandbox.binDirectory + "/parent-cmdline.log", encoding: .utf8)
        let environment = try String(contentsOfFile: sandbox.binDirectory + "/parent-environ.log", encoding: .utf8)
        #expect(parent.contains("credtool get ghcr.io"))
        #expect(PlantedSecret.leaked(in: parent + environment) == [])
    }

    @Test("merge --output creates its file 0600 whatever the umask, and a new directory 0700")
    func newFileMode() throws {
        let sandbox = try EndToEndSandbox()
        try sandbox.write(plantedConfig, to: sandbox.configPath)
        let output = sandbox.path("new/dir/merged.json")
        // umask 000: a file made with the process's default mode would come out 0666.
        let result = try sandbox.run(
            "/bin/sh", ["-c", "umask 000; exec \"$0\" \"$@\"", credtoolPath, "merge", sandbox.configPath, "--output", output])
        #expect(result.status == 0 && result.stderr == "", "\(result)")
        #expect(try mode(of: output) == 0o600)
        #expect(try mode(of: sandbox.path("new/dir")) == 0o700)
        #expect(try mode(of: sandbox.path("new")) == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.path("new/dir")).sorted()
            == ["merged.json", "merged.json.lock"])
        #expect(try mode(of: output + ".lock") == 0o600)
    }

    @Test("logout keeps a 0600 config 0600 under umask 000")
    func keptMode() throws {
        let sandbox = try EndToEndSandbox()
        try sandbox.write(plantedConfig, to: sandbox.configPath)
        let result = try sandbox.run(
            "/bin/sh", ["-c", "umask 000; exec \"$0\" \"$@\"", credtoolPath, "logout", "quay.io"])
        #expect(result.status == 0, "\(result)")
        #expect(try mode(of: sandbox.configPath) == 0o600)
        #expect(PlantedSecret.leaked(in: result.stdout + result.stderr) == [])
    }

    @Test(
        "a write that fails mid-save leaves the old file and no temporary file",
        arguments: [["logout", "quay.io"], ["merge", "{CONFIG}", "{OTHER}", "--output", "{CONFIG}"]])
    func failedWrite(_ arguments: [String]) throws {
        // RLIMIT_FSIZE of 1 KiB with SIGXFSZ ignored: write(2) fails with EFBIG once the
        // temporary file reaches 1 KiB, as on a full disk (a tmpfs cannot be mounted here).
        let sandbox = try EndToEndSandbox()
        let padding = String(repeating: "x", count: 4096)
        let config = plantedConfig.replacing("\"table\"", with: "\"\(padding)\"")
        try sandbox.write(config, to: sandbox.configPath)
        try sandbox.write("{\"auths\":{\"other.example\":{\"auth\":\"\(PlantedSecret.configAuth)\"}}}", to: sandbox.path("other.json"))
        let argv = arguments.map {
            $0.replacing("{CONFIG}", with: sandbox.configPath).replacing("{OTHER}", with: sandbox.path("other.json"))
        }
        let result = try sandbox.run("/bin/bash", ["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"", credtoolPath] + argv)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "credtool: cannot save \(sandbox.configPath): File too large; the file was left as it was\n")
        #expect(PlantedSecret.leaked(in: result.stdout + result.stderr) == [])
        #expect(try String(contentsOfFile: sandbox.configPath, encoding: .utf8) == config)
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.configDirectory).sorted()
            == ["config.json", "config.json.lock"])
    }

    @Test(
        "a read-only config directory: refused with its reason, nothing left behind",
        .enabled(if: geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func readOnlyDirectory() throws {
        let sandbox = try EndToEndSandbox()
        try sandbox.write(plantedConfig, to: sandbox.configPath)
        #expect(chmod(sandbox.configDirectory, 0o500) == 0)
        let result = try sandbox.run(credtoolPath, ["logout", "quay.io"], unprivileged: true)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("credtool: cannot lock \(sandbox.configPath).lock: Permission denied"), "\(result)")
        #expect(try String(contentsOfFile: sandbox.configPath, encoding: .utf8) == plantedConfig)
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.configDirectory) == ["config.json"])
    }

    private func mode(of path: String) throws -> mode_t {
        var info = stat()
        try #require(lstat(path, &info) == 0, "\(path) is missing")
        return info.st_mode & 0o7777
    }
}
