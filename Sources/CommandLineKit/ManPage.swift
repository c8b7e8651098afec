// The mdoc(7) manual page: NAME, SYNOPSIS and DESCRIPTION from the command specs, the rest
// from `ManPageExtras`, in the conventional section order.

/// What a manual page says beyond the command specs.
///
/// Each list becomes a section when it is not empty; `extraSections` with a standard title
/// (COMPATIBILITY, HISTORY, BUGS, …) go where mdoc(7) puts that section, the others right after
/// DESCRIPTION. Text may hold several paragraphs separated by a blank line; a line indented by
/// a space is shown as a literal display.
package struct ManPageExtras: Sendable {
    /// Environment variables the program reads (`DOCKER_CONFIG`) and what they do.
    package var environment: [(name: String, text: String)]
    /// Files the program reads or writes (`~/.docker/config.json`) and their role.
    package var files: [(path: String, text: String)]
    /// Every exit status and when it happens.
    package var exitStatus: [(code: Int, text: String)]
    /// Examples shown before those of the command specs.
    package var examples: [(command: String, text: String)]
    /// Related pages: `(name: "docker", section: 1)`.
    package var seeAlso: [(name: String, section: Int)]
    /// More sections: a title (`COMPATIBILITY`) and its paragraphs.
    package var extraSections: [(title: String, paragraphs: [String])]

    package init(
        environment: [(name: String, text: String)] = [], files: [(path: String, text: String)] = [],
        exitStatus: [(code: Int, text: String)] = [], examples: [(command: String, text: String)] = [],
        seeAlso: [(name: String, section: Int)] = [], extraSections: [(title: String, paragraphs: [String])] = []
    ) {
        self.environment = environment
        self.files = files
        self.exitStatus = exitStatus
        self.examples = examples
        self.seeAlso = seeAlso
        self.extraSections = extraSections
    }
}

/// The mdoc(7) source of the manual page for `root`'s program.
///
/// NAME takes the root's abstract as `.Nd`; SYNOPSIS has one `.Nm` line for the root (with its
/// options) and one for each runnable subcommand (with its own options and arguments);
/// DESCRIPTION has the root's discussion, its options as a `.Bl -tag` list, and one `.It`
/// entry per runnable subcommand (`.It Cm list Op Fl -json`) with its abstract, discussion,
/// and a nested list of its arguments and options. Then come the sections of `extra`:
/// ENVIRONMENT, FILES, EXIT STATUS, EXAMPLES (the extras' examples, then every command's),
/// SEE ALSO. Hidden commands are left out.
///
/// Text is escaped for roff: backslashes become `\e`, a line starting with `.` or `'` gets
/// `\&`, each sentence starts a new line, and blank lines become `.Pp`.
///
/// - Parameters:
///   - root: The program's command tree; its name is the program's.
///   - section: The manual section for `.Dt`.
///   - date: The `.Dd` date, such as `January 5, 2026`; passed in so output is reproducible.
///   - extra: The sections the specs do not describe.
/// - Returns: The page, ending in a newline.
package func manPage(for root: CommandSpec, section: Int = 1, date: String, extra: ManPageExtras) -> String {
    var page = [
        ".Dd " + date,
        ".Dt \(macroArgument(root.name.uppercased())) \(section)",
        ".Os",
        ".Sh NAME",
        ".Nm \(macroArgument(root.name))",
        ".Nd " + macroArguments(nameDescription(root.abstract)),
        ".Sh SYNOPSIS",
    ]
    let commands = root.visibleChains.dropFirst().filter { chain in
        let command = chain[chain.count - 1]
        return command.visibleSubcommands.isEmpty || !command.requiresSubcommand
    }

    // SYNOPSIS
    page.append(".Nm")
    page += root.options.map { ".Op " + optionSynopsis($0) }
    page += root.arguments.map(argumentSynopsis)
    if !root.visibleSubcommands.isEmpty {
        page.append(root.requiresSubcommand ? ".Ar command" : ".Op Ar command")
        page.append(".Op Ar argument ...")
    }
    for chain in commands {
        page.append(".Nm")
        page.append(".Cm " + chain.dropFirst().map { macroArgument($0.name) }.joined(separator: " "))
        page += commandOptions(chain).map { ".Op " + optionSynopsis($0) }
        page += chain[chain.count - 1].arguments.map(argumentSynopsis)
    }

    // DESCRIPTION
    page.append(".Sh DESCRIPTION")
    var description = textLines(root.discussion)
    let rootItems = root.arguments.map(argumentItem) + root.options.map(optionItem) + builtInItems(root: true)
    if !description.isEmpty { description.append(".Pp") }
    description += ["The options are as follows:", ".Bl -tag -width Ds"] + rootItems.flatMap { $0 } + [".El"]
    if !commands.isEmpty {
        description += [".Pp", "The commands are as follows:", ".Bl -tag -width Ds"]
        for chain in commands {
            let command = chain[chain.count - 1]
            var head = ".It Cm " + chain.dropFirst().map { macroArgument($0.name) }.joined(separator: " ")
            // On one line `Op` would run to its end and take everything after it: close each.
            head += commandOptions(chain).map { " Oo " + optionSynopsis($0) + " Oc" }.joined()
            head += command.arguments.map { argument in
                let synopsis = argumentSynopsis(argument)
                return argument.isOptional ? " Oo " + synopsis.dropFirst(".Op ".count) + " Oc" : " " + synopsis.dropFirst()
            }.joined()
            description.append(head)
            description += textLines(command.abstract)
            let discussion = textLines(command.discussion)
            if !discussion.isEmpty { description += [".Pp"] + discussion }
            let items = command.arguments.map(argumentItem) + commandOptions(chain).map(optionItem)
            if !items.isEmpty { description += [".Bl -tag -width Ds"] + items.flatMap { $0 } + [".El"] }
        }
        description.append(".El")
    }
    page += description

    // The other sections, in mdoc(7)'s order; extra sections with other titles after DESCRIPTION.
    var generated: [String: [String]] = [:]
    if !extra.environment.isEmpty {
        generated["ENVIRONMENT"] = taggedList(extra.environment.map { (".It Ev " + macroArgument($0.name), $0.text) })
    }
    if !extra.files.isEmpty {
        generated["FILES"] = taggedList(extra.files.map { (".It Pa " + macroArgument($0.path), $0.text) })
    }
    if !extra.exitStatus.isEmpty {
        generated["EXIT STATUS"] = taggedList(extra.exitStatus.map { (".It \($0.code)", $0.text) })
    }
    let examples = extra.examples + root.visibleChains.flatMap { chain in
        chain[chain.count - 1].examples.map { (command: $0.command, text: $0.explanation) }
    }
    if !examples.isEmpty {
        generated["EXAMPLES"] = examples.enumerated().flatMap { index, example in
            var text = example.text
            if text.hasSuffix(".") { text = text.dropLast() + ":" }
            return (index == 0 ? [] : [".Pp"]) + textLines(text)
                + [".Bd -literal -offset indent", textLine("$ " + example.command), ".Ed"]
        }
    }
    if !extra.seeAlso.isEmpty {
        generated["SEE ALSO"] = extra.seeAlso.enumerated().map { index, page in
            ".Xr \(macroArgument(page.name)) \(page.section)" + (index == extra.seeAlso.count - 1 ? "" : " ,")
        }
    }
    func sectionBody(_ paragraphs: [String]) -> [String] {
        paragraphs.map(textLines).filter { !$0.isEmpty }.enumerated().flatMap { index, lines in
            (index == 0 ? [] : [".Pp"]) + lines
        }
    }
    for section in extra.extraSections where !standardSections.contains(section.title.uppercased()) {
        page += [".Sh " + macroArguments(section.title.uppercased())] + sectionBody(section.paragraphs)
    }
    for title in standardSections {
        if let lines = generated[title] { page += [".Sh " + title] + lines }
        for section in extra.extraSections where section.title.uppercased() == title {
            page += [".Sh " + title] + sectionBody(section.paragraphs)
        }
    }
    return page.joined(separator: "\n") + "\n"
}

