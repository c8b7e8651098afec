// Pipeline: tokenize argv → walk the subcommand tree, matching options as they come → bind the
// positionals to the command's arguments → collect the options. Each step is a function of its
// inputs, with its own tests.

/// A command line that was understood: which command to run and what it was given.
package struct ParsedArguments: Sendable, Hashable {
    /// The command's names from the program down: `["credtool", "list"]`.
    package var commandPath: [String]
    /// The positional arguments in order, after any `--`.
    package var positionals: [String]
    private var flags: Set<String>
    private var optionValues: [String: [String]]
    private var argumentValues: [String: [String]]

    /// Builds the result of a parse by hand, for tests of a command's `init`.
    ///
    /// - Parameters:
    ///   - flags: Long names of the flags that were given.
    ///   - values: Values by long option name, in the order given.
    ///   - arguments: Values by argument name (`SERVER`); with no argument specs, pass none.
    package init(
        commandPath: [String], flags: Set<String> = [], values: [String: [String]] = [:],
        positionals: [String] = [], arguments: [String: [String]] = [:]
    ) {
        self.commandPath = commandPath
        self.flags = flags
        self.optionValues = values
        self.positionals = positionals
        self.argumentValues = arguments
    }

    /// Whether the flag `--long` was given.
    package func flag(_ long: String) -> Bool { flags.contains(long) }

    /// The value of `--long`, or `nil` when it was not given (defaults are not filled in).
    /// For a repeated option, the last value.
    package func value(_ long: String) -> String? { optionValues[long]?.last }

    /// Every value given to `--long`, in order; empty when it was not given.
    package func values(_ long: String) -> [String] { optionValues[long] ?? [] }

    /// The positional bound to the argument spec called `name` (`SERVER`), if one was given.
    package func argument(_ name: String) -> String? { argumentValues[name]?.first }

    /// Every positional bound to the argument spec called `name`, for a repeated argument.
    package func arguments(_ name: String) -> [String] { argumentValues[name] ?? [] }
}

/// What a command line asks for.
package enum ParseOutcome: Sendable, Hashable {
    /// Run the command at `commandPath` with these arguments.
    case run(ParsedArguments)
    /// Print help for the command at `commandPath` (`--help`, `-h`, or `help <subcommand>`).
    case help(commandPath: [String])
    /// Print the program's version (`--version` on the root).
    case version
}

/// A command line that cannot be run as given: the user has to change it.
///
/// `message` starts in lower case and has no final period; `commandPath` names the command
/// whose usage line and `--help` pointer go with it.
package struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String
    /// The command the error is about; empty when the thrower did not know it (a command's
    /// `init` may leave it empty, and the runner fills in the parsed path).
    package var commandPath: [String]

    package init(_ message: String, commandPath: [String] = []) {
        self.message = message
        self.commandPath = commandPath
    }

    package var description: String { message }
}

/// Parses a command line against a command tree.
///
/// Options may follow or precede positionals; global options of a command are accepted below
/// it too. `-h`/`--help` anywhere asks for help on the deepest command reached, and wins over any
/// usage error on the same line; `--version` is recognised on the root only.
///
/// - Parameters:
///   - argv: The arguments without the program name (`CommandLine.arguments.dropFirst()`).
///   - root: The program's command; its name is the first element of every command path.
/// - Returns: What to do: run a command, print help, or print the version.
/// - Throws: `UsageError` for an unknown option or command, a missing or unexpected value or
///   argument, a non-repeated option given twice, or a missing subcommand.
package func parse(_ argv: [String], root: CommandSpec) throws(UsageError) -> ParseOutcome {
    let walked: Walk
    switch try walk(tokenize(argv), root: root) {
    case .help(let path): return .help(commandPath: path)
    case .version: return .version
    case .reached(let reached): walked = reached
    }
    let command = walked.chain[walked.chain.count - 1]
    let path = walked.chain.names
    if !command.subcommands.isEmpty && command.requiresSubcommand {
        throw UsageError("missing command", commandPath: path)
    }
    let bound = try bindArguments(walked.positionals, to: command.arguments, commandPath: path)
    var flags: Set<String> = []
    var values: [String: [String]] = [:]
    for case .option(let option, let value) in walked.options {
        guard let value else {
            flags.insert(option.long)
            continue
        }
        if !option.isRepeated && values[option.long] != nil {
            throw UsageError("option '--\(option.long)' given more than once", commandPath: path)
        }
        values[option.long, default: []].append(value)
    }
    var arguments: [String: [String]] = [:]
    for (spec, words) in zip(command.arguments, bound) where !words.isEmpty {
        arguments[spec.name] = words
    }
    return .run(
        ParsedArguments(
            commandPath: path, flags: flags, values: values, positionals: walked.positionals,
            arguments: arguments))
}

