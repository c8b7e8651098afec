// A strict RFC 8259 reader (https://www.rfc-editor.org/rfc/rfc8259) over contiguous UTF-8 bytes.

extension JSONValue {
    /// Reads exactly one JSON value from UTF-8 bytes.
    ///
    /// The reader is strict RFC 8259: optional whitespace (space, tab, LF, CR) around one value
    /// and nothing else; no comments, trailing commas, single quotes, `NaN`, leading zeros or byte
    /// order mark; strings must be valid UTF-8 with control characters escaped, and `\u` escapes
    /// must pair surrogates. A key that repeats keeps its first position and takes its last value,
    /// as Go's decoder does for a map.
    /// - Parameters:
    ///   - bytes: The document. Contiguous collections (`[UInt8]`, `ArraySlice`) are read in place.
    ///   - limits: The maximum nesting depth and input size.
    /// - Throws: ``JSONError`` with the line and column of the first offending byte; an empty
    ///   input is an error too.
    package init(parsing bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(JSONError) {
        let result = bytes.withContiguousStorageIfAvailable { JSONReader.read($0, limits: limits) }
            ?? Array(bytes).withUnsafeBufferPointer { JSONReader.read($0, limits: limits) }
        self = try result.get()
    }

    /// Reads exactly one JSON value from a string's UTF-8 bytes.
    ///
    /// Same rules as reading from bytes: see `init(parsing bytes:limits:)`.
    /// - Parameters:
    ///   - text: The document.
    ///   - limits: The maximum nesting depth and input size.
    /// - Throws: ``JSONError`` with the line and column of the first offending byte.
    package init(parsing text: String, limits: JSONLimits = .default) throws(JSONError) {
        try self.init(parsing: text.utf8, limits: limits)
    }
}

/// The reader's state: the input, a cursor and the current depth.
private struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits
    var index = 0
    var depth = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits
    ) -> Result<JSONValue, JSONError> {
        var reader = JSONReader(bytes: bytes, limits: limits)
        do throws(JSONError) {
            return .success(try reader.readDocument())
        } catch {
            return .failure(error)
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: - Document

    mutating func readDocument() throws(JSONError) -> JSONValue {
        if bytes.count > limits.maxBytes {
            throw error(
                at: max(0, limits.maxBytes),
                "the input is \(bytes.count) bytes, over the limit of \(limits.maxBytes) bytes "
                    + "(JSONLimits.maxBytes)")
        }
        if bytes.isEmpty {
            throw error(at: 0, "no JSON value: the input is empty")
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw error(
                at: 0, "the input starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow")
        }
        skipWhitespace()
        if index == bytes.count {
            throw error(at: index, "no JSON value: the input is only whitespace")
        }
        let value = try readValue()
        skipWhitespace()
        if index < bytes.count {
            throw error(at: index, "unexpected \(describe(bytes[index])) after the JSON value")
        }
        return value
    }

    // MARK: - Values

    mutating func readValue() throws(JSONError) -> JSONValue {
        guard index < bytes.count else {
            throw error(at: index, "unexpected end of input: expected a JSON value")
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try readObject())
        case UInt8(ascii: "["): return .array(try readArray())
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        case UInt8(ascii: "'"):
            throw error(at: index, "expected a JSON value, found a single quote; strings use double quotes")
        case let byte:
            throw error(at: index, "expected a JSON value, found \(describe(byte))")
        }
    }

    mutating func readObject() throws(JSONError) -> JSONObject {
        try enterContainer()
        let open = index
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return object
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else {
                if index < bytes.count, bytes[index] == UInt8(ascii: "}"), object.count > 0 {
                    throw error(
                        at: index, "expected a string key after ',' (trailing commas are not allowed)")
                }
                throw expected(object.isEmpty ? "a string key or '}'" : "a string key after ','", open: open)
            }
            let key = try readString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw expected("':' after an object key", open: open) }
            index += 1
            skipWhitespace()
            let value = try readValue()
            // Later duplicate wins at the first one's position, as Go's decoder does for a map.
            object[key] = value
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return object
            default:
                throw expected("',' or '}' after an object member", open: open)
            }
        }
    }

    mutating func readArray() throws(JSONError) -> [JSONValue] {
        try enterContainer()
        let open = index
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return elements
        }
        while true {
            if !elements.isEmpty, peek() == UInt8(ascii: "]") {
                throw error(at: index, "expected a value after ',' (trailing commas are not allowed)")
            }
            if index == bytes.count { throw expected("a JSON value", open: open) }
            elements.append(try readValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return elements
            default:
                throw expected("',' or ']' after an array element", open: open)
            }
        }
    }

    mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > limits.maxDepth {
            throw error(
                at: index,
                "nesting is deeper than the limit of \(limits.maxDepth) levels (JSONLimits.maxDepth)")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let start = index
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for (offset, expectedByte) in text.enumerated() {
            let position = start + offset
            guard position < bytes.count else {
                throw error(at: position, "unexpected end of input in the literal '\(literal)'")
            }
            guard bytes[position] == expectedByte else {
                throw error(at: position, "invalid literal: expected '\(literal)'")
            }
        }
        index = start + text.count
    }

    mutating func readNumber() throws(JSONError) -> JSONNumber {
        let start = index
        switch scanNumber(bytes, from: start) {
        case .end(let end):
            index = end
            return JSONNumber(validatedText: String(decoding: bytes[start..<end], as: UTF8.self))
        case .failure(let offset, let reason):
            throw error(at: offset, offset == bytes.count ? "unexpected end of input: \(reason)" : reason)
        }
    }

    // MARK: - Strings

    /// Reads a string starting at its opening quote; the result is built from byte runs in one go.
    mutating func readString() throws(JSONError) -> String {
        let open = index
        index += 1
        var runStart = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let string: String
                if escaped {
                    scratch.append(contentsOf: bytes[runStart..<index])
                    string = String(decoding: scratch, as: UTF8.self)
                } else {
                    string = String(decoding: bytes[runStart..<index], as: UTF8.self)
                }
                index += 1
                return string
            } else if byte == UInt8(ascii: "\\") {
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: bytes[runStart..<index])
                try readEscape(open: open)
                runStart = index
            } else if byte < 0x20 {
                let name = unicodeName(UInt32(byte))
                throw error(at: index, "control character \(name) must be escaped in a string")
            } else if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        throw unterminatedString(open: open)
    }

    /// Decodes the escape at `index` (a backslash) into `scratch`.
    mutating func readEscape(open: Int) throws(JSONError) {
        let backslash = index
        index += 1
        guard index < bytes.count else { throw unterminatedString(open: open) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHex4()
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw error(at: backslash, "lone surrogate \\u\(hex4(unit)): a high surrogate must be "
                        + "followed by a low surrogate escape (\\udc00 to \\udfff)")
                }
                index += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(at: backslash, "lone surrogate \\u\(hex4(unit)): it is followed by "
                        + "\\u\(hex4(low)), not by a low surrogate escape (\\udc00 to \\udfff)")
                }
                appendUTF8(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
            case 0xDC00...0xDFFF:
                throw error(at: backslash, "lone surrogate \\u\(hex4(unit)): a low surrogate must follow "
                    + "a high surrogate escape")
            default:
                appendUTF8(UInt32(unit))
            }
        default:
            throw error(at: index - 1, "invalid escape '\\\(describeRaw(byte))' in a string")
        }
    }

    /// Reads the four hex digits of a `\u` escape.
    mutating func readHex4() throws(JSONError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else {
                throw error(at: index, "unexpected end of input: expected 4 hex digits after '\\u'")
            }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(at: index, "expected 4 hex digits after '\\u', found \(describe(byte))")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// Appends a scalar (never a surrogate) to `scratch` as UTF-8.
    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `index` (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF) and moves past it.
    mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default:
            throw error(at: index, "invalid UTF-8: byte \(hexByte(lead)) cannot start a character")
        }
        for offset in 1..<length {
            let position = index + offset
            guard position < bytes.count else {
                throw error(at: position, "invalid UTF-8: the input ends inside a multi-byte character")
            }
            let byte = bytes[position]
            let allowed = offset == 1 ? secondRange : 0x80...0xBF
            guard allowed.contains(byte) else {
                throw error(
                    at: position, "invalid UTF-8: byte \(hexByte(byte)) cannot follow \(hexByte(lead)) here")
            }
        }
        index += length
    }

    // MARK: - Helpers

    @inline(__always)
    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count, JSONValue.isWhitespace(bytes[index]) { index += 1 }
    }

    /// "expected X" at the current byte, or "unexpected end of input …" when the input ended.
    func expected(_ what: String, open: Int) -> JSONError {
        if index >= bytes.count {
            let (line, column) = location(of: open)
            let container = bytes[open] == UInt8(ascii: "{") ? "object" : "array"
            return error(
                at: index,
                "unexpected end of input: expected \(what) "
                    + "(the \(container) starts at line \(line), column \(column))")
        }
        return error(at: index, "expected \(what)")
    }

    func unterminatedString(open: Int) -> JSONError {
        let (line, column) = location(of: open)
        return error(at: bytes.count, "unterminated string (it starts at line \(line), column \(column))")
    }

    func error(at offset: Int, _ reason: String) -> JSONError {
        let (line, column) = location(of: offset)
        return JSONError(line: line, column: column, reason: reason)
    }

    /// The 1-based line and byte column of `offset`; only computed on the error path.
    func location(of offset: Int) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for position in 0..<end where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return (line, end - lineStart + 1)
    }
}

/// Names a byte for an error message: `'x'` for printable ASCII, `U+000A` for controls,
/// `byte 0xC3` otherwise.
private func describe(_ byte: UInt8) -> String {
    switch byte {
    case 0x20: "a space"
    case 0x21...0x7E: "'\(describeRaw(byte))'"
    case ..<0x20, 0x7F: unicodeName(UInt32(byte))
    default: "byte \(hexByte(byte))"
    }
}

private func describeRaw(_ byte: UInt8) -> String {
    (0x20...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : hexByte(byte)
}

private func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return "0x" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
}

private func unicodeName(_ scalar: UInt32) -> String {
    let hex = String(scalar, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}

private func hex4(_ unit: UInt16) -> String {
    let hex = String(unit, radix: 16)
    return String(repeating: "0", count: 4 - hex.count) + hex
}

extension JSONValue {
    /// Whether `byte` is JSON white space (RFC 8259: space, tab, line feed, carriage return).
    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