/// The sections after DESCRIPTION in the order mdoc(7) gives them.
private let standardSections = [
    "CONTEXT", "IMPLEMENTATION NOTES", "RETURN VALUES", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES",
    "DIAGNOSTICS", "COMPATIBILITY", "ERRORS", "SEE ALSO", "STANDARDS", "HISTORY", "AUTHORS", "CAVEATS", "BUGS",
    "SECURITY CONSIDERATIONS",
]

// MARK: - Pieces

/// The options a subcommand's synopsis and entry list: its own and the global options of the
/// commands between it and the root (the root's are described with the root).
private func commandOptions(_ chain: [CommandSpec]) -> [OptionSpec] {
    let rootOptions = Set(chain[0].options.map(\.long))
    return chain.optionsInScope().filter { option in
        chain[chain.count - 1].options.contains(option) || !rootOptions.contains(option.long)
    }
}

/// `Fl -json`, `Fl -config Ar dir`, `Fl -registry Ar r ...`: the option as in a usage line.
private func optionSynopsis(_ option: OptionSpec) -> String {
    var text = "Fl " + macroArgument("-" + option.long)
    if let placeholder = option.placeholder { text += " Ar " + macroArgument(placeholder.lowercased()) }
    if option.isRepeated { text += " ..." }
    return text
}

/// `.Ar server`, `.Op Ar server`, `.Ar file ...`.
private func argumentSynopsis(_ argument: ArgumentSpec) -> String {
    let name = "Ar " + macroArgument(argument.name.lowercased()) + (argument.isRepeated ? " ..." : "")
    return argument.isOptional ? ".Op " + name : "." + name
}

/// The `.It` line and text of an option: `.It Fl c , Fl -config Ar dir`.
private func optionItem(_ option: OptionSpec) -> [String] {
    var head = ".It "
    if let short = option.short { head += "Fl " + macroArgument(String(short)) + " , " }
    head += "Fl " + macroArgument("-" + option.long)
    if let placeholder = option.placeholder { head += " Ar " + macroArgument(placeholder.lowercased()) }
    var text = textLines(option.help)
    if let value = option.defaultValue { text.append(textLine("(default: \(value))")) }
    if option.isRepeated { text.append("May be given more than once.") }
    return [head] + text
}

