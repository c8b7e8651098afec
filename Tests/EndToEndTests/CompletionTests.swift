import Foundation
import Testing

/// Runs the committed bash completion of credtool for a partial command line (the words typed,
/// the last one being completed) and returns the candidates, one a line. The built credtool is
/// first on PATH, since the completion asks `credtool __complete registries`.
private func complete(_ words: [String], config: String) throws -> [String] {
    let script = """
        source "$1"; shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _credtool
        printf '%s\\n' "${COMPREPLY[@]}"
        """
    let result = try run(
        "/bin/bash", ["--norc", "--noprofile", "-c", script, "bash", packageRoot + "/completions/credtool.bash"] + words,
        environment: [
            "PATH": productsDirectory + ":/usr/bin:/bin", "DOCKER_CONFIG": config, "HOME": config,
        ])
    #expect(result.status == 0, "\(result)")
    #expect(result.stderr == "", "\(result)")
    return result.stdout.split(separator: "\n").map(String.init)
}

@Suite("The committed bash completion of credtool, run by bash")
struct CompletionTests {
    /// A config directory whose config.json names `registries` in auths and quay.io in credHelpers.
    private func configDirectory(_ registries: [String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("credtool-completion-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let auths = registries.map { "\"\($0)\": {}" }.joined(separator: ", ")
        try Data("{\"auths\": {\(auths)}, \"credHelpers\": {\"quay.io\": \"swift\"}}".utf8)
            .write(to: URL(fileURLWithPath: directory + "/config.json"))
        return directory
    }

    @Test("SERVER completes to the registries of the config, from the built credtool")
    func registries() throws {
        let config = try configDirectory(["ghcr.io", "registry.example:5000"])
        defer { try? FileManager.default.removeItem(atPath: config) }
        #expect(try complete(["credtool", "get", ""], config: config) == ["ghcr.io", "registry.example:5000", "quay.io"])
        #expect(try complete(["credtool", "logout", "q"], config: config) == ["quay.io"])
        #expect(try complete(["credtool", "get", "--", "g"], config: config) == ["ghcr.io"])
    }

    @Test("--config DIR typed before the command is passed on to the registry lookup")
    func otherConfig() throws {
        let config = try configDirectory(["ghcr.io"])
        let other = try configDirectory(["other.example"])
        defer {
            try? FileManager.default.removeItem(atPath: config)
            try? FileManager.default.removeItem(atPath: other)
        }
        #expect(try complete(["credtool", "--config", other, "get", ""], config: config) == ["other.example", "quay.io"])
    }

    @Test("subcommands and options; hidden commands are never offered")
    func commandsAndOptions() throws {
        let config = try configDirectory([])
        defer { try? FileManager.default.removeItem(atPath: config) }
        #expect(try complete(["credtool", ""], config: config) == [
            "list", "get", "login", "logout", "merge", "migrate", "doctor", "export-secret", "import-secret", "kubelet-provider",
        ])
        #expect(try complete(["credtool", "d"], config: config) == ["doctor"])
        #expect(try complete(["credtool", "_"], config: config) == [])
        #expect(try complete(["credtool", "doctor", "--"], config: config) == ["--json", "--config", "--authfile", "--help"])
        #expect(try complete(["credtool", "--v"], config: config) == ["--version"])
    }
}
