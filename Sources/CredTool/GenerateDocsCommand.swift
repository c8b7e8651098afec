#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit

/// `credtool __generate-docs DIR`: writes the man pages and completion scripts under DIR
/// (`man/`, `completions/`). Hidden from help, completion scripts and man pages.
///
/// Run it from the package root after changing a command (`swift run credtool __generate-docs .`)
/// and commit the result; DocumentationTests fails while the committed files differ.
struct GenerateDocsCommand: Command {
    static let spec = CommandSpec(
        name: "__generate-docs",
        abstract: "Write the man pages and completion scripts under DIR (for maintainers).",
        discussion: """
            Writes man/credtool.1, man/docker-credential-swift.1 and the bash, zsh and fish
            completions of both programs under completions/, creating the directories, and
            prints each path written. The output depends on the command specs alone.
            """,
        arguments: [ArgumentSpec("DIR", help: "The package root.", completion: .directory)],
        examples: [Example("credtool __generate-docs .", "Regenerate the committed files from the package root.")],
        isHidden: true
    )

    var directory: String

    init(_ parsed: ParsedArguments) throws(UsageError) {
        directory = parsed.argument("DIR") ?? ""
        if directory.isEmpty { throw UsageError("DIR must not be empty") }
    }

    func run(_ io: inout CommandIO) throws {
        for document in generatedDocuments() {
            let path = (directory.hasSuffix("/") ? directory : directory + "/") + document.path
            try writeDocument(document.content, to: path)
            io.stdout.write(path + "\n")
        }
    }
}

/// Why a generated file could not be written.
struct DocumentWriteError: Error, CustomStringConvertible {
    var path: String
    var code: Int32
    var description: String { "cannot write \(path): \(String(cString: strerror(code)))" }
}

/// Writes `content` to `path` with mode 0644, creating its parent directory (one level) when
/// missing; the file is replaced through a temporary file and a rename.
func writeDocument(_ content: String, to path: String) throws(DocumentWriteError) {
    if let slash = path.lastIndex(of: "/") {
        let parent = String(path[..<slash])
        if !parent.isEmpty, mkdir(parent, 0o755) != 0, errno != EEXIST { throw DocumentWriteError(path: parent, code: errno) }
    }
    let temporary = path + ".tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw DocumentWriteError(path: temporary, code: errno) }
    var failure: Int32 = 0
    let bytes = Array(content.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }  // not empty here
        if written < 0 {
            if errno == EINTR { continue }
            failure = errno
            break
        }
        offset += written
    }
    // The mode is set explicitly: open(2) applies the umask.
    if failure == 0, fchmod(descriptor, 0o644) != 0 { failure = errno }
    close(descriptor)
    if failure == 0, rename(temporary, path) != 0 { failure = errno }
    if failure != 0 {
        unlink(temporary)
        throw DocumentWriteError(path: path, code: failure)
    }
}
