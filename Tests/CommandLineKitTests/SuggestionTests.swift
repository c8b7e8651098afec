import Testing
@testable import CommandLineKit

@Suite("Suggestions")
struct SuggestionTests {
    @Test(arguments: zip(
        [("", ""), ("", "abc"), ("list", "list"), ("lst", "list"), ("lsit", "list"), ("kitten", "sitting")],
        [0, 3, 0, 1, 2, 3]))
    func editDistances(_ pair: (String, String), _ expected: Int) {
        #expect(editDistance(pair.0, pair.1) == expected)
        #expect(editDistance(pair.1, pair.0) == expected)
    }

    @Test("the closest candidate within two edits wins; ties go to the first")
    func closestCandidate() {
        #expect(closest(to: "jsn", among: ["quiet", "json", "help"]) == "json")
        #expect(closest(to: "gett", among: ["get", "set"]) == "get")
        #expect(closest(to: "et", among: ["get", "set"]) == "get")
        #expect(closest(to: "xyzzy", among: ["get", "list"]) == nil)
        #expect(closest(to: "a", among: []) == nil)
    }
}
