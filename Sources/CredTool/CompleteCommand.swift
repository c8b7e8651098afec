import CommandLineKit
import DockerConfig

/// `credtool __complete registries`: words for shell completion functions. Hidden from help,
/// completion scripts and man pages.
struct CompleteCommand: Command {
    /// The shell command the completion scripts run for a registry argument.
    static let registries = CompletionKind.custom("credtool __complete registries 2>/dev/null")

    static let spec = CommandSpec(
        name: "__complete",
        abstract: "Print completion candidates, one a line (for completion scripts).",
        discussion: """
            registries: the registry keys the config knows, from auths and credHelpers, in
            file order and without repeats. Only the config file is read: no store or
            helper is asked, so completion stays fast and never prompts.
            """,
        arguments: [ArgumentSpec("KIND", help: "What to complete: registries.", completion: .values(["registries"]))],
        examples: [Example("credtool __complete registries", "Print the registries of the config.")],
        isHidden: true
    )

    var options: ConfigOptions

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        let kind = parsed.argument("KIND") ?? ""
        guard kind == "registries" else { throw UsageError("unknown completion '\(kind)'; the only one is 'registries'") }
    }

    func run(_ io: inout CommandIO) throws {
        let config = try options.load(io.environment)
        var seen: Set<String> = []
        var output = ""
        for key in config.authKeys + config.credHelperEntries.map(\.registry) where seen.insert(key).inserted {
            output += key + "\n"
        }
        io.stdout.write(output)
    }
}
