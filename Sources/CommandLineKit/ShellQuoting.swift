// Pieces shared by the completion renderers: walking the visible tree, quoting for the shells,
// and names for generated functions.

extension CommandSpec {
    /// The chains (root first) to every visible command from this one down, depth first, this
    /// command's own chain `[self]` first. Hidden commands and everything below them are left out.
    var visibleChains: [[CommandSpec]] {
        [[self]] + visibleSubcommands.flatMap { subcommand in subcommand.visibleChains.map { [self] + $0 } }
    }

    /// The global options that take a value, anywhere in the tree, first declaration of each
    /// long name only. Completion scripts pass the ones the user typed (`--config DIR`) on to
    /// the commands that produce custom candidates.
    var globalValueOptions: [OptionSpec] {
        var seen: Set<String> = []
        return visibleChains.flatMap { $0[$0.count - 1].options }.filter { option in
            option.isGlobal && option.placeholder != nil && seen.insert(option.long).inserted
        }
    }
}

extension OptionSpec {
    /// The spellings that name this option on the command line: `--config`, then `-c` if any.
    var spellings: [String] {
        ["--" + long] + (short.map { ["-\($0)"] } ?? [])
    }
}

/// `text` in POSIX shell single quotes, which bash, zsh and sh all read back unchanged:
/// `it's` becomes `'it'\''s'`.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacing("'", with: #"'\''"#) + "'"
}

/// `text` as a shell word: unchanged when it holds only characters no shell treats specially,
/// single-quoted otherwise.
func shellWord(_ text: String) -> String {
    let plain = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0)) }
    return plain ? text : shellQuoted(text)
}

/// `name` with every character that cannot appear in a shell function or variable name turned
/// into `_`: `docker-credential-swift` becomes `docker_credential_swift`.
func shellIdentifier(_ name: String) -> String {
    String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
}
