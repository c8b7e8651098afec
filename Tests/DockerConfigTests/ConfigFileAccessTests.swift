import Dispatch
@testable import DockerConfig
import Foundation
import OrderedJSON
import Testing

@Suite("loading and saving config files")
struct ConfigFileAccessTests {
    @Test("a missing file loads as nil and update creates it 0600 in a new 0700 directory")
    func createsNewFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("new/.docker/config.json")
        #expect(try ConfigFileAccess.load(path: path) == nil)
        try ConfigFileAccess.update(path: path) { $0.setAuthEntry(.plaintext(username: "u", password: "p"), for: "r.example.com") }
        #expect(try dir.read("new/.docker/config.json") == "{\n\t\"auths\": {\n\t\t\"r.example.com\": {\n\t\t\t\"auth\": \"dTpw\"\n\t\t}\n\t}\n}")
        #expect(dir.mode("new/.docker/config.json") == 0o600)
        #expect(dir.mode("new/.docker") == 0o700)
        #expect(try ConfigFileAccess.load(path: path)?.authKeys == ["r.example.com"])
    }

    @Test("update keeps the existing mode and leaves no temporary file")
    func keepsMode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write(podmanGolden, to: "auth.json", mode: 0o640)
        try ConfigFileAccess.update(path: dir.file("auth.json")) { $0.removeAuthEntry(for: "quay.io") }
        #expect(dir.mode("auth.json") == 0o640)
        #expect(try dir.entries() == ["auth.json", "auth.json.lock"])
        #expect(try !dir.read("auth.json").contains("quay.io"))
    }

    @Test("a save removes the temporary files a killed save left, and nothing else")
    func removesLeftovers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write(podmanGolden, to: "auth.json")
        let kept = [".auth.json.tmp-short", "auth.json.tmp-abcdef", ".config.json.tmp-abcdef", ".auth.json.tmp-abcdefg"]
        for name in [".auth.json.tmp-Ab3xZ9", ".auth.json.tmp-000000"] + kept { try dir.write(podmanGolden, to: name) }
        try ConfigFileAccess.update(path: dir.file("auth.json")) { $0.removeAuthEntry(for: "quay.io") }
        #expect(try dir.entries() == (["auth.json", "auth.json.lock"] + kept).sorted())
        // Only a save clears them: a read, or an update that changes nothing, leaves them.
        try dir.write(podmanGolden, to: ".auth.json.tmp-Ab3xZ9")
        _ = try ConfigFileAccess.load(path: dir.file("auth.json"))
        try ConfigFileAccess.update(path: dir.file("auth.json")) { _ in }
        #expect(try dir.entries().contains(".auth.json.tmp-Ab3xZ9"))
    }

    @Test("nothing is written when nothing changed")
    func noChangeNoWrite() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        // Two-space indentation: a rewrite would turn it into tabs.
        let text = "{\n  \"auths\": {}, \"credsStore\": \"pass\"\n}\n"
        try dir.write(text, to: "config.json")
        var before = stat()
        stat(dir.file("config.json"), &before)
        try ConfigFileAccess.update(path: dir.file("config.json")) { config in
            config.credsStore = "pass"
            config.removeAuthEntry(for: "absent")
        }
        var after = stat()
        stat(dir.file("config.json"), &after)
        #expect(try dir.read("config.json") == text)
        #expect(before.st_ino == after.st_ino)
        // And an empty change to a missing file creates nothing but the lock.
        try ConfigFileAccess.update(path: dir.file("other.json")) { _ in }
        #expect(try dir.entries() == ["config.json", "config.json.lock", "other.json.lock"])
    }

    @Test("a symbolic link stays a link and its target gets the content")
    func followsSymlink() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try FileManager.default.createDirectory(atPath: dir.file("dotfiles"), withIntermediateDirectories: true)
        try dir.write(desktopGolden, to: "dotfiles/config.json", mode: 0o644)
        #expect(symlink("dotfiles/config.json", dir.file("config.json")) == 0)
        try ConfigFileAccess.update(path: dir.file("config.json")) { $0.credsStore = "swift" }
        var info = stat()
        lstat(dir.file("config.json"), &info)
        #expect(info.st_mode & S_IFMT == S_IFLNK)
        #expect(try dir.read("dotfiles/config.json").contains("\"credsStore\": \"swift\""))
        #expect(dir.mode("dotfiles/config.json") == 0o644)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("dotfiles")).sorted() == ["config.json", "config.json.lock"])
    }

    @Test("a file that does not parse is never overwritten")
    func keepsBrokenFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let broken = "{\"auths\": {\"r\": {\"auth\": \"x\"}},"
        try dir.write(broken, to: "config.json")
        #expect(throws: ConfigError.self) {
            try ConfigFileAccess.update(path: dir.file("config.json")) { $0.credsStore = "swift" }
        }
        #expect(try dir.read("config.json") == broken)
    }

    @Test("an error thrown by the change leaves the file untouched")
    func bodyErrorKeepsFile() throws {
        struct Stop: Error {}
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write(podmanGolden, to: "auth.json")
        #expect(throws: Stop.self) {
            try ConfigFileAccess.update(path: dir.file("auth.json")) { config in
                config.credsStore = "swift"
                throw Stop()
            }
        }
        #expect(try dir.read("auth.json") == podmanGolden)
    }

    @Test("directories, FIFOs and devices are refused")
    func refusesNonFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try FileManager.default.createDirectory(atPath: dir.file("config.json"), withIntermediateDirectories: true)
        let error = try #require(throws: ConfigError.self) { try ConfigFileAccess.load(path: dir.file("config.json")) }
        #expect(error.description == "\(dir.file("config.json")) is a directory, not a config file; move it or point credtool at a file")
        #expect(throws: ConfigError.self) {
            try ConfigFileAccess.update(path: dir.file("config.json")) { $0.credsStore = "x" }
        }
        #expect(mkfifo(dir.file("fifo"), 0o600) == 0)
        #expect(throws: ConfigError.self) { try ConfigFileAccess.load(path: dir.file("fifo")) }
        let device = try #require(throws: ConfigError.self) { try ConfigFileAccess.load(path: "/dev/null") }
        #expect(device.description == "/dev/null is not a regular file; point credtool at a config file")
    }

    @Test("unreadable and oversized files are refused")
    func refusesUnreadable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("{}", to: "config.json", mode: 0o000)
        if geteuid() != 0 {  // root reads it anyway
            let error = try #require(throws: ConfigError.self) { try ConfigFileAccess.load(path: dir.file("config.json")) }
            #expect(error.description.hasPrefix("cannot read \(dir.file("config.json")): Permission denied"))
        }
        #expect(truncate(dir.file("config.json"), off_t(ConfigFileAccess.sizeLimit + 1)) == 0)
        chmod(dir.file("config.json"), 0o600)
        let error = try #require(throws: ConfigError.self) { try ConfigFileAccess.load(path: dir.file("config.json")) }
        #expect(error.description.contains("is larger than 16 MiB"))
    }

    @Test("50 concurrent writers all land and the file stays valid")
    func concurrentWriters() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("config.json")
        try dir.write(dockerGolden, to: "config.json")
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 50) { index in
            do {
                try ConfigFileAccess.update(path: path) { config in
                    config.setAuthEntry(.plaintext(username: "user\(index)", password: "pw\(index)"), for: "r\(index).example.com")
                }
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let config = try #require(try ConfigFileAccess.load(path: path))
        for index in 0..<50 {
            #expect(try config.authEntry(for: "r\(index).example.com")?.credentials(server: "r")?.secret == "pw\(index)")
        }
        #expect(config.authKeys.count == 53)
        #expect(config.credsStore == "pass")
        #expect(try dir.entries() == ["config.json", "config.json.lock"])
    }

    @Test("a reader never sees a partial file while writers run")
    func readersSeeWholeFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("config.json")
        try dir.write(dockerGolden, to: "config.json")
        let failures = Failures()
        let padding = String(repeating: "x", count: 64 << 10)  // large enough to need several writes
        DispatchQueue.concurrentPerform(iterations: 24) { index in
            do {
                if index % 2 == 0 {
                    try ConfigFileAccess.update(path: path) { config in
                        var entry = AuthEntry.plaintext(username: "u\(index)", password: "p")
                        entry.fields["x-padding"] = .string(padding)
                        config.setAuthEntry(entry, for: "r\(index).example.com")
                    }
                } else {
                    for _ in 0..<20 {
                        let config = try #require(try ConfigFileAccess.load(path: path))
                        if config.credsStore != "pass" { failures.add("lost credsStore") }
                    }
                }
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
    }
}

/// Errors collected from concurrent work.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
