// The bash completion script: one function that walks the words typed so far through the
// command tree, then completes the current word from tables generated out of the specs.

/// A bash completion script for `root`'s program: a function `_<program>` registered with
/// `complete -F _<program> <program>`.
///
/// The function completes subcommand names at any depth, the long and short options valid at
/// the current depth (the command's own, the global ones above it, `--help`/`-h`, and
/// `--version` on the root), option values and positional arguments by their `CompletionKind`:
/// `.file` and `.directory` through `compgen -f`/`-d`, `.values` as fixed words, and `.custom`
/// by running its command line with the global value options the user typed appended
/// (`credtool __complete registries --config DIR`), one candidate a line. After `--` only
/// arguments complete. Hidden commands are not offered. `--name=value` is understood both as
/// one word and split at `=` (bash's default `COMP_WORDBREAKS`); a value option bundled after
/// flags (`-jc DIR`) is not.
///
/// The function's name is the program's with every character other than a letter, digit or `_`
/// turned into `_`: `_credtool`, `_docker_credential_swift`. Its helper is `<function>_add`.
///
/// - Parameter root: The program's command tree; its name is the program's.
/// - Returns: The script, ending in a newline.
package func bashCompletion(for root: CommandSpec) -> String {
    BashCompletionWriter(root: root).script()
}

private struct BashCompletionWriter {
    let root: CommandSpec
    let function: String
    let chains: [[CommandSpec]]

    init(root: CommandSpec) {
        self.root = root
        function = "_" + shellIdentifier(root.name)
        chains = root.visibleChains
    }

