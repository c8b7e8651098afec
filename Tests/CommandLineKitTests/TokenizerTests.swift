import Testing
@testable import CommandLineKit

struct TokenizeCase: Sendable, CustomTestStringConvertible {
    var argv: [String]
    var expected: [Token]
    var testDescription: String { argv.isEmpty ? "(nothing)" : argv.joined(separator: " ") }
}

@Suite("Tokenizer")
struct TokenizerTests {
    static let cases: [TokenizeCase] = [
        TokenizeCase(argv: [], expected: []),
        TokenizeCase(argv: ["list"], expected: [.positional("list")]),
        TokenizeCase(argv: ["--json"], expected: [.long("json", value: nil)]),
        TokenizeCase(argv: ["--config=/tmp/x"], expected: [.long("config", value: "/tmp/x")]),
        TokenizeCase(argv: ["--config="], expected: [.long("config", value: "")]),
        TokenizeCase(argv: ["--a=b=c"], expected: [.long("a", value: "b=c")]),
        TokenizeCase(argv: ["-jq"], expected: [.shorts("jq")]),
        TokenizeCase(argv: ["-c/tmp"], expected: [.shorts("c/tmp")]),
        TokenizeCase(argv: ["-"], expected: [.positional("-")]),
        TokenizeCase(argv: [""], expected: [.positional("")]),
        TokenizeCase(
            argv: ["get", "--", "--json", "-x", "--"],
            expected: [.positional("get"), .terminator, .positional("--json"), .positional("-x"), .positional("--")]),
        TokenizeCase(
            argv: ["merge", "a.json", "-", "-o", "out"],
            expected: [.positional("merge"), .positional("a.json"), .positional("-"), .shorts("o"), .positional("out")]),
    ]

    @Test(arguments: cases)
    func tokenizes(_ c: TokenizeCase) {
        #expect(tokenize(c.argv) == c.expected)
    }
}
