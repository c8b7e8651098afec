import CommandLineKit
import CredentialHelpers
import DockerConfig
import Kubernetes

#if canImport(Glibc)
    import Glibc
#endif

/// `credtool export-secret`: a `kubernetes.io/dockerconfigjson` Secret (and optionally a
/// ServiceAccount that pulls with it) from the credentials Docker would use.
struct ExportSecretCommand: Command {
    static let spec = CommandSpec(
        name: "export-secret",
        abstract: "Write a Kubernetes image pull Secret holding your registry credentials.",
        discussion: """
            Resolves each REGISTRY as Docker does (its credHelpers entry, else the
            credsStore, else the plain-text auths entry) and writes a v1 Secret of type
            kubernetes.io/dockerconfigjson, labelled app.kubernetes.io/managed-by:
            credtool, whose .dockerconfigjson is what kubectl create secret
            docker-registry makes: {"auths":{SERVER:{"username":…,"password":…,
            "auth":…}}}, with "email" when the config knows one. No password is typed
            on a command line or left in shell history.

            Without --registry, every registry that has credentials is exported
            (what credtool list shows, less plain-text entries a store shadows). The
            kubelet cannot pull with an identity token: such a registry is skipped with
            a warning, or is an error when named with --registry. A named registry
            without credentials, or nothing at all to export, is an error (status 1).

            --service-account SA adds a ServiceAccount document whose imagePullSecrets
            names the Secret; kubectl apply merges that list by name, so the account
            keeps its other pull secrets. YAML output is a stream (--- between the
            documents); JSON is the Secret alone, or a v1 List of both.

            The output holds the credentials. It goes to stdout, or with --output-file
            to a file created with mode 0600: written to a temporary file in the same
            directory, synced, and renamed over FILE, so FILE is never seen half
            written. A symbolic link at FILE is replaced, not followed.
            """,
        options: [
            .value(
                "name", placeholder: "NAME", help: "The Secret's name, a DNS subdomain.",
                defaultValue: SecretManifest.defaultName),
            .value("namespace", placeholder: "NS", help: "The namespace of the Secret and the ServiceAccount."),
            .repeated(
                "registry", placeholder: "REGISTRY",
                help: "Export only this registry (host, host:port or URL); may be repeated.",
                completion: CompleteCommand.registries),
            .value(
                "service-account", placeholder: "SA",
                help: "Also write this ServiceAccount, pulling images with the Secret."),
            .value(
                "output", placeholder: "FORMAT", help: "The manifest format: yaml or json.", defaultValue: "yaml",
                completion: .values(["yaml", "json"])),
            .value(
                "output-file", placeholder: "FILE", help: "Write the manifest to FILE (mode 0600) instead of stdout.",
                completion: .file),
        ],
        examples: [
            Example(
                "credtool export-secret --registry ghcr.io --namespace apps | kubectl apply -f -",
                "Give the apps namespace a Secret regcred for ghcr.io."),
            Example(
                "credtool export-secret --namespace apps --service-account default | kubectl apply -f -",
                "Export every registry and let pods of the default ServiceAccount pull with it."),
            Example(
                "credtool export-secret --output json --output-file regcred.json",
                "Save the Secret as JSON in regcred.json, readable by you alone."),
        ]
    )

    enum Format: String { case yaml, json }

