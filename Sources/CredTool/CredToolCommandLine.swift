import CommandLineKit
import CredentialHelpers
import SecretService

/// Opens the credential store a config names (`swift`, `pass`, `ecr-login`, ...).
package typealias StoreFactory = (_ storeName: String) -> any CredentialStore

/// The stores credtool uses outside tests: the in-process libsecret store for `swift` (so
/// `credsStore: "swift"` is served without spawning docker-credential-swift), and the external
/// `docker-credential-NAME` program on PATH for every other name, with the timeout that
/// `CREDTOOL_HELPER_TIMEOUT` sets for the command line being run.
package func defaultStoreFactory(_ storeName: String) -> any CredentialStore {
    storeName == "swift"
        ? LibSecretStore() : ExternalHelperStore(name: storeName, timeout: StoreContext.current.helperTimeout)
}

/// The command types, in the order `credtool --help` lists them.
private let commandTypes: [any Command.Type] = [
    ListCommand.self,
    GetCommand.self,
    LoginCommand.self,
    LogoutCommand.self,
    MergeCommand.self,
    MigrateCommand.self,
    DoctorCommand.self,
    ExportSecretCommand.self,
    ImportSecretCommand.self,
    KubeletProviderCommand.self,
    CompleteCommand.self,
    GenerateDocsCommand.self,
]

/// The `credtool` command tree: global options and every subcommand's spec.
package let credToolSpec = CommandSpec(
    name: "credtool",
    abstract: "See and manage Docker registry credentials wherever they live.",
    discussion: """
        credtool reads the Docker config (config.json) the way the docker CLI does: a
        registry's credHelpers entry, else the credsStore, else the plain-text auths
        entry. It edits the file under a lock with an atomic save, keeping every key
        it does not own, and never overwrites a file it cannot parse.

        The config is --authfile FILE, else --config DIR/config.json, else
        $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
        """,
    options: [
        .value(
            "config", placeholder: "DIR",
            help: "The directory holding config.json, as docker --config takes it.",
            defaultValue: "$DOCKER_CONFIG or ~/.docker", completion: .directory, isGlobal: true),
        .value(
            "authfile", placeholder: "FILE",
            help: "A Podman/containers auth.json to use instead of a Docker config.",
            completion: .file, isGlobal: true),
    ],
    subcommands: commandTypes.map { $0.spec },
    examples: [
        Example("credtool list", "Show every registry you are logged in to and where its credentials live."),
        Example("credtool --config ./ci logout ghcr.io", "Log out of ghcr.io in the config in ./ci."),
    ],
    requiresSubcommand: true
)

/// Each runnable path of ``credToolSpec`` and the command that runs it.
package let credToolCommands: [[String]: any Command.Type] = Dictionary(
    uniqueKeysWithValues: commandTypes.map { ([credToolSpec.name, $0.spec.name], $0) })

/// Runs one `credtool` command line and returns the process's exit status.
///
/// - Parameters:
///   - argv: The arguments without the program name.
///   - io: The streams and environment (`HOME`, `DOCKER_CONFIG`) the command uses.
///   - makeStore: Opens a credential store by name; tests pass in-memory stores. It is called
///     only on the calling thread, during this call.
/// - Returns: 0 on success, 1 when the operation failed, 64 for a usage error (an invalid
///   `CREDTOOL_HELPER_TIMEOUT` too).
package func runCredTool(
    _ argv: [String], io: inout CommandIO, makeStore: @escaping StoreFactory = defaultStoreFactory
) -> Int32 {
    let helperTimeout: Duration?
    do {
        helperTimeout = try ExternalHelperStore.timeout(setting: io.environment["CREDTOOL_HELPER_TIMEOUT"])
    } catch {
        io.stderr.write("credtool: \(error)\n")
        return 64
    }
    return StoreContext.$current.withValue(StoreContext(makeStore, helperTimeout: helperTimeout)) {
        runCommandLine(
            argv, root: credToolSpec, commands: credToolCommands, version: "credtool \(credtoolVersion)", io: &io)
    }
}

/// The store factory of the command line being run.
///
/// `Command` types are created by the runner from parsed arguments alone, so the factory
/// reaches them through a task-local value rather than through `init`.
final class StoreContext: @unchecked Sendable {
    // @unchecked: the factory (and the non-Sendable stores it may capture) is used only
    // synchronously, on the thread that called runCredTool, inside its withValue scope.
    let makeStore: StoreFactory
    /// How long an external helper may take per call; `nil`: as long as it takes.
    let helperTimeout: Duration?

    init(_ makeStore: @escaping StoreFactory, helperTimeout: Duration? = ExternalHelperStore.defaultTimeout) {
        self.makeStore = makeStore
        self.helperTimeout = helperTimeout
    }

    @TaskLocal static var current = StoreContext(defaultStoreFactory)
}
