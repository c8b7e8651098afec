import CommandLineKit
import CredentialHelpers
import DockerConfig
import Kubernetes

#if canImport(Glibc)
    import Glibc
#endif

/// `credtool import-secret FILE|-`: the credentials of a pull Secret (or a bare docker config),
/// each stored where the config sends its registry.
struct ImportSecretCommand: Command {
    static let spec = CommandSpec(
        name: "import-secret",
        abstract: "Store the registry credentials of a Kubernetes pull Secret or a docker config.",
        discussion: """
            Reads FILE (- for standard input): a Secret of type
            kubernetes.io/dockerconfigjson or the legacy kubernetes.io/dockercfg, in
            YAML or JSON, with its data or stringData, as kubectl get secret -o yaml
            prints it; a stream of documents or a List; or a bare config.json or
            .dockercfg. Other objects, Secrets of other types and entries without
            credentials are passed over with a note on stderr.

            Each registry's credentials go into the store the config gives it: its
            credHelpers entry, else the credsStore. When the config names neither, they
            go into the Secret Service (the store swift) and credsStore is set to swift;
            if the file still holds plain-text logins of other registries (which a
            credsStore would hide from Docker), or it is a Podman auth.json (which has
            no credsStore), a credHelpers entry for each imported registry names swift
            instead. Like docker login with a store, an empty auths entry ({} or the
            email) is kept for each registry, and plain-text credentials there are
            removed. The config is changed under its lock with an atomic save.

            Each registry is reported on stdout with its username and store, never a
            password. With --dry-run nothing is stored or changed: the report says what
            would be imported. A store that fails is reported on stderr, the other
            registries are still imported, and the exit status is 1.
            """,
        options: [.flag("dry-run", help: "Say what would be imported, and store and change nothing.")],
        arguments: [
            ArgumentSpec(
                "FILE", help: "The Secret or config to read, - for standard input.", completion: .file)
        ],
        examples: [
            Example(
                "credtool import-secret regcred.yaml",
                "Store the credentials of a Secret saved with kubectl get secret regcred -o yaml."),
            Example(
                "credtool --config ./ci import-secret - < regcred.json",
                "Read a Secret from standard input into the stores of the config in ./ci."),
            Example(
                "credtool import-secret --dry-run regcred.json",
                "List the registries and usernames regcred.json holds, storing nothing."),
        ]
    )

