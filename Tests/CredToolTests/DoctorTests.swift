import CommandLineKit
@testable import CredTool
import Foundation
import SecretService
import Testing

/// A sandbox set up for `credtool doctor`: a runtime directory with a listening bus socket, and
/// a Secret Service probe the test chooses.
final class DoctorSandbox {
    let sandbox: Sandbox
    /// The listening socket at `runtime/bus`; closed at deinit.
    private var busSocket: Int32 = -1
    var extraEnvironment: [String: String] = [:]
    var probe = SecretServiceProbe.healthy

    init() throws {
        sandbox = try Sandbox()
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        extraEnvironment["XDG_RUNTIME_DIR"] = runtime
    }

    deinit { if busSocket >= 0 { close(busSocket) } }

    var runtime: String { sandbox.root + "/runtime" }
    var configPath: String { sandbox.configPath }

    /// Listens on `runtime/bus`, as a session bus would.
    func startBus() throws {
        busSocket = try listeningSocket(at: runtime + "/bus")
    }

    /// Puts an executable `docker-credential-NAME` on the sandbox's PATH (never run).
    func installProgram(_ name: String) throws {
        try sandbox.write("#!/bin/sh\nexit 1\n", to: sandbox.bin + "/docker-credential-" + name, mode: 0o755)
    }

    func run(_ arguments: String..., terminal: Bool = false) -> Outcome {
        var io = CommandIO.capture(
            environment: sandbox.environment.merging(extraEnvironment) { $1 }, isStdoutTerminal: terminal)
        let status = SecretServiceProbe.$current.withValue(probe) {
            runCredTool(["doctor"] + arguments, io: &io, makeStore: sandbox.makeStore)
        }
        return Outcome(status: status, stdout: io.stdout.capturedText ?? "", stderr: io.stderr.capturedText ?? "")
    }

    /// `credtool doctor --json ARGS`, decoded.
    func checks(_ arguments: String...) throws -> (status: Int32, checks: [[String: String]]) {
        var io = CommandIO.capture(environment: sandbox.environment.merging(extraEnvironment) { $1 })
        let status = SecretServiceProbe.$current.withValue(probe) {
            runCredTool(["doctor", "--json"] + arguments, io: &io, makeStore: sandbox.makeStore)
        }
        #expect(io.stderr.capturedText == "")
        let decoded = try JSONDecoder().decode([[String: String]].self, from: Data((io.stdout.capturedText ?? "").utf8))
        return (status, decoded)
    }
}

extension SecretServiceProbe {
    /// A provider with one item and an unlocked default collection.
    static let healthy = SecretServiceProbe(listItems: { [("ghcr.io", "octocat")] }, isDefaultCollectionLocked: { false })

    static func failing(_ error: SecretServiceError) -> SecretServiceProbe {
        SecretServiceProbe(listItems: { throw error }, isDefaultCollectionLocked: { throw error })
    }
}