// MARK: - Walking the tree

/// How far a walk over the tokens got.
enum WalkResult: Hashable {
    case help([String])
    case version
    case reached(Walk)
}

/// The command a walk reached, with the options and positionals met on the way.
struct Walk: Hashable {
    var chain: [CommandSpec]
    /// Every `.option` given, in order.
    var options: [OptionMatch]
    var positionals: [String]
}

/// Follows subcommand names down from `root`, matching each option against the options valid
/// at that point (the current command's and the global ones above it).
///
/// The first positional of a command with subcommands names one of them, or `help` (whose
/// following positionals name the command to describe). A command that does not require a
/// subcommand and takes arguments reads an unknown name as its first argument instead.
func walk(_ tokens: [Token], root: CommandSpec) throws(UsageError) -> WalkResult {
    var chain = [root]
    var options: [OptionMatch] = []
    var positionals: [String] = []
    var helpRequested = false
    var optionsEnded = false
    var index = 0
    while index < tokens.count {
        let token = tokens[index]
        index += 1
        do throws(UsageError) {
            switch token {
            case .terminator:
                optionsEnded = true
            case .positional(let word):
                let current = chain[chain.count - 1]
                if !optionsEnded && positionals.isEmpty && !current.subcommands.isEmpty {
                    if let subcommand = current.subcommand(named: word) {
                        chain.append(subcommand)
                        continue
                    }
                    if word == "help" {
                        return .help(try helpTopic(tokens[index...], from: chain))
                    }
                    if current.requiresSubcommand || current.arguments.isEmpty {
                        throw unknownCommand(word, in: chain)
                    }
                }
                positionals.append(word)
            case .long, .shorts:
                let next = index < tokens.count ? tokens[index] : nil
                let matched = try matchOption(
                    token, next: next, in: chain.optionsInScope(), acceptsVersion: chain.count == 1,
                    commandPath: chain.names)
                if matched.consumesNext { index += 1 }
                for match in matched.matches {
                    switch match {
                    case .help: helpRequested = true
                    case .version where !helpRequested: return .version
                    case .version: break
                    case .option: options.append(match)
                    }
                }
            }
        } catch {
            // `credtool list --jsn --help` shows help, not the error: the user asked for help.
            if helpRequested || asksForHelp(tokens[(index - 1)...]) { return .help(chain.names) }
            throw error
        }
    }
    if helpRequested { return .help(chain.names) }
    return .reached(Walk(chain: chain, options: options, positionals: positionals))
}

/// The command named by the positionals after `help`: `credtool help list`. Options are ignored.
private func helpTopic(_ tokens: ArraySlice<Token>, from start: [CommandSpec]) throws(UsageError) -> [String] {
    var chain = start
    for token in tokens {
        if token == .terminator { break }
        guard case .positional(let word) = token else { continue }
        let current = chain[chain.count - 1]
        if current.subcommands.isEmpty {
            throw UsageError("unexpected argument '\(word)'", commandPath: chain.names)
        }
        guard let subcommand = current.subcommand(named: word) else {
            throw unknownCommand(word, in: chain)
        }
        chain.append(subcommand)
    }
    return chain.names
}

private func unknownCommand(_ word: String, in chain: [CommandSpec]) -> UsageError {
    let names = chain[chain.count - 1].visibleSubcommands.map(\.name) + ["help"]
    var message = "unknown command '\(word)'"
    if let suggestion = closest(to: word, among: names) { message += "; did you mean '\(suggestion)'?" }
    return UsageError(message, commandPath: chain.names)
}

/// Whether a `--help` or `-h` comes before the end of options.
private func asksForHelp(_ tokens: ArraySlice<Token>) -> Bool {
    for token in tokens {
        switch token {
        case .terminator: return false
        case .long("help", value: nil), .shorts("h"): return true
        default: continue
        }
    }
    return false
}

// MARK: - Matching options

/// What one option token named.
enum OptionMatch: Hashable {
    /// An option from the spec with its value, or `nil` for a flag.
    case option(OptionSpec, value: String?)
    /// The built-in `-h`/`--help`.
    case help
    /// The built-in `--version`.
    case version
}

