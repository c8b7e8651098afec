import Testing
@testable import CommandLineKit

struct UsageLineCase: Sendable, CustomTestStringConvertible {
    var path: [String]
    var expected: String
    var testDescription: String { path.joined(separator: " ") }
}

@Suite("Help and usage text")
struct HelpTextTests {
    @Test("root help: overview, discussion, usage, options with --version, subcommands, examples")
    func rootHelp() {
        #expect(
            helpText(for: ["credtool"], root: Sample.root) == """
                OVERVIEW: Manage Docker registry credentials.

                Reads and writes config.json like the docker CLI does.
                Secrets go to the Secret Service.

                USAGE: credtool [--config DIR] [--authfile FILE] <subcommand>

                OPTIONS:
                  -c, --config <dir>      The directory that holds config.json.
                                          (default: ~/.docker)
                  --authfile <file>       Read and write this auth file instead.
                  --version               Show the version.
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  list                    List the registries that have credentials.
                  get                     Print the credentials for one registry.
                  logout                  Remove the credentials for a registry.
                  merge                   Merge several config files into one.
                  export-secret           Print a Kubernetes image pull Secret.
                  store                   Inspect and choose credential stores.

                  See 'credtool help <subcommand>' for detailed help.

                EXAMPLES:
                  credtool get ghcr.io
                      Print the credentials stored for ghcr.io.

                """)
    }

    @Test("subcommand help lists its own options, then the global ones")
    func listHelp() {
        #expect(
            helpText(for: ["credtool", "list"], root: Sample.root) == """
                OVERVIEW: List the registries that have credentials.

                USAGE: credtool list [--json] [--quiet] [--config DIR] [--authfile FILE]

                OPTIONS:
                  -j, --json              Print JSON instead of a table.
                  -q, --quiet             Print registry names only.
                  -c, --config <dir>      The directory that holds config.json.
                                          (default: ~/.docker)
                  --authfile <file>       Read and write this auth file instead.
                  -h, --help              Show help information.

                """)
    }

    @Test("arguments section, repeated argument")
    func mergeHelp() {
        #expect(
            helpText(for: ["credtool", "merge"], root: Sample.root) == """
                OVERVIEW: Merge several config files into one.

                USAGE: credtool merge [--output FILE] [--config DIR] [--authfile FILE] FILE...

                ARGUMENTS:
                  <file> ...              A config file, or - for stdin.

                OPTIONS:
                  -o, --output <file>     Write the merged config here.
                  -c, --config <dir>      The directory that holds config.json.
                                          (default: ~/.docker)
                  --authfile <file>       Read and write this auth file instead.
                  -h, --help              Show help information.

                """)
    }

    @Test("a long usage line and long help text wrap at 80 columns")
    func exportSecretHelp() {
        #expect(
            helpText(for: ["credtool", "export-secret"], root: Sample.root) == """
                OVERVIEW: Print a Kubernetes image pull Secret.

                USAGE: credtool export-secret [--registry R ...] [--format FORMAT]
                                              [--config DIR] [--authfile FILE]

                OPTIONS:
                  -r, --registry <r>      Export credentials for this registry only; repeat for
                                          more than one. Without it every registry in the config
                                          is exported.
                  --format <format>       The manifest format. (default: yaml)
                  -c, --config <dir>      The directory that holds config.json.
                                          (default: ~/.docker)
                  --authfile <file>       Read and write this auth file instead.
                  -h, --help              Show help information.

                """)
    }

    @Test("a nested group points at 'help <group> <subcommand>'")
    func nestedGroupHelp() {
        #expect(
            helpText(for: ["credtool", "store"], root: Sample.root) == """
                OVERVIEW: Inspect and choose credential stores.

                USAGE: credtool store [--config DIR] [--authfile FILE] <subcommand>

                OPTIONS:
                  -c, --config <dir>      The directory that holds config.json.
                                          (default: ~/.docker)
                  --authfile <file>       Read and write this auth file instead.
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  list                    List the credential stores.
                  use                     Make a store the default.

                  See 'credtool help store <subcommand>' for detailed help.

                """)
    }

    @Test("a label wider than the column puts its help on the next line")
    func wideLabel() {
        let spec = CommandSpec(
            name: "t", abstract: "",
            options: [.value("registry-mirror-url", short: "m", placeholder: "URL", help: "A mirror.")])
        #expect(
            helpText(for: ["t"], root: spec) == """
                USAGE: t [--registry-mirror-url URL]

                OPTIONS:
                  -m, --registry-mirror-url <url>
                                          A mirror.
                  --version               Show the version.
                  -h, --help              Show help information.

                """)
    }

    static let usageLineCases: [UsageLineCase] = [
        UsageLineCase(path: ["credtool"], expected: "credtool [--config DIR] [--authfile FILE] <subcommand>"),
        UsageLineCase(path: ["credtool", "get"], expected: "credtool get [--config DIR] [--authfile FILE] SERVER"),
        UsageLineCase(path: ["credtool", "logout"], expected: "credtool logout [--config DIR] [--authfile FILE] [SERVER]"),
        UsageLineCase(
            path: ["credtool", "export-secret"],
            expected: "credtool export-secret [--registry R ...] [--format FORMAT] [--config DIR] [--authfile FILE]"),
        UsageLineCase(path: ["credtool", "store", "use"], expected: "credtool store use [--config DIR] [--authfile FILE] NAME"),
        UsageLineCase(path: ["credtool", "nosuch"], expected: "credtool [--config DIR] [--authfile FILE] <subcommand>"),
    ]

    @Test(arguments: usageLineCases)
    func usageLines(_ c: UsageLineCase) {
        #expect(usageLine(for: c.path, root: Sample.root) == c.expected)
    }

    @Test("usage error text: error, usage line, --help pointer")
    func usageErrorTexts() {
        let error = UsageError("unknown option '--jsn'; did you mean '--json'?", commandPath: ["credtool", "list"])
        #expect(
            usageErrorText(error, root: Sample.root) == """
                Error: unknown option '--jsn'; did you mean '--json'?
                Usage: credtool list [--json] [--quiet] [--config DIR] [--authfile FILE]
                  See 'credtool list --help'.

                """)
        #expect(
            usageErrorText(UsageError("missing command"), root: Sample.root) == """
                Error: missing command
                Usage: credtool [--config DIR] [--authfile FILE] <subcommand>
                  See 'credtool --help'.

                """)
    }

    @Test(
        "greedy word wrap",
        arguments: zip(
            [["a", "b", "c"], ["aaaa", "bb", "c"], ["abcdefgh", "x"], ["a", "\n", "b"], []],
            [["a b c"], ["aaaa", "bb c"], ["abcdefgh", "x"], ["a", "b"], [""]]))
    func wraps(_ words: [String], _ expected: [String]) {
        #expect(wrap(words, width: 5) == expected)
    }
}
