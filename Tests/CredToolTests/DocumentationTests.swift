import CommandLineKit
@testable import CredTool
import CredentialHelpers
import Foundation
import Testing

/// The package root (this file is Tests/CredToolTests/DocumentationTests.swift).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Set to 1 to rewrite the committed files from the generator (the test still fails).
private let recordDocs = ProcessInfo.processInfo.environment["CREDTOOL_RECORD_DOCS"] == "1"

/// The path of `name` on PATH, or `nil`.
private func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs `tool` with `arguments`; its stdout and stderr together, and its status. Output goes
/// to a file, so nothing can fill a pipe while the test waits.
private func check(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let executable = try #require(which(tool), "\(tool) is missing: run scripts/bootstrap")
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("credtool-doc-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: try Data(contentsOf: log), as: UTF8.self))
}

@Suite("Generated man pages and completion scripts")
struct DocumentationTests {
    @Test("the committed man/ and completions/ files are what the generator prints now")
    func committedFilesAreCurrent() throws {
        var stale: [String] = []
        for document in generatedDocuments() {
            let path = packageRoot + "/" + document.path
            let committed = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            guard committed != document.content else { continue }
            stale.append(document.path)
            if recordDocs { try writeDocument(document.content, to: path) }
        }
        if recordDocs && !stale.isEmpty {
            Issue.record("re-recorded; commit the files: \(stale.joined(separator: ", "))")
        } else if !stale.isEmpty {
            Issue.record(
                "\(stale.joined(separator: ", ")) differ from the command specs; run: swift run credtool __generate-docs . (or CREDTOOL_RECORD_DOCS=1 swift test --filter DocumentationTests)"
            )
        }
    }

    @Test("the generator covers both programs' man pages and three shells each")
    func documentList() {
        #expect(
            generatedDocuments().map(\.path) == [
                "man/credtool.1", "man/docker-credential-swift.1",
                "completions/credtool.bash", "completions/_credtool", "completions/credtool.fish",
                "completions/docker-credential-swift.bash", "completions/_docker-credential-swift",
                "completions/docker-credential-swift.fish",
            ])
    }

    @Test("__generate-docs writes every file under DIR, byte for byte")
    func generateCommand() throws {
        let sandbox = try Sandbox()
        let outcome = sandbox.run("__generate-docs", sandbox.root)
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
        #expect(outcome.stdout == generatedDocuments().map { sandbox.root + "/" + $0.path + "\n" }.joined())
        for document in generatedDocuments() {
            #expect(sandbox.text(sandbox.root + "/" + document.path) == document.content, "\(document.path)")
            #expect(sandbox.mode(sandbox.root + "/" + document.path) == 0o644)
        }
        #expect(sandbox.run("__generate-docs").status == 64)
    }

    @Test("hidden commands stay out of help, man pages and completions; doctor is in them")
    func hiddenCommands() {
        for document in generatedDocuments() where document.path.contains("credtool") {
            #expect(!document.content.contains("__generate-docs"), "\(document.path)")
            #expect(document.content.contains("doctor"), "\(document.path)")
        }
    }

    @Test("the helper's spec lists the actions HelperServer accepts")
    func helperActions() {
        #expect(helperSpec.subcommands.map(\.name) == ["store", "get", "erase", "list", "version"])
        // The helper's own usage line, from the code that parses its argument, names the same.
        let usage = HelperServer(name: helperSpec.name, version: credtoolVersion) { InMemoryCredentialStore() }
            .run(arguments: ["--help"]) { _ in [] }.output
        #expect(usage == "Usage: \(helperSpec.name) <\(helperSpec.subcommands.map(\.name).joined(separator: "|"))>\n")
        let page = generatedDocuments()[1].content
        for text in [
            "credentials not found in native keychain", "no credentials server URL", "no credentials username",
            "1048576 bytes", "io.docker.Credentials", "Registry credentials for SERVER", "docker_cli",
            "credsStore", "credHelpers", "DBUS_SESSION_BUS_ADDRESS", "docker-credential-secretservice",
            ".Xr credtool 1", ".Xr secret-tool 1", ".Xr gnome-keyring-daemon 1",
        ] {
            #expect(page.contains(text), "\(text)")
        }
    }

    @Test(
        "the committed man pages pass mandoc -T lint -W warning and groff -ww with no output",
        arguments: ["man/credtool.1", "man/docker-credential-swift.1"])
    func manPagesLint(_ page: String) throws {
        let path = packageRoot + "/" + page
        let mandoc = try check("mandoc", ["-T", "lint", "-W", "warning", path])
        #expect(mandoc.output == "")
        #expect(mandoc.status == 0)
        let groff = try check("groff", ["-mandoc", "-ww", "-z", path])
        #expect(groff.output == "")
        #expect(groff.status == 0)
    }

    @Test(
        "the committed completion scripts parse in their shells",
        arguments: [
            ("bash", "completions/credtool.bash"), ("bash", "completions/docker-credential-swift.bash"),
            ("zsh", "completions/_credtool"), ("zsh", "completions/_docker-credential-swift"),
            ("fish", "completions/credtool.fish"), ("fish", "completions/docker-credential-swift.fish"),
        ])
    func completionsParse(shell: String, file: String) throws {
        let flag = shell == "fish" ? "--no-execute" : "-n"
        let result = try check(shell, [flag, packageRoot + "/" + file])
        #expect(result.output == "")
        #expect(result.status == 0)
    }
}
