import OrderedJSON
import Testing

@testable import Kubernetes

/// Strings that a careless emitter would write so they read back as something else.
let trickyStrings: [String] = [
    "", " ", "true", "True", "FALSE", "yes", "no", "No", "on", "OFF", "y", "n", "Y", "N",
    "null", "Null", "~", "0", "1", "-1", "+1", "1.0", "1e3", ".5", "1_000", "0x1F", "0o17", "017", "0b101",
    "09", ".inf", "-.Inf", ".nan", "1:30", "12:30:45", "2024-01-02", "2024-01-02T03:04:05Z", "=", "<<",
    "*alias", "&anchor", "!tag", "%directive", "@at", "`tick", "|", ">", "- item", "-", "? key", "?",
    ": colon", "a: b", "a:b", "a #b", "#comment", "trailing ", " leading", "line\nbreak", "two\n\nbreaks",
    "tab\tinside", "quote\"inside", "single'inside", "'quoted'", "\"double\"", "back\\slash", "{a: 1}",
    "[1, 2]", "a,b", "ünïcödé", "日本語", "emoji 🔑", "nul\u{0}byte", "bell\u{7}", "del\u{7F}", "\u{FEFF}bom",
    "https://index.docker.io/v1/", "ghcr.io:443", "[::1]:5000", "p@ss:w0rd!#&*", "ZXhhbXBsZQ==", "---", "...",
    "--- x", "1.2.3", "1-2", "+", ".", "e5",
]

@Suite("YAML reading")
struct YAMLReadingTests {
    struct ScalarCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var expected: JSONValue
        var testDescription: String { yaml }
    }

    static let scalars: [ScalarCase] = [
        .init(yaml: "v: true", expected: true), .init(yaml: "v: yes", expected: true),
        .init(yaml: "v: On", expected: true), .init(yaml: "v: n", expected: false),
        .init(yaml: "v: 'true'", expected: "true"), .init(yaml: "v: \"1\"", expected: "1"),
        .init(yaml: "v: ~", expected: .null), .init(yaml: "v:", expected: .null),
        .init(yaml: "v: NULL", expected: .null),
        .init(yaml: "v: 42", expected: 42), .init(yaml: "v: -7", expected: -7), .init(yaml: "v: +7", expected: 7),
        .init(yaml: "v: 0x1F", expected: 31), .init(yaml: "v: 0o17", expected: 15), .init(yaml: "v: 017", expected: 15),
        .init(yaml: "v: 0b101", expected: 5), .init(yaml: "v: 1_000", expected: 1000),
        .init(yaml: "v: 1.50", expected: .number(JSONNumber(text: "1.50")!)),
        .init(yaml: "v: .5", expected: .number(JSONNumber(text: "0.5")!)),
        .init(yaml: "v: 1e3", expected: .number(JSONNumber(text: "1e3")!)),
        .init(yaml: "v: 18446744073709551615", expected: .number(JSONNumber(text: "18446744073709551615")!)),
        .init(yaml: "v: 2024-01-02", expected: "2024-01-02"), .init(yaml: "v: 1.2.3", expected: "1.2.3"),
        .init(yaml: "v: !!str 12", expected: "12"), .init(yaml: "v: !!int \"12\"", expected: 12),
        .init(yaml: "v: ! true", expected: "true"), .init(yaml: "v: !custom 5", expected: "5"),
        .init(yaml: "v: \"\\u00e9\\t\"", expected: "é\t"), .init(yaml: "v: |\n  a\n  b\n", expected: "a\nb\n"),
        .init(yaml: "v: >-\n  a\n  b\n", expected: "a b"),
    ]

    @Test(arguments: scalars)
    func resolvesScalars(_ c: ScalarCase) throws {
        let documents = try YAML.documents(parsing: Array(c.yaml.utf8))
        #expect(documents == [["v": c.expected]])
    }

    @Test("mappings keep their order; sequences, nesting, flow style and JSON input all read")
    func structures() throws {
        let yaml = """
            zeta: 1
            alpha:
              - a
              - {x: [1, 2], w: null}
            json: {"k": "v", "n": [true, false]}
            1: int key
            true: bool key
            """
        let documents = try YAML.documents(parsing: Array(yaml.utf8))
        let expected: JSONValue = [
            "zeta": 1, "alpha": ["a", ["x": [1, 2], "w": .null]], "json": ["k": "v", "n": [true, false]],
            "1": "int key", "true": "bool key",
        ]
        #expect(documents == [expected])
        #expect(documents.first?.objectValue?.keys == ["zeta", "alpha", "json", "1", "true"])
    }

    @Test("a stream gives one value per document; an empty document is null; an empty stream none")
    func streams() throws {
        #expect(
            try YAML.documents(parsing: Array("a: 1\n---\nb: 2\n---\n...\n---\n- x\n".utf8)) == [
                ["a": 1], ["b": 2], .null, ["x"],
            ])
        #expect(try YAML.documents(parsing: []) == [])
        #expect(try YAML.documents(parsing: Array("# only a comment\n".utf8)) == [])
        #expect(try YAML.documents(parsing: Array("\u{FEFF}a: 1\n".utf8)) == [["a": 1]])
    }

    @Test("aliases copy their anchor's value")
    func aliases() throws {
        let yaml = "base: &b {user: u, list: [1]}\ncopy: *b\nname: &n x\nagain: *n\n"
        let documents = try YAML.documents(parsing: Array(yaml.utf8))
        #expect(
            documents == [
                ["base": ["user": "u", "list": [1]], "copy": ["user": "u", "list": [1]], "name": "x", "again": "x"]
            ])
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var line: Int
        var column: Int
        var reasonContains: String
        var testDescription: String { reasonContains }
    }

    static let errors: [ErrorCase] = [
        .init(yaml: "a: [1, 2\n", line: 2, column: 1, reasonContains: "flow sequence"),
        .init(yaml: "a: b\n c: d\n", line: 2, column: 3, reasonContains: "mapping values are not allowed"),
        .init(yaml: "a: 'open\n", line: 2, column: 1, reasonContains: "quoted scalar"),
        .init(yaml: "a: *missing\n", line: 1, column: 4, reasonContains: "unknown alias *missing"),
        .init(yaml: "a: 1\na: 2\n", line: 2, column: 1, reasonContains: "appears twice"),
        .init(yaml: "? [1]\n: x\n", line: 1, column: 3, reasonContains: "mapping key must be"),
        .init(yaml: "~: x\n", line: 1, column: 1, reasonContains: "mapping key must be"),
        .init(yaml: "a: .inf\n", line: 1, column: 4, reasonContains: "no JSON form"),
        .init(yaml: "b: &b {x: 1}\na:\n  <<: *b\n", line: 3, column: 3, reasonContains: "merge keys"),
        .init(yaml: "a: !!int abc\n", line: 1, column: 4, reasonContains: "tagged !!int"),
        .init(yaml: "a: \"\\q\"\n", line: 1, column: 5, reasonContains: "unknown escape"),
        .init(yaml: "a:\tb\n\t- c\n", line: 2, column: 1, reasonContains: "tab"),
    ]

    @Test(arguments: errors)
    func rejects(_ c: ErrorCase) {
        do {
            let documents = try YAML.documents(parsing: Array(c.yaml.utf8))
            Issue.record("expected an error, got \(documents)")
        } catch {
            guard case .invalidYAML(let line, let column, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reason.contains(c.reasonContains))
            #expect(line == c.line)
            #expect(column == c.column)
        }
    }

    @Test("invalid UTF-8 is rejected")
    func invalidUTF8() {
        #expect(throws: KubernetesError.self) { try YAML.documents(parsing: [0x61, 0x3A, 0x20, 0xFF, 0x0A]) }
    }

    @Test("limits: size, depth, and alias expansion (billion laughs)")
    func limits() throws {
        #expect(throws: KubernetesError.self) {
            try YAML.documents(parsing: Array("a: 1\n".utf8), limits: YAMLLimits(maxBytes: 3))
        }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: KubernetesError.self) { try YAML.documents(parsing: Array(deep.utf8)) }
        #expect(try YAML.documents(parsing: Array(deep.utf8), limits: YAMLLimits(maxDepth: 400)).count == 1)

        var laughs = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let previous = Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(level - 1)))
            let name = Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(level)))
            laughs += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        do {
            _ = try YAML.documents(parsing: Array(laughs.utf8))
            Issue.record("the alias bomb was accepted")
        } catch {
            #expect("\(error)".contains("alias copies"))
        }
    }
}

