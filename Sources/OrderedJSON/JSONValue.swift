/// A JSON value that keeps what a round trip needs: object key order and each number's source text.
///
/// Objects are ``JSONObject``s (ordered, one entry per key) and numbers are ``JSONNumber``s (their
/// text as written), so a document read with `init(parsing:limits:)` and written back with
/// ``serialized(_:)`` in the style it was written in comes back byte-identical.
///
/// Equality is structural and order-sensitive: strings and object keys compare by their UTF-8
/// bytes (not by Unicode canonical equivalence, as `String`'s `==` does), numbers by their text
/// (`1.0` is not `1`), and objects by their keys in order. Use ``isEquivalent(to:)`` to ignore
/// key order.
package enum JSONValue: Hashable, Sendable {
    /// The literal `null`.
    case null
    /// The literal `true` or `false`.
    case bool(Bool)
    /// A number, kept as its source text (for example `1.50e+3`).
    case number(JSONNumber)
    /// A string, with its escapes decoded.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object, with its keys in order.
    case object(JSONObject)

    /// The string, if this is `.string`; otherwise `nil`.
    package var stringValue: String? {
        if case .string(let string) = self { string } else { nil }
    }

    /// The object, if this is `.object`; otherwise `nil`.
    package var objectValue: JSONObject? {
        if case .object(let object) = self { object } else { nil }
    }

    /// The elements, if this is `.array`; otherwise `nil`.
    package var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// The Boolean, if this is `.bool`; otherwise `nil`.
    package var boolValue: Bool? {
        if case .bool(let bool) = self { bool } else { nil }
    }

    /// The number, if this is `.number`; otherwise `nil`.
    package var numberValue: JSONNumber? {
        if case .number(let number) = self { number } else { nil }
    }

    /// Whether this is `.null`.
    package var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// Compares two values structurally, in order, strings by their UTF-8 bytes.
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): utf8Equal(a, b)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    /// Hashes the value consistently with `==`.
    package func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let bool): hasher.combine(1); hasher.combine(bool)
        case .number(let number): hasher.combine(2); hasher.combine(number)
        // Byte-equal strings are canonically equal, so `String`'s hash is consistent with `utf8Equal`.
        case .string(let string): hasher.combine(3); hasher.combine(string)
        case .array(let elements): hasher.combine(4); hasher.combine(elements)
        case .object(let object): hasher.combine(5); hasher.combine(object)
        }
    }

    /// Whether the two values are the same JSON, ignoring the order of object keys at every depth.
    ///
    /// Array order still matters; numbers compare by their text and strings by their UTF-8 bytes.
    /// - Parameter other: The value to compare with.
    /// - Returns: `true` when both hold the same members, elements and scalars.
    package func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !x.isEquivalent(to: y) { return false }
            return true
        case (.object(let a), .object(let b)):
            return a.isEquivalent(to: b)
        default:
            return self == other
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral {
    /// Creates `.string` from a string literal.
    package init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Creates `.number` from an integer literal.
    package init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Creates `.bool` from `true` or `false`.
    package init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Creates `.array` from an array literal.
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Creates `.object` from a dictionary literal, keeping its order (a later duplicate key wins).
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

// MARK: - Byte equality

/// Whether two strings have the same UTF-8 bytes (JSON and Go compare keys this way; Swift's `==`
/// would also equate canonically equivalent strings such as "é" and "e\u{301}").
@inline(__always)
func utf8Equal(_ a: String, _ b: String) -> Bool {
    let a8 = a.utf8, b8 = b.utf8
    guard a8.count == b8.count else { return false }
    let fast = a8.withContiguousStorageIfAvailable { pa in
        b8.withContiguousStorageIfAvailable { pb in pa.elementsEqual(pb) }
    }
    if let fast, let result = fast { return result }
    return a8.elementsEqual(b8)
}
