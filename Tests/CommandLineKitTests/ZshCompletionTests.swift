import Foundation
import Testing
@testable import CommandLineKit

@Suite("Zsh completion")
struct ZshCompletionTests {
    let file = zshCompletion(for: RenderSample.root)

    var lines: [String] { file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test("#compdef first, one function per visible command, self-registering when sourced")
    func structure() {
        #expect(lines.first == "#compdef credtool")
        for name in ["_credtool", "_credtool_list", "_credtool_get", "_credtool_export_secret", "_credtool_store", "_credtool_store_use"] {
            #expect(lines.contains("\(name)() {"), "\(name)")
        }
        #expect(!file.contains("'__complete:"), "the hidden command is not offered")
        #expect(!file.contains("_credtool___complete"), "nor given a function")
        #expect(file.hasSuffix("if [[ $funcstack[1] == _credtool ]]; then\n    _credtool \"$@\"\nelse\n    compdef _credtool credtool\nfi\n"))
    }

    @Test("_arguments specs: descriptions, placeholders, _files, _files -/, value lists, custom functions")
    func specs() {
        #expect(lines.contains("        '(-j --json)--json[Print JSON instead of a table.]' \\"))
        #expect(lines.contains("        '(-c --config)-c+[The directory that holds config.json.]:dir:_files -/' \\"))
        #expect(lines.contains("        '(-c --config)--config=[The directory that holds config.json.]:dir:_files -/' \\"))
        #expect(lines.contains("        '--authfile=[Read and write this auth file (podman'\\''s format) instead.]:file:_files' \\"))
        #expect(lines.contains("        '(-o --output)--output=[The manifest format: yaml or json.]:format:(yaml json)' \\"))
        #expect(lines.contains("        '(- : *)--version[Show the version.]' \\"))
        #expect(lines.contains("        ':server:_credtool_custom_1'"))
        #expect(lines.contains("        '*:file:_files'"))
        #expect(lines.contains("    candidates=(${(f)\"$(credtool __complete registries \"${reply[@]}\" 2>/dev/null)\"})"))
    }

    @Test("brackets and backslashes in help are escaped for _arguments, single quotes for the shell")
    func escaping() {
        #expect(lines.contains(
            "        '*--registry=[Export this registry only \\[repeatable\\]; a\\\\b: back\\\\slash test.]:r:_credtool_custom_1' \\"))
        let odd = CommandSpec(
            name: "t", abstract: "",
            subcommands: [CommandSpec(name: "a:b", abstract: "It's [odd]: yes.")],
            examples: [])
        #expect(zshCompletion(for: odd).contains("            'a\\:b:It'\\''s [odd]: yes.'\n"))
    }

    @Test("subcommands through _describe and ->state at each level")
    func subcommands() {
        #expect(lines.contains("            'export-secret:Print a Kubernetes image pull Secret.'"))
        #expect(lines.contains("        _describe -t commands 'credtool store command' commands && ret=0"))
        #expect(lines.contains("        (use) _credtool_store_use && ret=0 ;;"))
        #expect(lines.contains("        '(-)*:: :->argument' && ret=0"))
    }

    @Test("zsh -n accepts the file")
    func syntax() throws {
        let directory = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try ShellHarness.write(file, to: "_credtool", in: directory)
        let zsh = try #require(ShellHarness.which("zsh"))
        let result = try ShellHarness.run(zsh, ["-n", path])
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }
}
