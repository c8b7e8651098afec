import Foundation
import Synchronization
import Testing

@Suite("helpers and credtool writers at once, on a real keyring", .enabled(if: keyringIsPrivate))
struct ConcurrencyTests {
    @Test("50 helper stores and 20 credtool writers together: nothing lost, the config valid throughout")
    func storesAndWriters() async throws {
        let prefix = uniqueServer("mixed")
        let directory = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: "/tmp"), create: true
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configPath = directory + "/config.json"
        let entries = (0..<30).map { index in
            "\"w\(index).\(prefix)\": {\"auth\": \"\(Data("user\(index):pw\(index)".utf8).base64EncodedString())\"}"
        }
        try "{\"auths\": {\(entries.joined(separator: ", "))}, \"psFormat\": \"kept\"}"
            .write(toFile: configPath, atomically: true, encoding: .utf8)

        let finished = Atomic<Bool>(false)
        // A reader that parses config.json over and over while the writers run.
        let reader = Task.detached { () -> (reads: Int, invalid: Int) in
            var reads = 0, invalid = 0
            while !finished.load(ordering: .acquiring) {
                if let data = FileManager.default.contents(atPath: configPath) {
                    reads += 1
                    if (try? JSONSerialization.jsonObject(with: data)) == nil { invalid += 1 }
                }
            }
            return (reads, invalid)
        }
        try await withThrowingTaskGroup(of: (String, ProcessResult).self) { group in
            for index in 0..<50 {
                group.addTask {
                    ("store \(index)", try run(helperPath, ["store"], input: storePayload("s\(index).\(prefix)", "user\(index)", "secret\(index)")))
                }
            }
            for index in 0..<20 {
                group.addTask {
                    ("logout \(index)", try run(credtoolPath, ["--config", directory, "logout", "w\(index).\(prefix)"]))
                }
            }
            for try await (name, result) in group { #expect(result.status == 0, "\(name): \(result)") }
        }
        finished.store(true, ordering: .releasing)
        let (reads, invalid) = await reader.value
        #expect(reads > 0)
        #expect(invalid == 0)

        let listed = try run(helperPath, ["list"]).stdout
        for index in 0..<50 { #expect(listed.contains("\"s\(index).\(prefix)\":\"user\(index)\"")) }
        let config = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as? [String: Any])
        let auths = try #require(config["auths"] as? [String: Any])
        #expect(Set(auths.keys) == Set((20..<30).map { "w\($0).\(prefix)" }))
        #expect(config["psFormat"] as? String == "kept")
        for index in 0..<50 { _ = try run(helperPath, ["erase"], input: "s\(index).\(prefix)") }
    }
}
