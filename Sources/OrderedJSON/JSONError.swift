/// Limits the reader enforces, so hostile or broken input cannot exhaust memory or the stack.
package struct JSONLimits: Sendable {
    /// The deepest nesting of arrays and objects allowed; the reader recurses once per level.
    package var maxDepth = 512
    /// The largest input accepted, in bytes.
    package var maxBytes = 16 << 20

    /// 512 levels and 16 MiB: far beyond any real config.json or helper input.
    package static let `default` = JSONLimits()

    /// Creates limits, by default the ``default`` ones.
    package init(maxDepth: Int = 512, maxBytes: Int = 16 << 20) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }
}

/// Why and where the reader rejected its input.
///
/// `line` and `column` are 1-based and locate the offending byte (or the end of the input when it
/// ended too early). Lines are counted by line feeds (a CR LF pair is one line break); the column
/// counts **bytes** from the start of the line, so a multi-byte character advances it by 2–4.
package struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line of the offending byte.
    package var line: Int
    /// The 1-based byte column of the offending byte within its line.
    package var column: Int
    /// What is wrong, as a sentence fragment without a trailing period.
    package var reason: String

    /// Creates an error at a line and column.
    package init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// The single line a user sees, such as
    /// `line 3, column 7: expected ',' or '}' after an object member`.
    package var description: String { "line \(line), column \(column): \(reason)" }
}
