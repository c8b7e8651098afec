import Foundation
import Testing
@testable import CommandLineKit

@Suite("Fish completion")
struct FishCompletionTests {
    let file = fishCompletion(for: RenderSample.root)

    var lines: [String] { file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test("complete -c lines: subcommands, options with -l/-s/-d, -r with -F or -a, -f by default")
    func keyLines() {
        #expect(lines.contains("complete -c 'credtool' -f"))
        #expect(lines.contains(
            "complete -c 'credtool' -n '__credtool_needs_command \"credtool\"' -a 'list' -d 'List the registries that have credentials.'"))
        #expect(lines.contains(
            "complete -c 'credtool' -n '__credtool_needs_command \"credtool store\"' -a 'use' -d 'Make a store the default.'"))
        #expect(lines.contains(
            "complete -c 'credtool' -n '__credtool_at \"credtool list\"' -l 'json' -s 'j' -d 'Print JSON instead of a table.'"))
        #expect(lines.contains(
            "complete -c 'credtool' -n '__credtool_at \"credtool export-secret\"' -l 'output' -s 'o' -r -f -a 'yaml json' -d 'The manifest format: yaml or json.'"))
        #expect(lines.contains { $0.hasSuffix("-l 'authfile' -r -F -d 'Read and write this auth file (podman\\'s format) instead.'") })
        #expect(lines.contains { $0.hasSuffix("-l 'config' -s 'c' -r -f -a '(__fish_complete_directories)' -d 'The directory that holds config.json.'") })
        #expect(lines.contains("complete -c 'credtool' -n '__credtool_argument \"credtool get\" 0' -f -a '(__credtool_custom_1)'"))
        #expect(lines.contains("complete -c 'credtool' -n '__credtool_argument \"credtool merge\" 0 +' -F"))
        #expect(lines.contains("    credtool __complete registries (__credtool_globals) 2>/dev/null"))
        #expect(!file.contains("'__complete'"), "the hidden command is not offered")
    }

    @Test("fish --no-execute accepts the file")
    func syntax() throws {
        let directory = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try ShellHarness.write(file, to: "credtool.fish", in: directory)
        let fish = try #require(ShellHarness.which("fish"))
        let result = try ShellHarness.run(fish, ["--no-execute", path])
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    static let cases: [(line: String, expected: [String])] = [
        ("credtool l", ["list"]),
        ("credtool list --j", ["--json"]),
        ("credtool get ", ["ghcr.io", "quay.io"]),
        ("credtool --config /cfg get ", ["config:/cfg", "ghcr.io", "quay.io"]),
        ("credtool --config ", ["alpha/", "beta/"]),
        ("credtool store ", ["list", "use"]),
        ("credtool store list ", []),
        ("credtool store use ", ["pass", "secretservice"]),
        ("credtool export-secret --output ", ["json", "yaml"]),
        ("credtool export-secret -r q", ["quay.io"]),
        ("credtool merge g", ["gamma.txt"]),
        ("credtool -- ", []),
    ]

    @Test("complete -C offers these candidates (a stub credtool prints the registries)")
    func behaviour() throws {
        let directory = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = try ShellHarness.write(file, to: "credtool.fish", in: directory)
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
            // One line per case: the candidates without their descriptions, space-separated.
            driver += "echo (complete -C \(shellQuoted(c.line)) | string replace -r '\\t.*' '')\n"
        }
        let fish = try #require(ShellHarness.which("fish"))
        let path = directory.appendingPathComponent("bin").path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        let result = try ShellHarness.run(
            fish, ["--no-config", "-c", driver], in: work, environment: ["PATH": path, "HOME": directory.path])
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        try #require(lines.count == Self.cases.count)
        for (c, line) in zip(Self.cases, lines) {
            #expect(line.split(separator: " ").map(String.init).sorted() == c.expected, "\(c.line)")
        }
    }
}
