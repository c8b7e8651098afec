import Foundation
import Testing

@Suite("faults: a killed save leaves a valid file")
struct FaultTests {
    @Test("SIGKILL of credtool at random points of merge --output: the file is always the old or the new one")
    func killedSave() throws {
        let sandbox = try EndToEndSandbox()
        // A large file, so a save takes long enough to be interrupted part-way.
        let padding = String(repeating: "x", count: 2 << 20)
        let old = plantedConfig.replacing("\"table\"", with: "\"\(padding)\"")
        try sandbox.write(old, to: sandbox.configPath)
        try sandbox.write("{\"auths\":{\"new.example\":{\"auth\":\"\(PlantedSecret.configAuth)\"}}}", to: sandbox.path("new.json"))

        var generator = SystemRandomNumberGenerator()
        for round in 0..<12 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: credtoolPath)
            process.arguments = ["merge", sandbox.configPath, sandbox.path("new.json"), "--output", sandbox.configPath]
            process.environment = ["HOME": sandbox.home, "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0...40_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let text = try String(contentsOfFile: sandbox.configPath, encoding: .utf8)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "round \(round): not JSON")
            let auths = try #require(object["auths"] as? [String: Any], "round \(round)")
            #expect(auths["ghcr.io"] != nil && auths["quay.io"] != nil, "round \(round): an old entry is gone")
            // Restore the old file for the next round when the merge got through.
            if auths["new.example"] != nil { try sandbox.write(old, to: sandbox.configPath) }
        }
        // A killed save may leave its temporary file (nothing runs after SIGKILL), never a
        // damaged config; the next save works and removes what the killed ones left.
        let result = try sandbox.run(credtoolPath, ["logout", "quay.io"])
        #expect(result.status == 0, "\(result)")
        let data = try Data(contentsOf: URL(fileURLWithPath: sandbox.configPath))
        #expect((try? JSONSerialization.jsonObject(with: data)) != nil)
        let directory = (sandbox.configPath as NSString).deletingLastPathComponent
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
        #expect(left == [])
    }
}

@Suite("faults: a credential helper that hangs")
struct HangingHelperTests {
    @Test("killed after CREDTOOL_HELPER_TIMEOUT, with a message that names it; a bad value is a usage error")
    func hangs() throws {
        let sandbox = try EndToEndSandbox()
        try sandbox.write("{\"credsStore\": \"hang\"}", to: sandbox.configPath)
        try sandbox.addHelper("hang", "exec sleep 60\n")
        let started = ContinuousClock.now
        let result = try sandbox.run(credtoolPath, ["get", "ghcr.io"], environment: ["CREDTOOL_HELPER_TIMEOUT": "0.5"])
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "credtool: docker-credential-hang did not answer within 0.5 s;"
            + " check that it is not waiting for input, or give it longer with CREDTOOL_HELPER_TIMEOUT (seconds; 0 for no limit)\n",
            "\(result)")

        let bad = try sandbox.run(credtoolPath, ["get", "ghcr.io"], environment: ["CREDTOOL_HELPER_TIMEOUT": "soon"])
        #expect(bad == ProcessResult(
            stdout: "",
            stderr: "credtool: CREDTOOL_HELPER_TIMEOUT is \"soon\": give the seconds a credential helper may take (at most 86400), or 0 for no limit\n",
            status: 64))
    }
}
