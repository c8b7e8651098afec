// The fish completion file: `complete -c <program>` lines whose conditions ask a small
// generated function where the words typed so far have led in the command tree.

/// The fish completion file for `root`'s program: install it as `<program>.fish` in a
/// directory on `$fish_complete_path`.
///
/// It turns file completion off for the program (`complete -c credtool -f`) and adds one line
/// per subcommand (with its abstract as `-d`), per option at each depth (`-l`, `-s`, `-d`;
/// value options `-r` with `-F` for files, directories, a fixed `-a` list, or a generated
/// function that runs a `.custom` command line with the global value options typed so far
/// appended), and per positional argument that completes. The conditions call
/// `__<program>_at PATH...`, `__<program>_needs_command PATH` and `__<program>_argument PATH N`,
/// generated helpers that walk the typed words like the parser does, so a subcommand name at
/// one level (`list`) is not confused with the same name at another (`store list`). Hidden
/// commands are left out.
///
/// - Parameter root: The program's command tree; its name is the program's.
/// - Returns: The file's content, ending in a newline.
package func fishCompletion(for root: CommandSpec) -> String {
    FishCompletionWriter(root: root).file()
}

private struct FishCompletionWriter {
    let root: CommandSpec
    /// `__credtool`: the prefix of every generated function.
    let prefix: String
    let chains: [[CommandSpec]]
    let customCommands: [String]

    init(root: CommandSpec) {
        self.root = root
        prefix = "__" + shellIdentifier(root.name)
        chains = root.visibleChains
        var commands: [String] = []
        for chain in chains {
            let kinds = chain.optionsInScope().map(\.completion) + chain[chain.count - 1].arguments.map(\.completion)
            for case .custom(let line) in kinds where !commands.contains(line) { commands.append(line) }
        }
        customCommands = commands
    }

