import CommandLineKit
import CredentialHelpers
import DockerConfig

/// `credtool logout SERVER`: erases a registry's credentials from its store and the config.
struct LogoutCommand: Command {
    static let spec = CommandSpec(
        name: "logout",
        abstract: "Remove a registry's credentials from its store and the config file.",
        discussion: """
            Erases SERVER from the store Docker uses for it (its credHelpers entry, else
            the credsStore), under the spelling given and under the normalised key, as
            docker logout does; then removes every auths entry naming the registry (host,
            https://host, https://host/v1/ and the like). Prints what was removed.

            The config file is changed under its lock with an atomic save, keeping every
            other key and entry as it was; it is not written at all when nothing in it
            changed. When nothing was removed anywhere, the exit status is 1.
            """,
        arguments: [
            ArgumentSpec(
                "SERVER", help: "The registry: a host, host:port or URL (docker.io for Docker Hub).",
                completion: CompleteCommand.registries)
        ],
        examples: [
            Example("credtool logout ghcr.io", "Forget your ghcr.io login."),
            Example(
                "credtool --config ./ci logout https://index.docker.io/v1/",
                "Log out of Docker Hub in the config in ./ci."),
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
        let path = try options.location(io.environment).path
        let key = RegistryKey(server)
        // Without a config file there is no store and no auths entry: nothing to do, and no
        // directory or lock file is created for nothing.
        guard try ConfigFileAccess.load(path: path) != nil else { throw CredToolError.notLoggedIn(server: server) }
        let makeStore = StoreContext.current.makeStore
        let places = try ConfigFileAccess.update(path: path) { config in
            // The store is erased first: if it fails, the error leaves the file untouched.
            var places: [String] = []
            let source = CredentialResolver(config: config, makeStore: makeStore).source(for: server)
            switch source {
            case .store(let name), .helper(let name):
                let store = makeStore(name)
                var erased = false
                let spellings = server == key.value ? [server] : [server, key.value]
                for spelling in spellings where try store.erase(server: spelling) { erased = true }
                if erased { places.append(source.label) }
            case .file:
                break
            }
            var count = 0
            for configKey in config.authKeys(matching: key) where config.removeAuthEntry(for: configKey) {
                count += 1
            }
            if count > 0 { places.append(count == 1 ? "auths entry" : "\(count) auths entries") }
            return places
        }
        if places.isEmpty { throw CredToolError.notLoggedIn(server: server) }
        io.stdout.write("Removed login credentials for \(key) (\(places.joined(separator: ", ")))\n")
    }
}