/// A unix socket listening at `path`.
func listeningSocket(at path: String) throws -> Int32 {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    try #require(descriptor >= 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let name = Array(path.utf8)
    try #require(name.count < MemoryLayout.size(ofValue: address.sun_path))
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        for (index, byte) in name.enumerated() { buffer[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    try #require(bound == 0)
    try #require(listen(descriptor, 8) == 0)
    return descriptor
}

/// The statuses by check name (the last finding of each name).
func statuses(_ checks: [[String: String]]) -> [String: String] {
    Dictionary(checks.map { ($0["check"] ?? "", $0["status"] ?? "") }) { $1 }
}

func finding(_ checks: [[String: String]], _ name: String) -> [String: String]? {
    checks.first { $0["check"] == name }
}

@Suite("credtool doctor")
struct DoctorTests {
    /// A config using swift, mode 0600, the helper on PATH, a bus and a healthy keyring.
    func healthy() throws -> DoctorSandbox {
        let doctor = try DoctorSandbox()
        try doctor.sandbox.writeConfig(#"{"credsStore": "swift"}"#)
        try doctor.installProgram("swift")
        try doctor.startBus()
        return doctor
    }

    @Test("a healthy setup: every check ok, exit 0")
    func allWell() throws {
        let doctor = try healthy()
        let (status, checks) = try doctor.checks()
        #expect(status == 0)
        #expect(
            checks.map { $0["check"] ?? "" } == [
                "config", "config-mode", "plaintext", "creds-store", "helpers", "session-bus", "secret-service",
                "keyring-locked", "keyring-items", "dockercfg", "podman-auth",
            ])
        #expect(checks.allSatisfy { $0["status"] == "ok" && $0["fix"] == "" }, "\(checks)")
        #expect(checks.allSatisfy { Set($0.keys) == ["check", "status", "detail", "fix"] })
        #expect(finding(checks, "helpers")?["detail"] == "docker-credential-swift is \(doctor.sandbox.bin)/docker-credential-swift (credsStore)")
        #expect(finding(checks, "secret-service")?["detail"] == "a Secret Service provider answers (1 Docker item)")

        let table = doctor.run()
        #expect(table.status == 0)
        #expect(table.stderr == "")
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("CHECK           STATUS  DETAIL") == true)
        #expect(lines.dropLast().last == "All checks passed.")
        #expect(!table.stdout.contains("\u{1B}"))
    }

    @Test("color only on a terminal, and never with NO_COLOR")
    func color() throws {
        let doctor = try healthy()
        #expect(doctor.run(terminal: true).stdout.contains("\u{1B}[32mok\u{1B}[0m"))
        doctor.extraEnvironment["NO_COLOR"] = "1"
        #expect(!doctor.run(terminal: true).stdout.contains("\u{1B}"))
    }

    @Test("invalid JSON: fail with line and column, exit 1")
    func invalidJSON() throws {
        let doctor = try healthy()
        try doctor.sandbox.writeConfig("{\n  \"auths\": {,\n}\n")
        let (status, checks) = try doctor.checks()
        #expect(status == 1)
        let config = try #require(finding(checks, "config"))
        #expect(config["status"] == "fail")
        #expect(config["detail"]?.hasPrefix("\(doctor.configPath) is not valid JSON: line 2, column 13:") == true, "\(config)")
        #expect(config["fix"] == "correct the file at line 2, column 13, or move it away")
        // Nothing is said about a config that could not be read; the rest still runs.
        #expect(finding(checks, "plaintext") == nil)
        #expect(finding(checks, "session-bus")?["status"] == "ok")
        let table = doctor.run()
        #expect(table.stdout.hasSuffix("1 of 7 checks need attention.\n"))
        #expect(table.stderr == "")
    }

    @Test("a mode looser than 0600: chmod 600")
    func looseMode() throws {
        let doctor = try healthy()
        #expect(chmod(doctor.configPath, 0o644) == 0)
        let (status, checks) = try doctor.checks()
        #expect(status == 1)
        #expect(
            finding(checks, "config-mode") == [
                "check": "config-mode", "status": "warn",
                "detail": "\(doctor.configPath) has mode 0644, looser than 0600: other users can read it",
                "fix": "chmod 600 \(doctor.configPath)",
            ])
    }

    @Test("plain-text credentials: credtool migrate, with the same --config")
    func plaintext() throws {
        let doctor = try healthy()
        try doctor.sandbox.writeConfig(
            plaintextConfig([("ghcr.io", "octocat", "pw"), ("quay.io", "robot", "pw")], extra: ",\n\t\"credsStore\": \"swift\""))
        var (status, checks) = try doctor.checks()
        #expect(status == 1)
        #expect(
            finding(checks, "plaintext") == [
                "check": "plaintext", "status": "warn",
                "detail": "2 registries in plain text in \(doctor.configPath): ghcr.io, quay.io",
                "fix": "credtool migrate",
            ])
        (status, checks) = try doctor.checks("--config", doctor.sandbox.configDirectory)
        #expect(finding(checks, "plaintext")?["fix"] == "credtool --config \(doctor.sandbox.configDirectory) migrate")
        // An empty entry ({}) holds no credentials.
        try doctor.sandbox.writeConfig(#"{"auths": {"ghcr.io": {}}, "credsStore": "swift"}"#)
        (status, checks) = try doctor.checks()
        #expect(status == 0)
    }

    @Test("credsStore secretservice: ok, and the detail says how to switch to swift")
    func secretServiceStore() throws {
        let doctor = try healthy()
        try doctor.sandbox.writeConfig(#"{"credsStore": "secretservice"}"#)
        try doctor.installProgram("secretservice")
        let (status, checks) = try doctor.checks()
        #expect(status == 0, "\(checks)")
        #expect(finding(checks, "creds-store")?["detail"]
            == "credsStore is secretservice (Docker's helper; credtool migrate --store swift switches to docker-credential-swift, which reads the same items)")
    }

    @Test("no config file yet: ok, but no credsStore either")
    func noConfig() throws {
        let doctor = try DoctorSandbox()
        try doctor.startBus()
        let (status, checks) = try doctor.checks()
        #expect(status == 1)
        #expect(finding(checks, "config")?["status"] == "ok")
        #expect(finding(checks, "config-mode") == nil)
        #expect(
            finding(checks, "creds-store") == [
                "check": "creds-store", "status": "warn",
                "detail": "no credsStore: docker login saves passwords in plain text in the config",
                "fix": "create \(doctor.configPath) holding {\"credsStore\": \"swift\"}",
            ])
        #expect(finding(checks, "secret-service")?["status"] == "ok")
    }

    @Test("helpers missing from PATH, swift included")
    func missingHelpers() throws {
        let doctor = try DoctorSandbox()
        try doctor.startBus()
        try doctor.installProgram("pass")
        try doctor.sandbox.writeConfig(
            #"{"credsStore": "swift", "credHelpers": {"gcr.io": "gcloud", "us.gcr.io": "gcloud", "quay.io": "pass"}}"#)
        let (status, checks) = try doctor.checks()
        #expect(status == 1)
        let helpers = checks.filter { $0["check"] == "helpers" }
        #expect(helpers.map { $0["status"] } == ["fail", "fail", "ok"])
        #expect(helpers[0]["detail"] == "docker-credential-swift is not on PATH (credsStore)")
        #expect(helpers[0]["fix"]?.hasPrefix("install docker-credential-swift (make install) or add its directory to PATH") == true)
        #expect(helpers[1]["detail"] == "docker-credential-gcloud is not on PATH (credHelpers gcr.io, credHelpers us.gcr.io)")
        #expect(helpers[1]["fix"] == "install docker-credential-gcloud, or name another helper in the config")
        #expect(helpers[2]["detail"] == "docker-credential-pass is \(doctor.sandbox.bin)/docker-credential-pass (credHelpers quay.io)")
    }

    @Test("a config that uses no Secret Service helper: the keyring is not checked")
    func otherStore() throws {
        let doctor = try DoctorSandbox()
        try doctor.installProgram("pass")
        try doctor.sandbox.writeConfig(#"{"credsStore": "pass"}"#)
        doctor.probe = .failing(.noProvider(detail: "unused"))
        let (status, checks) = try doctor.checks()
        #expect(status == 0, "\(checks)")
        #expect(finding(checks, "session-bus") == nil)
        #expect(finding(checks, "secret-service")?["detail"]?.hasPrefix("not checked") == true)
    }

    @Test("no session bus: fail, and the Secret Service is not asked")
    func noBus() throws {
        let doctor = try DoctorSandbox()
        try doctor.sandbox.writeConfig(#"{"credsStore": "swift"}"#)
        try doctor.installProgram("swift")
        doctor.probe = SecretServiceProbe(listItems: { Issue.record("asked"); return [] }, isDefaultCollectionLocked: { false })
        var (status, checks) = try doctor.checks()
        #expect(status == 1)
        #expect(
            finding(checks, "session-bus") == [
                "check": "session-bus", "status": "fail",
                "detail": "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set and nothing answers at \(doctor.runtime)/bus",
                "fix": "run inside a desktop session, or start one with dbus-run-session",
            ])
        #expect(finding(checks, "secret-service") == nil)

        doctor.extraEnvironment["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=\(doctor.runtime)/stale,guid=0123"
        (status, checks) = try doctor.checks()
        #expect(finding(checks, "session-bus")?["detail"] == "nothing answers at DBUS_SESSION_BUS_ADDRESS (unix:path=\(doctor.runtime)/stale,guid=0123)")

        // The variable wins over $XDG_RUNTIME_DIR/bus, and any of its addresses will do.
        try doctor.startBus()
        (status, checks) = try doctor.checks()
        #expect(finding(checks, "session-bus")?["status"] == "fail")
        doctor.extraEnvironment["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus;unix:path=\(doctor.runtime)/b%75s"
        doctor.probe = .healthy
        (status, checks) = try doctor.checks()
        #expect(finding(checks, "session-bus")?["status"] == "ok")
        #expect(status == 0)
    }

    @Test("D-Bus addresses: unix paths and abstract names, escapes decoded, other transports ignored")
    func busAddresses() {
        #expect(
            unixSockets(inBusAddress: "unix:abstract=/tmp/dbus-x,guid=1;tcp:host=localhost,port=1;unix:path=/run/a%20b")
                == [UnixSocket(path: "/tmp/dbus-x", isAbstract: true), UnixSocket(path: "/run/a b", isAbstract: false)])
        #expect(unixSockets(inBusAddress: "tcp:host=localhost,port=4000").isEmpty)
    }

    @Test(
        "Secret Service failures map to fixes",
        arguments: [
            (SecretServiceError.noProvider(detail: "The name is not activatable"), "fail", "start gnome-keyring-daemon"),
            (.noSessionBus(detail: "Cannot autolaunch"), "fail", "dbus-run-session"),
            (.failed(message: "boom"), "fail", "journalctl --user"),
            (.locked, "warn", "gnome-keyring-daemon --replace --unlock"),
        ])
    func secretServiceFailures(error: SecretServiceError, status: String, fix: String) throws {
        let doctor = try healthy()
        doctor.probe = .failing(error)
        let (exit, checks) = try doctor.checks()
        #expect(exit == 1)
        let found = try #require(finding(checks, "secret-service"))
        #expect(found["status"] == status)
        #expect(found["fix"]?.contains(fix) == true, "\(found)")
        #expect(finding(checks, "keyring-locked") == nil)
    }

    @Test("a locked default collection: warn, with how to unlock")
    func locked() throws {
        let doctor = try healthy()
        doctor.probe = SecretServiceProbe(listItems: { [] }, isDefaultCollectionLocked: { true })
        let (status, checks) = try doctor.checks()
        #expect(status == 1)
        let found = try #require(finding(checks, "keyring-locked"))
        #expect(found["status"] == "warn")
        #expect(found["fix"]?.contains("gnome-keyring-daemon --replace --unlock") == true)
        #expect(finding(checks, "secret-service")?["detail"] == "a Secret Service provider answers (0 Docker items)")
    }

    @Test("a server with several items (Docker's helper adds one per username): a warning each, with the fix")
    func duplicateItems() throws {
        let doctor = try healthy()
        doctor.probe = SecretServiceProbe(
            listItems: {
                [("quay.io", "robot"), ("ghcr.io", "octocat"), ("quay.io", "alice"), ("it's.example", "a"), ("it's.example", "b"),
                 ("quay.io", "alice"), ("https://ghcr.io", "other")]
            },
            isDefaultCollectionLocked: { false })
        let (status, checks) = try doctor.checks()
        #expect(status == 1)
        #expect(
            checks.filter { $0["check"] == "keyring-items" } == [
                [
                    "check": "keyring-items", "status": "warn",
                    "detail": "2 items for it's.example (usernames a, b): clients get any one of them",
                    "fix": #"echo 'it'\''s.example' | docker-credential-swift get | docker-credential-swift store (keeps the one get returns), or log in again as the user to keep"#,
                ],
                [
                    "check": "keyring-items", "status": "warn",
                    "detail": "3 items for quay.io (usernames alice, alice, robot): clients get any one of them",
                    "fix": "echo quay.io | docker-credential-swift get | docker-credential-swift store (keeps the one get returns), or log in again as the user to keep",
                ],
            ])
        #expect(finding(checks, "secret-service")?["detail"] == "a Secret Service provider answers (7 Docker items)")
        #expect(finding(checks, "keyring-locked")?["status"] == "ok")
    }

    @Test("a legacy ~/.dockercfg")
    func dockercfg() throws {
        let doctor = try healthy()
        let path = doctor.sandbox.home + "/.dockercfg"
        try doctor.sandbox.write(#"{"ghcr.io": {"auth": "eDp5"}}"#, to: path)
        let (status, checks) = try doctor.checks()
        #expect(status == 1)
        #expect(
            finding(checks, "dockercfg") == [
                "check": "dockercfg", "status": "warn",
                "detail": "\(path) exists: Docker's legacy credentials file, in plain text",
                "fix": "log in again (docker login) to the registries it names, then remove it: rm \(path)",
            ])
    }

    @Test("Podman auth.json files with plain text: each found file is reported")
    func podman() throws {
        let doctor = try healthy()
        let runtimeFile = doctor.runtime + "/containers/auth.json"
        let configFile = doctor.sandbox.home + "/.config/containers/auth.json"
        let named = doctor.sandbox.path("named auth.json")
        for path in [runtimeFile, configFile] {
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        }
        try doctor.sandbox.write(plaintextConfig([("quay.io", "robot", "pw")]), to: runtimeFile)
        try doctor.sandbox.write(#"{"auths": {}, "credHelpers": {"quay.io": "swift"}}"#, to: configFile)
        try doctor.sandbox.write("{", to: named)
        doctor.extraEnvironment["REGISTRY_AUTH_FILE"] = named
        let (status, checks) = try doctor.checks()
        #expect(status == 1)
        let podman = checks.filter { $0["check"] == "podman-auth" }
        #expect(podman.map { $0["status"] } == ["warn", "warn", "ok"])
        #expect(podman[0]["detail"]?.hasPrefix("\(named) is not valid JSON") == true, "\(podman)")
        #expect(podman[1]["detail"] == "1 registry in plain text in \(runtimeFile): quay.io")
        #expect(podman[1]["fix"] == "credtool --authfile \(runtimeFile) migrate")
        #expect(podman[2]["detail"] == "\(configFile) holds no plain-text credentials")

        // XDG_CONFIG_HOME moves the second file; a path with a space is quoted in the fix.
        try doctor.sandbox.write(plaintextConfig([("ghcr.io", "octocat", "pw")]), to: named)
        doctor.extraEnvironment["XDG_CONFIG_HOME"] = doctor.sandbox.path("xdg")
        let again = try doctor.checks().checks.filter { $0["check"] == "podman-auth" }
        #expect(again.count == 2)
        #expect(again[0]["fix"] == "credtool --authfile '\(named)' migrate")
    }

    @Test("doctor is listed in help and takes --json only")
    func usage() throws {
        let doctor = try healthy()
        let outcome = doctor.run("extra")
        #expect(outcome.status == 64)
        #expect(doctor.sandbox.run("--help").stdout.contains("doctor"))
    }
}
