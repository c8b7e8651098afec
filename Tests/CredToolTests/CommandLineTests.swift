import CommandLineKit
import CredentialHelpers
@testable import CredTool
import Testing

/// A command line that is wrong, and the first line of what credtool says about it.
struct UsageCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var error: String
    var usage: String
    var testDescription: String { "credtool " + arguments.joined(separator: " ") }
}

@Suite("the credtool command line")
struct CommandLineTests {
    @Test("every runnable path of the spec has a command, and every command a path")
    func table() {
        #expect(Set(credToolSpec.runnablePaths) == Set(credToolCommands.keys))
        #expect(credToolSpec.visibleSubcommands.map(\.name) == [
            "list", "get", "login", "logout", "merge", "migrate", "doctor", "export-secret", "import-secret", "kubelet-provider",
        ])
        #expect(credToolSpec.subcommand(named: "__complete")?.isHidden == true)
    }

    @Test("each command documents itself: abstract, discussion within 80 columns, examples")
    func documentation() {
        for spec in [credToolSpec] + credToolSpec.subcommands {
            #expect(!spec.abstract.isEmpty && spec.abstract.hasSuffix("."), "\(spec.name)")
            #expect(!spec.discussion.isEmpty, "\(spec.name)")
            for line in spec.discussion.split(separator: "\n") {
                #expect(line.count <= 80, "\(spec.name): \(line)")
            }
            #expect(!spec.examples.isEmpty, "\(spec.name)")
            for example in spec.examples {
                #expect(example.command.hasPrefix("credtool "), "\(spec.name)")
            }
            for option in spec.options { #expect(!option.help.isEmpty, "\(spec.name) --\(option.long)") }
            for argument in spec.arguments { #expect(!argument.help.isEmpty, "\(spec.name) \(argument.name)") }
        }
    }

    @Test("--version and --help: stdout, status 0")
    func versionAndHelp() throws {
        let sandbox = try Sandbox()
        #expect(sandbox.run("--version") == Outcome(status: 0, stdout: "credtool \(credtoolVersion)\n", stderr: ""))
        let help = sandbox.run("logout", "--help")
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("OVERVIEW: Remove a registry's credentials from its store and the config file.\n"))
        #expect(help.stdout.contains("\nUSAGE: credtool logout [--config DIR] [--authfile FILE] SERVER\n"))
        #expect(sandbox.run("help", "merge").stdout == helpText(for: ["credtool", "merge"], root: credToolSpec))
    }

    static let usageCases: [UsageCase] = [
        UsageCase(arguments: [], error: "missing command", usage: "credtool [--config DIR] [--authfile FILE] <subcommand>"),
        UsageCase(arguments: ["lst"], error: "unknown command 'lst'; did you mean 'list'?", usage: "credtool [--config DIR] [--authfile FILE] <subcommand>"),
        UsageCase(arguments: ["get"], error: "missing argument SERVER", usage: "credtool get [--config DIR] [--authfile FILE] SERVER"),
        UsageCase(arguments: ["get", ""], error: "SERVER must not be empty", usage: "credtool get [--config DIR] [--authfile FILE] SERVER"),
        UsageCase(arguments: ["logout", "a", "b"], error: "unexpected argument 'b'", usage: "credtool logout [--config DIR] [--authfile FILE] SERVER"),
        UsageCase(arguments: ["merge"], error: "missing argument FILE", usage: "credtool merge [--output FILE] [--config DIR] [--authfile FILE] FILE..."),
        UsageCase(arguments: ["list", "--config", "a", "--authfile", "b"], error: "--config and --authfile cannot be used together", usage: "credtool list [--json] [--config DIR] [--authfile FILE]"),
        UsageCase(arguments: ["--config=", "list"], error: "--config needs a directory", usage: "credtool list [--json] [--config DIR] [--authfile FILE]"),
        UsageCase(arguments: ["list", "--jsn"], error: "unknown option '--jsn'; did you mean '--json'?", usage: "credtool list [--json] [--config DIR] [--authfile FILE]"),
    ]

    @Test("usage errors: the error, the usage line, a --help pointer; status 64", arguments: usageCases)
    func usageErrors(_ c: UsageCase) throws {
        let sandbox = try Sandbox()
        let outcome = sandbox.run(c.arguments)
        #expect(outcome.status == 64)
        #expect(outcome.stdout == "")
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "Error: \(c.error)")
        #expect(lines.dropFirst().first == "Usage: \(c.usage)")
    }
}
