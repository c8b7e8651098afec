import OrderedJSON
import Testing

/// A string and the exact JSON Go's `json.Marshal` writes for it.
struct EscapeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var string: String
    var json: String
    var testDescription: String { name }

    init(_ name: String, _ string: String, _ json: String) {
        self.name = name
        self.string = string
        self.json = json
    }
}

@Suite("Strings are escaped exactly as Go's encoding/json does")
struct EscapingTests {
    static let cases: [EscapeCase] = [
        EscapeCase("empty", "", #""""#),
        EscapeCase("plain ASCII", "https://index.docker.io/v1/", #""https://index.docker.io/v1/""#),
        EscapeCase("quote and backslash", #"a"b\c"#, #""a\"b\\c""#),
        EscapeCase("newline, return, tab", "\n\r\t", #""\n\r\t""#),
        EscapeCase("backspace and form feed as \\u00XX", "x\u{8}\u{C}", #""x\u0008\u000c""#),
        EscapeCase(
            "other controls in lower-case hex", "\u{0}\u{1}\u{B}\u{1B}\u{1F}",
            #""\u0000\u0001\u000b\u001b\u001f""#),
        EscapeCase("HTML characters", "<a href='x'>&</a>", #""\u003ca href='x'\u003e\u0026\u003c/a\u003e""#),
        EscapeCase("slash is not escaped", "a/b", #""a/b""#),
        EscapeCase("DEL is raw", "x\u{7F}y", "\"x\u{7F}y\""),
        EscapeCase("non-ASCII is raw", "é😀日本\u{85}", "\"é😀日本\u{85}\""),
        EscapeCase("line and paragraph separators", "a\u{2028}b\u{2029}c", #""a\u2028b\u2029c""#),
        EscapeCase("their neighbours are raw", "\u{2027}\u{202A}\u{2018}", "\"\u{2027}\u{202A}\u{2018}\""),
        EscapeCase("combining marks stay decomposed", "e\u{301}", "\"e\u{301}\""),
        EscapeCase(
            "a credential helper secret", "p@ss\"w<r>d&\\1",
            #""p@ss\"w\u003cr\u003ed\u0026\\1""#),
    ]

    @Test(arguments: cases)
    func escapes(_ c: EscapeCase) {
        var output = ""
        appendJSONString(c.string, to: &output)
        #expect(output == c.json)
        #expect(JSONValue.string(c.string).serialized() == c.json)
    }

    @Test("escaped strings read back to the same bytes", arguments: cases)
    func readsBack(_ c: EscapeCase) throws {
        let value = try JSONValue(parsing: c.json)
        #expect(value == .string(c.string))
        #expect(Array(try #require(value.stringValue).utf8) == Array(c.string.utf8))
    }

    @Test("appendJSONString appends after existing text")
    func appends() {
        var output = #"{"ServerURL":"#
        appendJSONString("https://r.example/<v2>", to: &output)
        output += #","Username":"#
        appendJSONString("me", to: &output)
        output += "}"
        #expect(output == #"{"ServerURL":"https://r.example/\u003cv2\u003e","Username":"me"}"#)
    }

    @Test("keys are escaped like values")
    func keys() {
        let value: JSONValue = ["<k>\n": "&", "ü": 1]
        #expect(value.serialized() == #"{"\u003ck\u003e\n":"\u0026","ü":1}"#)
    }

    @Test("every byte below 0x80 is escaped or kept as Go does")
    func allASCII() {
        for scalar in UInt8(0)..<0x80 {
            let string = String(UnicodeScalar(scalar))
            var output = ""
            appendJSONString(string, to: &output)
            let expected: String =
                switch scalar {
                case 0x22: #""\"""#
                case 0x5C: #""\\""#
                case 0x0A: #""\n""#
                case 0x0D: #""\r""#
                case 0x09: #""\t""#
                case 0x3C: #""\u003c""#
                case 0x3E: #""\u003e""#
                case 0x26: #""\u0026""#
                case ..<0x20: "\"\\u00" + (scalar < 0x10 ? "0" : "") + String(scalar, radix: 16) + "\""
                default: "\"" + string + "\""
                }
            #expect(output == expected, "byte \(scalar)")
        }
    }
}
