// A writer whose output matches Go's encoding/json (json.Marshal and json.MarshalIndent with an
// empty prefix) byte for byte, including its HTML-safe string escaping.

/// How ``JSONValue/serialized(_:)`` lays out its output.
package enum JSONWriteStyle: Sendable {
    /// No whitespace at all, like Go's `json.Marshal`: `{"a":1,"b":[true,null]}`.
    case compact
    /// One member or element per line, like Go's `json.MarshalIndent(v, "", indent)`.
    ///
    /// Each level is indented by `indent` once more, a colon is followed by one space, and an empty
    /// object or array stays `{}` or `[]`. `.indented("\t")` is Docker's config.json format.
    case indented(String)
}

extension JSONValue {
    /// Writes the value as JSON text, with Go's escaping and each number's original text.
    ///
    /// The output has no trailing newline.
    /// - Parameter style: ``JSONWriteStyle/compact`` (the default) or an indented layout.
    /// - Returns: The JSON text.
    package func serialized(_ style: JSONWriteStyle = .compact) -> String {
        var writer = JSONWriter(style: style)
        writer.write(self, depth: 0)
        return String(decoding: writer.output, as: UTF8.self)
    }
}

/// Appends `string` to `output` as a quoted JSON string with Go's `encoding/json` escaping.
///
/// `"` and `\` are backslash-escaped; LF, CR and tab become `\n`, `\r`, `\t`; every other byte below
/// 0x20 becomes `\u00XX` in lower-case hex (so backspace is `\u0008` and form feed `\u000c`, as
/// Go up to 1.21 writes them); `<`, `>`, `&`, U+2028 and U+2029 become `\u003c`, `\u003e`,
/// `\u0026`, `\u2028`, `\u2029`. Everything else, including `/`, DEL and all other non-ASCII
/// characters, is written as raw UTF-8.
/// - Parameters:
///   - string: The string to quote.
///   - output: The text to append to.
package func appendJSONString(_ string: String, to output: inout String) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(string.utf8.count + 2)
    appendJSONString(string, to: &bytes)
    output += String(decoding: bytes, as: UTF8.self)
}

/// Appends `string` as a quoted, Go-escaped JSON string to UTF-8 bytes.
func appendJSONString(_ string: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    let done: Void? = string.utf8.withContiguousStorageIfAvailable { appendEscaped($0, to: &output) }
    if done == nil {
        Array(string.utf8).withUnsafeBufferPointer { appendEscaped($0, to: &output) }
    }
    output.append(UInt8(ascii: "\""))
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Copies runs of bytes that need no escaping in one go and escapes the rest.
private func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
    var runStart = 0
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case 0x20..<0x80 where byte != 0x22 && byte != 0x5C && byte != 0x3C && byte != 0x3E && byte != 0x26:
            index += 1
            continue
        case 0x80...:
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9; a Swift string is valid UTF-8, so only
            // these exact sequences need checking.
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80,
                bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
            {
                output.append(contentsOf: bytes[runStart..<index])
                output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x32, 0x30, 0x32])
                output.append(bytes[index + 2] == 0xA8 ? 0x38 : 0x39)
                index += 3
                runStart = index
            } else {
                index += 1
            }
            continue
        default:
            break
        }
        output.append(contentsOf: bytes[runStart..<index])
        output.append(0x5C)
        switch byte {
        case 0x22: output.append(0x22)
        case 0x5C: output.append(0x5C)
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default:
            output.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30])
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0xF)])
        }
        index += 1
        runStart = index
    }
    output.append(contentsOf: bytes[runStart..<index])
}

/// Writes values into a UTF-8 buffer.
private struct JSONWriter {
    var output: [UInt8] = []
    /// The indent unit as bytes, or `nil` for compact output.
    let indent: [UInt8]?

    init(style: JSONWriteStyle) {
        switch style {
        case .compact: indent = nil
        case .indented(let unit): indent = Array(unit.utf8)
        }
    }

    mutating func write(_ value: JSONValue, depth: Int) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let bool): output.append(contentsOf: (bool ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: number.text.utf8)
        case .string(let string): appendJSONString(string, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth: depth + 1)
                write(element, depth: depth + 1)
            }
            newline(depth: depth)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            for (position, member) in object.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth: depth + 1)
                appendJSONString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                if indent != nil { output.append(UInt8(ascii: " ")) }
                write(member.value, depth: depth + 1)
            }
            newline(depth: depth)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Starts a new line at `depth` (nothing in compact style).
    @inline(__always)
    mutating func newline(depth: Int) {
        guard let indent else { return }
        output.append(0x0A)
        for _ in 0..<depth { output.append(contentsOf: indent) }
    }
}
