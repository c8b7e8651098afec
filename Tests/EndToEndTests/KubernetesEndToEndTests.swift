import Foundation
import Testing

@Suite("export-secret and import-secret against a real keyring")
struct KubernetesEndToEndTests {
    /// A config directory holding `config.json` with `text`, mode 0600.
    private static func configDirectory(_ text: String?) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "credtool-kube-\(UUID().uuidString)"
        )
        .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let text {
            FileManager.default.createFile(
                atPath: directory + "/config.json", contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        }
        return directory
    }

    @Test(
        "an item stored by docker-credential-swift goes through a Secret into another config and back out",
        .enabled(if: keyringIsPrivate))
    func roundTrip() throws {
        let server = uniqueServer("kube")
        let password = "pa:ss wörd <&> \"\(UInt32.random(in: 0...UInt32.max))\""
        let source = try Self.configDirectory(#"{"credsStore": "swift"}"#)
        let target = try Self.configDirectory(nil)
        defer {
            _ = try? run(helperPath, ["erase"], input: server)
            try? FileManager.default.removeItem(atPath: source)
            try? FileManager.default.removeItem(atPath: target)
        }
        let stored = try run(helperPath, ["store"], input: storePayload(server, "kube-user", password))
        try #require(stored.status == 0, "\(stored)")

        let secret = source + "/secret.yaml"
        let exported = try run(
            credtoolPath, ["--config", source, "export-secret", "--registry", server, "--output-file", secret])
        #expect(
            exported == ProcessResult(stdout: "Wrote Secret regcred (\(server)) to \(secret)\n", stderr: "", status: 0))
        var info = stat()
        #expect(stat(secret, &info) == 0 && info.st_mode & 0o777 == 0o600)

        // Gone from the keyring, so that only the import can bring it back.
        #expect(try run(helperPath, ["erase"], input: server).status == 0)
        #expect(try run(helperPath, ["get"], input: server).status == 1)

        let imported = try run(credtoolPath, ["--config", target, "import-secret", secret])
        #expect(
            imported
                == ProcessResult(
                    stdout: "Imported \(server) (kube-user) into store:swift\n",
                    stderr: "credtool: note: set credsStore to \"swift\" in \(target)/config.json\n", status: 0))
        #expect(!imported.stdout.contains(password) && !imported.stderr.contains(password))
        let config = try String(contentsOfFile: target + "/config.json", encoding: .utf8)
        #expect(config == "{\n\t\"auths\": {\n\t\t\"\(server)\": {}\n\t},\n\t\"credsStore\": \"swift\"\n}")

        let got = try run(helperPath, ["get"], input: server)
        #expect(got.status == 0, "\(got)")
        let answer = try JSONDecoder().decode([String: String].self, from: Data(got.stdout.utf8))
        #expect(answer == ["ServerURL": server, "Username": "kube-user", "Secret": password])
    }
}