    var options: ConfigOptions
    var file: String
    var dryRun: Bool

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        file = parsed.argument("FILE") ?? ""
        dryRun = parsed.flag("dry-run")
        if file.isEmpty { throw UsageError("FILE must not be empty; use - for standard input") }
    }

    func run(_ io: inout CommandIO) throws {
        let bytes = file == "-" ? try io.stdin.readAll() : try Self.read(file)
        let found = try importSecrets(from: bytes)
        for note in found.notes { io.stderr.write("credtool: note: \(note)\n") }

        // One credential per registry: a later one replaces an earlier one, as in the Secret.
        var imports: [ImportedCredential] = []
        for credential in found.credentials {
            let key = RegistryKey(credential.credentials.serverURL).value
            var normalised = credential
            normalised.credentials.serverURL = key
            if let index = imports.firstIndex(where: { $0.credentials.serverURL == key }) {
                io.stderr.write(
                    "credtool: note: \(key) is given more than once; the one in \(credential.source) is imported\n")
                imports[index] = normalised
            } else {
                imports.append(normalised)
            }
        }
        if imports.isEmpty {
            io.stderr.write("credtool: \(file == "-" ? "standard input" : file) holds no registry credentials\n")
            throw CredToolError.reported
        }

        let location = try options.location(io.environment)
        let makeStore = StoreContext.current.makeStore
        let result: Outcome
        if dryRun {
            var config = try ConfigFileAccess.load(path: location.path) ?? ConfigFile(path: location.path)
            result = Self.apply(imports, to: &config, kind: location.kind, store: nil)
        } else {
            result = try ConfigFileAccess.update(path: location.path) { config in
                Self.apply(imports, to: &config, kind: location.kind, store: makeStore)
            }
        }

        let verb = dryRun ? "Would import" : "Imported"
        for line in result.imported {
            io.stdout.write("\(verb) \(line.server) (\(line.username)) into \(line.source.label)\n")
        }
        if let change = result.configChange {
            io.stderr.write("credtool: note: \(dryRun ? "would set" : "set") \(change) in \(location.path)\n")
        }
        if let reason = result.credHelpersReason {
            io.stderr.write("credtool: note: credsStore is not set, since \(reason)\n")
        }
        for failure in result.failures {
            io.stderr.write(
                "credtool: cannot import \(failure.server) into \(failure.source.label): \(failure.message)\n")
        }
        if !result.failures.isEmpty { throw CredToolError.reported }
    }

    /// What an import did, or would do.
    struct Outcome {
        struct Line {
            var server: String
            var username: String
            var source: CredentialSource
        }
        struct Failure {
            var server: String
            var source: CredentialSource
            var message: String
        }
        var imported: [Line] = []
        var failures: [Failure] = []
        /// `credsStore to "swift"` or `credHelpers for a, b to "swift"`, when the config gains it.
        var configChange: String?
        /// Why imported registries got credHelpers entries rather than a credsStore.
        var credHelpersReason: String?
    }

    /// Stores each credential where `config` sends its registry and updates `config` as
    /// `docker login` with a store would; with `store` `nil`, only works out what would happen.
    static func apply(
        _ imports: [ImportedCredential], to config: inout ConfigFile, kind: ConfigLocation.Kind,
        store makeStore: StoreFactory?
    ) -> Outcome {
        var outcome = Outcome()
        let importedKeys = Set(imports.map(\.credentials.serverURL))
        let resolver = CredentialResolver(config: config, makeStore: makeStore ?? { _ in InMemoryCredentialStore() })

        // Where a registry that the config sends to no store goes: the swift store, through
        // credsStore unless that would hide plain-text logins of other registries from Docker,
        // or the file is an auth.json, which Podman reads no credsStore from.
        let otherPlaintext = config.authKeys.filter { key in
            !importedKeys.contains(RegistryKey(key).value) && config.authEntry(for: key)?.holdsCredentials == true
        }
        let useCredHelpers = kind == .podmanAuthFile || !otherPlaintext.isEmpty
        var newHelpers: [String] = []
        var setsCredsStore = false

        for imported in imports {
            let credentials = imported.credentials
            let key = credentials.serverURL
            var source = resolver.source(for: key)
            if source == .file { source = useCredHelpers ? .helper("swift") : .store("swift") }
            if let makeStore {
                let name: String
                switch source {
                case .store(let storeName), .helper(let storeName): name = storeName
                case .file: preconditionFailure("a registry without a store was given swift above")
                }
                do {
                    try makeStore(name).store(credentials)
                } catch {
                    outcome.failures.append(.init(server: key, source: source, message: "\(error)"))
                    continue
                }
            }
            outcome.imported.append(.init(server: key, username: credentials.username, source: source))
            if resolver.source(for: key) == .file {
                if useCredHelpers {
                    config.setCredHelper("swift", for: key)
                    newHelpers.append(key)
                } else {
                    setsCredsStore = true
                }
            }
            // docker login with a store keeps an auths entry without credentials (the email, if any).
            var entry = config.authEntry(for: key) ?? AuthEntry()
            entry.auth = nil
            entry.username = nil
            entry.password = nil
            entry.identityToken = nil
            entry.registryToken = nil
            if let email = imported.email, !email.isEmpty { entry.email = email }
            config.setAuthEntry(entry, for: key)
        }
        if setsCredsStore {
            config.credsStore = "swift"
            outcome.configChange = #"credsStore to "swift""#
        } else if !newHelpers.isEmpty {
            outcome.configChange = #"credHelpers for \#(newHelpers.joined(separator: ", ")) to "swift""#
            outcome.credHelpersReason =
                kind == .podmanAuthFile
                ? "an auth.json has none"
                : "it would hide the plain-text credentials of \(otherPlaintext.joined(separator: ", ")) "
                    + "(credtool migrate moves them into a store)"
        }
        return outcome
    }

    /// The bytes of the file at `path`, at most 16 MiB.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            if errno == ENOENT { throw CredToolError.fileNotFound(path: path) }
            throw FileAccessError("read", path, code: errno)
        }
        defer { close(fd) }
        let limit = 16 << 20
        let bytes: [UInt8]
        do { bytes = try FileDescriptorIO.readAll(fd, limit: limit) } catch {
            throw FileAccessError("read", path, code: error.code)
        }
        if bytes.count > limit { throw FileAccessError("read", path, reason: "it is larger than \(limit) bytes") }
        return bytes
    }
}
