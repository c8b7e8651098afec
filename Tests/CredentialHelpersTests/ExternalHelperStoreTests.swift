import CredentialHelpers
import Foundation
import Testing

/// A temporary directory holding fake `docker-credential-*` scripts; removed by `cleanUp()`.
private struct FakeHelpers {
    let directory: String

    init() throws {
        var template = Array("/tmp/credtool-helper-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        directory = String(cString: try #require(made))
    }

    /// Writes an executable `docker-credential-NAME` running `body` under `/bin/sh`.
    func add(_ name: String, _ body: String) throws {
        let path = directory + "/docker-credential-" + name
        // O_CLOEXEC: a child that another test forks meanwhile must not inherit this writable
        // descriptor, or exec of the script fails with ETXTBSY.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        try #require(fd >= 0)
        let script = Array(("#!/bin/sh\n" + body).utf8)
        #expect(write(fd, script, script.count) == script.count)
        #expect(close(fd) == 0)
    }

    func store(_ name: String, timeout: Duration? = .seconds(10)) -> ExternalHelperStore {
        ExternalHelperStore(name: name, searchPath: "/nonexistent:" + directory, timeout: timeout)
    }

    func contents(_ file: String) throws -> String {
        try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
}

/// A helper that keeps one credential in `state.json`, logs argv to `argv.log` and stdin of
/// `store` to `stdin.log`, as a real helper would answer.
private let statefulHelper = #"""
dir=$(dirname "$0")
for a in "$@"; do printf '%s\n' "$a" >> "$dir/argv.log"; done
env >> "$dir/env.log"
case "$1" in
store)
  cat > "$dir/state.json"; cp "$dir/state.json" "$dir/stdin.log" ;;
get)
  read -r server
  if [ -f "$dir/state.json" ] && grep -q "\"ServerURL\":\"$server\"" "$dir/state.json"; then
    cat "$dir/state.json"
  else
    echo "credentials not found in native keychain"; exit 1
  fi ;;
erase)
  read -r server
  if [ -f "$dir/state.json" ] && grep -q "\"ServerURL\":\"$server\"" "$dir/state.json"; then
    rm "$dir/state.json"
  else
    echo "credentials not found in native keychain"; exit 1
  fi ;;
