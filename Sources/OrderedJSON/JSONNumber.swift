/// A JSON number kept as the exact text it was written with, so it round-trips byte-identically.
///
/// `1.0`, `-0`, `1e400` and `0.1000` stay as written: nothing is converted to a binary float
/// unless ``doubleValue`` or ``intValue`` is asked for. Equality compares the text, so `1.0` and
/// `1` are different numbers.
package struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number's text, which always matches the RFC 8259 number grammar.
    package let text: String

    /// Creates a number from its text, or returns `nil` if the text is not a JSON number.
    ///
    /// The grammar is RFC 8259's `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`, with no
    /// surrounding whitespace: `01`, `+1`, `.5`, `1.`, `NaN` and `Infinity` are rejected.
    /// - Parameter text: The candidate text.
    package init?(text: String) {
        let utf8 = Array(text.utf8)
        let valid = utf8.withUnsafeBufferPointer { buffer -> Bool in
            if case .end(let end) = scanNumber(buffer, from: 0) {
                return end == buffer.count
            }
            return false
        }
        guard valid else { return nil }
        self.text = text
    }

    /// Creates the number for an integer, written in decimal.
    /// - Parameter int: The value.
    package init(_ int: Int) {
        text = String(int)
    }

    /// Wraps text the parser has already checked against the grammar.
    init(validatedText: String) {
        text = validatedText
    }

    /// The value as an `Int`, if the text is an integer without fraction or exponent that fits.
    package var intValue: Int? { Int(text) }

    /// The value as the nearest `Double` (`1e400` gives `+infinity`).
    package var doubleValue: Double? { Double(text) }

    /// The number's text.
    package var description: String { text }
}

/// The outcome of scanning a number: the index after it, or where and why it is malformed.
enum NumberScan {
    case end(Int)
    case failure(offset: Int, reason: String)
}

/// Scans one RFC 8259 number starting at `start` and returns the index just past it.
///
/// The scan stops at the first byte that cannot continue the number; the caller decides whether
/// what follows is allowed there.
func scanNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> NumberScan {
    let count = bytes.count
    var i = start
    var sawMinus = false
    if i < count, bytes[i] == UInt8(ascii: "-") {
        i += 1
        sawMinus = true
    }
    guard i < count, isDigit(bytes[i]) else {
        return .failure(offset: i, reason: sawMinus ? "expected a digit after '-'" : "expected a digit")
    }
    if bytes[i] == UInt8(ascii: "0") {
        i += 1
        if i < count, isDigit(bytes[i]) {
            return .failure(offset: i, reason: "a number cannot have a leading zero")
        }
    } else {
        while i < count, isDigit(bytes[i]) { i += 1 }
    }
    if i < count, bytes[i] == UInt8(ascii: ".") {
        i += 1
        guard i < count, isDigit(bytes[i]) else {
            return .failure(offset: i, reason: "expected a digit after the decimal point")
        }
        while i < count, isDigit(bytes[i]) { i += 1 }
    }
    if i < count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
        i += 1
        if i < count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < count, isDigit(bytes[i]) else {
            return .failure(offset: i, reason: "expected a digit in the exponent")
        }
        while i < count, isDigit(bytes[i]) { i += 1 }
    }
    return .end(i)
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool {
    byte &- UInt8(ascii: "0") < 10
}
