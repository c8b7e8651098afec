import Testing
@testable import CommandLineKit

struct BindingCase: Sendable, CustomTestStringConvertible {
    var specs: [ArgumentSpec]
    var words: [String]
    var expected: Result<[[String]], UsageError>
    var testDescription: String {
        let shape = specs.map { spec in
            let name = spec.isRepeated ? spec.name + "..." : spec.name
            return spec.isOptional ? "[\(name)]" : name
        }
        return "\(shape.joined(separator: " ")) ← \(words)"
    }
}

@Suite("Binding positionals to arguments")
struct ArgumentBindingTests {
    static let server = ArgumentSpec("SERVER", help: "")
    static let optionalServer = ArgumentSpec("SERVER", help: "", isOptional: true)
    static let files = ArgumentSpec("FILE", help: "", isRepeated: true)
    static let optionalFiles = ArgumentSpec("FILE", help: "", isOptional: true, isRepeated: true)
    static let output = ArgumentSpec("OUTPUT", help: "")

    static func missing(_ name: String) -> Result<[[String]], UsageError> {
        .failure(UsageError("missing argument \(name)", commandPath: ["t"]))
    }
    static func unexpected(_ word: String) -> Result<[[String]], UsageError> {
        .failure(UsageError("unexpected argument '\(word)'", commandPath: ["t"]))
    }

    static let cases: [BindingCase] = [
        BindingCase(specs: [], words: [], expected: .success([])),
        BindingCase(specs: [], words: ["x"], expected: unexpected("x")),
        BindingCase(specs: [server], words: ["ghcr.io"], expected: .success([["ghcr.io"]])),
        BindingCase(specs: [server], words: [], expected: missing("SERVER")),
        BindingCase(specs: [server], words: ["a", "b"], expected: unexpected("b")),
        BindingCase(specs: [optionalServer], words: [], expected: .success([[]])),
        BindingCase(specs: [optionalServer], words: ["a"], expected: .success([["a"]])),
        BindingCase(specs: [files], words: [], expected: missing("FILE")),
        BindingCase(specs: [files], words: ["a", "-", "c"], expected: .success([["a", "-", "c"]])),
        BindingCase(specs: [optionalFiles], words: [], expected: .success([[]])),
        BindingCase(specs: [files, output], words: ["a", "b", "o"], expected: .success([["a", "b"], ["o"]])),
        BindingCase(specs: [files, output], words: ["a"], expected: missing("OUTPUT")),
        BindingCase(specs: [optionalServer, output], words: ["o"], expected: .success([[], ["o"]])),
        BindingCase(specs: [optionalServer, output], words: ["s", "o"], expected: .success([["s"], ["o"]])),
    ]

    @Test(arguments: cases)
    func binds(_ c: BindingCase) {
        let result = Result { () throws(UsageError) in try bindArguments(c.words, to: c.specs, commandPath: ["t"]) }
        #expect(result == c.expected)
    }
}