list)
  if [ -f "$dir/state.json" ]; then
    server=$(sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p' "$dir/state.json")
    user=$(sed -n 's/.*"Username":"\([^"]*\)".*/\1/p' "$dir/state.json")
    printf '{"%s":"%s"}\n' "$server" "$user"
  else
    echo '{}'
  fi ;;
*) echo "unknown action"; exit 1 ;;
esac
"""#

@Suite("External credential helpers")
struct ExternalHelperStoreTests {
    @Test("store, get, list and erase go through the program")
    func roundTrip() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("fake", statefulHelper)
        let store = fakes.store("fake")
        let credentials = Credentials(serverURL: "registry.example.com", username: "alice", secret: "p<a>ss:w\"ord")

        try store.store(credentials)
        #expect(try fakes.contents("stdin.log")
            == #"{"ServerURL":"registry.example.com","Username":"alice","Secret":"p\u003ca\u003ess:w\"ord"}"# + "\n")
        #expect(try store.get(server: "registry.example.com") == credentials)
        #expect(try store.list() == ["registry.example.com": "alice"])
        #expect(try store.erase(server: "registry.example.com") == true)
        #expect(try store.get(server: "registry.example.com") == nil)
        #expect(try store.list() == [:])
    }

    @Test("not found: get gives nil and erase gives false")
    func notFound() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("fake", statefulHelper)
        #expect(try fakes.store("fake").get(server: "missing.example.com") == nil)
        #expect(try fakes.store("fake").erase(server: "missing.example.com") == false)
    }

    @Test("the secret is never in argv or the environment")
    func secretOnlyOnStdin() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("fake", statefulHelper)
        let store = fakes.store("fake")
        try store.store(Credentials(serverURL: "r.example.com", username: "bob", secret: "s3cr3t-value"))
        _ = try store.get(server: "r.example.com")
        _ = try store.list()
        try store.erase(server: "r.example.com")
        #expect(try fakes.contents("argv.log") == "store\nget\nlist\nerase\n")
        #expect(try !fakes.contents("env.log").contains("s3cr3t-value"))
    }

    @Test("a failing helper's message is reported with its name")
    func failure() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("broken", "cat >/dev/null\necho 'the vault is sealed'\necho 'second line'\nexit 1\n")
        let error = try #require(throws: ExternalHelperError.self) {
            try fakes.store("broken").store(Credentials(serverURL: "r.example.com", username: "u", secret: "hunter2"))
        }
        #expect(error.description == "docker-credential-broken failed: the vault is sealed second line")
        #expect(!error.description.contains("hunter2"))
    }

    @Test("a helper that exits without reading stdin is not a crash")
    func ignoresInput() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("deaf", "exit 3\n")
        let secret = String(repeating: "x", count: 1 << 20)
        let error = try #require(throws: ExternalHelperError.self) {
            try fakes.store("deaf").store(Credentials(serverURL: "r.example.com", username: "u", secret: secret))
        }
        #expect(error.description == "docker-credential-deaf failed: exited with status 3")
    }

    @Test("a helper that hangs is killed after the timeout")
    func timeout() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("hang", "exec sleep 60\n")
        let error = try #require(throws: ExternalHelperError.self) {
            try fakes.store("hang", timeout: .milliseconds(500)).get(server: "r.example.com")
        }
        #expect(error.description.hasPrefix("docker-credential-hang did not answer within 0.5 s"))
    }

    @Test("with no timeout, a slow helper is waited for")
    func noTimeout() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("slow", "sleep 0.3; echo '{\"slow.example\":\"u\"}'\n")
        #expect(try fakes.store("slow", timeout: nil).list() == ["slow.example": "u"])
    }

    @Test(
        "CREDTOOL_HELPER_TIMEOUT: seconds, a fraction allowed; 0 for no limit; unset or empty for 30 s",
        arguments: [
            (nil, .seconds(30)), ("", .seconds(30)), ("0", nil), ("0.5", .milliseconds(500)), ("12", .seconds(12)),
            ("86400", .seconds(86_400)), ("0.0001", .milliseconds(1)),
        ] as [(String?, Duration?)])
    func timeoutSetting(value: String?, expected: Duration?) throws {
        #expect(try ExternalHelperStore.timeout(setting: value) == expected)
    }

    @Test("any other CREDTOOL_HELPER_TIMEOUT is refused, naming the value", arguments: ["abc", "-1", "inf", "nan", "86401", "1s", " 5"])
    func invalidTimeoutSetting(value: String) throws {
        let error = try #require(throws: ExternalHelperError.self) { try ExternalHelperStore.timeout(setting: value) }
        #expect(error.description == "CREDTOOL_HELPER_TIMEOUT is \"\(value)\": give the seconds a credential helper may take (at most 86400), or 0 for no limit")
    }

    @Test("a missing helper is named")
    func missing() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        let error = try #require(throws: ExternalHelperError.self) { try fakes.store("absent").list() }
        #expect(error.description.hasPrefix("docker-credential-absent is not on PATH"))
        #expect(throws: ExternalHelperError.self) { try fakes.store("../bin/sh").list() }
    }

    @Test("output that is not the protocol's JSON is refused without quoting it")
    func invalidOutput() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("garbled", "echo 'Secret=hunter2'\n")
        let error = try #require(throws: ExternalHelperError.self) { try fakes.store("garbled").get(server: "r.example.com") }
        #expect(!error.description.contains("hunter2"))
        try fakes.add("listnum", "echo '{\"r.example.com\":1}'\n")
        #expect(throws: ExternalHelperError.self) { try fakes.store("listnum").list() }
    }

    @Test("get matches fields as Go does and takes the server from the request")
    func caseFolding() throws {
        let fakes = try FakeHelpers()
        defer { fakes.cleanUp() }
        try fakes.add("folded", #"echo '{"serverurl":"other","username":"u","secret":"s"}'"# + "\n")
        #expect(try fakes.store("folded").get(server: "r.example.com")
            == Credentials(serverURL: "r.example.com", username: "u", secret: "s"))
    }
}
