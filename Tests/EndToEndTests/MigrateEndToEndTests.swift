import Foundation
import Testing

/// A temp directory holding a config directory and a `bin` directory for fake helpers.
private final class MigrateSandbox {
    let root: String

    init() throws {
        var template = Array("/tmp/credtool-migrate-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        root = String(cString: try #require(made))
        for directory in [configDirectory, bin] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var configDirectory: String { root + "/docker" }
    var configPath: String { configDirectory + "/config.json" }
    var bin: String { root + "/bin" }

    func writeConfig(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    var configBytes: Data? { FileManager.default.contents(atPath: configPath) }

    /// Writes an executable `bin/docker-credential-NAME`.
    ///
    /// O_CLOEXEC: a process another test forks meanwhile must not inherit this writable
    /// descriptor, or exec of the script fails with ETXTBSY.
    func addHelper(_ name: String, _ script: String) throws {
        let fd = open(bin + "/docker-credential-" + name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        try #require(fd >= 0)
        let bytes = Array(script.utf8)
        #expect(write(fd, bytes, bytes.count) == bytes.count)
        #expect(close(fd) == 0)
    }

    /// Runs the built credtool on this sandbox's config, the fake helpers first on PATH.
    func credtool(_ arguments: [String]) throws -> ProcessResult {
        try run(credtoolPath, ["--config", configDirectory] + arguments, environment: [
            "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ])
    }
}

/// A credential helper in Python keeping each item as a file in `items/` beside it. Its
/// `store` writes the item and counts; on the store numbered `FAIL_ON` it fails after writing
/// (a helper dying half-way), and each store sleeps `SLEEP` seconds.
private func fileHelper(failOn: Int = 0, sleep: Double = 0) -> String {
    """
    #!/usr/bin/env python3
    import json, os, sys, time
    here = os.path.dirname(os.path.abspath(__file__))
    items = os.path.join(here, "items")
    os.makedirs(items, exist_ok=True)
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    data = sys.stdin.read()
    def item(server): return os.path.join(items, server.replace("/", "_"))
    if action == "store":
        stored = json.loads(data)
        count_path = os.path.join(here, "count")
        count = int(open(count_path).read()) + 1 if os.path.exists(count_path) else 1
        open(count_path, "w").write(str(count))
        time.sleep(\(sleep))
        open(item(stored["ServerURL"]), "w").write(json.dumps(stored))
        if count == \(failOn):
            print("flaky: the store broke down")
            sys.exit(1)
    elif action == "get":
        path = item(data.strip())
        if not os.path.exists(path):
            print("credentials not found in native keychain")
            sys.exit(1)
        print(open(path).read())
    elif action == "erase":
        path = item(data.strip())
        if not os.path.exists(path):
            print("credentials not found in native keychain")
            sys.exit(1)
        os.remove(path)
    elif action == "list":
        print(json.dumps({name: json.load(open(os.path.join(items, name)))["Username"] for name in os.listdir(items)}))
    else:
        print("unknown action")
        sys.exit(1)

    """
}

/// A Docker-style config holding `logins` as `auth` entries, and a key credtool does not know.
private func config(_ logins: [(server: String, username: String, password: String)]) -> String {
    let entries = logins.map { login in
        "\t\t\"\(login.server)\": {\n\t\t\t\"auth\": \"\(Data((login.username + ":" + login.password).utf8).base64EncodedString())\"\n\t\t}"
    }
    return "{\n\t\"auths\": {\n" + entries.joined(separator: ",\n") + "\n\t},\n\t\"psFormat\": \"table {{.ID}}\"\n}"
}

@Suite("credtool migrate, end to end")
struct MigrateEndToEndTests {
    @Test("a store that fails on its second item: the first is erased, the one it replaced is restored")
    func flakyHelper() throws {
        let sandbox = try MigrateSandbox()
        try sandbox.addHelper("flaky", fileHelper(failOn: 2))
        let items = sandbox.bin + "/items"
        try FileManager.default.createDirectory(atPath: items, withIntermediateDirectories: true)
        let old = "{\"ServerURL\": \"b.example\", \"Username\": \"old\", \"Secret\": \"old-secret\"}"
        try Data(old.utf8).write(to: URL(fileURLWithPath: items + "/b.example"))
        let text = config([("a.example", "alice", "pw:a"), ("b.example", "bob", "pw-b"), ("c.example", "carol", "pw-c")])
        try sandbox.writeConfig(text)

        let result = try sandbox.credtool(["migrate", "--store", "flaky"])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == """
            credtool: cannot migrate b.example: cannot store it in store:flaky: docker-credential-flaky failed: flaky: the store broke down
            credtool: rolled back: erased 1 new item, restored 1 replaced item; \(sandbox.configPath) was left as it was

            """)
        #expect(sandbox.configBytes == Data(text.utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: items) == ["b.example"])
        let restored = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: items + "/b.example")))
        #expect(restored as? [String: String] == ["ServerURL": "b.example", "Username": "old", "Secret": "old-secret"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.configDirectory).allSatisfy { !$0.contains(".bak-") })
    }

    @Test("SIGTERM between two items: rolled back, the file as it was")
    func sigterm() throws {
        let sandbox = try MigrateSandbox()
        try sandbox.addHelper("slow", fileHelper(sleep: 0.3))
        let text = config((1...10).map { ("r\($0).example", "user\($0)", "pw\($0)") })
        try sandbox.writeConfig(text)
        // Python starts credtool with SIGTERM unblocked (Foundation's Process may block it in
        // its children), sends SIGTERM once the first item is in, and prints the exit status.
        let driver = """
            import os, signal, subprocess, sys, time
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            items = sys.argv[1]
            child = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.time() + 20
            while not (os.path.isdir(items) and os.listdir(items)) and time.time() < deadline:
                time.sleep(0.01)
            child.send_signal(signal.SIGTERM)
            out, err = child.communicate()
            sys.stdout.write(err.decode())
            sys.exit(child.returncode)
            """
        let result = try run(
            "/usr/bin/python3",
            ["-c", driver, sandbox.bin + "/items", credtoolPath, "--config", sandbox.configDirectory, "migrate", "--store", "slow"],
            environment: ["PATH": sandbox.bin + ":/usr/bin:/bin"])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("credtool: interrupted by SIGTERM\ncredtool: rolled back: erased "))
        #expect(sandbox.configBytes == Data(text.utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.bin + "/items") == [])
    }
}

@Suite("credtool migrate on a real keyring", .enabled(if: keyringIsPrivate))
struct MigrateKeyringTests {
    @Test("from Docker's secretservice helper to swift: its items serve at once, the plain text moves")
    func fromSecretService() throws {
        let sandbox = try MigrateSandbox()
        let (kept, plain) = (uniqueServer("ss-kept"), uniqueServer("ss-plain"))
        #expect(try run(goHelperPath, ["store"], input: storePayload(kept, "dave", "pw-d")).status == 0)
        try sandbox.writeConfig(config([(plain, "erin", "pw-e")]).replacing("\"psFormat\"", with: "\"credsStore\": \"secretservice\",\n\t\"psFormat\""))
        let result = try sandbox.credtool(["migrate", "--store", "swift", "--no-backup"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("Switched credsStore from secretservice to swift: "), "\(result)")
        #expect(String(decoding: sandbox.configBytes ?? Data(), as: UTF8.self).contains("\"credsStore\": \"swift\""))
        for (server, username, secret) in [(kept, "dave", "pw-d"), (plain, "erin", "pw-e")] {
            let expected = storePayload(server, username, secret) + "\n"
            #expect(try sandbox.credtool(["get", server]).stdout == expected)
            #expect(try run(helperPath, ["get"], input: server).stdout == expected)
            #expect(try run(goHelperPath, ["get"], input: server).stdout == expected)
            _ = try run(helperPath, ["erase"], input: server)
        }
    }

    @Test(
        "a disk that fills after every item was stored: the items are erased, the file left as it was",
        arguments: [["--no-backup"], []])
    func fullDisk(_ options: [String]) throws {
        // RLIMIT_FSIZE of 1 KiB with SIGXFSZ ignored fails credtool's own writes with EFBIG, as a
        // full disk would, while gnome-keyring (another process) stores the items. The config is
        // padded past 1 KiB, so the save (or, first, the backup) is the write that fails.
        let sandbox = try MigrateSandbox()
        let (a, b) = (uniqueServer("full-a"), uniqueServer("full-b"))
        let text = config([(a, "alice", "pw-a"), (b, "bob", "pw-b")])
            .replacing("table {{.ID}}", with: String(repeating: "x", count: 4096))
        try sandbox.writeConfig(text)
        let result = try run(
            "/bin/bash",
            ["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"", credtoolPath, "--config", sandbox.configDirectory, "migrate"]
                + options)
        #expect(result.status == 1, "\(result)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(result)")
        #expect(
            lines[0].hasPrefix(options.isEmpty ? "credtool: cannot write the backup \(sandbox.configPath).bak-" : "credtool: cannot save \(sandbox.configPath): File too large"),
            "\(lines)")
        #expect(lines[0].contains("File too large"))
        #expect(lines[1] == "credtool: rolled back: erased 2 new items, restored 0 replaced items; \(sandbox.configPath) was left as it was")
        #expect(sandbox.configBytes == Data(text.utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.configDirectory).sorted() == ["config.json", "config.json.lock"])
        for server in [a, b] {
            #expect(try run(helperPath, ["get"], input: server).stdout == "credentials not found in native keychain\n")
        }
    }

    @Test("three logins move to the keyring; both helpers read them; a second run has nothing to do")
    func migrates() throws {
        let sandbox = try MigrateSandbox()
        let (a, b, c) = (uniqueServer("migrate-a"), uniqueServer("migrate-b"), uniqueServer("migrate-token"))
        try sandbox.writeConfig("""
            {
            \t"auths": {
            \t\t"\(a)": {
            \t\t\t"auth": "\(Data("alice:pa:ss".utf8).base64EncodedString())"
            \t\t},
            \t\t"https://\(b)": {
            \t\t\t"auth": "\(Data("bob:pw-b".utf8).base64EncodedString())"
            \t\t},
            \t\t"\(c)": {
            \t\t\t"identitytoken": "refresh-token"
            \t\t}
            \t},
            \t"HttpHeaders": {
            \t\t"User-Agent": "x"
            \t}
            }
            """)
        let result = try sandbox.credtool(["migrate", "--no-backup"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("Moved \(a) (alice) to store:swift\nMoved \(b) (bob) to store:swift\nMoved \(c) (<token>) to store:swift\n"))
        #expect(String(decoding: sandbox.configBytes ?? Data(), as: UTF8.self) == """
            {
            \t"auths": {
            \t\t"\(a)": {},
            \t\t"https://\(b)": {},
            \t\t"\(c)": {}
            \t},
            \t"HttpHeaders": {
            \t\t"User-Agent": "x"
            \t},
            \t"credsStore": "swift"
            }
            """)
        for helper in [helperPath, goHelperPath] {
            #expect(try run(helper, ["get"], input: a).stdout == "{\"ServerURL\":\"\(a)\",\"Username\":\"alice\",\"Secret\":\"pa:ss\"}\n")
            #expect(try run(helper, ["get"], input: b).stdout == "{\"ServerURL\":\"\(b)\",\"Username\":\"bob\",\"Secret\":\"pw-b\"}\n")
            #expect(try run(helper, ["get"], input: c).stdout
                == "{\"ServerURL\":\"\(c)\",\"Username\":\"\\u003ctoken\\u003e\",\"Secret\":\"refresh-token\"}\n")
        }
        let again = try sandbox.credtool(["migrate"])
        #expect(again == ProcessResult(
            stdout: "Nothing to migrate: \(sandbox.configPath) holds no plain-text credentials.\n", stderr: "", status: 0))
        for server in [a, b, c] { _ = try run(helperPath, ["erase"], input: server) }
    }

    @Test("the keyring daemon killed mid-run: exit 1, rollback reported, the file old or new, never half")
    func daemonKilled() throws {
        let sandbox = try MigrateSandbox()
        let logins = (1...60).map { ("k\($0).killed.example", "user\($0)", "pw\($0)") }
        let text = config(logins)
        try sandbox.writeConfig(text)
        // A rig of its own, whose daemon may die: credtool runs in the background, and once the
        // keyring file has grown (items are going in) the rig's daemon, a child of that
        // with-keyring (this script's parent), is killed by its process ID.
        let script = """
            keyring="$HOME/.local/share/keyrings/login.keyring"
            size() { stat -c %s "$keyring" 2>/dev/null || echo 0; }
            before=$(size)
            "$1" --config "$2" migrate --no-backup >"$3/out" 2>"$3/err" &
            credtool=$!
            for _ in $(seq 1000); do [ "$(size)" != "$before" ] && break; sleep 0.01; done
            sleep 0.2
            daemon=$(pgrep -P "$PPID" gnome-keyring)
            [ -n "$daemon" ] || { echo "no daemon found" >&2; exit 99; }
            kill -KILL $daemon
            wait $credtool
            echo "status $?"
            """
        let result = try run(withKeyring, ["bash", "-c", script, "rig", credtoolPath, sandbox.configDirectory, sandbox.root])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "status 1\n", "\(result)")
        let stderr = (try? String(contentsOfFile: sandbox.root + "/err", encoding: .utf8)) ?? ""
        #expect(stderr.hasPrefix("credtool: cannot migrate k"), "\(stderr)")
        #expect(stderr.contains("credtool: rolled back: "), "\(stderr)")
        #expect(stderr.split(separator: "\n").count <= 3, "\(stderr)")  // one line per store, not per item
        // The file is the old one, byte for byte (the save never came).
        #expect(sandbox.configBytes == Data(text.utf8))
    }
}