private func argumentItem(_ argument: ArgumentSpec) -> [String] {
    [".It Ar " + macroArgument(argument.name.lowercased()) + (argument.isRepeated ? " ..." : "")]
        + textLines(argument.help)
}

/// `--version` (root only) and `-h`/`--help`.
private func builtInItems(root: Bool) -> [[String]] {
    (root ? [[".It Fl -version", "Show the version."]] : []) + [[".It Fl h , Fl -help", "Show help information."]]
}

/// A `.Bl -tag` list of `.It` lines, each followed by its text.
private func taggedList(_ items: [(head: String, text: String)]) -> [String] {
    [".Bl -tag -width Ds"] + items.flatMap { [$0.head] + textLines($0.text) } + [".El"]
}

/// The abstract as `.Nd` wants it: no final period, a lower-case first letter unless the first
/// word is an acronym (`JSON`).
private func nameDescription(_ abstract: String) -> String {
    var text = abstract.hasSuffix(".") ? String(abstract.dropLast()) : abstract
    let letters = Array(text.prefix(2))
    if letters.count == 2 && letters[0].isUppercase && !letters[1].isUppercase {
        text = letters[0].lowercased() + text.dropFirst()
    }
    return text
}

/// Text as roff input lines: one sentence a line, `.Pp` for a blank line, and lines indented by
/// a space or tab in a literal display. Never yields a blank line.
func textLines(_ text: String) -> [String] {
    var lines: [String] = []
    var literal: [String] = []
    var pendingParagraph = false
    func flushLiteral() {
        guard !literal.isEmpty else { return }
        lines += [".Bd -literal -offset indent"] + literal.map(textLine) + [".Ed"]
        literal = []
    }
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = rawLine.drop { $0 == " " || $0 == "\t" }
        let trimmed = String(line.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        if trimmed.isEmpty {
            flushLiteral()
            pendingParagraph = !lines.isEmpty
            continue
        }
        let isLiteral = line.count < rawLine.count
        if pendingParagraph {
            // A display starts a block of its own; mandoc warns about a .Pp right before it.
            if !isLiteral { lines.append(".Pp") }
            pendingParagraph = false
        }
        if isLiteral {
            literal.append(String(rawLine.reversed().drop { $0 == " " || $0 == "\t" }.reversed()))
        } else {
            flushLiteral()
            lines += sentences(trimmed).map(textLine)
        }
    }
    flushLiteral()
    return lines
}

/// `line` split after each `.`, `?` or `!` that is followed by a space and an upper-case letter.
private func sentences(_ line: String) -> [String] {
    var result: [String] = []
    var current = ""
    let characters = Array(line)
    var index = 0
    while index < characters.count {
        let character = characters[index]
        current.append(character)
        if ".?!".contains(character) && index + 2 < characters.count && characters[index + 1] == " "
            && characters[index + 2].isUppercase
        {
            result.append(current)
            current = ""
            index += 2
            continue
        }
        index += 1
    }
    if !current.isEmpty { result.append(current) }
    return result
}

/// One roff text line: backslashes as `\e`, non-ASCII characters as `\[uXXXX]`, and `\&`
/// before a leading `.` or `'`, which would otherwise start a request.
func textLine(_ text: String) -> String {
    let escaped = asciiEscaped(text.replacing("\\", with: "\\e"))
    return escaped.first == "." || escaped.first == "'" ? "\\&" + escaped : escaped
}

/// `text` with every non-ASCII character as roff's `\[uXXXX]`, which groff and mandoc render
/// whatever the input encoding they assume.
private func asciiEscaped(_ text: String) -> String {
    guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
        if scalar.isASCII {
            result.unicodeScalars.append(scalar)
        } else {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            result += "\\[u" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex + "]"
        }
    }
    return result
}

/// Words for the arguments of a macro line, each escaped by `macroArgument`.
private func macroArguments(_ text: String) -> String {
    text.split(separator: " ").map { macroArgument(String($0)) }.joined(separator: " ")
}

/// One argument of an mdoc macro line: backslashes as `\e`, `"` as `\(dq`, quoted when it holds
/// a space, and `\&` before a word mdoc would take for a macro (`Ar`) or a delimiter (`|`, `(`).
func macroArgument(_ word: String) -> String {
    var escaped = asciiEscaped(word.replacing("\\", with: "\\e").replacing("\"", with: "\\(dq"))
    let isMacroName =
        (2...3).contains(word.count) && word.first!.isUppercase && word.dropFirst().allSatisfy(\.isLowercase)
    let isDelimiter = word.count == 1 && ".,:;()[]?!|".contains(word)
    if isMacroName || isDelimiter || escaped.isEmpty { escaped = "\\&" + escaped }
    return escaped.contains(" ") ? "\"" + escaped + "\"" : escaped
}
