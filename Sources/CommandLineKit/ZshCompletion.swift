// The zsh completion function: one `_arguments` call per command, with `->state` handling to
// dispatch on the subcommand at each level.

/// The zsh completion file for `root`'s program: install it as `_<program>` in a directory on
/// `$fpath`; it starts with `#compdef <program>`.
///
/// Each visible command gets a function (`_credtool`, `_credtool_store_list`) whose `_arguments`
/// specs list the options valid there with their help (`'--json[Print JSON instead of a
/// table.]'`), the value's placeholder and completion (`_files`, `_files -/`, `(yaml json)`, or
/// a generated function that runs a `.custom` command line with the global value options typed
/// so far appended), `--help`/`-h` (and `--version` on the root), and the positional arguments.
/// A command with subcommands offers them through `_describe` and hands the rest of the line
/// to the chosen subcommand's function. Hidden commands are left out. A command with
/// subcommands that can also run on its own and take arguments completes only the subcommands.
///
/// Sourced instead of autoloaded, the file registers itself with `compdef`.
///
/// - Parameter root: The program's command tree; its name is the program's.
/// - Returns: The file's content, ending in a newline.
package func zshCompletion(for root: CommandSpec) -> String {
    ZshCompletionWriter(root: root).file()
}

private struct ZshCompletionWriter {
    let root: CommandSpec
    let function: String
    /// The `.custom` command lines, in order of first use; each gets a function.
    let customCommands: [String]

    init(root: CommandSpec) {
        self.root = root
        function = "_" + shellIdentifier(root.name)
        var commands: [String] = []
        for chain in root.visibleChains {
            let command = chain[chain.count - 1]
            let kinds = chain.optionsInScope().map(\.completion) + command.arguments.map(\.completion)
            for case .custom(let line) in kinds where !commands.contains(line) { commands.append(line) }
        }
        customCommands = commands
    }

