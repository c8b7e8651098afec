/// One authentication challenge from a `WWW-Authenticate` header (RFC 7235 §4.1).
///
/// The scheme and the parameter names are case-insensitive on the wire, so both are kept in
/// lower case: `Bearer Realm="x"` and `bearer realm="x"` compare equal. Parameter values keep
/// their case, with quoted-string escapes undone.
package struct Challenge: Hashable, Sendable, CustomStringConvertible {
    /// The scheme in lower case (`basic`, `bearer`).
    package var scheme: String
    /// The auth-params, keyed by lower-case name.
    package var parameters: [String: String]
    /// The token68 form (`Negotiate abc==`), which some schemes use instead of parameters.
    package var token68: String?

    package init(scheme: String, parameters: [String: String] = [:], token68: String? = nil) {
        self.scheme = scheme.lowercased()
        self.parameters = Dictionary(parameters.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.token68 = token68
    }

    /// The value of the parameter `name`, compared without case.
    package subscript(parameter name: String) -> String? { parameters[name.lowercased()] }

    package var description: String {
        let params = parameters.keys.sorted().map { "\($0)=\"\(parameters[$0]!)\"" }  // key from the dictionary
        return ([scheme] + (token68.map { [$0] } ?? []) + [params.joined(separator: ",")])
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Parses a `WWW-Authenticate` value into its challenges, in order.
    ///
    /// Several challenges may share one value: HTTP joins repeated headers with commas, so
    /// `Bearer realm="a,b",service=x, Basic realm="y"` is two challenges. Quoted strings may hold
    /// commas and `\"` escapes; values may also be bare tokens.
    ///
    /// - Throws: ``RegistryAuthError/badChallenge(_:)`` for an empty value, a parameter without a
    ///   scheme, an unterminated quoted string, a repeated parameter or stray characters.
    package static func parse(_ header: String) throws(RegistryAuthError) -> [Challenge] {
        var scanner = ChallengeScanner(Array(header.utf8))
        return try scanner.challenges()
    }
}

/// A byte scanner over one header value; every position it stops at is an ASCII boundary.
private struct ChallengeScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    // RFC 7230 tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    // RFC 7235 token68, without its trailing `=` padding.
    static func isToken68Byte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default: return Array("-._~+/".utf8).contains(byte)
        }
    }

    var atEnd: Bool { index >= bytes.count }
    var current: UInt8? { atEnd ? nil : bytes[index] }

    mutating func skipSpaces() {
        while let byte = current, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    mutating func skipSpacesAndCommas() {
        while let byte = current, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: ",") {
            index += 1
        }
    }

    mutating func token() -> String? {
        let start = index
        while let byte = current, Self.isTokenByte(byte) { index += 1 }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    func failure(_ what: String) -> RegistryAuthError {
        .badChallenge("\(what) at offset \(index) of the WWW-Authenticate header")
    }

    /// An unquoted value. RFC 7235 allows a token only, but servers send URLs unquoted
    /// (`realm=https://auth/token`), so anything up to a comma, space, quote or backslash counts.
    mutating func bareValue() -> String {
        let start = index
        while let byte = current, byte > 0x20, byte != 0x7f,
            ![UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\\")].contains(byte)
        {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func quotedString() throws(RegistryAuthError) -> String {
        index += 1  // the opening quote
        var value: [UInt8] = []
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = current else { throw failure("a quoted string ends in a backslash") }
                value.append(escaped)
                index += 1
            default: value.append(byte)
            }
        }
        throw failure("a quoted string is not closed")
    }

    /// At the start of a challenge's body: a token68 if what follows is one and nothing else.
    ///
    /// `realm=x` is not one: after `realm=` comes more than padding. A bare `name=` followed by a
    /// comma reads as a token68 too, as the grammar says (an unquoted value is never empty).
    mutating func token68() -> String? {
        let start = index
        while let byte = current, Self.isToken68Byte(byte) { index += 1 }
        guard index > start else { return nil }
        while current == UInt8(ascii: "=") { index += 1 }
        let end = index
        skipSpaces()
        if atEnd || current == UInt8(ascii: ",") { return String(decoding: bytes[start..<end], as: UTF8.self) }
        index = start
        return nil
    }

    mutating func challenges() throws(RegistryAuthError) -> [Challenge] {
        var result: [Challenge] = []
        skipSpacesAndCommas()
        guard !atEnd else { throw RegistryAuthError.badChallenge("the WWW-Authenticate header is empty") }
        while !atEnd {
            guard let scheme = token() else { throw failure("a challenge does not start with a scheme") }
            if current == UInt8(ascii: "=") { throw failure("a parameter has no scheme before it") }
            var challenge = Challenge(scheme: scheme)
            let afterScheme = index
            skipSpaces()
            if index > afterScheme, let token68 = token68() {
                challenge.token68 = token68
            } else if !atEnd && current != UInt8(ascii: ",") && index == afterScheme {
                throw failure("unexpected character after the scheme")
            } else {
                try parameters(into: &challenge)
            }
            result.append(challenge)
            skipSpacesAndCommas()
        }
        return result
    }

    /// Reads `name=value` pairs until the next challenge's scheme or the end.
    mutating func parameters(into challenge: inout Challenge) throws(RegistryAuthError) {
        while true {
            skipSpacesAndCommas()
            let start = index
            guard let name = token() else {
                if atEnd { return }
                throw failure("unexpected character")
            }
            skipSpaces()
            guard current == UInt8(ascii: "=") else {
                index = start  // a token not followed by `=`: the next challenge's scheme
                return
            }
            index += 1
            skipSpaces()
            let value: String
            if current == UInt8(ascii: "\"") {
                value = try quotedString()
            } else {
                value = bareValue()
            }
            let key = name.lowercased()
            guard challenge.parameters[key] == nil else { throw failure("the parameter \(key) is repeated") }
            challenge.parameters[key] = value
            skipSpaces()
            guard atEnd || current == UInt8(ascii: ",") else { throw failure("unexpected character after a parameter") }
        }
    }
}
