import Foundation
import Testing

/// A directory under /tmp made with mkdtemp for one test; `cleanUp()` removes it.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/credtool-config-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: try #require(made))
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ text: String, to name: String, mode: mode_t = 0o600) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        #expect(chmod(file(name), mode) == 0)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: file(name), encoding: .utf8)
    }

    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func mode(_ name: String) -> mode_t {
        var info = stat()
        guard lstat(file(name), &info) == 0 else { return 0 }
        return info.st_mode & 0o7777
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}

/// base64 of a string's UTF-8 bytes, computed independently of the code under test.
func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
