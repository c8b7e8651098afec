import OrderedJSON
import Testing

@Suite("JSONObject keeps key order through edits")
struct JSONObjectTests {
    static let sample: JSONObject = ["auths": [:], "credsStore": "desktop", "credHelpers": [:], "zzz": 1]

    @Test("keys come out in the order they went in")
    func order() throws {
        let object = try #require(try JSONValue(parsing: #"{"z":1,"a":2,"m":3}"#).objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object.map(\.key) == ["z", "a", "m"])
        #expect(object.values == [1, 2, 3])
        #expect(Self.sample.keys == ["auths", "credsStore", "credHelpers", "zzz"])
    }

    @Test("setting an existing key replaces it where it stands")
    func replaceInPlace() {
        var object = Self.sample
        object["credsStore"] = "swift"
        #expect(object.keys == ["auths", "credsStore", "credHelpers", "zzz"])
        #expect(object["credsStore"] == "swift")
        #expect(object.index(forKey: "credsStore") == 1)
    }

    @Test("setting a new key appends it")
    func append() {
        var object = Self.sample
        object["aaa"] = true
        #expect(object.keys == ["auths", "credsStore", "credHelpers", "zzz", "aaa"])
        #expect(object.last?.value == true)
    }

    @Test("setting nil and removeValue(forKey:) remove the member")
    func remove() {
        var object = Self.sample
        object["credsStore"] = nil
        #expect(object.keys == ["auths", "credHelpers", "zzz"])
        #expect(object.removeValue(forKey: "zzz") == 1)
        #expect(object.removeValue(forKey: "zzz") == nil)
        #expect(object.keys == ["auths", "credHelpers"])
        object["missing"] = nil
        #expect(object.count == 2)
        #expect(object["credsStore"] == nil)
    }

    @Test("index(forKey:) is exact and case-sensitive")
    func indexForKey() {
        #expect(Self.sample.index(forKey: "credHelpers") == 2)
        #expect(Self.sample.index(forKey: "credhelpers") == nil)
        #expect(JSONObject().index(forKey: "") == nil)
    }

    @Test("init with pairs: a later duplicate wins at the first one's position")
    func pairsWithDuplicates() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
        let literal: JSONObject = ["x": 1, "y": 2, "x": 9]
        #expect(literal == JSONObject([("x", 9), ("y", 2)]))
    }

    @Test("equality is order-sensitive")
    func orderedEquality() {
        let ab: JSONObject = ["a": 1, "b": 2]
        let ba: JSONObject = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == JSONObject([("a", 1), ("b", 2)]))
        #expect(JSONValue.object(ab).isEquivalent(to: .object(ba)))
        #expect(ab.isEquivalent(to: ba))
        #expect(Set([ab, JSONObject([("a", 1), ("b", 2)])]).count == 1)
    }

    @Test("large objects stay consistent through set, remove and re-add")
    func largeObjectEdits() {
        var object = JSONObject()
        for i in 0..<100 { object["k\(i)"] = .number(JSONNumber(i)) }
        object["k50"] = "replaced"
        #expect(object.index(forKey: "k50") == 50)
        #expect(object.removeValue(forKey: "k10") == 10)
        #expect(object.index(forKey: "k11") == 10)
        #expect(object.index(forKey: "k99") == 98)
        object["k10"] = "back"
        #expect(object.index(forKey: "k10") == 99)
        #expect(object.count == 100)
        for (position, member) in object.enumerated() {
            #expect(object.index(forKey: member.key) == position)
        }
    }

    @Test("RandomAccessCollection: indices, subscripts and reversal")
    func collection() {
        let object = Self.sample
        #expect(object.startIndex == 0)
        #expect(object.endIndex == 4)
        #expect(object[1].key == "credsStore")
        #expect(object[1].value == "desktop")
        #expect(object.reversed().map(\.key) == ["zzz", "credHelpers", "credsStore", "auths"])
        #expect(JSONObject().isEmpty)
    }
}

/// An object, a field name and what Go would decode into that field.
struct FoldingCase: Sendable, CustomTestStringConvertible {
    var name: String
    var json: String
    var field: String
    var expected: JSONValue?
    var testDescription: String { name }
}

@Suite("value(forKeyFoldingCase:) follows Go's struct-field decoding")
struct FoldingCaseTests {
    static let cases: [FoldingCase] = [
        FoldingCase(name: "exact match", json: #"{"auth":"a"}"#, field: "auth", expected: "a"),
        FoldingCase(name: "exact match wins over an earlier folded one", json: #"{"AUTH":"x","auth":"a"}"#,
            field: "auth", expected: "a"),
        FoldingCase(name: "case-insensitive fallback", json: #"{"Auth":"a"}"#, field: "auth", expected: "a"),
        FoldingCase(name: "upper-case field name", json: #"{"serverurl":"u"}"#, field: "ServerURL", expected: "u"),
        FoldingCase(name: "last of several folded matches wins", json: #"{"AUTH":"1","Auth":"2","other":0}"#,
            field: "auth", expected: "2"),
        FoldingCase(name: "a later folded key overrides an earlier exact one, as in Go",
            json: #"{"auth":"exact","AUTH":"later"}"#, field: "auth", expected: "later"),
        FoldingCase(name: "no match", json: #"{"authx":"a","aut":"b"}"#, field: "auth", expected: nil),
        FoldingCase(name: "punctuation is not folded", json: #"{"a{b":1}"#, field: "a[b", expected: nil),
        FoldingCase(name: "non-ASCII is compared exactly", json: #"{"É":1}"#, field: "é", expected: nil),
        FoldingCase(name: "empty object", json: "{}", field: "auth", expected: nil),
    ]

    @Test(arguments: cases)
    func lookup(_ c: FoldingCase) throws {
        let object = try #require(try JSONValue(parsing: c.json).objectValue)
        #expect(object.value(forKeyFoldingCase: c.field) == c.expected)
    }
}
