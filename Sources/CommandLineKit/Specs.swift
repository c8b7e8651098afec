// Commands as data: one description drives parsing, `--help`, usage errors, and the completion
// scripts and man pages rendered from the same specs.

/// How a shell completes an option's value or a positional argument.
package enum CompletionKind: Sendable, Hashable {
    /// No completion: the value is free text.
    case none
    /// A file path.
    case file
    /// A directory path.
    case directory
    /// One of a fixed list of words, such as `yaml` and `json`.
    case values([String])
    /// The output of a shell command or function, one candidate a line (registries, stores).
    case custom(String)
}

/// One option of a command: a flag (`--json`), a value (`--config DIR`) or a repeated value
/// (`--registry R`, given any number of times).
package struct OptionSpec: Sendable, Hashable {
    /// What an option takes on the command line.
    package enum Kind: Sendable, Hashable {
        /// A switch that takes no value; given twice it is still just on.
        case flag
        /// One value, named by `placeholder` (`DIR`) in usage lines and errors; given at most once.
        case value(placeholder: String)
        /// A value that may be given any number of times; the values are kept in order.
        case repeated(placeholder: String)
    }

    /// The long name without its dashes: `config` for `--config`.
    package var long: String
    /// The one-letter name, if any: `c` for `-c`.
    package var short: Character?
    package var kind: Kind
    /// One sentence for `--help`, the man page and zsh/fish completion descriptions.
    package var help: String
    /// Shown in help as `(default: …)`. Documentation only: the parser does not fill it in.
    package var defaultValue: String?
    package var completion: CompletionKind
    /// Accepted at any depth below the command that declares it (`credtool --config DIR list`
    /// and `credtool list --config DIR`).
    package var isGlobal: Bool

    package init(
        long: String, short: Character? = nil, kind: Kind, help: String,
        defaultValue: String? = nil, completion: CompletionKind = .none, isGlobal: Bool = false
    ) {
        self.long = long
        self.short = short
        self.kind = kind
        self.help = help
        self.defaultValue = defaultValue
        self.completion = completion
        self.isGlobal = isGlobal
    }

    /// A switch that takes no value.
    package static func flag(
        _ long: String, short: Character? = nil, help: String, isGlobal: Bool = false
    ) -> OptionSpec {
        OptionSpec(long: long, short: short, kind: .flag, help: help, isGlobal: isGlobal)
    }

    /// An option that takes one value.
    package static func value(
        _ long: String, short: Character? = nil, placeholder: String, help: String,
        defaultValue: String? = nil, completion: CompletionKind = .none, isGlobal: Bool = false
    ) -> OptionSpec {
        OptionSpec(
            long: long, short: short, kind: .value(placeholder: placeholder), help: help,
            defaultValue: defaultValue, completion: completion, isGlobal: isGlobal)
    }

    /// An option that may be given any number of times.
    package static func repeated(
        _ long: String, short: Character? = nil, placeholder: String, help: String,
        completion: CompletionKind = .none, isGlobal: Bool = false
    ) -> OptionSpec {
        OptionSpec(
            long: long, short: short, kind: .repeated(placeholder: placeholder), help: help,
            completion: completion, isGlobal: isGlobal)
    }

    /// The value's placeholder (`DIR`), or `nil` for a flag.
    package var placeholder: String? {
        switch kind {
        case .flag: nil
        case .value(let placeholder), .repeated(let placeholder): placeholder
        }
    }

    /// Whether the option may be given more than once.
    package var isRepeated: Bool {
        if case .repeated = kind { true } else { false }
    }
}

/// One positional argument of a command, such as `SERVER` or `FILE...`.
package struct ArgumentSpec: Sendable, Hashable {
    /// The placeholder in upper case (`SERVER`); help lists it as `<server>`.
    package var name: String
    package var help: String
    package var isOptional: Bool
    /// Takes every remaining positional; only the last argument of a command should be repeated.
    package var isRepeated: Bool
    package var completion: CompletionKind

    package init(
        _ name: String, help: String, isOptional: Bool = false, isRepeated: Bool = false,
        completion: CompletionKind = .none
    ) {
        self.name = name
        self.help = help
        self.isOptional = isOptional
        self.isRepeated = isRepeated
        self.completion = completion
    }
}

/// A sample invocation for help and the man page's EXAMPLES section.
package struct Example: Sendable, Hashable {
    /// The full command line, starting with the program name.
    package var command: String
    /// What it does, in a sentence or two.
    package var explanation: String

    package init(_ command: String, _ explanation: String) {
        self.command = command
        self.explanation = explanation
    }
}

/// A command and everything below it: its options, arguments and subcommands.
package struct CommandSpec: Sendable, Hashable {
    /// The name typed on the command line (`export-secret`); the root's is the program name.
    package var name: String
    /// One line for the OVERVIEW of help and the subcommand lists.
    package var abstract: String
    /// Paragraphs printed as given after the overview.
    package var discussion: String
    package var options: [OptionSpec]
    package var arguments: [ArgumentSpec]
    package var subcommands: [CommandSpec]
    package var examples: [Example]
    /// When the command has subcommands, whether one must be given (otherwise the command
    /// runs on its own). Ignored for a command without subcommands.
    package var requiresSubcommand: Bool
    /// A helper for scripts and completion functions (`credtool __complete registries`): it
    /// parses and runs like any command, but help, spelling suggestions, completion scripts and
    /// man pages leave it out.
    package var isHidden: Bool

    package init(
        name: String, abstract: String, discussion: String = "", options: [OptionSpec] = [],
        arguments: [ArgumentSpec] = [], subcommands: [CommandSpec] = [], examples: [Example] = [],
        requiresSubcommand: Bool = true, isHidden: Bool = false
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
        self.subcommands = subcommands
        self.examples = examples
        self.requiresSubcommand = requiresSubcommand
        self.isHidden = isHidden
    }

    /// The direct subcommand called `name`, if there is one.
    package func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }

    /// The subcommands that help, completion scripts and man pages show: all but the hidden ones.
    package var visibleSubcommands: [CommandSpec] {
        subcommands.filter { !$0.isHidden }
    }

    /// The commands along `path` (names starting with the root's), as far as they exist.
    ///
    /// The first name is taken to be the root's and not checked; a name that matches no
    /// subcommand ends the walk there, so the result always holds at least the root.
    package func commands(along path: [String]) -> [CommandSpec] {
        var chain = [self]
        for name in path.dropFirst() {
            guard let next = chain[chain.count - 1].subcommand(named: name) else { break }
            chain.append(next)
        }
        return chain
    }
}

extension CommandSpec {
    /// The paths (names from this command down) of every command that can run: each command
    /// without subcommands, and each with subcommands that does not require one.
    ///
    /// A program checks its table of `Command` types against this list in a test.
    package var runnablePaths: [[String]] {
        var paths: [[String]] = subcommands.isEmpty || !requiresSubcommand ? [[name]] : []
        for subcommand in subcommands {
            paths += subcommand.runnablePaths.map { [name] + $0 }
        }
        return paths
    }
}

extension Array where Element == CommandSpec {
    /// The options valid at the last command of this chain: its own, then the global options
    /// of the commands above it (nearest first), skipping names already taken.
    func optionsInScope() -> [OptionSpec] {
        guard let current = last else { return [] }
        var result = current.options
        for ancestor in dropLast().reversed() {
            for option in ancestor.options where option.isGlobal {
                if !result.contains(where: { $0.long == option.long }) { result.append(option) }
            }
        }
        return result
    }

    /// The names along this chain, starting with the program's.
    var names: [String] { map(\.name) }
}
