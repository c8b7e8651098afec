import CommandLineKit
import CredentialHelpers
import DockerConfig

/// `credtool get SERVER`: the credentials Docker would use, as a credential helper prints them.
struct GetCommand: Command {
    static let spec = CommandSpec(
        name: "get",
        abstract: "Print the credentials Docker would use for a registry, as JSON.",
        discussion: """
            Resolves SERVER as Docker does (its credHelpers entry, else the credsStore,
            else the plain-text auths entry) and prints what a credential helper's get
            prints: {"ServerURL":…,"Username":…,"Secret":…} and a newline, byte for byte
            what docker-credential-swift get prints. This output holds the secret: pipe
            it, do not paste it. Nothing else goes to stdout.

            When no source holds credentials for SERVER, the exit status is 1 and stdout
            is empty.
            """,
        arguments: [
            ArgumentSpec(
                "SERVER", help: "The registry: a host, host:port or URL (docker.io for Docker Hub).",
                completion: CompleteCommand.registries)
        ],
        examples: [
            Example("credtool get ghcr.io | jq -r .Username", "Print the username you use for ghcr.io."),
            Example(
                "credtool --config ./ci get registry.example:5000", "Read the config in ./ci instead of ~/.docker."),
        ]
    )

    var options: ConfigOptions
    var server: String

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        server = parsed.argument("SERVER") ?? ""
        if server.isEmpty { throw UsageError("SERVER must not be empty") }
    }

    func run(_ io: inout CommandIO) throws {
        let config = try options.load(io.environment)
        let resolver = CredentialResolver(config: config, makeStore: StoreContext.current.makeStore)
        guard let found = try resolver.credentials(for: server) else {
            throw CredToolError.noCredentials(server: server)
        }
        // The helper answers with the server as it was asked; so does credtool.
        let answer = Credentials(serverURL: server, username: found.username, secret: found.secret)
        io.stdout.write(HelperServer.encode(answer))
    }
}