/// Matches one `.long` or `.shorts` token against the options in scope.
///
/// `-h`, `--help` and (when `acceptsVersion`) `--version` are built in unless the scope defines
/// the same name. A value option takes its value from the token (`--name=value`, `-nVALUE`) or
/// from `next`, which must then be a positional: `--config --json` is a missing value, not a
/// directory called `--json`.
///
/// - Returns: The options named (several for bundled flags `-ab`) and whether `next` was used.
/// - Throws: `UsageError` for an unknown option, a value given to a flag, or a missing value.
func matchOption(
    _ token: Token, next: Token?, in scope: [OptionSpec], acceptsVersion: Bool, commandPath: [String]
) throws(UsageError) -> (matches: [OptionMatch], consumesNext: Bool) {
    func error(_ message: String) -> UsageError { UsageError(message, commandPath: commandPath) }
    /// The value for `option`: the inline one, else `next` if it is a positional.
    func value(for option: OptionSpec, inline: String?, spelled: String) throws(UsageError) -> (OptionMatch, Bool) {
        if let inline { return (.option(option, value: inline), false) }
        if case .positional(let word) = next { return (.option(option, value: word), true) }
        throw error("option '\(spelled)' needs a value (\(option.placeholder ?? "VALUE"))")
    }

    switch token {
    case .long(let name, let inline):
        guard let option = scope.first(where: { $0.long == name }) else {
            let builtIn: OptionMatch? =
                name == "help" ? .help : name == "version" && acceptsVersion ? .version : nil
            if let builtIn {
                if inline != nil { throw error("option '--\(name)' takes no value") }
                return ([builtIn], false)
            }
            var candidates = scope.map(\.long) + ["help"]
            if acceptsVersion { candidates.append("version") }
            var message = "unknown option '--\(name)'"
            if let suggestion = closest(to: name, among: candidates) { message += "; did you mean '--\(suggestion)'?" }
            throw error(message)
        }
        guard option.placeholder != nil else {
            if inline != nil { throw error("option '--\(name)' takes no value") }
            return ([.option(option, value: nil)], false)
        }
        let (match, consumesNext) = try value(for: option, inline: inline, spelled: "--\(name)")
        return ([match], consumesNext)

    case .shorts(let cluster):
        var matches: [OptionMatch] = []
        var rest = Substring(cluster)
        while let letter = rest.popFirst() {
            guard let option = scope.first(where: { $0.short == letter }) else {
                if letter == "h" {
                    matches.append(.help)
                    continue
                }
                throw error("unknown option '-\(letter)'")
            }
            guard option.placeholder != nil else {
                matches.append(.option(option, value: nil))
                continue
            }
            // The rest of the word is the value (`-cDIR`); with nothing left it is the next word.
            let (match, consumesNext) = try value(
                for: option, inline: rest.isEmpty ? nil : String(rest), spelled: "-\(letter)")
            matches.append(match)
            return (matches, consumesNext)
        }
        return (matches, false)

    case .positional, .terminator:
        preconditionFailure("matchOption is only called with option tokens")
    }
}

// MARK: - Binding positionals

/// Assigns positionals to argument specs, in order: each required argument takes one, optional
/// ones take one while there are more than the required ones still need, and a repeated
/// argument takes all the extra ones.
///
/// - Returns: The words for each spec, in the order of `specs`.
/// - Throws: `UsageError` "missing argument NAME" for the first required argument left without a
///   word, or "unexpected argument 'word'" for the first word no argument takes.
func bindArguments(
    _ words: [String], to specs: [ArgumentSpec], commandPath: [String]
) throws(UsageError) -> [[String]] {
    var extra = words.count - specs.count(where: { !$0.isOptional })
    var remaining = words[...]
    var bound: [[String]] = []
    for spec in specs {
        let surplus = max(extra, 0)
        let wanted =
            switch (spec.isOptional, spec.isRepeated) {
            case (false, false): 1
            case (false, true): 1 + surplus
            case (true, false): min(surplus, 1)
            case (true, true): surplus
            }
        let take = min(wanted, remaining.count)
        if !spec.isOptional && take == 0 {
            throw UsageError("missing argument \(spec.name)", commandPath: commandPath)
        }
        extra -= spec.isOptional ? take : take - 1
        bound.append(Array(remaining.prefix(take)))
        remaining = remaining.dropFirst(take)
    }
    if let word = remaining.first {
        throw UsageError("unexpected argument '\(word)'", commandPath: commandPath)
    }
    return bound
}
