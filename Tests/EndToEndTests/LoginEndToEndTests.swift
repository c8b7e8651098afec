import Foundation
import Testing

/// Drives `credtool login` on a pseudo-terminal, as a person at a terminal would.
///
/// usage: python3 -c SCRIPT CREDTOOL CONFIG_DIR SERVER (login|interrupt)
/// - login: answers both prompts (alice / the password) once echo is off; prints JSON with the
///   exit status, everything the terminal showed, and whether echo is on afterwards.
/// - interrupt: at the password prompt, once echo is off, sends SIGINT; prints the same JSON.
/// Every wait is bounded (20 s in all); the child is killed on the way out.
private let terminalDriver = #"""
    import json, os, pty, select, signal, subprocess, sys, termios, time
    signal.pthread_sigmask(signal.SIG_SETMASK, set())  # Foundation's Process may start us with signals blocked
    credtool, config, server, mode, password = sys.argv[1:6]
    master, slave = pty.openpty()
    child = subprocess.Popen([credtool, "--config", config, "login", server], stdin=slave, stdout=slave,
                             stderr=slave, start_new_session=True,
                             preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, set()))
    deadline = time.monotonic() + 20
    shown = b""

    def fail(why):
        child.kill()
        sys.exit(f"{why}; the terminal showed {shown!r}")

    def read(timeout):
        global shown
        ready, _, _ = select.select([master], [], [], max(0, timeout))
        if ready:
            try:
                shown += os.read(master, 4096)
            except OSError:
                pass

    def read_until(marker):
        while marker not in shown:
            if time.monotonic() > deadline or child.poll() is not None:
                fail(f"no {marker!r}")
            read(deadline - time.monotonic())

    def echo_on():
        return bool(termios.tcgetattr(slave)[3] & termios.ECHO)

    def wait_echo_off():
        while echo_on():
            if time.monotonic() > deadline:
                fail("echo stayed on at the password prompt")
            time.sleep(0.01)

    read_until(b"Username: ")
    os.write(master, b"alice\n")
    read_until(b"Password: ")
    wait_echo_off()
    if mode == "interrupt":
        os.kill(child.pid, signal.SIGINT)
    else:
        os.write(master, password.encode() + b"\n")
    try:
        status = child.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        fail("credtool did not finish")
    read(0.2)
    print(json.dumps({"status": status, "shown": shown.decode(errors="replace"), "echo": echo_on()}))
    """#

private struct TerminalRun: Decodable {
    var status: Int
    var shown: String
    var echo: Bool
}

private func loginOnTerminal(_ configDirectory: String, _ server: String, mode: String, password: String) throws
    -> TerminalRun
{
    let result = try run(
        "/usr/bin/python3", ["-c", terminalDriver, credtoolPath, configDirectory, server, mode, password])
    #expect(result.status == 0, "\(result)")
    return try JSONDecoder().decode(TerminalRun.self, from: Data(result.stdout.utf8))
}

/// `GET /v2/_catalog` with Basic auth for the credentials credtool get printed, sent by python3:
/// the HTTP status.
private func catalogStatus(_ address: String, credentialsJSON: String) throws -> String {
    let script = """
        import base64, json, sys, urllib.request, urllib.error
        c = json.loads(sys.stdin.read())
        request = urllib.request.Request('http://\(address)/v2/_catalog')
        request.add_header('Authorization', 'Basic ' + base64.b64encode((c['Username'] + ':' + c['Secret']).encode()).decode())
        try: print(urllib.request.urlopen(request, timeout=5).status)
        except urllib.error.HTTPError as e: print(e.code)
        """
    return try run("/usr/bin/python3", ["-c", script], input: credentialsJSON).stdout
        .trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite("credtool login: the built binary, the real keyring, a real registry", .enabled(if: keyringIsPrivate))
struct LoginEndToEndTests {
    @Test("login stores in the keyring; credtool get gives what opens the registry; a wrong password changes nothing")
    func loginThenUse() throws {
        let password = "e2e s3cret-\(UInt32.random(in: 0...UInt32.max))"
        let registry = try HtpasswdRegistry(user: "alice", password: password)
        defer { registry.stop() }
        let configDirectory = registry.directory + "/docker"
        let config = configDirectory + "/config.json"

        let login = try run(
            credtoolPath, ["--config", configDirectory, "login", "-u", "alice", "--password-stdin", registry.address],
            input: password + "\n")
        #expect(login == ProcessResult(stdout: "Login Succeeded\n", stderr: "", status: 0))
        let expectedConfig = "{\n\t\"auths\": {\n\t\t\"\(registry.address)\": {}\n\t},\n\t\"credsStore\": \"swift\"\n}"
        #expect(try String(contentsOfFile: config, encoding: .utf8) == expectedConfig)

        let get = try run(credtoolPath, ["--config", configDirectory, "get", registry.address])
        #expect(get.status == 0, "\(get)")
        #expect(get.stdout == storePayload(registry.address, "alice", password) + "\n")
        #expect(try catalogStatus(registry.address, credentialsJSON: get.stdout) == "200")
        // docker-credential-swift reads the same keyring item.
        #expect(try run(helperPath, ["get"], input: registry.address).stdout == get.stdout)

        let wrong = try run(
            credtoolPath, ["--config", configDirectory, "login", "-u", "alice", "--password-stdin", registry.address],
            input: "wrong\n")
        #expect(wrong.status == 1)
        #expect(wrong.stdout == "")
        #expect(wrong.stderr.hasPrefix("credtool: login to \(registry.address) failed: unauthorized"), "\(wrong)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == expectedConfig)
        #expect(try run(credtoolPath, ["--config", configDirectory, "get", registry.address]).stdout == get.stdout)

        #expect(try run(credtoolPath, ["--config", configDirectory, "logout", registry.address]).status == 0)
    }

    @Test("on a terminal: prompts, the password never shown, echo back on afterwards")
    func terminal() throws {
        let password = "tty-s3cret-\(UInt32.random(in: 0...UInt32.max))"
        let registry = try HtpasswdRegistry(user: "alice", password: password)
        defer { registry.stop() }
        let configDirectory = registry.directory + "/docker"

        let login = try loginOnTerminal(configDirectory, registry.address, mode: "login", password: password)
        #expect(login.status == 0, "\(login.shown)")
        #expect(login.shown.contains("Username: alice"))
        #expect(login.shown.contains("Login Succeeded"))
        #expect(!login.shown.contains(password))
        #expect(login.echo)
        #expect(try run(credtoolPath, ["--config", configDirectory, "get", registry.address]).stdout
            == storePayload(registry.address, "alice", password) + "\n")
        #expect(try run(credtoolPath, ["--config", configDirectory, "logout", registry.address]).status == 0)
    }

    @Test("SIGINT at the password prompt: echo is restored, the process ends by the signal, nothing stored")
    func interrupted() throws {
        let registry = try HtpasswdRegistry(user: "alice", password: "unused")
        defer { registry.stop() }
        let configDirectory = registry.directory + "/docker"

        let interrupted = try loginOnTerminal(configDirectory, registry.address, mode: "interrupt", password: "")
        #expect(interrupted.status == -Int(SIGINT), "\(interrupted.shown)")
        #expect(interrupted.echo)
        #expect(!FileManager.default.fileExists(atPath: configDirectory + "/config.json"))
    }
}

@Suite("the README's recipe for CI and build servers")
struct CIRecipeTests {
    @Test("run as printed, in an empty environment: a keyring for the job, the login on stdin, docker's helper call answered")
    func readmeRecipe() throws {
        // The first sh block after the heading, with the registry swapped for a real one and
        // `docker` for a stand-in that asks the helper what `docker push` would ask it.
        let readme = try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)
        let section = try #require(readme.firstRange(of: "### CI and build servers"), "the README lost its CI section")
        let rest = readme[section.upperBound...]
        let start = try #require(rest.firstRange(of: "```sh\n"))
        let end = try #require(rest[start.upperBound...].firstRange(of: "```\n"))
        let recipe = String(rest[start.upperBound..<end.lowerBound])
        #expect(recipe.contains("docker push registry.example.com/"))

        let token = "ci-token-\(UInt64.random(in: 0...UInt64.max))"
        let registry = try HtpasswdRegistry(user: "ci", password: token)
        defer { registry.stop() }
        let home = registry.directory + "/home", bin = registry.directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try """
            #!/bin/sh
            # push IMAGE: the registry's credentials, as docker push gets them from the helper
            [ "$1" = push ] || exit 64
            echo "${2%%/*}" | docker-credential-swift get >"$HOME/pushed.json"
            """.write(toFile: bin + "/docker", atomically: true, encoding: .utf8)
        #expect(chmod(bin + "/docker", 0o755) == 0)

        let result = try run("/usr/bin/env", [
            "-i", "HOME=\(home)", "PATH=\(bin):\(productsDirectory):/usr/bin:/bin", "KEYRING_PASSWORD=job-password",
            "REGISTRY_TOKEN=\(token)", "/bin/sh", "-c", recipe.replacing("registry.example.com", with: registry.address),
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "Login Succeeded\n")
        #expect(!result.stdout.contains(token) && !result.stderr.contains(token))
        #expect(try String(contentsOfFile: home + "/pushed.json", encoding: .utf8) == storePayload(registry.address, "ci", token) + "\n")
        #expect(try String(contentsOfFile: home + "/.docker/config.json", encoding: .utf8)
            == "{\n\t\"auths\": {\n\t\t\"\(registry.address)\": {}\n\t},\n\t\"credsStore\": \"swift\"\n}")
        #expect(FileManager.default.fileExists(atPath: home + "/.local/share/keyrings/login.keyring"))
    }
}
