import Foundation
import Testing
@testable import CommandLineKit

struct BashCase: Sendable, CustomTestStringConvertible {
    /// COMP_WORDS, the last one being completed.
    var words: [String]
    /// The candidates, sorted.
    var expected: [String]
    var testDescription: String { words.joined(separator: " ") }
}

@Suite("Bash completion")
struct BashCompletionTests {
    let script = bashCompletion(for: RenderSample.root)

    @Test("defines _credtool, registers it, and tables subcommands, options and values")
    func keyLines() {
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("_credtool() {"))
        #expect(lines.last(where: { !$0.isEmpty }) == "complete -F _credtool credtool")
        #expect(lines.contains {
            $0.hasPrefix("            'credtool:--config'|'credtool:-c'|'credtool list:--config'|") && $0.hasSuffix(") long=--config ;;")
        })
        #expect(lines.contains("        'credtool list') _credtool_add --json -j --config -c --authfile --help -h ;;"))
        #expect(lines.contains("        'credtool') _credtool_add --config -c --authfile --version --help -h ;;"))
        #expect(lines.contains("            _credtool_add list get export-secret merge store"))
        #expect(lines.contains("            _credtool_add yaml json"))
        #expect(lines.contains("            mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")"))
        #expect(lines.contains("            mapfile -t lines < <(credtool __complete registries \"${globals[@]}\" 2>/dev/null)"))
        #expect(!script.contains("__complete'"), "the hidden command is not offered")
    }

    @Test("the function is named after the program, non-identifier characters as _")
    func functionName() {
        let script = bashCompletion(for: CommandSpec(name: "docker-credential-swift", abstract: ""))
        #expect(script.contains("\n_docker_credential_swift() {\n"))
        #expect(script.hasSuffix("\ncomplete -F _docker_credential_swift docker-credential-swift\n"))
    }

    @Test("bash -n accepts the script")
    func syntax() throws {
        let directory = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try ShellHarness.write(script, to: "credtool.bash", in: directory)
        let bash = try #require(ShellHarness.which("bash"))
        let result = try ShellHarness.run(bash, ["-n", path])
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    static let cases: [BashCase] = [
        BashCase(words: ["credtool", "l"], expected: ["list"]),
        BashCase(words: ["credtool", ""], expected: ["export-secret", "get", "list", "merge", "store"]),
        BashCase(words: ["credtool", "list", "--j"], expected: ["--json"]),
        BashCase(words: ["credtool", "list", "-"], expected: ["--authfile", "--config", "--help", "--json", "-c", "-h", "-j"]),
        BashCase(words: ["credtool", "get", ""], expected: ["ghcr.io", "quay.io"]),
        BashCase(words: ["credtool", "get", "q"], expected: ["quay.io"]),
        BashCase(words: ["credtool", "--config", "/cfg", "get", ""], expected: ["config:/cfg", "ghcr.io", "quay.io"]),
        BashCase(words: ["credtool", "get", "-c", "/cfg", ""], expected: ["config:/cfg", "ghcr.io", "quay.io"]),
        // bash splits --config=/cfg at the = (COMP_WORDBREAKS).
        BashCase(words: ["credtool", "--config", "=", "/cfg", "get", ""], expected: ["config:/cfg", "ghcr.io", "quay.io"]),
        BashCase(words: ["credtool", "--config", ""], expected: ["alpha", "beta"]),
        BashCase(words: ["credtool", "--config", "="], expected: ["alpha", "beta"]),
        BashCase(words: ["credtool", "--config", "a"], expected: ["alpha"]),
        BashCase(words: ["credtool", "--authfile", ""], expected: ["alpha", "beta", "gamma.txt"]),
        BashCase(words: ["credtool", "export-secret", "--output", ""], expected: ["json", "yaml"]),
        BashCase(words: ["credtool", "export-secret", "-r", "gh"], expected: ["ghcr.io"]),
        BashCase(words: ["credtool", "store", ""], expected: ["list", "use"]),
        BashCase(words: ["credtool", "store", "use", ""], expected: ["pass", "secretservice"]),
        BashCase(words: ["credtool", "store", "use", "-"], expected: ["--authfile", "--config", "--help", "--system", "-c", "-h"]),
        BashCase(words: ["credtool", "merge", "a.json", "g"], expected: ["gamma.txt"]),
        BashCase(words: ["credtool", "get", "ghcr.io", ""], expected: []),
        BashCase(words: ["credtool", "list", "--", "--j"], expected: []),
        BashCase(words: ["credtool", "get", "--", ""], expected: ["ghcr.io", "quay.io"]),
        BashCase(words: ["credtool", "--", ""], expected: []),
        BashCase(words: ["credtool", "__complete", ""], expected: []),
    ]

    @Test("_credtool offers these candidates (a stub credtool prints the registries)")
    func behaviour() throws {
        let directory = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = try ShellHarness.write(script, to: "credtool.bash", in: directory)
        // The stub prints two registries, and the config directory it was given, if any.
        try ShellHarness.write(
            """
            #!/bin/sh
            [ "$1 $2" = "__complete registries" ] || exit 1
            printf '%s\\n' ghcr.io quay.io
            [ "$3" = --config ] && printf 'config:%s\\n' "$4"
            exit 0

            """, to: "bin/credtool", in: directory, executable: true)
        let work = directory.appendingPathComponent("work")
        for name in ["alpha", "beta"] {
            try FileManager.default.createDirectory(at: work.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try ShellHarness.write("", to: "work/gamma.txt", in: directory)

        var driver = "source \(shellQuoted(script))\n"
        for c in Self.cases {
            driver += "COMP_WORDS=(\(c.words.map(shellQuoted).joined(separator: " "))); COMP_CWORD=\(c.words.count - 1)\n"
            driver += "_credtool; printf '%s\\n' \"${COMPREPLY[*]}\"\n"
        }
        let bash = try #require(ShellHarness.which("bash"))
        let path = directory.appendingPathComponent("bin").path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        let result = try ShellHarness.run(bash, ["--norc", "-c", driver], in: work, environment: ["PATH": path])
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        try #require(lines.count == Self.cases.count)
        for (c, line) in zip(Self.cases, lines) {
            let candidates = line.split(separator: " ").map(String.init).sorted()
            #expect(candidates == c.expected, "\(c.testDescription)")
        }
    }
}