@Suite("YAML writing")
struct YAMLWritingTests {
    @Test("tricky strings are quoted so they read back as the same strings", arguments: trickyStrings)
    func roundTrip(_ string: String) throws {
        let value: JSONValue = .object(JSONObject([(string, .string(string)), ("list", [.string(string)])]))
        let yaml = try YAML.serialized([value])
        #expect(try YAML.documents(parsing: Array(yaml.utf8)) == [value])
    }

    @Test("PyYAML reads every tricky string back as the same string", .enabled(if: pyYAMLAvailable))
    func pyYAMLRoundTrip() throws {
        // One document per string: PyYAML cannot hold a NUL in a key, so the strings are values.
        let documents = trickyStrings.map { JSONValue.object(["s": .string($0)]) }
        let yaml = try YAML.serialized(documents)
        let loaded = try pyYAMLDocuments(yaml)
        #expect(loaded == .array(documents))
    }

    @Test("layout: block style, kubectl-style sequences, quoted look-alikes, no folding, documents separated")
    func layout() throws {
        let long = String(repeating: "abcdefghij ", count: 20)
        let yaml = try YAML.serialized([
            [
                "apiVersion": "v1", "kind": "ServiceAccount", "imagePullSecrets": [["name": "regcred"]], "empty": [:],
                "none": [],
                "n": 1, "b": true, "z": .null, "s": "true", "long": .string(long),
            ],
            ["second": "doc"],
        ])
        let expected = """
            apiVersion: v1
            kind: ServiceAccount
            imagePullSecrets:
            - name: regcred
            empty: {}
            none: []
            "n": 1
            b: true
            z: null
            s: "true"
            long: '\(long)'
            ---
            second: doc

            """
        #expect(yaml == expected)
        #expect(try YAML.serialized([]) == "")
    }
}
