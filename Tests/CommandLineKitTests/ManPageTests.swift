import Foundation
import Testing
@testable import CommandLineKit

@Suite("Man page")
struct ManPageTests {
    static let extras = ManPageExtras(
        environment: [("DOCKER_CONFIG", "The directory that holds config.json.")],
        files: [("~/.docker/config.json", "Docker's client configuration.")],
        exitStatus: [(0, "Success."), (1, "The operation failed."), (64, "The command line was wrong.")],
        examples: [("credtool export-secret -r ghcr.io | kubectl apply -f -", "Give a cluster the token for ghcr.io.")],
        seeAlso: [("docker", 1), ("docker-credential-swift", 1)],
        extraSections: [
            ("COMPATIBILITY", ["Reads what docker-credential-secretservice wrote."]),
            ("HELPER PROTOCOL", ["The helper reads a server URL on stdin.", ".Lines like this one\n'and this one' stay text."]),
        ])

    let page = manPage(for: RenderSample.root, date: "January 5, 2026", extra: Self.extras)

    var lines: [String] { page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test("prologue, NAME and the synopsis of the root and each runnable subcommand")
    func head() {
        #expect(Array(lines.prefix(7)) == [
            ".Dd January 5, 2026", ".Dt CREDTOOL 1", ".Os", ".Sh NAME", ".Nm credtool",
            ".Nd manage Docker registry credentials", ".Sh SYNOPSIS",
        ])
        let synopsis = lines.drop { $0 != ".Sh SYNOPSIS" }.dropFirst().prefix { $0 != ".Sh DESCRIPTION" }
        #expect(Array(synopsis) == [
            ".Nm", ".Op Fl -config Ar dir", ".Op Fl -authfile Ar file", ".Ar command", ".Op Ar argument ...",
            ".Nm", ".Cm list", ".Op Fl -json",
            ".Nm", ".Cm get", ".Ar server",
            ".Nm", ".Cm export-secret", ".Op Fl -output Ar format", ".Op Fl -registry Ar r ...",
            ".Nm", ".Cm merge", ".Ar file ...",
            ".Nm", ".Cm store list", ".Op Fl -system",
            ".Nm", ".Cm store use", ".Op Fl -system", ".Ar name",
        ])
        #expect(manPage(for: RenderSample.root, section: 8, date: "x", extra: ManPageExtras()).contains("\n.Dt CREDTOOL 8\n"))
    }

    @Test("DESCRIPTION: discussion, the root's options, then one entry per subcommand with nested lists")
    func description() {
        #expect(page.contains("""
            .Sh DESCRIPTION
            Reads and writes config.json like the docker CLI does.
            .Pp
            \\&.Secrets go to the Secret Service.
            .Pp
            The options are as follows:
            .Bl -tag -width Ds
            .It Fl c , Fl -config Ar dir
            The directory that holds config.json.
            (default: ~/.docker)
            """))
        #expect(page.contains("""
            .It Cm list Oo Fl -json Oc
            List the registries that have credentials.
            .Bl -tag -width Ds
            .It Fl j , Fl -json
            Print JSON instead of a table.
            .El
            .It Cm get Ar server
            """))
        #expect(page.contains("""
            .It Fl r , Fl -registry Ar r
            Export this registry only [repeatable]; a\\eb: back\\eslash test.
            May be given more than once.
            """))
        #expect(lines.contains(".It Cm store use Oo Fl -system Oc Ar name"))
        #expect(!page.contains("__complete"), "the hidden command is left out")
    }

    @Test("sections in the conventional order; standard extra titles go where mdoc puts them")
    func sectionOrder() {
        #expect(lines.filter { $0.hasPrefix(".Sh ") } == [
            ".Sh NAME", ".Sh SYNOPSIS", ".Sh DESCRIPTION", ".Sh HELPER PROTOCOL", ".Sh ENVIRONMENT", ".Sh FILES",
            ".Sh EXIT STATUS", ".Sh EXAMPLES", ".Sh COMPATIBILITY", ".Sh SEE ALSO",
        ])
        #expect(page.contains("""
            .Sh EXIT STATUS
            .Bl -tag -width Ds
            .It 0
            Success.
            """))
        #expect(page.hasSuffix(".Sh SEE ALSO\n.Xr docker 1 ,\n.Xr docker-credential-swift 1\n"))
    }

    @Test("EXAMPLES: the extras' first, then every command's, as literal displays")
    func examples() {
        let section = lines.drop { $0 != ".Sh EXAMPLES" }.dropFirst().prefix { !$0.hasPrefix(".Sh ") }
        #expect(Array(section) == [
            "Give a cluster the token for ghcr.io:", ".Bd -literal -offset indent",
            "$ credtool export-secret -r ghcr.io | kubectl apply -f -", ".Ed", ".Pp",
            "List the registries as JSON:", ".Bd -literal -offset indent", "$ credtool list --json", ".Ed", ".Pp",
            "Print only the token for ghcr.io:", ".Bd -literal -offset indent", "$ credtool get ghcr.io | jq -r .Secret",
            ".Ed",
        ])
    }

    @Test("no blank lines; every line is a macro or escaped text")
    func noBlankLines() {
        #expect(!lines.dropLast().contains(""))
        #expect(lines.contains("\\&.Lines like this one"))
        #expect(lines.contains("\\&'and this one' stay text."))
    }

    @Test("text escaping: sentences, paragraphs, literal displays, backslashes, leading dots and quotes")
    func textEscaping() {
        #expect(textLines("One. Two? three.\n\n\n.four\\five") == ["One.", "Two? three.", ".Pp", "\\&.four\\efive"])
        #expect(textLines("Run:\n  credtool list\n  credtool get x\nDone.") == [
            "Run:", ".Bd -literal -offset indent", "  credtool list", "  credtool get x", ".Ed", "Done.",
        ])
        #expect(textLines("\n\n") == [])
        #expect(textLine("'quoted'") == "\\&'quoted'")
        #expect(macroArgument("Ar") == "\\&Ar")
        #expect(macroArgument("|") == "\\&|")
        #expect(macroArgument("a b\"c") == "\"a b\\(dqc\"")
        #expect(macroArgument("dir") == "dir")
    }

    @Test("mandoc -T lint -W warning reports nothing; groff -ww neither, when installed")
    func lint() throws {
        let directory = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try ShellHarness.write(page, to: "credtool.1", in: directory)
        let mandoc = try #require(ShellHarness.which("mandoc"))
        let lint = try ShellHarness.run(mandoc, ["-T", "lint", "-W", "warning", path])
        #expect(lint.stdout == "")
        #expect(lint.stderr == "")
        #expect(lint.status == 0)
        if let groff = ShellHarness.which("groff") {
            let result = try ShellHarness.run(groff, ["-mandoc", "-ww", "-z", path])
            #expect(result.stdout == "")
            #expect(result.stderr == "")
            #expect(result.status == 0)
        }
    }
}
