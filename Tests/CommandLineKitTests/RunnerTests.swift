import Testing
@testable import CommandLineKit

private enum SampleError: Error, CustomStringConvertible {
    case notFound(server: String)
    case quiet

    var description: String {
        switch self {
        case .notFound(let server): "no credentials for \(server); run 'credtool login \(server)' first"
        case .quiet: ""
        }
    }
}

private struct LockedError: ExitStatusError, CustomStringConvertible {
    var exitStatus: Int32 { 3 }
    var description: String { "the keyring is locked; unlock it and try again" }
}

private struct GetCommand: Command {
    static let spec = Sample.get
    var server: String

    init(_ parsed: ParsedArguments) throws(UsageError) {
        server = parsed.argument("SERVER") ?? ""
        if server.contains(" ") { throw UsageError("invalid registry '\(server)'") }
    }

    func run(_ io: inout CommandIO) throws {
        switch server {
        case let server where server.hasPrefix("missing."): throw SampleError.notFound(server: server)
        case "locked.example": throw LockedError()
        case "quiet.example":
            io.stderr.write("already explained\n")
            throw SampleError.quiet
        case "late.example": throw UsageError("'late.example' is not a registry")
        default: print("user for \(server)", to: &io.stdout)
        }
    }
}

private struct ListCommand: Command {
    static let spec = Sample.list
    var json: Bool
    var config: String?

    init(_ parsed: ParsedArguments) throws(UsageError) {
        json = parsed.flag("json")
        config = parsed.value("config")
    }

    func run(_ io: inout CommandIO) throws {
        let directory = config ?? io.environment["DOCKER_CONFIG"] ?? "~/.docker"
        io.stdout.write(json ? "{\"config\":\"\(directory)\"}\n" : "CONFIG \(directory)\n")
    }
}

private struct MergeCommand: Command {
    static let spec = Sample.merge
    var files: [String]

    init(_ parsed: ParsedArguments) throws(UsageError) { files = parsed.arguments("FILE") }

    func run(_ io: inout CommandIO) throws {
        for file in files where file == "-" {
            io.stdout.write(try io.stdin.readAll())
        }
    }
}

private let commands: [[String]: any Command.Type] = [
    ["credtool", "get"]: GetCommand.self,
    ["credtool", "list"]: ListCommand.self,
    ["credtool", "merge"]: MergeCommand.self,
]

struct RunCase: Sendable, CustomTestStringConvertible {
    var argv: [String]
    var status: Int32
    var stdout = ""
    var stderr = ""
    var testDescription: String { argv.isEmpty ? "(nothing)" : argv.joined(separator: " ") }
}

@Suite("Running a command line")
struct RunnerTests {
    static let cases: [RunCase] = [
        RunCase(argv: ["get", "ghcr.io"], status: 0, stdout: "user for ghcr.io\n"),
        RunCase(argv: ["-c", "/c", "list", "--json"], status: 0, stdout: "{\"config\":\"/c\"}\n"),
        RunCase(argv: ["--version"], status: 0, stdout: "credtool 1.2.3\n"),
        RunCase(argv: ["help", "get"], status: 0, stdout: helpText(for: ["credtool", "get"], root: Sample.root)),
        RunCase(argv: ["get", "--help"], status: 0, stdout: helpText(for: ["credtool", "get"], root: Sample.root)),
        RunCase(
            argv: ["get"], status: 64,
            stderr: "Error: missing argument SERVER\nUsage: credtool get [--config DIR] [--authfile FILE] SERVER\n  See 'credtool get --help'.\n"),
        RunCase(
            argv: ["lst"], status: 64,
            stderr: "Error: unknown command 'lst'; did you mean 'list'?\nUsage: credtool [--config DIR] [--authfile FILE] <subcommand>\n  See 'credtool --help'.\n"),
        RunCase(
            argv: ["get", "not a host"], status: 64,
            stderr: "Error: invalid registry 'not a host'\nUsage: credtool get [--config DIR] [--authfile FILE] SERVER\n  See 'credtool get --help'.\n"),
        RunCase(
            argv: ["get", "late.example"], status: 64,
            stderr: "Error: 'late.example' is not a registry\nUsage: credtool get [--config DIR] [--authfile FILE] SERVER\n  See 'credtool get --help'.\n"),
        RunCase(
            argv: ["get", "missing.example"], status: 1,
            stderr: "credtool: no credentials for missing.example; run 'credtool login missing.example' first\n"),
        // What the user typed is quoted in errors: control characters must not break the line.
        RunCase(
            argv: ["get", "missing.\u{1B}[31m\nx\ty\u{2028}"], status: 1,
            stderr: "credtool: no credentials for missing.\\u{1B}[31m\\nx\\ty\\u{2028}; run 'credtool login missing.\\u{1B}[31m\\nx\\ty\\u{2028}' first\n"),
        RunCase(
            argv: ["get", "not a\r\nhost"], status: 64,
            stderr: "Error: invalid registry 'not a\\r\\nhost'\nUsage: credtool get [--config DIR] [--authfile FILE] SERVER\n  See 'credtool get --help'.\n"),
        RunCase(argv: ["get", "locked.example"], status: 3, stderr: "credtool: the keyring is locked; unlock it and try again\n"),
        RunCase(argv: ["get", "quiet.example"], status: 1, stderr: "already explained\n"),
        RunCase(argv: ["logout"], status: 1, stderr: "credtool: no command is registered for 'credtool logout'\n"),
    ]

    @Test("exit status, stdout and stderr", arguments: cases)
    func runs(_ c: RunCase) {
        var io = CommandIO.capture()
        let status = runCommandLine(c.argv, root: Sample.root, commands: commands, version: "credtool 1.2.3", io: &io)
        #expect(status == c.status)
        #expect(io.stdout.capturedText == c.stdout)
        #expect(io.stderr.capturedText == c.stderr)
    }

    @Test("commands see the injected environment and stdin")
    func environmentAndStdin() {
        var io = CommandIO.capture(stdin: Array("{\"auths\":{}}\n".utf8), environment: ["DOCKER_CONFIG": "/tmp/dc"])
        #expect(runCommandLine(["list"], root: Sample.root, commands: commands, version: "", io: &io) == 0)
        #expect(runCommandLine(["merge", "-"], root: Sample.root, commands: commands, version: "", io: &io) == 0)
        #expect(io.stdout.capturedText == "CONFIG /tmp/dc\n{\"auths\":{}}\n")
        #expect(io.stderr.capturedText == "")
    }

    @Test("runnable paths: leaves, and groups that do not require a subcommand")
    func runnablePaths() {
        #expect(
            Sample.root.runnablePaths == [
                ["credtool", "list"], ["credtool", "get"], ["credtool", "logout"], ["credtool", "merge"],
                ["credtool", "export-secret"], ["credtool", "store", "list"], ["credtool", "store", "use"],
            ])
        let optional = CommandSpec(
            name: "t", abstract: "", subcommands: [CommandSpec(name: "a", abstract: "")], requiresSubcommand: false)
        #expect(optional.runnablePaths == [["t"], ["t", "a"]])
    }
}
