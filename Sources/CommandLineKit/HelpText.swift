// Help and usage text in the layout swift-argument-parser users know: OVERVIEW, USAGE,
// ARGUMENTS, OPTIONS, SUBCOMMANDS, with help text in a column and lines wrapped at 80.

/// Where the help column starts in OPTIONS, ARGUMENTS and SUBCOMMANDS lists.
let helpColumn = 26
/// The width help text is wrapped to.
let lineWidth = 80

/// The full `--help` text for the command at `path`, ending in a newline.
///
/// Sections without content (no arguments, no subcommands) are left out. A path that names no
/// command goes as far as it matches, so the result is always some command's help.
///
/// - Parameters:
///   - path: Command names from the program down, as in `ParseOutcome.help(commandPath:)`.
///   - root: The program's command.
package func helpText(for path: [String], root: CommandSpec) -> String {
    let chain = root.commands(along: path)
    let command = chain[chain.count - 1]
    var sections: [[String]] = []

    if !command.abstract.isEmpty {
        sections.append(wrap(words("OVERVIEW: " + command.abstract), width: lineWidth))
    }
    if !command.discussion.isEmpty {
        sections.append(command.discussion.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }
    sections.append(wrapUsage(prefix: "USAGE: ", chain: chain))

    if !command.arguments.isEmpty {
        sections.append(["ARGUMENTS:"] + command.arguments.flatMap { argument in
            row("<\(argument.name.lowercased())>" + (argument.isRepeated ? " ..." : ""), argument.help)
        })
    }

    var optionRows = chain.optionsInScope().flatMap { option in
        var label = option.short.map { "-\($0), " } ?? ""
        label += "--" + option.long
        if let placeholder = option.placeholder { label += " <\(placeholder.lowercased())>" }
        return row(label, option.help, default: option.defaultValue)
    }
    if chain.count == 1 { optionRows += row("--version", "Show the version.") }
    optionRows += row("-h, --help", "Show help information.")
    sections.append(["OPTIONS:"] + optionRows)

    if !command.visibleSubcommands.isEmpty {
        let topic = ([root.name, "help"] + chain.dropFirst().map(\.name) + ["<subcommand>"]).joined(separator: " ")
        sections.append(
            ["SUBCOMMANDS:"] + command.visibleSubcommands.flatMap { row($0.name, $0.abstract) }
                + ["", "  See '\(topic)' for detailed help."])
    }

    if !command.examples.isEmpty {
        sections.append(["EXAMPLES:"] + command.examples.flatMap { example in
            ["  " + example.command]
                + wrap(words(example.explanation), width: lineWidth - 6).map { "      " + $0 }
        })
    }
    return sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
}

/// The one-line synopsis of the command at `path`, without a `USAGE:` prefix.
///
/// Lists the command's names, its options and the global options above it (each in brackets,
/// with its placeholder), its arguments (`SERVER`, `[SERVER]`, `FILE...`), and `<subcommand>`
/// when it has subcommands: `credtool list [--json] [--config DIR] [--authfile FILE]`.
/// `-h`/`--help` and `--version` are left out.
package func usageLine(for path: [String], root: CommandSpec) -> String {
    let chain = root.commands(along: path)
    return ([chain.names.joined(separator: " ")] + usageElements(chain)).joined(separator: " ")
}

/// The text printed on stderr for a usage error, ending in a newline:
///
///     Error: unknown option '--jsn'; did you mean '--json'?
///     Usage: credtool list [--json] [--config DIR] [--authfile FILE]
///       See 'credtool list --help'.
///
/// An error with an empty `commandPath` is shown with the root's usage.
package func usageErrorText(_ error: UsageError, root: CommandSpec) -> String {
    let chain = root.commands(along: error.commandPath)
    let pointer = "  See '\(chain.names.joined(separator: " ")) --help'."
    return (["Error: " + singleLine(error.message)] + wrapUsage(prefix: "Usage: ", chain: chain) + [pointer])
        .joined(separator: "\n") + "\n"
}

// MARK: - Pieces

/// The bracketed options, arguments and `<subcommand>` of a usage line, in that order.
private func usageElements(_ chain: [CommandSpec]) -> [String] {
    let command = chain[chain.count - 1]
    var elements = chain.optionsInScope().map { option in
        switch option.kind {
        case .flag: "[--\(option.long)]"
        case .value(let placeholder): "[--\(option.long) \(placeholder)]"
        case .repeated(let placeholder): "[--\(option.long) \(placeholder) ...]"
        }
    }
    elements += command.arguments.map { argument in
        let name = argument.isRepeated ? argument.name + "..." : argument.name
        return argument.isOptional ? "[\(name)]" : name
    }
    if !command.subcommands.isEmpty {
        elements.append(command.requiresSubcommand ? "<subcommand>" : "[<subcommand>]")
    }
    return elements
}

/// The usage line after `prefix`, wrapped at 80 columns with continuation lines aligned after
/// the command's names (or at column 40 for very long names). Elements are never split.
private func wrapUsage(prefix: String, chain: [CommandSpec]) -> [String] {
    let head = prefix + chain.names.joined(separator: " ")
    let indent = String(repeating: " ", count: min(head.count + 1, 40))
    var lines: [String] = []
    var line = head
    for element in usageElements(chain) {
        if line.count + 1 + element.count > lineWidth && line.count > indent.count {
            lines.append(line)
            line = indent + element
        } else {
            line += " " + element
        }
    }
    return lines + [line]
}

/// A list entry: `label` at column 2 and `help` from the help column, wrapped; a label too wide
/// for the column gets a line of its own. `default` is appended as `(default: …)`, kept whole.
private func row(_ label: String, _ help: String, default defaultValue: String? = nil) -> [String] {
    var helpWords = words(help)
    if let defaultValue { helpWords.append("(default: \(defaultValue))") }
    let helpLines = wrap(helpWords, width: lineWidth - helpColumn)
    let indent = String(repeating: " ", count: helpColumn)
    let labelled = "  " + label
    guard let first = helpLines.first, !first.isEmpty else { return [labelled] }
    if labelled.count + 2 > helpColumn {
        return [labelled] + helpLines.map { indent + $0 }
    }
    let padding = String(repeating: " ", count: helpColumn - labelled.count)
    return [labelled + padding + first] + helpLines.dropFirst().map { indent + $0 }
}

/// The words of `text`; a newline in it is kept as a word of its own that forces a line break.
private func words(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { index, line in
        (index == 0 ? [] : ["\n"]) + line.split(separator: " ").map(String.init)
    }
}

/// Greedy word wrap: as many words on a line as fit in `width`; a longer word gets its own line.
func wrap(_ words: [String], width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in words {
        if word == "\n" {
            lines.append(line)
            line = ""
        } else if line.isEmpty {
            line = word
        } else if line.count + 1 + word.count <= width {
            line += " " + word
        } else {
            lines.append(line)
            line = word
        }
    }
    return lines + [line]
}
