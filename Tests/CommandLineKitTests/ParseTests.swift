import Testing
@testable import CommandLineKit

struct ParseCase: Sendable, CustomTestStringConvertible {
    var argv: [String]
    var expected: ParseOutcome
    var testDescription: String { argv.isEmpty ? "(nothing)" : argv.joined(separator: " ") }
}

private func run(
    _ path: String..., flags: Set<String> = [], values: [String: [String]] = [:], positionals: [String] = [],
    arguments: [String: [String]] = [:]
) -> ParseOutcome {
    .run(ParsedArguments(
        commandPath: ["credtool"] + path, flags: flags, values: values, positionals: positionals, arguments: arguments))
}

@Suite("Parsing command lines")
struct ParseTests {
    static let runs: [ParseCase] = [
        ParseCase(argv: ["list"], expected: run("list")),
        ParseCase(argv: ["list", "--json"], expected: run("list", flags: ["json"])),
        ParseCase(argv: ["list", "-jq"], expected: run("list", flags: ["json", "quiet"])),
        ParseCase(argv: ["list", "--json", "--json"], expected: run("list", flags: ["json"])),
        ParseCase(
            argv: ["get", "ghcr.io"],
            expected: run("get", positionals: ["ghcr.io"], arguments: ["SERVER": ["ghcr.io"]])),
        ParseCase(argv: ["logout"], expected: run("logout")),
        ParseCase(
            argv: ["merge", "a.json", "-", "--output=out.json"],
            expected: run(
                "merge", values: ["output": ["out.json"]], positionals: ["a.json", "-"],
                arguments: ["FILE": ["a.json", "-"]])),
        ParseCase(
            argv: ["merge", "-oout.json", "a.json"],
            expected: run("merge", values: ["output": ["out.json"]], positionals: ["a.json"], arguments: ["FILE": ["a.json"]])),
        ParseCase(
            argv: ["merge", "--", "--odd-name.json", "-o"],
            expected: run(
                "merge", positionals: ["--odd-name.json", "-o"], arguments: ["FILE": ["--odd-name.json", "-o"]])),
        ParseCase(
            argv: ["get", "--", "list"],
            expected: run("get", positionals: ["list"], arguments: ["SERVER": ["list"]])),
        ParseCase(
            argv: ["export-secret", "-r", "ghcr.io", "--registry=quay.io", "--format", "json"],
            expected: run("export-secret", values: ["registry": ["ghcr.io", "quay.io"], "format": ["json"]])),
        ParseCase(
            argv: ["store", "use", "secretservice"],
            expected: run("store", "use", positionals: ["secretservice"], arguments: ["NAME": ["secretservice"]])),
    ]

    static let globals: [ParseCase] = [
        ParseCase(argv: ["--config", "/c", "list"], expected: run("list", values: ["config": ["/c"]])),
        ParseCase(argv: ["-c/c", "list"], expected: run("list", values: ["config": ["/c"]])),
        ParseCase(argv: ["list", "--config=/c"], expected: run("list", values: ["config": ["/c"]])),
        ParseCase(argv: ["list", "-jc", "/c"], expected: run("list", flags: ["json"], values: ["config": ["/c"]])),
        ParseCase(
            argv: ["--authfile", "a.json", "store", "use", "--config", "/c", "pass"],
            expected: run(
                "store", "use", values: ["authfile": ["a.json"], "config": ["/c"]], positionals: ["pass"],
                arguments: ["NAME": ["pass"]])),
        ParseCase(argv: ["--config", "list", "list"], expected: run("list", values: ["config": ["list"]])),
    ]