    func file() -> String {
        var lines = [
            "# fish completion for \(root.name), generated from its command specs.",
            "# Install it as \(root.name).fish in a directory on $fish_complete_path.",
            "",
        ]
        lines += helperFunctions()
        let program = fishQuoted(root.name)
        lines += ["", "complete -c \(program) -f"]
        lines += ["", "# Subcommands"]
        for chain in chains {
            let condition = fishQuoted("\(prefix)_needs_command \(fishDoubleQuoted(pathString(chain)))")
            for subcommand in chain[chain.count - 1].visibleSubcommands {
                lines.append(
                    "complete -c \(program) -n \(condition) -a \(fishQuoted(fishListWord(subcommand.name))) -d \(fishQuoted(oneLine(subcommand.abstract)))"
                )
            }
        }
        // One line per option, valid at every path where it is in scope (a global option is
        // in scope below its command unless a nearer option takes its name).
        var options: [(option: OptionSpec, chains: [[CommandSpec]])] = []
        var helpChains: [[CommandSpec]] = []
        for chain in chains {
            let scope = chain.optionsInScope()
            for option in scope {
                if let index = options.firstIndex(where: { $0.option == option }) {
                    options[index].chains.append(chain)
                } else {
                    options.append((option, [chain]))
                }
            }
            if !scope.contains(where: { $0.long == "help" || $0.short == "h" }) { helpChains.append(chain) }
        }
        lines += ["", "# Options"]
        for (option, optionChains) in options {
            lines.append("complete -c \(program) -n \(atCondition(optionChains)) " + optionArguments(option))
        }
        if !root.options.contains(where: { $0.long == "version" }) {
            lines.append("complete -c \(program) -n \(atCondition([[root]])) -l version -d 'Show the version.'")
        }
        if !helpChains.isEmpty {
            lines.append("complete -c \(program) -n \(atCondition(helpChains)) -l help -s h -d 'Show help information.'")
        }
        lines += ["", "# Arguments"]
        for chain in chains {
            let command = chain[chain.count - 1]
            guard command.visibleSubcommands.isEmpty || !command.requiresSubcommand else { continue }
            for (index, argument) in command.arguments.enumerated() where argument.completion != .none {
                let test = "\(prefix)_argument \(fishDoubleQuoted(pathString(chain))) \(index)" + (argument.isRepeated ? " +" : "")
                lines.append("complete -c \(program) -n \(fishQuoted(test)) \(values(argument.completion))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The command path as the helpers spell it: names joined by spaces.
    private func pathString(_ chain: [CommandSpec]) -> String {
        chain.map(\.name).joined(separator: " ")
    }

    /// The condition for an option: the path is one of these chains'.
    private func atCondition(_ chains: [[CommandSpec]]) -> String {
        fishQuoted("\(prefix)_at " + chains.map { fishDoubleQuoted(pathString($0)) }.joined(separator: " "))
    }

    /// The `complete` arguments for one option: names, value handling, description.
    private func optionArguments(_ option: OptionSpec) -> String {
        var words = ["-l", fishQuoted(option.long)]
        if let short = option.short { words += ["-s", fishQuoted(String(short))] }
        if option.placeholder != nil { words += ["-r", values(option.completion)] }
        words += ["-d", fishQuoted(oneLine(option.help))]
        return words.joined(separator: " ")
    }

    /// The `complete` arguments offering the candidates of `kind`.
    private func values(_ kind: CompletionKind) -> String {
        switch kind {
        case .none: "-f"
        case .file: "-F"
        case .directory: "-f -a '(__fish_complete_directories)'"
        case .values(let words): "-f -a " + fishQuoted(words.map(fishListWord).joined(separator: " "))
        case .custom(let command):
            // The initializer collected every custom command of the visible tree.
            "-f -a " + fishQuoted("(\(prefix)_custom_\(customCommands.firstIndex(of: command)! + 1))")
        }
    }

    private func helperFunctions() -> [String] {
        let valuePatterns = chains.flatMap { chain in
            chain.optionsInScope().filter { $0.placeholder != nil }.flatMap { option in
                option.spellings.map { fishQuoted(pathString(chain) + ":" + $0) }
            }
        }
        let subcommandPatterns = chains.flatMap { chain in
            chain[chain.count - 1].visibleSubcommands.map { fishQuoted(pathString(chain) + ":" + $0.name) }
        }
        var lines = [
            "# Prints where the words before the cursor lead: the command path (names joined by",
            "# spaces), how many arguments it has been given, whether an option waits for its value",
            "# (1 or 0), and whether -- has ended the options (1 or 0).",
            "function \(prefix)_state",
            "    set -l tokens (commandline -opc)",
            "    set -e tokens[1]",
            "    set -l path \(fishQuoted(root.name))",
            "    set -l npos 0",
            "    set -l pending 0",
            "    set -l ended 0",
            "    for word in $tokens",
            "        if test $pending = 1",
            "            set pending 0",
            "        else if test $ended = 0; and string match -q -- '-?*' $word",
            "            if test $word = --",
            "                set ended 1",
            "            else if contains -- \"$path:$word\" \(valuePatterns.joined(separator: " "))",
            "                set pending 1",
            "            end",
            "        else if test $ended = 0 -a $npos = 0; and contains -- \"$path:$word\" \(subcommandPatterns.joined(separator: " "))",
            "            set path \"$path $word\"",
            "        else",
            "            set npos (math $npos + 1)",
            "        end",
            "    end",
            "    printf '%s\\n' $path $npos $pending $ended",
            "end",
            "",
            "# Succeeds when the command path is one of the arguments.",
            "function \(prefix)_at",
            "    set -l state (\(prefix)_state)",
            "    contains -- $state[1] $argv",
            "end",
            "",
            "# Succeeds when a subcommand of the command at path $argv[1] may come next.",
            "function \(prefix)_needs_command",
            "    set -l state (\(prefix)_state)",
            "    test \"$state[1]\" = $argv[1] -a $state[2] = 0 -a $state[3] = 0 -a $state[4] = 0",
            "end",
            "",
            "# Succeeds when the next word is argument $argv[2] (from 0) of the command at path",
            "# $argv[1], or any later one when $argv[3] is +.",
            "function \(prefix)_argument",
            "    set -l state (\(prefix)_state)",
            "    test \"$state[1]\" = $argv[1] -a $state[3] = 0; or return 1",
            "    if test \"$argv[3]\" = +",
            "        test $state[2] -ge $argv[2]",
            "    else",
            "        test $state[2] = $argv[2]",
            "    end",
            "end",
        ]
        if !customCommands.isEmpty {
            lines += [
                "",
                "# Prints the global options with values typed so far, in long form, one word a line.",
                "function \(prefix)_globals",
                "    set -l tokens (commandline -opc)",
                "    set -l i 2",
                "    while test $i -le (count $tokens)",
                "        switch $tokens[$i]",
            ]
            for option in root.globalValueOptions {
                let long = fishQuoted("--" + option.long)
                lines += [
                    "            case \(option.spellings.map(fishQuoted).joined(separator: " "))",
                    "                set i (math $i + 1)",
                    "                test $i -le (count $tokens); and printf '%s\\n' \(long) $tokens[$i]",
                    "            case \(fishQuoted("--" + option.long + "=*"))",
                    "                printf '%s\\n' \(long) (string replace -r -- '^[^=]*=' '' $tokens[$i])",
                ]
            }
            lines += [
                "        end",
                "        set i (math $i + 1)",
                "    end | string replace -r -- '^~/' \"$HOME/\"",
                "end",
            ]
            for (index, command) in customCommands.enumerated() {
                lines += [
                    "",
                    "# Prints the candidates from: \(oneLine(command))",
                    "function \(prefix)_custom_\(index + 1)",
                    "    \(command) (\(prefix)_globals) 2>/dev/null",
                    "end",
                ]
            }
        }
        return lines
    }
}

/// `text` in fish single quotes, where only `\\` and `\'` are escapes.
private func fishQuoted(_ text: String) -> String {
    "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
}

/// `text` in fish double quotes, with `\`, `"` and `$` escaped.
private func fishDoubleQuoted(_ text: String) -> String {
    "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("$", with: "\\$") + "\""
}

/// `word` for a list that fish splits and expands (the argument of `-a`): every character
/// other than a letter, digit or one of `-_./:=@%+,` behind a backslash.
private func fishListWord(_ word: String) -> String {
    String(word.flatMap { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0)) ? [$0] : ["\\", $0] })
}

/// `text` on one line, for a description.
private func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).joined(separator: " ")
}
