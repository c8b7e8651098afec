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
