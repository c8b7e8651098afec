import Testing
@testable import CommandLineKit

struct OptionMatchCase: Sendable, CustomTestStringConvertible {
    var token: Token
    var next: Token?
    var expected: [OptionMatch]
    var consumesNext = false
    var testDescription: String { "\(token) then \(next.map { "\($0)" } ?? "nothing")" }
}

@Suite("Option matching")
struct OptionMatchingTests {
    static let scope = [Sample.json, Sample.quiet, Sample.output, Sample.registry, Sample.config]

    static let cases: [OptionMatchCase] = [
        OptionMatchCase(token: .long("json", value: nil), next: nil, expected: [.option(Sample.json, value: nil)]),
        OptionMatchCase(
            token: .long("output", value: nil), next: .positional("out.json"),
            expected: [.option(Sample.output, value: "out.json")], consumesNext: true),
        OptionMatchCase(
            token: .long("output", value: "out.json"), next: .positional("x"),
            expected: [.option(Sample.output, value: "out.json")]),
        OptionMatchCase(
            token: .long("output", value: nil), next: .positional("-"),
            expected: [.option(Sample.output, value: "-")], consumesNext: true),
        OptionMatchCase(
            token: .shorts("o"), next: .positional("out.json"),
            expected: [.option(Sample.output, value: "out.json")], consumesNext: true),
        OptionMatchCase(token: .shorts("oout.json"), next: nil, expected: [.option(Sample.output, value: "out.json")]),
        OptionMatchCase(
            token: .shorts("jq"), next: .positional("x"),
            expected: [.option(Sample.json, value: nil), .option(Sample.quiet, value: nil)]),
        OptionMatchCase(
            token: .shorts("jqo"), next: .positional("f"),
            expected: [.option(Sample.json, value: nil), .option(Sample.quiet, value: nil), .option(Sample.output, value: "f")],
            consumesNext: true),
        OptionMatchCase(
            token: .shorts("jofile"), next: nil,
            expected: [.option(Sample.json, value: nil), .option(Sample.output, value: "file")]),
        OptionMatchCase(token: .long("help", value: nil), next: nil, expected: [.help]),
        OptionMatchCase(token: .shorts("h"), next: nil, expected: [.help]),
        OptionMatchCase(token: .shorts("jh"), next: nil, expected: [.option(Sample.json, value: nil), .help]),
        OptionMatchCase(token: .long("version", value: nil), next: nil, expected: [.version]),
    ]

    @Test(arguments: cases)
    func matches(_ c: OptionMatchCase) throws {
        let result = try matchOption(c.token, next: c.next, in: Self.scope, acceptsVersion: true, commandPath: ["t"])
        #expect(result.matches == c.expected)
        #expect(result.consumesNext == c.consumesNext)
    }

    @Test("a value option does not take the next word when that is an option")
    func valueIsNotAnOption() {
        #expect(throws: UsageError("option '--output' needs a value (FILE)", commandPath: ["t"])) {
            try matchOption(
                .long("output", value: nil), next: .long("json", value: nil), in: Self.scope,
                acceptsVersion: false, commandPath: ["t"])
        }
        #expect(throws: UsageError("option '-o' needs a value (FILE)", commandPath: ["t"])) {
            try matchOption(.shorts("o"), next: .terminator, in: Self.scope, acceptsVersion: false, commandPath: ["t"])
        }
    }

    @Test("--version is unknown where it is not accepted")
    func versionOnlyWhereAccepted() {
        #expect(throws: UsageError("unknown option '--version'", commandPath: ["t"])) {
            try matchOption(.long("version", value: nil), next: nil, in: Self.scope, acceptsVersion: false, commandPath: ["t"])
        }
    }

    @Test("an option the command defines takes precedence over the built-in -h")
    func ownShortH() throws {
        let host = OptionSpec.value("host", short: "h", placeholder: "HOST", help: "")
        let result = try matchOption(.shorts("hx"), next: nil, in: [host], acceptsVersion: false, commandPath: ["t"])
        #expect(result.matches == [.option(host, value: "x")])
    }
}
