import Testing
@testable import CommandLineKit

@Suite("Hidden helper commands")
struct HiddenCommandTests {
    /// `Sample.root` with a hidden `__complete registries` helper, as credtool's completion
    /// scripts call it.
    static let root: CommandSpec = {
        var root = Sample.root
        let registries = CommandSpec(name: "registries", abstract: "Print the registry names.")
        root.subcommands.append(
            CommandSpec(
                name: "__complete", abstract: "Print completion candidates.", subcommands: [registries],
                isHidden: true))
        return root
    }()

    @Test("a hidden command parses and runs, with the global options")
    func parses() throws {
        #expect(
            try parse(["__complete", "registries", "--config", "/tmp/d"], root: Self.root)
                == .run(ParsedArguments(commandPath: ["credtool", "__complete", "registries"], values: ["config": ["/tmp/d"]])))
        #expect(Self.root.runnablePaths.contains(["credtool", "__complete", "registries"]))
    }

    @Test("help leaves it out of SUBCOMMANDS but still describes it when asked")
    func help() {
        #expect(helpText(for: ["credtool"], root: Self.root) == helpText(for: ["credtool"], root: Sample.root))
        #expect(helpText(for: ["credtool", "__complete"], root: Self.root).contains("  registries "))
    }

    @Test("it is never suggested for a misspelt command")
    func notSuggested() {
        #expect(throws: UsageError("unknown command '__completes'", commandPath: ["credtool"])) {
            try parse(["__completes"], root: Self.root)
        }
    }

    @Test("visibleSubcommands keeps the order and drops hidden commands")
    func visible() {
        #expect(Self.root.visibleSubcommands.map(\.name) == Sample.root.subcommands.map(\.name))
    }
}