    func script() -> String {
        var lines = [
            "# bash completion for \(root.name), generated from its command specs.",
            "# Source this file, or install it as share/bash-completion/completions/\(root.name).",
            "",
            "# Adds the words among the arguments that start with the current word ($cur) to COMPREPLY.",
            "\(function)_add() {",
            "    local word",
            "    for word in \"$@\"; do",
            "        [[ $word == \"$cur\"* ]] && COMPREPLY+=(\"$word\")",
            "    done",
            "    return 0",
            "}",
            "",
            "\(function)() {",
            "    local cur=${COMP_WORDS[COMP_CWORD]} path=\(shellWord(root.name)) word long pending=",
            "    local -i i ended=0 npos=0",
            "    local -a globals=() lines=()",
            "    COMPREPLY=()",
            "    # Walk the words before the cursor: subcommands, options and their values, arguments.",
            "    for ((i = 1; i < COMP_CWORD; i++)); do",
            "        word=${COMP_WORDS[i]}",
            "        if [[ -n $pending ]]; then",
            "            # bash splits --config=DIR into --config, = and DIR.",
            "            [[ $word == = ]] && continue",
            "            \(recordGlobal(option: "$pending"))",
            "            pending=",
            "        elif ((!ended)) && [[ $word == -?* ]]; then",
            "            if [[ $word == -- ]]; then",
            "                ended=1",
            "                continue",
            "            fi",
            "            case \"$path:${word%%=*}\" in",
        ]
        lines += valueOptionCases().map { "            " + $0 }
        lines += [
            "            *) long= ;;",
            "            esac",
            "            if [[ $word == --*=* ]]; then",
            "                word=${word#*=}",
            "                \(recordGlobal(option: "$long"))",
            "            else",
            "                pending=$long",
            "            fi",
            "        else",
            "            if ((!ended && npos == 0)); then",
            "                case \"$path:$word\" in",
        ]
        let subcommandPatterns = chains.flatMap { chain in
            chain[chain.count - 1].visibleSubcommands.map { shellQuoted(pathString(chain) + ":" + $0.name) }
        }
        if !subcommandPatterns.isEmpty {
            lines += [
                "                \(subcommandPatterns.joined(separator: "|")))",
                "                    path+=\" $word\"",
                "                    continue",
                "                    ;;",
            ]
        }
        lines += [
            "                esac",
            "            fi",
            "            npos+=1",
            "        fi",
            "    done",
            "",
            "    if [[ -n $pending ]]; then",
            "        [[ $cur == = ]] && cur=",
            "        case \"$path:$pending\" in",
        ]
        lines += valueCompletionCases().map { "        " + $0 }
        lines += [
            "        esac",
            "        return 0",
            "    fi",
            "    if ((!ended)) && [[ $cur == -* ]]; then",
            "        case $path in",
        ]
        for chain in chains {
            lines.append("        \(shellQuoted(pathString(chain)))) \(function)_add \(optionWords(chain).map(shellWord).joined(separator: " ")) ;;")
        }
        lines += [
            "        esac",
            "        return 0",
            "    fi",
        ]
        let groups = chains.filter { !$0[$0.count - 1].visibleSubcommands.isEmpty }
        if !groups.isEmpty {
            lines += ["    if ((!ended && npos == 0)); then", "        case $path in"]
            for chain in groups {
                let command = chain[chain.count - 1]
                let names = command.visibleSubcommands.map { shellWord($0.name) }.joined(separator: " ")
                // A group that can run on its own may take an argument in the same place.
                let alsoArguments = !command.requiresSubcommand && !command.arguments.isEmpty
                lines.append("        \(shellQuoted(pathString(chain))))")
                lines.append("            \(function)_add \(names)")
                if !alsoArguments { lines.append("            return 0") }
                lines.append("            ;;")
            }
            lines += ["        esac", "    fi"]
        }
        let argumentCases = chains.compactMap(argumentCase)
        if !argumentCases.isEmpty {
            lines += ["    case $path in"] + argumentCases.flatMap { $0 }.map { "    " + $0 } + ["    esac"]
        }
        lines += [
            "    return 0",
            "}",
            "",
            "complete -F \(function) \(shellWord(root.name))",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The command path as the script spells it: names joined by spaces.
    private func pathString(_ chain: [CommandSpec]) -> String {
        chain.map(\.name).joined(separator: " ")
    }

    /// A `case` statement that appends `option` and `$word` to `globals` when `option` is a
    /// global option that takes a value, so custom completion commands see the same config.
    /// A leading `~/` in the value is expanded, as the shell would have for the command itself.
    private func recordGlobal(option: String) -> String {
        let names = root.globalValueOptions.map { shellWord("--" + $0.long) }
        guard !names.isEmpty else { return ":" }
        return #"case \#(option) in \#(names.joined(separator: "|"))) globals+=("\#(option)" "${word/#\~\//$HOME/}") ;; esac"#
    }

    /// `case` arms mapping `path:spelling` of each value option to `long=--name`.
    private func valueOptionCases() -> [String] {
        var arms: [(long: String, patterns: [String])] = []
        for chain in chains {
            for option in chain.optionsInScope() where option.placeholder != nil {
                let patterns = option.spellings.map { shellQuoted(pathString(chain) + ":" + $0) }
                if let index = arms.firstIndex(where: { $0.long == "--" + option.long }) {
                    arms[index].patterns += patterns
                } else {
                    arms.append(("--" + option.long, patterns))
                }
            }
        }
        return arms.map { "\($0.patterns.joined(separator: "|"))) long=\(shellWord($0.long)) ;;" }
    }

    /// `case` arms completing the value of `path:--long`, one arm per distinct completion.
    private func valueCompletionCases() -> [String] {
        var arms: [(kind: CompletionKind, patterns: [String])] = []
        for chain in chains {
            for option in chain.optionsInScope() where option.placeholder != nil && option.completion != .none {
                let pattern = shellQuoted(pathString(chain) + ":--" + option.long)
                if let index = arms.firstIndex(where: { $0.kind == option.completion }) {
                    arms[index].patterns.append(pattern)
                } else {
                    arms.append((option.completion, [pattern]))
                }
            }
        }
        return arms.flatMap { arm in
            ["\(arm.patterns.joined(separator: "|")))"] + completing(arm.kind).map { "    " + $0 } + ["    ;;"]
        }
    }

    /// The `case $path` arm completing the positional arguments of the chain's command, if any
    /// of them completes.
    private func argumentCase(_ chain: [CommandSpec]) -> [String]? {
        let command = chain[chain.count - 1]
        var branches: [String] = []
        for (index, argument) in command.arguments.enumerated() where argument.completion != .none {
            let test = argument.isRepeated ? "npos >= \(index)" : "npos == \(index)"
            branches.append("\(branches.isEmpty ? "if" : "elif") ((\(test))); then")
            branches += completing(argument.completion).map { "    " + $0 }
        }
        guard !branches.isEmpty else { return nil }
        return ["\(shellQuoted(pathString(chain))))"] + (branches + ["fi"]).map { "    " + $0 } + ["    ;;"]
    }

    /// The lines that put the candidates of `kind` for `$cur` into COMPREPLY.
    private func completing(_ kind: CompletionKind) -> [String] {
        switch kind {
        case .none:
            []
        case .file:
            ["compopt -o filenames 2>/dev/null", "mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")"]
        case .directory:
            ["compopt -o filenames 2>/dev/null", "mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")"]
        case .values(let words):
            ["\(function)_add \(words.map(shellWord).joined(separator: " "))"]
        case .custom(let command):
            [
                "mapfile -t lines < <(\(command) \"${globals[@]}\" 2>/dev/null)",
                "\(function)_add \"${lines[@]}\"",
            ]
        }
    }

    /// The options offered at the chain's command: its own and the global ones above it, each
    /// long then short, then the built-in `--version` (root only) and `--help`/`-h`.
    private func optionWords(_ chain: [CommandSpec]) -> [String] {
        let scope = chain.optionsInScope()
        var words = scope.flatMap(\.spellings)
        if chain.count == 1 && !scope.contains(where: { $0.long == "version" }) { words.append("--version") }
        if !scope.contains(where: { $0.long == "help" }) { words.append("--help") }
        if !scope.contains(where: { $0.short == "h" }) { words.append("-h") }
        return words
    }
}
