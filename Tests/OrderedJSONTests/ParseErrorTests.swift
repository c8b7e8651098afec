import OrderedJSON
import Testing

/// One input the reader must reject, with where and why.
struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var line: Int
    var column: Int
    var reason: String
    var limits = JSONLimits.default

    init(_ name: String, _ text: String, _ line: Int, _ column: Int, _ reason: String) {
        self.init(name, bytes: Array(text.utf8), line, column, reason)
    }

    init(_ name: String, bytes: [UInt8], _ line: Int, _ column: Int, _ reason: String) {
        self.name = name
        self.bytes = bytes
        self.line = line
        self.column = column
        self.reason = reason
    }

    var testDescription: String { name }
}

private let depth513 = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
private let noTrailing = " (trailing commas are not allowed)"

@Suite("Rejected input: every error says where and why")
struct ParseErrorTests {
    static let cases: [BadInput] = [
        BadInput("empty input", "", 1, 1, "no JSON value: the input is empty"),
        BadInput("whitespace only", "  \n\t ", 2, 3, "no JSON value: the input is only whitespace"),
        BadInput(
            "unclosed object", "{", 1, 2,
            "unexpected end of input: expected a string key or '}' (the object starts at line 1, column 1)"),
        BadInput("key without a value", #"{"a"}"#, 1, 5, "expected ':' after an object key"),
        BadInput("colon without a value", #"{"a":}"#, 1, 6, "expected a JSON value, found '}'"),
        BadInput("trailing comma in an array", "[1,]", 1, 4, "expected a value after ','" + noTrailing),
        BadInput("trailing comma in an object", #"{"a":1,}"#, 1, 8, "expected a string key after ','" + noTrailing),
        BadInput("leading zero", "01", 1, 2, "a number cannot have a leading zero"),
        BadInput("negative leading zero", "-01", 1, 3, "a number cannot have a leading zero"),
        BadInput(
            "no digit after the point", "1.", 1, 3,
            "unexpected end of input: expected a digit after the decimal point"),
        BadInput("no digit before the point", ".5", 1, 1, "expected a JSON value, found '.'"),
        BadInput("plus sign", "+1", 1, 1, "expected a JSON value, found '+'"),
        BadInput("lone minus", "-", 1, 2, "unexpected end of input: expected a digit after '-'"),
        BadInput("empty exponent", "1e", 1, 3, "unexpected end of input: expected a digit in the exponent"),
        BadInput("exponent sign only", "1.5e+]", 1, 6, "expected a digit in the exponent"),
        BadInput("NaN", "NaN", 1, 1, "expected a JSON value, found 'N'"),
        BadInput("Infinity", "[-Infinity]", 1, 3, "expected a digit after '-'"),
        BadInput(
            "single quotes", "'a'", 1, 1,
            "expected a JSON value, found a single quote; strings use double quotes"),
        BadInput("unknown escape", #""\x""#, 1, 3, #"invalid escape '\x' in a string"#),
        BadInput("short unicode escape", #""\u12""#, 1, 6, #"expected 4 hex digits after '\u', found '"'"#),
        BadInput(
            "lone high surrogate", #""\ud800""#, 1, 2,
            #"lone surrogate \ud800: a high surrogate must be followed by a low surrogate escape (\udc00 to \udfff)"#),
        BadInput(
            "lone low surrogate", #""\udc00""#, 1, 2,
            #"lone surrogate \udc00: a low surrogate must follow a high surrogate escape"#),
        BadInput(
            "mismatched surrogates", #"["ok", "\ud800\u0041"]"#, 1, 9,
            #"lone surrogate \ud800: it is followed by \u0041, not by a low surrogate escape (\udc00 to \udfff)"#),
        BadInput("raw tab in a string", "\"a\tb\"", 1, 3, "control character U+0009 must be escaped in a string"),
        BadInput("raw NUL in a string", "\"a\u{0}\"", 1, 3, "control character U+0000 must be escaped in a string"),
        BadInput(
            "invalid UTF-8 lead byte", bytes: [0x22, 0x61, 0xFF, 0x22], 1, 3,
            "invalid UTF-8: byte 0xFF cannot start a character"),
        BadInput(
            "invalid UTF-8 continuation", bytes: [0x22, 0xC3, 0x28, 0x22], 1, 3,
            "invalid UTF-8: byte 0x28 cannot follow 0xC3 here"),
        BadInput(
            "overlong UTF-8", bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], 1, 3,
            "invalid UTF-8: byte 0x80 cannot follow 0xE0 here"),
        BadInput(
            "UTF-8 encoded surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], 1, 3,
            "invalid UTF-8: byte 0xA0 cannot follow 0xED here"),
        BadInput(
            "truncated UTF-8", bytes: [0x22, 0xE2, 0x82], 1, 4,
            "invalid UTF-8: the input ends inside a multi-byte character"),
        BadInput("non-ASCII outside a string", "[é]", 1, 2, "expected a JSON value, found byte 0xC3"),
        BadInput(
            "byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8), 1, 1,
            "the input starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow"),
        BadInput("truncated true", "tru", 1, 4, "unexpected end of input in the literal 'true'"),
        BadInput("truncated null", "nul", 1, 4, "unexpected end of input in the literal 'null'"),
        BadInput("misspelled true", "[trux]", 1, 5, "invalid literal: expected 'true'"),
        BadInput("capitalised literal", "True", 1, 1, "expected a JSON value, found 'T'"),
        BadInput("missing comma in an array", "[1 2]", 1, 4, "expected ',' or ']' after an array element"),
        BadInput("double comma", "[1,,2]", 1, 4, "expected a JSON value, found ','"),
        BadInput("missing colon", #"{"a" 1}"#, 1, 6, "expected ':' after an object key"),
        BadInput("unquoted key", "{a:1}", 1, 2, "expected a string key or '}'"),
        BadInput("number key", #"{"a":1,2:3}"#, 1, 8, "expected a string key after ','"),
        BadInput("comment", #"{"a":1 /* c */}"#, 1, 8, "expected ',' or '}' after an object member"),
        BadInput("trailing garbage", "{} x", 1, 4, "unexpected 'x' after the JSON value"),
        BadInput("second value", "[1]]", 1, 4, "unexpected ']' after the JSON value"),
        BadInput("NUL after the value", "1\u{0}", 1, 2, "unexpected U+0000 after the JSON value"),
        BadInput(
            "nesting 513 deep", depth513, 1, 513,
            "nesting is deeper than the limit of 512 levels (JSONLimits.maxDepth)"),
        BadInput("unterminated string", #""abc"#, 1, 5, "unterminated string (it starts at line 1, column 1)"),
        BadInput(
            "backslash at the end", #"["abc\"#, 1, 7, "unterminated string (it starts at line 1, column 2)"),
        BadInput(
            "unclosed array", "[1,2", 1, 5,
            "unexpected end of input: expected ',' or ']' after an array element "
                + "(the array starts at line 1, column 1)"),
        BadInput("missing colon on line 3", "{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, "expected ':' after an object key"),
        BadInput(
            "missing comma on line 3", "{\n\t\"a\": 1\n\t\"b\": 2\n}", 3, 2,
            "expected ',' or '}' after an object member"),
        BadInput("CR LF counts as one line break", "[\r\n1,\r\n]", 3, 1, "expected a value after ','" + noTrailing),
    ]

    @Test(arguments: cases)
    func rejects(_ bad: BadInput) throws {
        let error = try #require(throws: JSONError.self) { try JSONValue(parsing: bad.bytes, limits: bad.limits) }
        #expect(error.reason == bad.reason)
        #expect(error.line == bad.line)
        #expect(error.column == bad.column)
    }

    @Test("an input over maxBytes is rejected at the first byte past the limit")
    func maxBytes() throws {
        let limits = JSONLimits(maxBytes: 8)
        #expect(throws: Never.self) { try JSONValue(parsing: "[1,2,34]", limits: limits) }
        let error = try #require(throws: JSONError.self) { try JSONValue(parsing: "[1,2,3,4]", limits: limits) }
        let reason = "the input is 9 bytes, over the limit of 8 bytes (JSONLimits.maxBytes)"
        #expect(error == JSONError(line: 1, column: 9, reason: reason))
    }

    @Test("a smaller maxDepth is enforced and named")
    func maxDepth() throws {
        let limits = JSONLimits(maxDepth: 2)
        #expect(throws: Never.self) { try JSONValue(parsing: #"{"a":[]}"#, limits: limits) }
        let error = try #require(throws: JSONError.self) { try JSONValue(parsing: #"{"a":[{}]}"#, limits: limits) }
        #expect(error.reason == "nesting is deeper than the limit of 2 levels (JSONLimits.maxDepth)")
        #expect(error.column == 7)
    }

    @Test("the description puts line and column first")
    func description() throws {
        let error = try #require(throws: JSONError.self) {
            try JSONValue(parsing: "{\n  \"auths\": {},\n  \"x\": 1 \"y\"\n}")
        }
        #expect(error.description == "line 3, column 10: expected ',' or '}' after an object member")
    }

    @Test("every truncation of a valid document is rejected without crashing")
    func truncations() {
        let document = Array(#"{"a":[1,-2.5e+3,true,false,null,"\u00e9\ud83d\ude00\n"],"b":{}}"#.utf8)
        for length in 0..<document.count {
            #expect(throws: JSONError.self) { try JSONValue(parsing: document[..<length]) }
        }
    }

    @Test("every single-byte corruption either parses or throws JSONError")
    func corruptions() {
        let document = Array(#"{"k":["v\u0041",1.5e3,{"n":null}],"é":true}"#.utf8)
        for position in document.indices {
            for replacement: UInt8 in [0x00, 0x22, 0x2C, 0x5C, 0x7D, 0x80, 0xC3, 0xFF] {
                var corrupted = document
                corrupted[position] = replacement
                do {
                    _ = try JSONValue(parsing: corrupted)
                } catch {
                    #expect(error.line == 1)
                    #expect((1...corrupted.count + 1).contains(error.column))
                }
            }
        }
    }
}