    var options: ConfigOptions
    var name: String
    var namespace: String?
    var registries: [String]
    var serviceAccount: String?
    var format: Format
    var outputFile: String?

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        name = parsed.value("name") ?? SecretManifest.defaultName
        namespace = parsed.value("namespace")
        registries = parsed.values("registry")
        serviceAccount = parsed.value("service-account")
        outputFile = parsed.value("output-file")
        let formatName = parsed.value("output") ?? Format.yaml.rawValue
        guard let format = Format(rawValue: formatName) else {
            throw UsageError("--output must be yaml or json, not '\(formatName)'")
        }
        self.format = format
        if registries.contains("") { throw UsageError("--registry needs a registry") }
        if outputFile == "" { throw UsageError("--output-file needs a file") }
        // The names are checked as the API server checks them before any store is opened.
        do throws(KubernetesError) {
            _ = try SecretManifest(
                dockerConfigJSON: "", name: name, namespace: namespace, serviceAccount: serviceAccount)
        } catch {
            throw UsageError(error.description)
        }
    }

    func run(_ io: inout CommandIO) throws {
        let config = try options.load(io.environment)
        let resolver = CredentialResolver(config: config, makeStore: StoreContext.current.makeStore)
        let credentials =
            registries.isEmpty
            ? try Self.everyRegistry(resolver, stderr: &io.stderr)
            : try Self.named(registries, resolver, stderr: &io.stderr)

        var emails: [String: String] = [:]
        for credential in credentials {
            let key = RegistryKey(credential.serverURL)
            if let email = config.authKeys(matching: key).lazy.compactMap({ config.authEntry(for: $0)?.email }).first {
                emails[credential.serverURL] = email
            }
        }
        let manifest = try SecretManifest(
            dockerConfigJSON: dockerConfigJSON(for: credentials, emails: emails), name: name, namespace: namespace,
            serviceAccount: serviceAccount)
        let text = format == .yaml ? try manifest.yaml() : manifest.json()
        guard let outputFile else {
            io.stdout.write(text)
            return
        }
        try writePrivateFile(text, to: outputFile)
        let servers = credentials.map(\.serverURL).joined(separator: ", ")
        io.stdout.write("Wrote Secret \(name) (\(servers)) to \(outputFile)\n")
    }

    /// The credentials of each named registry, keyed by its normalised name.
    ///
    /// - Throws: ``CredToolError/reported`` after naming, one per line, every registry without
    ///   credentials; ``KubernetesError/identityTokenOnly(registries:)`` for those with only an
    ///   identity token.
    static func named(_ registries: [String], _ resolver: CredentialResolver, stderr: inout CommandOutput) throws
        -> [Credentials]
    {
        var found: [Credentials] = []
        var missing: [String] = []
        for registry in registries {
            let key = RegistryKey(registry).value
            if found.contains(where: { $0.serverURL == key }) { continue }
            guard let credentials = try resolver.credentials(for: registry) else {
                missing.append(registry)
                continue
            }
            found.append(Credentials(serverURL: key, username: credentials.username, secret: credentials.secret))
        }
        if !missing.isEmpty {
            for registry in missing { stderr.write("credtool: \(CredToolError.noCredentials(server: registry))\n") }
            throw CredToolError.reported
        }
        let tokens = found.filter { !$0.isUsableByKubelet }.map(\.serverURL)
        if !tokens.isEmpty { throw KubernetesError.identityTokenOnly(registries: tokens) }
        return found
    }

    /// The credentials of every registry Docker would find some for, in the order `credtool
    /// list` shows them, less identity tokens (a warning names each).
    ///
    /// - Throws: ``CredToolError/reported`` after naming every store that cannot be listed
    ///   (a partial Secret would drop registries silently); ``KubernetesError/nothingToExport``.
    static func everyRegistry(_ resolver: CredentialResolver, stderr: inout CommandOutput) throws -> [Credentials] {
        let summary = resolver.allCredentialsSummary()
        if !summary.failures.isEmpty {
            for failure in summary.failures {
                switch failure.source {
                case .file: stderr.write("credtool: \(failure.message)\n")
                case .store, .helper:
                    stderr.write("credtool: cannot list \(failure.source.label): \(failure.message)\n")
                }
            }
            stderr.write("credtool: nothing exported; name the registries to export with --registry\n")
            throw CredToolError.reported
        }
        var keys: [String] = []
        for entry in summary.entries {
            // A plain-text entry that a store or helper shadows is not what Docker uses.
            if entry.source == .file && resolver.source(for: entry.server) != .file { continue }
            let key = RegistryKey(entry.server).value
            if !keys.contains(key) { keys.append(key) }
        }
        var found: [Credentials] = []
        var skipped: [String] = []
        for key in keys {
            guard let credentials = try resolver.credentials(for: key) else { continue }
            if credentials.isUsableByKubelet {
                found.append(Credentials(serverURL: key, username: credentials.username, secret: credentials.secret))
            } else {
                skipped.append(key)
            }
        }
        for key in skipped {
            stderr.write(
                "credtool: warning: skipped \(key): it has only an identity token, which the kubelet cannot use\n")
        }
        if found.isEmpty { throw KubernetesError.nothingToExport }
        return found
    }
}

// MARK: - Writing the file

/// Why a file named on the command line could not be read or written.
struct FileAccessError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var reason: String

    init(_ operation: String, _ path: String, code: Int32) {
        self.init(operation, path, reason: String(cString: strerror(code)))
    }

    init(_ operation: String, _ path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    var description: String { "cannot \(operation) \(path): \(reason)" }
}

/// Writes `text` to `path` with mode 0600 through a temporary file in the same directory.
///
/// The temporary file is made with `mkstemp` (0600 whatever the umask), written, `fsync`ed and
/// renamed over `path`; then the directory is synced. The text never exists anywhere else on
/// disk, and a reader sees the old file or the new one. A symbolic link at `path` is replaced.
func writePrivateFile(_ text: String, to path: String) throws(FileAccessError) {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !base.isEmpty else { throw FileAccessError("write", path, code: EISDIR) }
    var template = Array((directory + "/." + base + ".tmp-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }  // the array is non-empty
    guard fd >= 0 else { throw FileAccessError("write", path, code: errno) }
    let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }  // NUL-terminated
    var failure: Int32 = 0
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    if fchmod(fd, 0o600) != 0 { failure = errno }
    if failure == 0 {
        do { try FileDescriptorIO.write(text, to: fd) } catch { failure = error.code }
    }
    if failure == 0, fsync(fd) != 0 { failure = errno }
    if close(fd) != 0, failure == 0 { failure = errno }
    if failure == 0, rename(temporary, path) != 0 { failure = errno }
    guard failure == 0 else {
        unlink(temporary)
        throw FileAccessError("write", path, code: failure)
    }
    // The rename is durable once the directory is synced; failing that changes nothing a reader sees.
    let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if directoryFD >= 0 {
        fsync(directoryFD)
        close(directoryFD)
    }
}
