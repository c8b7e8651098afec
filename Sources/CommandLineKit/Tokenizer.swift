/// One command-line word, classified by its shape alone (no spec is consulted).
enum Token: Hashable, Sendable {
    /// `--name` or `--name=value` (the value may be empty: `--name=`).
    case long(String, value: String?)
    /// `-abc`: one or more short names, or a short name followed by its value (`-cDIR`);
    /// which of the two only the spec can tell.
    case shorts(String)
    /// Anything else: a subcommand name or a positional argument. A lone `-` (stdin) and every
    /// word after `--` are positionals.
    case positional(String)
    /// `--`: no options after this.
    case terminator
}

/// Splits argv (without the program name) into tokens.
///
/// Everything after the first `--` becomes a `.positional`, whatever it looks like.
func tokenize(_ argv: [String]) -> [Token] {
    var tokens: [Token] = []
    tokens.reserveCapacity(argv.count)
    var optionsEnded = false
    for word in argv {
        if optionsEnded {
            tokens.append(.positional(word))
        } else if word == "--" {
            optionsEnded = true
            tokens.append(.terminator)
        } else if word.hasPrefix("--") {
            let body = word.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                tokens.append(.long(String(body[..<equals]), value: String(body[body.index(after: equals)...])))
            } else {
                tokens.append(.long(String(body), value: nil))
            }
        } else if word.hasPrefix("-") && word.count > 1 {
            tokens.append(.shorts(String(word.dropFirst())))
        } else {
            tokens.append(.positional(word))
        }
    }
    return tokens
}
