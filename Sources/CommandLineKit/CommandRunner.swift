/// A command of the program: its spec, the conversion of parsed strings into typed values, and
/// the work itself. Sendable, so a program can keep its table of command types in a global.
package protocol Command: Sendable {
    /// The command's spec; the program's tree is built from these.
    static var spec: CommandSpec { get }
    /// Converts strings into typed values and checks combinations of options.
    ///
    /// - Throws: `UsageError` for values the parser could not judge (`--output xml`); the
    ///   runner fills in the command path if the error leaves it empty.
    init(_ parsed: ParsedArguments) throws(UsageError)
    /// Does the work, reading and writing only through `io`.
    ///
    /// - Throws: Any error; its `description` is the one line the user sees. Conform it to
    ///   `ExitStatusError` for a status other than 1.
    func run(_ io: inout CommandIO) throws
}

/// An error that chooses the process's exit status instead of the usual 1.
package protocol ExitStatusError: Error {
    var exitStatus: Int32 { get }
}

/// The exit statuses `runCommandLine` returns on its own.
package enum ExitStatus {
    package static let success: Int32 = 0
    package static let failure: Int32 = 1
    /// `EX_USAGE` from sysexits.h: the command line was wrong.
    package static let usage: Int32 = 64
}

/// Parses `argv`, runs the chosen command, and decides the exit status: the one place that does.
///
/// - `--help`, `-h`, `help <subcommand>`: help on stdout, status 0.
/// - `--version`: `version` and a newline on stdout, status 0.
/// - A usage error, from the parser, a command's `init` or its `run`: `usageErrorText` on
///   stderr, status 64.
/// - Another error from `run`: `<program>: <description>` on stderr (nothing when the
///   description is empty, for a command that has already explained itself), status 1 or the
///   error's `ExitStatusError.exitStatus`.
///
/// - Parameters:
///   - argv: The arguments without the program name.
///   - root: The program's command tree.
///   - commands: The command type for each runnable path (`["credtool", "list"]`); see
///     `CommandSpec.runnablePaths`. A path missing from it is reported as a failure (status 1).
///   - version: The text `--version` prints, such as `credtool 1.0.0`.
///   - io: The streams and environment the command uses.
/// - Returns: The exit status for the process.
package func runCommandLine(
    _ argv: [String], root: CommandSpec, commands: [[String]: any Command.Type], version: String,
    io: inout CommandIO
) -> Int32 {
    let command: any Command
    let commandPath: [String]
    do throws(UsageError) {
        let parsed: ParsedArguments
        switch try parse(argv, root: root) {
        case .help(let path):
            io.stdout.write(helpText(for: path, root: root))
            return ExitStatus.success
        case .version:
            io.stdout.write(version + "\n")
            return ExitStatus.success
        case .run(let arguments):
            parsed = arguments
        }
        commandPath = parsed.commandPath
        guard let type = commands[commandPath] else {
            io.stderr.write("\(root.name): no command is registered for '\(commandPath.joined(separator: " "))'\n")
            return ExitStatus.failure
        }
        do throws(UsageError) {
            command = try type.init(parsed)
        } catch {
            throw error.located(at: commandPath)
        }
    } catch {
        io.stderr.write(usageErrorText(error, root: root))
        return ExitStatus.usage
    }

    do {
        try command.run(&io)
        return ExitStatus.success
    } catch let error as UsageError {
        io.stderr.write(usageErrorText(error.located(at: commandPath), root: root))
        return ExitStatus.usage
    } catch {
        let description = singleLine(String(describing: error))
        if !description.isEmpty { io.stderr.write("\(root.name): \(description)\n") }
        return (error as? any ExitStatusError)?.exitStatus ?? ExitStatus.failure
    }
}

/// `text` as one line a terminal shows as it is: line breaks, other control characters (C0, DEL,
/// C1) and the Unicode line and paragraph separators become Swift-style escapes (`\n`, `\t`,
/// `\u{1B}`).
///
/// Error messages quote what the user typed (`no credentials for <server>`); a server name with
/// a line break would otherwise make two lines of one error, and an escape sequence would reach
/// the terminal.
func singleLine(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x0A: output += "\\n"
        case 0x0D: output += "\\r"
        case 0x09: output += "\\t"
        case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029:
            output += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        default: output.unicodeScalars.append(scalar)
        }
    }
    return output
}

extension UsageError {
    /// This error, about the command at `path` unless it already names one.
    fileprivate func located(at path: [String]) -> UsageError {
        commandPath.isEmpty ? UsageError(message, commandPath: path) : self
    }
}
