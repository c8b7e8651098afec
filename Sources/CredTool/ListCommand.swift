import CommandLineKit
import DockerConfig
import OrderedJSON

/// `credtool list [--json]`: every registry with credentials, where they live, never a secret.
struct ListCommand: Command {
    static let spec = CommandSpec(
        name: "list",
        abstract: "List the registries you have credentials for and where each lives.",
        discussion: """
            One row per registry and source: the server key, the username (<token> for an
            identity token), and where the credentials live: file (plain text in the
            config's auths), store:NAME (the credsStore) or helper:NAME (a credHelpers
            entry). Plain-text entries carry a warning, and say when a store shadows them
            (Docker does not use them then). No password or token is ever loaded or shown.

            With --json the output is an array of objects, sorted by server (byte order)
            and then source, each with these keys, always present:
              "server"     the key the credentials are filed under (string)
              "username"   the username (string)
              "source"     "file", "store:NAME" or "helper:NAME" (string)
              "plaintext"  whether the config file holds them in plain text (boolean)
              "shadowed"   whether a store or helper takes the registry, so Docker
                           ignores this plain-text entry (boolean)

            A store that cannot be listed (a missing or hanging helper, a locked keyring)
            or an auths entry that cannot be decoded is reported on stderr and makes the
            exit status 1; everything else is still listed.
            """,
        options: [.flag("json", help: "Print a JSON array for scripts instead of a table.")],
        examples: [
            Example("credtool list", "Show a table of your registry logins."),
            Example(
                "credtool list --json | jq -r '.[] | select(.plaintext) | .server'",
                "Print the registries whose credentials sit in the config file in plain text."),
        ]
    )

    var options: ConfigOptions
    var json: Bool

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        json = parsed.flag("json")
    }

    func run(_ io: inout CommandIO) throws {
        let config = try options.load(io.environment)
        let resolver = CredentialResolver(config: config, makeStore: StoreContext.current.makeStore)
        let summary = resolver.allCredentialsSummary()
        let rows = summary.entries.map { entry in
            Row(entry: entry, shadowedBy: entry.source == .file ? resolver.source(for: entry.server) : .file)
        }
        io.stdout.write(json ? Self.json(rows) : Self.table(rows))
        for failure in summary.failures {
            switch failure.source {
            case .file: io.stderr.write("credtool: \(failure.message)\n")
            case .store, .helper: io.stderr.write("credtool: cannot list \(failure.source.label): \(failure.message)\n")
            }
        }
        if !summary.failures.isEmpty { throw CredToolError.reported }
    }

    /// One listed registry: the summary's entry and, for a plain-text entry, the source Docker
    /// uses instead (`.file` when the entry is the one used).
    struct Row {
        var entry: CredentialSummary.Entry
        var shadowedBy: CredentialSource

        var isShadowed: Bool { shadowedBy != .file }

        var warning: String {
            guard entry.isPlaintext else { return "" }
            return isShadowed ? "plain text, unused: \(shadowedBy.label) applies" : "stored in plain text"
        }
    }

    /// Aligned columns with a header; the last column is not padded.
    static func table(_ rows: [Row]) -> String {
        if rows.isEmpty { return "No registry credentials found.\n" }
        let header = ["SERVER", "USERNAME", "SOURCE", "WARNING"]
        let cells = [header] + rows.map { [$0.entry.server, $0.entry.username, $0.entry.source.label, $0.warning] }
        var widths = [Int](repeating: 0, count: header.count - 1)
        for line in cells {
            for column in widths.indices { widths[column] = max(widths[column], line[column].count) }
        }
        var output = ""
        for line in cells {
            var text = ""
            for column in widths.indices {
                text += line[column] + String(repeating: " ", count: widths[column] - line[column].count + 2)
            }
            text += line[header.count - 1]
            while text.hasSuffix(" ") { text.removeLast() }
            output += text + "\n"
        }
        return output
    }

    /// The documented JSON array, indented by two spaces, with a trailing newline.
    static func json(_ rows: [Row]) -> String {
        let array = JSONValue.array(
            rows.map { row in
                .object([
                    "server": .string(row.entry.server),
                    "username": .string(row.entry.username),
                    "source": .string(row.entry.source.label),
                    "plaintext": .bool(row.entry.isPlaintext),
                    "shadowed": .bool(row.isShadowed),
                ])
            })
        return array.serialized(.indented("  ")) + "\n"
    }
}