    static let helpAndVersion: [ParseCase] = [
        ParseCase(argv: ["--help"], expected: .help(commandPath: ["credtool"])),
        ParseCase(argv: ["-h"], expected: .help(commandPath: ["credtool"])),
        ParseCase(argv: ["list", "--help"], expected: .help(commandPath: ["credtool", "list"])),
        ParseCase(argv: ["--help", "list"], expected: .help(commandPath: ["credtool", "list"])),
        ParseCase(argv: ["store", "use", "-h"], expected: .help(commandPath: ["credtool", "store", "use"])),
        ParseCase(argv: ["store", "-h", "use"], expected: .help(commandPath: ["credtool", "store", "use"])),
        ParseCase(argv: ["get", "--help"], expected: .help(commandPath: ["credtool", "get"])),
        ParseCase(argv: ["list", "--jsn", "--help"], expected: .help(commandPath: ["credtool", "list"])),
        ParseCase(argv: ["list", "-jh"], expected: .help(commandPath: ["credtool", "list"])),
        ParseCase(argv: ["help"], expected: .help(commandPath: ["credtool"])),
        ParseCase(argv: ["help", "list"], expected: .help(commandPath: ["credtool", "list"])),
        ParseCase(argv: ["help", "store", "use"], expected: .help(commandPath: ["credtool", "store", "use"])),
        ParseCase(argv: ["store", "help", "use"], expected: .help(commandPath: ["credtool", "store", "use"])),
        ParseCase(argv: ["--config", "/c", "help", "list"], expected: .help(commandPath: ["credtool", "list"])),
        ParseCase(argv: ["--version"], expected: .version),
        ParseCase(argv: ["--version", "list"], expected: .version),
        ParseCase(argv: ["--help", "--version"], expected: .help(commandPath: ["credtool"])),
        ParseCase(
            argv: ["get", "--", "--help"],
            expected: run("get", positionals: ["--help"], arguments: ["SERVER": ["--help"]])),
    ]

    @Test("commands, options and arguments", arguments: runs)
    func parsesRuns(_ c: ParseCase) throws {
        #expect(try parse(c.argv, root: Sample.root) == c.expected)
    }

    @Test("global options before and after the subcommand", arguments: globals)
    func parsesGlobals(_ c: ParseCase) throws {
        #expect(try parse(c.argv, root: Sample.root) == c.expected)
    }

    @Test("help at any depth, `help <subcommand>`, and --version", arguments: helpAndVersion)
    func parsesHelp(_ c: ParseCase) throws {
        #expect(try parse(c.argv, root: Sample.root) == c.expected)
    }

    @Test("ParsedArguments reads back options and arguments by name")
    func accessors() throws {
        let outcome = try parse(["merge", "a", "b", "-o", "out", "--config=/c"], root: Sample.root)
        guard case .run(let parsed) = outcome else {
            Issue.record("expected a command to run, got \(outcome)")
            return
        }
        #expect(parsed.commandPath == ["credtool", "merge"])
        #expect(parsed.value("output") == "out")
        #expect(parsed.values("config") == ["/c"])
        #expect(parsed.value("authfile") == nil)
        #expect(parsed.values("registry") == [])
        #expect(parsed.flag("json") == false)
        #expect(parsed.arguments("FILE") == ["a", "b"])
        #expect(parsed.argument("FILE") == "a")
        #expect(parsed.positionals == ["a", "b"])
    }

    @Test("a command that does not require a subcommand runs alone or takes an argument")
    func optionalSubcommand() throws {
        let root = CommandSpec(
            name: "tool", abstract: "",
            arguments: [ArgumentSpec("FILE", help: "", isOptional: true)],
            subcommands: [CommandSpec(name: "check", abstract: "")], requiresSubcommand: false)
        #expect(try parse([], root: root) == .run(ParsedArguments(commandPath: ["tool"])))
        #expect(try parse(["check"], root: root) == .run(ParsedArguments(commandPath: ["tool", "check"])))
        #expect(
            try parse(["x.json"], root: root)
                == .run(ParsedArguments(commandPath: ["tool"], positionals: ["x.json"], arguments: ["FILE": ["x.json"]])))
    }
}