    func file() -> String {
        var lines = [
            "#compdef \(root.name)",
            "# zsh completion for \(root.name), generated from its command specs.",
            "# Install it as \(function) in a directory on $fpath.",
        ]
        for chain in root.visibleChains {
            lines.append("")
            lines += commandFunction(chain)
        }
        if !customCommands.isEmpty {
            lines += ["", "# Sets reply to the global options with values typed so far, in long form."]
            lines += globalsFunction()
            for (index, command) in customCommands.enumerated() {
                lines += [
                    "",
                    "# Completes the lines printed by: \(command.replacing("\n", with: " "))",
                    "\(function)_custom_\(index + 1)() {",
                    "    local -a candidates reply",
                    "    \(function)_globals",
                    "    candidates=(${(f)\"$(\(command) \"${reply[@]}\" 2>/dev/null)\"})",
                    "    compadd \"$@\" -a candidates",
                    "}",
                ]
            }
        }
        lines += [
            "",
            "if [[ $funcstack[1] == \(function) ]]; then",
            "    \(function) \"$@\"",
            "else",
            "    compdef \(function) \(shellWord(root.name))",
            "fi",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The function name for the chain's command: `_credtool_store_list`.
    private func functionName(_ chain: [CommandSpec]) -> String {
        "_" + chain.map { shellIdentifier($0.name) }.joined(separator: "_")
    }

    private func commandFunction(_ chain: [CommandSpec]) -> [String] {
        let command = chain[chain.count - 1]
        let subcommands = command.visibleSubcommands
        var specs = chain.optionsInScope().flatMap(optionSpecs)
        let scope = chain.optionsInScope()
        if chain.count == 1 && !scope.contains(where: { $0.long == "version" }) {
            specs.append("'(- : *)--version[Show the version.]'")
        }
        let helpNames = (scope.contains { $0.short == "h" } ? [] : ["-h"])
            + (scope.contains { $0.long == "help" } ? [] : ["--help"])
        for name in helpNames {
            specs.append("'(- : *)\(name)[Show help information.]'")
        }
        if subcommands.isEmpty {
            specs += command.arguments.map(argumentSpec)
        } else {
            specs += ["'(-): :->command'", "'(-)*:: :->argument'"]
        }

        var lines = ["\(functionName(chain))() {"]
        if subcommands.isEmpty {
            lines.append("    _arguments -s -S \\")
            lines += specs.enumerated().map { index, spec in
                "        " + spec + (index == specs.count - 1 ? "" : " \\")
            }
            lines.append("}")
            return lines
        }
        lines += [
            "    local curcontext=$curcontext state state_descr line ret=1",
            "    local -A opt_args",
        ]
        if chain.count == 1 && !customCommands.isEmpty {
            lines += [
                "    # The words before the cursor, for the global options custom completions pass on.",
                "    local -a \(function)_typed",
                "    \(function)_typed=(\"${(@)words[1,CURRENT-1]}\")",
            ]
        }
        lines.append("    _arguments -s -S -C \\")
        lines += specs.map { "        " + $0 + " \\" }
        lines[lines.count - 1] += " && ret=0"
        lines[lines.count - 1] = lines[lines.count - 1].replacing(" \\ && ret=0", with: " && ret=0")
        let label = chain.map(\.name).joined(separator: " ") + " command"
        lines += [
            "    case $state in",
            "    (command)",
            "        local -a commands",
            "        commands=(",
        ]
        lines += subcommands.map { "            " + shellQuoted(describeEscaped($0.name) + ":" + $0.abstract) }
        lines += [
            "        )",
            "        _describe -t commands \(shellQuoted(label)) commands && ret=0",
            "        ;;",
            "    (argument)",
            "        curcontext=${curcontext%:*:*}:\(chain.map(\.name).joined(separator: "-"))-$words[1]:",
            "        case $words[1] in",
        ]
        lines += subcommands.map { "        (\(shellWord($0.name))) \(functionName(chain + [$0])) && ret=0 ;;" }
        lines += [
            "        esac",
            "        ;;",
            "    esac",
            "    return ret",
            "}",
        ]
        return lines
    }

    /// The `_arguments` specs of one option: its short and long spellings, which exclude each
    /// other unless the option repeats.
    private func optionSpecs(_ option: OptionSpec) -> [String] {
        let description = "[" + bracketEscaped(option.help) + "]"
        let value = option.placeholder.map { ":" + colonEscaped($0.lowercased()) + ":" + action(option.completion) } ?? ""
        let exclusion =
            option.isRepeated ? "*" : option.short == nil ? "" : "(-\(option.short!) --\(option.long))"
        var specs: [String] = []
        if let short = option.short {
            specs.append(exclusion + "-\(short)" + (option.placeholder == nil ? "" : "+") + description + value)
        }
        specs.append(exclusion + "--\(option.long)" + (option.placeholder == nil ? "" : "=") + description + value)
        return specs.map(shellQuoted)
    }

    /// The `_arguments` spec of a positional argument: `:server:action`, `::server:action` when
    /// optional, `*:file:action` when repeated.
    private func argumentSpec(_ argument: ArgumentSpec) -> String {
        let prefix = argument.isRepeated ? "*:" : argument.isOptional ? "::" : ":"
        return shellQuoted(prefix + colonEscaped(argument.name.lowercased()) + ":" + action(argument.completion))
    }

    /// The `_arguments` action completing `kind`.
    private func action(_ kind: CompletionKind) -> String {
        switch kind {
        case .none: " "
        case .file: "_files"
        case .directory: "_files -/"
        case .values(let words):
            "(" + words.map { word in
                String(word.flatMap { " ()\\:'\"$`;&|<>*?[]{}#~".contains($0) ? ["\\", $0] : [$0] })
            }.joined(separator: " ") + ")"
        case .custom(let command): "\(function)_custom_\(customCommands.firstIndex(of: command)! + 1)"
        // The initializer collected every custom command of the visible tree, so the index exists.
        }
    }

    /// The function that collects the global value options typed so far (`--config DIR`,
    /// `-c DIR`, `--config=DIR`) into `reply`, with a leading `~/` expanded.
    private func globalsFunction() -> [String] {
        var lines = [
            "\(function)_globals() {",
            "    local word",
            "    local -i i",
            "    reply=()",
            "    for ((i = 2; i <= $#\(function)_typed; i++)); do",
            "        word=${(Q)\(function)_typed[i]}",
            "        case $word in",
        ]
        for option in root.globalValueOptions {
            let long = shellWord("--" + option.long)
            lines += [
                "        (\(option.spellings.map(shellWord).joined(separator: "|")))",
                "            if ((i < $#\(function)_typed)); then",
                "                ((i++))",
                "                reply+=(\(long) \"${(Q)\(function)_typed[i]}\")",
                "            fi",
                "            ;;",
                "        (\(long)=*) reply+=(\(long) \"${word#*=}\") ;;",
            ]
        }
        lines += [
            "        esac",
            "    done",
            "    reply=(\"${(@)reply/#\\~\\//$HOME/}\")",
            "}",
        ]
        return lines
    }
}

/// `text` for the inside of an `_arguments` option description `[…]`: `_arguments` ends the
/// description at the first `]` not preceded by a backslash.
private func bracketEscaped(_ text: String) -> String {
    text.replacing("\\", with: "\\\\").replacing("[", with: "\\[").replacing("]", with: "\\]")
        .replacing("\n", with: " ")
}

/// `text` with `\` and `:` escaped, for a message in an `_arguments` spec.
private func colonEscaped(_ text: String) -> String {
    text.replacing("\\", with: "\\\\").replacing(":", with: "\\:")
}

/// A name for a `_describe` item, where an unescaped `:` starts the description.
private func describeEscaped(_ name: String) -> String {
    colonEscaped(name)
}
