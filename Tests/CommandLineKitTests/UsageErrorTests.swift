import Testing
@testable import CommandLineKit

struct ErrorCase: Sendable, CustomTestStringConvertible {
    var argv: [String]
    var message: String
    var commandPath: [String]
    var testDescription: String { message }
}

@Suite("Usage errors")
struct UsageErrorTests {
    static let cases: [ErrorCase] = [
        ErrorCase(argv: ["list", "--jsn"], message: "unknown option '--jsn'; did you mean '--json'?", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["list", "--cnofig", "x"], message: "unknown option '--cnofig'; did you mean '--config'?", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["list", "--hlep"], message: "unknown option '--hlep'; did you mean '--help'?", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["--verison"], message: "unknown option '--verison'; did you mean '--version'?", commandPath: ["credtool"]),
        ErrorCase(argv: ["list", "--frobnicate"], message: "unknown option '--frobnicate'", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["--json", "list"], message: "unknown option '--json'", commandPath: ["credtool"]),
        ErrorCase(argv: ["get", "--json", "x"], message: "unknown option '--json'", commandPath: ["credtool", "get"]),
        ErrorCase(argv: ["list", "--version"], message: "unknown option '--version'", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["list", "-jx"], message: "unknown option '-x'", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["lst"], message: "unknown command 'lst'; did you mean 'list'?", commandPath: ["credtool"]),
        ErrorCase(argv: ["store", "lst"], message: "unknown command 'lst'; did you mean 'list'?", commandPath: ["credtool", "store"]),
        ErrorCase(argv: ["hepl"], message: "unknown command 'hepl'; did you mean 'help'?", commandPath: ["credtool"]),
        ErrorCase(argv: ["frobnicate"], message: "unknown command 'frobnicate'", commandPath: ["credtool"]),
        ErrorCase(argv: ["help", "lst"], message: "unknown command 'lst'; did you mean 'list'?", commandPath: ["credtool"]),
        ErrorCase(argv: ["help", "list", "extra"], message: "unexpected argument 'extra'", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["list", "--config"], message: "option '--config' needs a value (DIR)", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["--config", "--json", "list"], message: "option '--config' needs a value (DIR)", commandPath: ["credtool"]),
        ErrorCase(argv: ["merge", "-o"], message: "option '-o' needs a value (FILE)", commandPath: ["credtool", "merge"]),
        ErrorCase(argv: ["merge", "a", "--output", "--", "b"], message: "option '--output' needs a value (FILE)", commandPath: ["credtool", "merge"]),
        ErrorCase(argv: ["list", "--json=x"], message: "option '--json' takes no value", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["--help=list"], message: "option '--help' takes no value", commandPath: ["credtool"]),
        ErrorCase(argv: ["get"], message: "missing argument SERVER", commandPath: ["credtool", "get"]),
        ErrorCase(argv: ["merge", "--output", "x"], message: "missing argument FILE", commandPath: ["credtool", "merge"]),
        ErrorCase(argv: ["get", "a", "x"], message: "unexpected argument 'x'", commandPath: ["credtool", "get"]),
        ErrorCase(argv: ["list", "x"], message: "unexpected argument 'x'", commandPath: ["credtool", "list"]),
        ErrorCase(argv: ["merge", "a", "-o", "x", "--output", "y"], message: "option '--output' given more than once", commandPath: ["credtool", "merge"]),
        ErrorCase(argv: ["--config", "a", "list", "-c", "b"], message: "option '--config' given more than once", commandPath: ["credtool", "list"]),
        ErrorCase(argv: [], message: "missing command", commandPath: ["credtool"]),
        ErrorCase(argv: ["--config", "/c"], message: "missing command", commandPath: ["credtool"]),
        ErrorCase(argv: ["store"], message: "missing command", commandPath: ["credtool", "store"]),
        ErrorCase(argv: ["--", "list"], message: "missing command", commandPath: ["credtool"]),
    ]

    @Test(arguments: cases)
    func reports(_ c: ErrorCase) {
        #expect(throws: UsageError(c.message, commandPath: c.commandPath)) {
            try parse(c.argv, root: Sample.root)
        }
    }

    @Test("messages start in lower case and have no final period", arguments: cases)
    func style(_ c: ErrorCase) {
        #expect(c.message.first?.isLowercase == true)
        #expect(c.message.last != ".")
    }

    @Test("the error's description is its message")
    func description() {
        #expect(UsageError("missing command", commandPath: ["credtool"]).description == "missing command")
    }
}
