import OrderedJSON
import Testing

/// A JSON text and the value it reads as.
struct GoodInput: Sendable, CustomTestStringConvertible {
    var text: String
    var value: JSONValue
    var testDescription: String { text }

    init(_ text: String, _ value: JSONValue) {
        self.text = text
        self.value = value
    }
}

private func number(_ text: String) -> JSONValue {
    // The tests only pass valid number text.
    .number(JSONNumber(text: text)!)
}

@Suite("Valid input reads as the expected value")
struct ParseValueTests {
    static let cases: [GoodInput] = [
        GoodInput("null", .null),
        GoodInput("true", true),
        GoodInput(" \t\r\nfalse\n", false),
        GoodInput("0", 0),
        GoodInput("-0", number("-0")),
        GoodInput("1.0", number("1.0")),
        GoodInput("1.50e+3", number("1.50e+3")),
        GoodInput("-1E-10", number("-1E-10")),
        GoodInput("1e400", number("1e400")),
        GoodInput("123456789012345678901234567890", number("123456789012345678901234567890")),
        GoodInput(#""""#, ""),
        GoodInput(#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        GoodInput(#""\u00e9\u00E9""#, "éé"),
        GoodInput(#""\ud83d\ude00 \uD83D\uDE00""#, "😀 😀"),
        GoodInput(#""\u0000""#, "\u{0}"),
        GoodInput(#""\u2028""#, "\u{2028}"),
        GoodInput("\"raw é😀\u{7F}\"", "raw é😀\u{7F}"),
        GoodInput("[]", []),
        GoodInput("{}", .object([:])),
        GoodInput(" [ 1 , [ ] , { } ] ", [1, [], .object([:])]),
        GoodInput(#"{"b":1,"a":{"c":[null]}}"#, ["b": 1, "a": ["c": [.null]]]),
    ]

    @Test(arguments: cases)
    func parses(_ c: GoodInput) throws {
        #expect(try JSONValue(parsing: c.text) == c.value)
    }

    @Test("String, [UInt8], a slice and a non-contiguous collection read alike")
    func inputKinds() throws {
        let text = #"{"a":[1,"é"]}"#
        let bytes = Array(text.utf8)
        let expected: JSONValue = ["a": [1, "é"]]
        #expect(try JSONValue(parsing: text) == expected)
        #expect(try JSONValue(parsing: bytes) == expected)
        #expect(try JSONValue(parsing: (Array("xx".utf8) + bytes)[2...]) == expected)
        #expect(try JSONValue(parsing: bytes.lazy.map { $0 }) == expected)
    }

    @Test("512 levels of nesting are allowed by default")
    func deepestAllowed() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try JSONValue(parsing: text)
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            value = elements.first ?? .null
        }
        #expect(depth == 512)
    }

    @Test("a repeated key keeps its first position and its last value")
    func duplicateKeys() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":2,"a":3,"c":4,"b":{"x":true}}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == 3)
        #expect(object["b"] == ["x": true])
        #expect(value.serialized() == #"{"a":3,"b":{"x":true},"c":4}"#)
    }

    @Test("duplicates are merged in large (hash-indexed) objects too")
    func duplicateKeysLarge() throws {
        let members = (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let object = try #require(try JSONValue(parsing: "{\(members),\"k3\":\"late\",\"k39\":null}").objectValue)
        #expect(object.count == 40)
        #expect(object.index(forKey: "k3") == 3)
        #expect(object["k3"] == "late")
        #expect(object["k39"] == .null)
    }

    @Test("keys that differ only in Unicode normalization stay distinct")
    func normalization() throws {
        let object = try #require(try JSONValue(parsing: "{\"\u{E9}\":1,\"e\u{301}\":2}").objectValue)
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
        #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
    }

    @Test("JSONNumber(text:) accepts exactly the RFC 8259 grammar", arguments: [
        ("0", true), ("-0", true), ("10", true), ("1.5", true), ("1e5", true), ("1E+05", true), ("-2.5e-3", true),
        ("", false), ("-", false), ("01", false), ("+1", false), (".5", false), ("1.", false), ("1e", false),
        ("1e+", false), (" 1", false), ("1 ", false), ("NaN", false), ("Infinity", false), ("0x1", false),
        ("1_000", false), ("١", false),
    ])
    func numberGrammar(text: String, valid: Bool) {
        #expect((JSONNumber(text: text) != nil) == valid)
    }

    @Test("numbers keep their text and convert on request")
    func numberValues() throws {
        let number = try #require(JSONNumber(text: "1.50e+3"))
        #expect(number.text == "1.50e+3")
        #expect(number.doubleValue == 1500)
        #expect(number.intValue == nil)
        #expect(JSONNumber(-42).text == "-42")
        #expect(JSONNumber(-42).intValue == -42)
        #expect(JSONNumber(text: "1.0") != JSONNumber(text: "1"))
    }

    @Test("accessors return the payload of their own case only")
    func accessors() {
        let string: JSONValue = "s"
        #expect(string.stringValue == "s")
        #expect(string.boolValue == nil)
        #expect(JSONValue.bool(false).boolValue == false)
        #expect(JSONValue.array([1]).arrayValue == [1])
        #expect(JSONValue.object(["a": 1]).objectValue == ["a": 1])
        #expect(JSONValue.null.objectValue == nil)
        #expect(JSONValue.null.isNull)
        #expect(JSONValue.number(JSONNumber(7)).numberValue == JSONNumber(7))
    }
}

@Suite("isEquivalent ignores key order and nothing else")
struct EquivalenceTests {
    @Test("objects with the same members in another order are equivalent but not ==")
    func reordered() throws {
        let a = try JSONValue(parsing: #"{"a":1,"b":{"x":[1,{"p":true,"q":null}],"y":"s"}}"#)
        let b = try JSONValue(parsing: #"{"b":{"y":"s","x":[1,{"q":null,"p":true}]},"a":1}"#)
        #expect(a != b)
        #expect(a.isEquivalent(to: b))
        #expect(b.isEquivalent(to: a))
    }

    static let different: [(String, String)] = [
        (#"{"a":1}"#, #"{"a":2}"#),
        (#"{"a":1}"#, #"{"a":1,"b":1}"#),
        (#"{"a":1,"b":1}"#, #"{"a":1}"#),
        (#"{"a":1}"#, #"{"A":1}"#),
        (#"[1,2]"#, #"[2,1]"#),
        (#"[1]"#, #"[1,1]"#),
        (#"{"a":[{"b":1}]}"#, #"{"a":[{"b":"1"}]}"#),
        ("1.0", "1"),
        ("null", "false"),
        ("{}", "[]"),
    ]

    @Test("values that differ are not equivalent", arguments: different)
    func notEquivalent(_ lhs: String, _ rhs: String) throws {
        let a = try JSONValue(parsing: lhs)
        let b = try JSONValue(parsing: rhs)
        #expect(!a.isEquivalent(to: b))
    }
}
