import OrderedJSON

// How a plain (unquoted) YAML scalar resolves, and which strings must be quoted to stay strings.
//
// Kubernetes reads YAML with sigs.k8s.io/yaml, which decodes with its fork of go-yaml v2 and
// converts the result to JSON. go-yaml v2's `resolve` (resolve.go) is YAML 1.1 with Go number
// syntax: `y`/`yes`/`on`/`true` (and their capitalised forms) are true, `~`/`null`/empty are
// null, `strconv.ParseInt(s, 0, 64)` after dropping `_` gives ints (`0x1F`, `0o17`, `017`,
// `0b101`), a YAML-style float regex gives floats, and everything else is a string.

/// What a plain scalar means.
enum PlainScalar: Equatable {
    case null
    case bool(Bool)
    /// An integer, as decimal text.
    case integer(String)
    /// A finite float: its JSON text.
    case float(String)
    /// `.inf`, `-.inf` or `.nan`, which JSON cannot hold.
    case nonFinite
    case string
}

private let trueWords: Set<String> = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
private let falseWords: Set<String> = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
private let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]
private let nonFiniteWords: Set<String> = [
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
]

/// Resolves a plain scalar as go-yaml v2 does for an untyped value.
func resolvePlainScalar(_ text: String) -> PlainScalar {
    if nullWords.contains(text) { return .null }
    if trueWords.contains(text) { return .bool(true) }
    if falseWords.contains(text) { return .bool(false) }
    if nonFiniteWords.contains(text) { return .nonFinite }
    guard let first = text.utf8.first else { return .null }
    if first == UInt8(ascii: ".") {
        // go-yaml: strconv.ParseFloat on the text as written.
        if text.wholeMatch(of: #/\.[0-9]+([eE][-+]?[0-9]+)?/#) != nil, let value = Double(text), value.isFinite {
            return .float(jsonText(value, source: text))
        }
        return .string
    }
    guard isDigit(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else { return .string }
    let plain = text.filter { $0 != "_" }
    if let integer = goParseInteger(plain) { return .integer(integer) }
    if plain.wholeMatch(of: #/[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/#) != nil,
        let value = Double(plain), value.isFinite
    {
        return .float(jsonText(value, source: plain))
    }
    return .string
}

/// Whether a string must be quoted to read back as a string, with any YAML parser in use:
/// go-yaml v2 (Kubernetes), go-yaml v3 and other YAML 1.2 readers, and YAML 1.1 readers such as
/// PyYAML, which also resolve sexagesimal numbers (`1:30`), timestamps (`2024-01-02`), `=`
/// and `<<`, and numbers with `_` anywhere.
///
/// Syntax (a leading `*`, `&`, `!`, `#`, `: ` inside, leading or trailing spaces, line breaks) is
/// left to libyaml's emitter, which quotes such strings itself.
func mustQuote(_ text: String) -> Bool {
    if resolvePlainScalar(text) != .string { return true }
    if text == "=" || text == "<<" { return true }
    guard let first = text.unicodeScalars.first else { return true }
    let startsNumeric = ("0"..."9").contains(first) || first == "+" || first == "-" || first == "."
    guard startsNumeric else { return false }
    // Anything number-like, timestamp-like or sexagesimal: quoting a string never hurts.
    return text.wholeMatch(of: #/[-+]?[0-9._:]*[0-9][0-9._:]*([eE][-+]?[0-9]+)?/#) != nil
        || text.prefixMatch(of: #/[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/#) != nil
}

/// Go's `strconv.ParseInt(text, 0, 64)`, falling back to `ParseUint`: sign, then `0x`, `0o`,
/// `0b` or a leading `0` (octal) prefix. Returns the value in decimal, or `nil`.
private func goParseInteger(_ text: String) -> String? {
    var digits = Substring(text)
    var negative = false
    if let sign = digits.first, sign == "+" || sign == "-" {
        negative = sign == "-"
        digits = digits.dropFirst()
    }
    var radix: UInt64 = 10
    let lower = digits.lowercased()
    if lower.hasPrefix("0x") {
        radix = 16
        digits = digits.dropFirst(2)
    } else if lower.hasPrefix("0o") {
        radix = 8
        digits = digits.dropFirst(2)
    } else if lower.hasPrefix("0b") {
        radix = 2
        digits = digits.dropFirst(2)
    } else if digits.hasPrefix("0") && digits.count > 1 {
        radix = 8
        digits = digits.dropFirst()
    }
    guard !digits.isEmpty else { return nil }
    var magnitude: UInt64 = 0
    for character in digits {
        guard let digit = character.hexDigitValue, UInt64(digit) < radix else { return nil }
        let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: radix)
        let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
        if overflow1 || overflow2 { return nil }
        magnitude = sum
    }
    if negative {
        guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
        return magnitude == 0 ? "0" : "-\(magnitude)"
    }
    return String(magnitude)
}

/// The JSON text for a float: its source when that is already a JSON number (so `1.50` stays as
/// written, as OrderedJSON keeps numbers), otherwise Swift's shortest form (`.5` → `0.5`).
private func jsonText(_ value: Double, source: String) -> String {
    let unsigned = source.hasPrefix("+") ? String(source.dropFirst()) : source
    if JSONNumber(text: unsigned) != nil { return unsigned }
    return value.description
}

@inline(__always)
private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
