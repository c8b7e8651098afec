import OrderedJSON
import Testing

/// A Docker config.json as `docker login` writes it (json.MarshalIndent with a tab), with extra
/// keys, unusual numbers, raw Unicode and every escape Go writes. Tabs in it are real tabs.
private let dockerConfigText = #"""
{
	"auths": {
		"ghcr.io": {
			"auth": "dXNlcjpwYXNz"
		},
		"https://index.docker.io/v1/": {},
		"registry.example.com:5000": {
			"auth": "YTpi",
			"identitytoken": "tok\u003cen\u003e\u0026"
		}
	},
	"credHelpers": {
		"gcr.io": "gcloud",
		"public.ecr.aws": "ecr-login"
	},
	"credsStore": "swift",
	"proxies": {
		"default": {
			"httpProxy": "http://proxy.example.com:3128",
			"noProxy": "*.test.example.com,.example2.com,127.0.0.0/8"
		}
	},
	"psFormat": "table {{.ID}}\\t{{.Names}}",
	"x-unknown": {
		"numbers": [
			1.0,
			-0,
			1e400,
			1.50e+3,
			0.1000,
			-12345678901234567890123,
			2E-7
		],
		"nested": [
			[],
			{},
			[
				null,
				true,
				false
			]
		],
		"unicode": "héllo wörld 😀 日本",
		"escapes": "quote \" backslash \\ slash / nl \n cr \r tab \t ctl \u0001 bs \u0008 ff \u000c ls \u2028 ps \u2029",
		"": ""
	},
	"aliases": {
		"builder": "buildx"
	}
}
"""#

@Suite("Untouched input comes back byte-identical")
struct RoundTripTests {
    @Test("a Docker config.json round-trips with .indented(\"\\t\")")
    func dockerConfig() throws {
        let value = try JSONValue(parsing: dockerConfigText)
        #expect(value.serialized(.indented("\t")) == dockerConfigText)
    }

    @Test("the config's content reads as expected")
    func dockerConfigContent() throws {
        let config = try #require(try JSONValue(parsing: dockerConfigText).objectValue)
        #expect(config.keys == ["auths", "credHelpers", "credsStore", "proxies", "psFormat", "x-unknown", "aliases"])
        let auths = try #require(config["auths"]?.objectValue)
        #expect(auths.keys == ["ghcr.io", "https://index.docker.io/v1/", "registry.example.com:5000"])
        #expect(auths["registry.example.com:5000"]?.objectValue?["identitytoken"] == "tok<en>&")
        #expect(config["psFormat"] == #"table {{.ID}}\t{{.Names}}"#)
        let unknown = try #require(config["x-unknown"]?.objectValue)
        #expect(unknown["numbers"]?.arrayValue?.compactMap(\.numberValue?.text)
            == ["1.0", "-0", "1e400", "1.50e+3", "0.1000", "-12345678901234567890123", "2E-7"])
        #expect(unknown["unicode"] == "héllo wörld 😀 日本")
    }

    @Test("editing one entry leaves every other byte in place")
    func editOneEntry() throws {
        var config = try #require(try JSONValue(parsing: dockerConfigText).objectValue)
        var auths = try #require(config["auths"]?.objectValue)
        auths["ghcr.io"] = ["auth": "bmV3OnNlY3JldA=="]
        config["auths"] = .object(auths)
        let expected = dockerConfigText.replacing("dXNlcjpwYXNz", with: "bmV3OnNlY3JldA==")
        #expect(JSONValue.object(config).serialized(.indented("\t")) == expected)
    }

    static let compactDocuments = [
        #"{"a":1,"b":[true,null]}"#,
        #"{"z":{"y":{"x":[[],{},[{}],""]}},"a":-0.0e-0,"m":"\u003c/script\u003e \u2028 é"}"#,
        #"[1E+2,-1.25,0,"\"\\\n\r\t\u0000\u001f",{"":null}]"#,
        #""just a string""#,
        "12.50",
        "null",
    ]

    @Test("compact documents in Go's form round-trip", arguments: compactDocuments)
    func compact(_ text: String) throws {
        #expect(try JSONValue(parsing: text).serialized() == text)
    }

    @Test("indented layout matches json.MarshalIndent")
    func indentedLayout() throws {
        let value = try JSONValue(parsing: #"{"a":[],"b":{},"c":[1,{"d":true}],"e":"x"}"#)
        let expected = """
            {
              "a": [],
              "b": {},
              "c": [
                1,
                {
                  "d": true
                }
              ],
              "e": "x"
            }
            """
        #expect(value.serialized(.indented("  ")) == expected)
        #expect(JSONValue.object([:]).serialized(.indented("\t")) == "{}")
        #expect(JSONValue.array([]).serialized(.indented("\t")) == "[]")
        #expect(JSONValue.string("s").serialized(.indented("\t")) == #""s""#)
        #expect(JSONValue.array([1]).serialized(.indented("\t")) == "[\n\t1\n]")
    }

    @Test("a generated 1,000-entry config round-trips in both styles")
    func generated() throws {
        var auths = JSONObject()
        var helpers = JSONObject()
        for i in 0..<1_000 {
            auths["registry-\(i).example.com:\(5000 + i % 7)"] = [
                "auth": .string("dXNlcjpwYXNz\(i)"), "n": .number(JSONNumber(i)),
            ]
            helpers["helper-\(i % 97)-\(i).example"] = .string(i.isMultiple(of: 2) ? "secretservice" : "pass<\(i)>")
        }
        let config: JSONValue = ["auths": .object(auths), "credHelpers": .object(helpers), "credsStore": "swift"]
        for style in [JSONWriteStyle.compact, .indented("\t"), .indented("    ")] {
            let text = config.serialized(style)
            let parsed = try JSONValue(parsing: text)
            #expect(parsed == config)
            #expect(parsed.serialized(style) == text)
        }
    }

    @Test("a 10,000-entry config (about 1 MB) round-trips")
    func large() throws {
        var text = "{\n\t\"auths\": {\n"
        for i in 0..<10_000 {
            text += "\t\t\"registry-\(i).example.com\": {\n"
            text += "\t\t\t\"auth\": \"dXNlcjpwYXNzd29yZC1mb3ItcmVnaXN0cnktbnVtYmVy\(i)\",\n"
            text += "\t\t\t\"email\": \"user\(i)@example.com\"\n\t\t}" + (i == 9_999 ? "\n" : ",\n")
        }
        text += "\t},\n\t\"credsStore\": \"swift\"\n}"
        #expect(text.utf8.count > 1_000_000)
        let value = try JSONValue(parsing: text)
        #expect(value.objectValue?["auths"]?.objectValue?.count == 10_000)
        #expect(value.serialized(.indented("\t")) == text)
    }
}
