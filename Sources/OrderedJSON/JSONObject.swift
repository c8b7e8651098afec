/// A JSON object: members in the order they were read or added, one entry per key.
///
/// Keys compare by their UTF-8 bytes, as in Go and in the JSON text itself, so "é" (U+00E9) and
/// "e\u{301}" are two keys even though Swift's `==` calls them equal.
///
/// Setting an existing key replaces its value where it stands; a new key goes at the end.
/// Equality is order-sensitive: `{"a":1,"b":2}` is not `==` to `{"b":2,"a":1}`; use
/// ``isEquivalent(to:)`` to ignore order.
///
/// Lookups are linear for small objects and use a hash index once an object has more than
/// a few members, so a 10,000-entry `auths` stays fast.
package struct JSONObject: Sendable, RandomAccessCollection {
    /// A member: its key and value.
    package typealias Element = (key: String, value: JSONValue)
    /// Positions are offsets from 0.
    package typealias Index = Int

    private var entries: [Element] = []
    /// Key → position, kept only while `entries.count > Self.indexThreshold`.
    private var positions: [ByteKey: Int]? = nil

    private static let indexThreshold = 16

    /// Creates an empty object.
    package init() {}

    /// Creates an object from key-value pairs in order.
    ///
    /// When a key repeats, the later value wins and keeps the first occurrence's position,
    /// as Go's decoder does for a map.
    /// - Parameter pairs: The members, in order.
    package init(_ pairs: [(String, JSONValue)]) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// The first position, always 0.
    package var startIndex: Int { 0 }

    /// One past the last member's position (the member count).
    package var endIndex: Int { entries.count }

    /// The member at `position`, which must be a valid position.
    package subscript(position: Int) -> Element { entries[position] }

    /// The keys, in order.
    package var keys: [String] { entries.map(\.key) }

    /// The values, in key order.
    package var values: [JSONValue] { entries.map(\.value) }

    /// The value for `key`, or `nil` if the object has no such key.
    ///
    /// Setting a value on an existing key replaces it in place; on a new key it appends the
    /// member; setting `nil` removes the member.
    package subscript(key: String) -> JSONValue? {
        get {
            guard let position = index(forKey: key) else { return nil }
            return entries[position].value
        }
        set {
            if let position = index(forKey: key) {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    remove(at: position)
                }
            } else if let newValue {
                append(key: key, value: newValue)
            }
        }
    }

    /// The position of the member whose key has exactly the bytes of `key`, or `nil`.
    /// - Parameter key: The key to find (compared byte for byte, case-sensitively).
    package func index(forKey key: String) -> Int? {
        if let positions {
            return positions[ByteKey(key)]
        }
        return entries.firstIndex { utf8Equal($0.key, key) }
    }

    /// Removes the member for `key` and returns its value, or returns `nil` if there is none.
    /// - Parameter key: The key to remove.
    /// - Returns: The removed value.
    @discardableResult
    package mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = index(forKey: key) else { return nil }
        return remove(at: position).value
    }

    /// Removes and returns the member at `position`, which must be a valid position.
    /// - Parameter position: The member's position; later members move up by one.
    @discardableResult
    package mutating func remove(at position: Int) -> Element {
        let removed = entries.remove(at: position)
        if positions != nil {
            positions?[ByteKey(removed.key)] = nil
            for later in position..<entries.count {
                positions?[ByteKey(entries[later].key)] = later
            }
        }
        return removed
    }

    /// The value Go's `encoding/json` would decode into a struct field named `key`.
    ///
    /// Go matches each object key against the field name exactly or, failing that,
    /// case-insensitively, and assigns the field once per matching key, so when several keys
    /// match, the **last** one in the object wins, even when an earlier key matched exactly
    /// (`{"Auth":"a","auth":"b"}` gives `"b"` for both `"Auth"` and `"auth"`; see
    /// https://pkg.go.dev/encoding/json#Unmarshal). The comparison here folds ASCII letters only;
    /// Go also folds a few non-ASCII letters (such as the Kelvin sign with `k`), which no Docker
    /// field name involves.
    /// - Parameter key: The struct field's JSON name.
    /// - Returns: The last matching member's value, or `nil` when no key matches.
    package func value(forKeyFoldingCase key: String) -> JSONValue? {
        for entry in entries.reversed() where asciiCaseInsensitiveEqual(entry.key, key) {
            return entry.value
        }
        return nil
    }

    /// Whether both objects hold the same keys with equivalent values, in any order, recursively.
    /// - Parameter other: The object to compare with.
    package func isEquivalent(to other: JSONObject) -> Bool {
        guard count == other.count else { return false }
        for (key, value) in entries {
            guard let otherValue = other[key], value.isEquivalent(to: otherValue) else { return false }
        }
        return true
    }

    /// Adds a member for a key that is not in the object yet.
    private mutating func append(key: String, value: JSONValue) {
        entries.append((key: key, value: value))
        if positions != nil {
            positions?[ByteKey(key)] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            var index = [ByteKey: Int](minimumCapacity: entries.count * 2)
            for (position, entry) in entries.enumerated() { index[ByteKey(entry.key)] = position }
            positions = index
        }
    }
}

extension JSONObject: Hashable {
    /// Whether both objects have the same keys (byte for byte) with equal values, in the same order.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (a, b) in zip(lhs.entries, rhs.entries) {
            guard utf8Equal(a.key, b.key), a.value == b.value else { return false }
        }
        return true
    }

    /// Hashes the members in order, consistently with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from a dictionary literal in its written order (a later duplicate wins).
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The object as compact JSON.
    package var description: String { JSONValue.object(self).serialized() }
}

/// A dictionary key that compares strings by their UTF-8 bytes.
private struct ByteKey: Hashable {
    let string: String

    init(_ string: String) { self.string = string }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool { utf8Equal(lhs.string, rhs.string) }

    // Byte-equal strings are canonically equal, so they hash alike under `String`'s hash.
    func hash(into hasher: inout Hasher) { hasher.combine(string) }
}

/// Whether two strings are equal when ASCII letters are folded to lower case (other bytes exact).
private func asciiCaseInsensitiveEqual(_ a: String, _ b: String) -> Bool {
    let a8 = a.utf8, b8 = b.utf8
    guard a8.count == b8.count else { return false }
    return a8.elementsEqual(b8) { x, y in
        x == y || (x | 0x20 == y | 0x20 && (x | 0x20) &- UInt8(ascii: "a") < 26)
    }
}
