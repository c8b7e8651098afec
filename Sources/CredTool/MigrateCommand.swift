#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import CredentialHelpers
import DockerConfig
import Synchronization

/// `credtool migrate`: moves every plain-text login of the config into a credential store, all
/// or nothing.
struct MigrateCommand: Command {
    static let spec = CommandSpec(
        name: "migrate",
        abstract: "Move the config file's plain-text credentials into a credential store.",
        discussion: """
            Stores each plain-text auths entry (auth, username and password, or an
            identity token, which moves as username <token>) in the credential store,
            reads it back and compares it; then, under the config's lock, sets
            credsStore, empties each moved entry to {} as docker does, and saves the
            file atomically, keeping every other key in its place. A registry with its
            own credHelpers entry moves to that helper. In a Podman auth.json (whose
            readers ignore credsStore) each registry gets a credHelpers entry instead.

            The store is --store NAME: swift (built in, the Secret Service) unless the
            config already names a credsStore, or any docker-credential-NAME on PATH.
            A --store other than the config's credsStore is refused, as its logins would
            hide, except swift for secretservice (Docker's Secret Service helper) or the
            other way round: both use the same keyring items, so credsStore and the
            credHelpers entries naming the other one switch, and nothing has to move.
            The old file is kept beside the new one as config.json.bak-<UTC time>, mode
            0600, unless --no-backup: it still holds the plain-text secrets.

            All or nothing: when a store, a read-back or the save fails, or on SIGINT
            or SIGTERM, every item this run stored is erased, every item it replaced is
            restored, the file is left byte for byte as it was, and the exit status is
            1. The file is locked for the whole run. A second run finds nothing to move.
            """,
        options: [
            .value(
                "store", placeholder: "NAME",
                help: "The credential store: swift, or NAME for docker-credential-NAME on PATH.",
                defaultValue: "the config's credsStore, else swift", completion: .values(["swift"])),
            .flag("dry-run", help: "List each registry, username and target store; change nothing."),
            .flag("no-backup", help: "Keep no backup of the old file and its plain-text secrets."),
        ],
        examples: [
            Example("credtool migrate --dry-run", "See which logins would leave config.json, and where to."),
            Example("credtool migrate", "Move every plain-text login into the Secret Service."),
            Example(
                "credtool migrate --store swift",
                "Switch a config from docker-credential-secretservice to docker-credential-swift."),
            Example(
                "credtool --authfile ${XDG_RUNTIME_DIR}/containers/auth.json migrate --store pass",
                "Move Podman's logins into docker-credential-pass."),
        ]
    )

    var options: ConfigOptions
    /// `--store`; `nil` when not given.
    var storeName: String?
    var isDryRun: Bool
    var keepsBackup: Bool

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        storeName = parsed.value("store")
        isDryRun = parsed.flag("dry-run")
        keepsBackup = !parsed.flag("no-backup")
        if let storeName, storeName.isEmpty || storeName.contains("/") {
            throw UsageError("--store needs a helper name, such as swift or pass")
        }
    }

    func run(_ io: inout CommandIO) throws {
        let location = try options.location(io.environment)
        let path = location.path
        // Without a file there is nothing to move, and no directory or lock file is made for it.
        guard let unlocked = try ConfigFileAccess.load(path: path) else {
            io.stdout.write("Nothing to migrate: \(path) does not exist.\n")
            return
        }
        if isDryRun {
            let plan = try MigrationPlan(unlocked, kind: location.kind, storeName: storeName)
            for move in plan.moves {
                io.stdout.write("Would move \(move.credentials.serverURL) (\(move.credentials.username)) to \(move.target.label)\n")
            }
            for change in plan.switches { io.stdout.write("Would switch \(change)\n") }
            io.stdout.write(
                plan.moves.isEmpty && plan.switches.isEmpty
                    ? "Nothing to migrate: \(path) holds no plain-text credentials.\n"
                    : "Dry run: \(count(plan.moves.count, "registry", "registries")) would move; nothing was changed.\n")
            return
        }

        let signals = InterruptionHandlers()
        defer { signals.restore() }
        let migration = Migration(makeStore: StoreContext.current.makeStore)
        let report: MigrationReport
        do {
            report = try ConfigFileAccess.withLock(path: path) { locked throws -> MigrationReport in
                guard locked.bytes != nil else { return MigrationReport() }  // removed since the first look
                let plan = try MigrationPlan(locked.config, kind: location.kind, storeName: storeName)
                if plan.moves.isEmpty {
                    // A switch alone: no secret in the file changes, so there is nothing to back up.
                    if !plan.switches.isEmpty { try locked.save(plan.applied(to: locked.config)) }
                    return MigrationReport(switches: plan.switches)
                }
                do {
                    var report = try migration.run(plan, locked: locked, backup: keepsBackup, interruption: signals)
                    report.switches = plan.switches
                    return report
                } catch {
                    // Still under the lock: no other writer has seen the file since it was read.
                    throw MigrationFailure(cause: error, rollback: migration.rollBack())
                }
            }
        } catch let failure as MigrationFailure {
            for line in failure.lines(path: path) { io.stderr.write("credtool: \(line)\n") }
            throw CredToolError.reported
        }

        for change in report.switches {
            io.stdout.write("Switched \(change): both read the same keyring items, so no login had to move\n")
        }
        if report.outcomes.isEmpty {
            if report.switches.isEmpty { io.stdout.write("Nothing to migrate: \(path) holds no plain-text credentials.\n") }
            return
        }
        for (move, outcome) in report.outcomes {
            let name = "\(move.credentials.serverURL) (\(move.credentials.username))"
            switch outcome {
            case .stored: io.stdout.write("Moved \(name) to \(move.target.label)\n")
            case .alreadyStored: io.stdout.write("Moved \(name) to \(move.target.label), which held it already\n")
            case .keptStoredItem:
                io.stdout.write(
                    "Emptied \(name): Docker used the credentials \(move.target.label) holds for it, which stay\n")
            }
        }
        io.stdout.write(
            "Migrated \(count(report.outcomes.count, "registry", "registries")); \(path) holds no plain-text"
                + " credentials now.\n")
        if let backupPath = report.backupPath {
            io.stdout.write(
                "The old file is kept as \(backupPath) (mode 0600). It still holds the plain-text secrets:"
                    + " delete it once you no longer need it.\n")
        }
    }
}

/// "1 registry", "3 registries".
private func count(_ number: Int, _ singular: String, _ plural: String) -> String {
    "\(number) \(number == 1 ? singular : plural)"
}

// MARK: - The plan

/// One registry's login to move: the credentials under the key the store files them by, the
/// `auths` keys emptied for it, and the store Docker reads it from afterwards.
struct Move {
    /// `serverURL` is the store's key: ``RegistryKey`` for a Docker config (Docker Hub is
    /// `https://index.docker.io/v1/`), the host for an auth.json (Docker Hub is `docker.io`).
    var credentials: Credentials
    /// The `auths` keys holding these credentials (legacy spellings of one registry).
    var keys: [String]
    /// `.store(NAME)` for the credsStore, `.helper(NAME)` for a credHelpers entry.
    var target: CredentialSource
    /// Whether Docker already read this registry from `target` (a credsStore or credHelpers
    /// entry shadowed the plain-text entry).
    var wasShadowed: Bool
}

/// What a migration of one config would move, worked out without touching any store.
struct MigrationPlan {
    var moves: [Move] = []
    /// The credsStore to set (a Docker config), or `nil` (an auth.json).
    var credsStore: String?
    /// Registries that get a new credHelpers entry (an auth.json), with the helper.
    var newCredHelpers: [(registry: String, helper: String)] = []
    /// What moves from Docker's secretservice helper to swift or back without a login moving:
    /// both read and write the same keyring items. One line each, for the report.
    var switches: [String] = []
    /// credHelpers entries that name the other Secret Service helper, with the one they get.
    private var switchedHelpers: [(registry: String, helper: String)] = []

    /// Plans the migration of `config`.
    ///
    /// - Parameters:
    ///   - kind: A Docker config gets `credsStore`; an auth.json `credHelpers` entries.
    ///   - storeName: `--store`, or `nil` for the config's credsStore, else `swift`.
    /// - Throws: ``CredToolError/invalidAuth(path:registry:reason:)`` for an entry that cannot
    ///   be decoded, ``MigrationError`` for a login that cannot move as it is.
    init(_ config: ConfigFile, kind: ConfigLocation.Kind, storeName: String?) throws {
        let existingStore = kind == .dockerConfig ? config.credsStore.flatMap { $0.isEmpty ? nil : $0 } : nil
        if let storeName, let existingStore, storeName != existingStore, !Self.sameItems(storeName, existingStore) {
            throw MigrationError.otherCredsStore(path: config.path, existing: existingStore, requested: storeName)
        }
        let name = storeName ?? existingStore ?? "swift"
        // --store swift on a config that uses secretservice (or the other way round) switches
        // the helper Docker runs, for credsStore and credHelpers alike: nothing hides.
        if let existingStore, existingStore != name {
            switches.append("credsStore from \(existingStore) to \(name)")
        }
        if storeName != nil {
            for (registry, helper) in config.credHelperEntries where helper != name && Self.sameItems(helper, name) {
                switchedHelpers.append((registry, name))
                switches.append("credHelpers \(registry) from \(helper) to \(name)")
            }
        }

        var index: [String: Int] = [:]
        for key in config.authKeys {
            guard let entry = config.authEntry(for: key), entry.holdsCredentials else { continue }
            let decoded: Credentials?
            do { decoded = try entry.credentials(server: key) } catch {
                guard case .invalidAuth(let registry, let reason) = error else { throw error }
                throw CredToolError.invalidAuth(path: config.path, registry: registry, reason: reason)
            }
            guard var credentials = decoded else {
                throw CredToolError.invalidAuth(path: config.path, registry: key, reason: "a password without a username")
            }
            let server = try Self.storeKey(for: key, kind: kind, path: config.path)
            credentials.serverURL = server
            if let existing = index[server] {
                guard moves[existing].credentials == credentials else {
                    throw MigrationError.conflictingEntries(
                        path: config.path, registry: server, keys: moves[existing].keys + [key])
                }
                moves[existing].keys.append(key)
                continue
            }
            let helper = switchedHelpers.contains { $0.registry == server }
                ? name : config.credHelper(for: server).flatMap { $0.isEmpty ? nil : $0 }
            let target: CredentialSource
            switch kind {
            case .dockerConfig: target = helper.map(CredentialSource.helper) ?? .store(name)
            case .podmanAuthFile:
                target = .helper(helper ?? name)
                if helper == nil { newCredHelpers.append((server, name)) }
            }
            index[server] = moves.count
            moves.append(Move(credentials: credentials, keys: [key], target: target, wasShadowed: helper != nil || existingStore != nil))
        }
        credsStore = kind == .dockerConfig ? name : nil
    }

    /// Whether two helper names reach the same items: equal, or swift and Docker's secretservice,
    /// which share the Secret Service schema.
    static func sameItems(_ one: String, _ other: String) -> Bool {
        one == other || (Doctor.secretServiceHelpers.contains(one) && Doctor.secretServiceHelpers.contains(other))
    }

    /// The key a store files `authsKey`'s credentials under, as the config's readers ask for it.
    ///
    /// Docker asks its helpers for ``RegistryKey`` (`ghcr.io`, `https://index.docker.io/v1/`);
    /// containers/image asks a credHelpers helper for the registry host (`docker.io` for Docker
    /// Hub) and has no helper for one namespace (`quay.io/org`), so such an entry cannot move.
    static func storeKey(for authsKey: String, kind: ConfigLocation.Kind, path: String) throws(MigrationError) -> String {
        switch kind {
        case .dockerConfig:
            return RegistryKey(authsKey).value
        case .podmanAuthFile:
            let host = RegistryKey.hostname(authsKey)
            var rest = Substring(authsKey)
            if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
            let namespace = rest.drop { $0 != "/" }.drop { $0 == "/" }
            if !namespace.isEmpty && !(ServerSpellings.dockerHubHosts.contains(host) && namespace == "v1/") {
                throw .namespacedEntry(path: path, key: authsKey)
            }
            return ServerSpellings.dockerHubHosts.contains(host) ? "docker.io" : host
        }
    }

    /// `config` as it is after the move: `credsStore` or the new `credHelpers` entries set,
    /// each moved entry emptied of its credentials (`{}` unless it holds other fields).
    func applied(to config: ConfigFile) -> ConfigFile {
        var result = config
        if let credsStore { result.credsStore = credsStore }
        for (registry, helper) in newCredHelpers + switchedHelpers { result.setCredHelper(helper, for: registry) }
        for move in moves {
            for key in move.keys {
                var entry = result.authEntry(for: key) ?? AuthEntry()
                // docker/cli's native store keeps the entry with its secrets cleared.
                entry.auth = nil
                entry.username = nil
                entry.password = nil
                entry.identityToken = nil
                result.setAuthEntry(entry, for: key)
            }
        }
        return result
    }
}

// MARK: - Running it

/// What became of one moved login.
enum MoveOutcome {
    /// Stored and read back.
    case stored
    /// The store held these very credentials already; nothing was stored.
    case alreadyStored
    /// The entry was shadowed by a store that holds credentials for the registry: Docker used
    /// those, so they are kept and the unused plain-text entry is only emptied.
    case keptStoredItem
}

struct MigrationReport {
    var outcomes: [(Move, MoveOutcome)] = []
    var backupPath: String?
    /// The plan's ``MigrationPlan/switches``, done.
    var switches: [String] = []
}

/// One migration run: the stores it opened (one each, so the Secret Service is one
/// connection for the whole run) and how to undo what it stored.
final class Migration {
    private let makeStore: StoreFactory
    private var stores: [String: any CredentialStore] = [:]
    /// What each store held before this run wrote to it, in order: `nil` for an item created.
    private var undo: [(target: CredentialSource, server: String, previous: Credentials?)] = []
    /// A backup written by this run, removed when the run fails.
    private var backupPath: String?

    init(makeStore: @escaping StoreFactory) {
        self.makeStore = makeStore
    }

    private func store(for target: CredentialSource) -> any CredentialStore {
        let name: String
        switch target {
        case .store(let storeName), .helper(let storeName): name = storeName
        case .file: fatalError("a migration never targets the file")  // MigrationPlan makes .store or .helper only
        }
        if let store = stores[name] { return store }
        let store = makeStore(name)
        stores[name] = store
        return store
    }

    /// Stores every login of `plan`, then writes the backup and saves the new file.
    ///
    /// - Throws: ``MoveFailure`` naming the registry, ``MigrationError`` for an interruption or
    ///   the backup, ``ConfigError`` for the save; the caller then calls ``rollBack()``.
    func run(_ plan: MigrationPlan, locked: LockedConfigFile, backup: Bool, interruption: InterruptionHandlers) throws -> MigrationReport {
        var report = MigrationReport()
        for move in plan.moves {
            try interruption.check()
            report.outcomes.append((move, try perform(move)))
        }
        try interruption.check()
        if backup, let bytes = locked.bytes {
            let path = try writeBackup(bytes, beside: locked.config.path)
            backupPath = path
            report.backupPath = path
        }
        try interruption.check()
        try locked.save(plan.applied(to: locked.config))
        backupPath = nil  // kept from here on
        return report
    }

    private func perform(_ move: Move) throws(MoveFailure) -> MoveOutcome {
        let wanted = move.credentials
        let server = wanted.serverURL
        let store = store(for: move.target)
        func fail(_ what: String, _ error: any Error) -> MoveFailure {
            MoveFailure(registry: server, reason: "\(what) \(move.target.label): \(error)")
        }
        let previous: Credentials?
        do { previous = try store.get(server: server) } catch { throw fail("cannot read it from", error) }
        // A store may answer for another spelling of the server (LibSecretStore does); only an
        // item under this very key is replaced by the store, so only that one is restored.
        let replaced = previous.flatMap { $0.serverURL == server ? $0 : nil }
        if let replaced, replaced.username == wanted.username, replaced.secret == wanted.secret { return .alreadyStored }
        if move.wasShadowed && previous != nil { return .keptStoredItem }

        // Recorded before the call: a store that fails half-way may have written the item.
        undo.append((move.target, server, replaced))
        do { try store.store(wanted) } catch { throw fail("cannot store it in", error) }
        let readBack: Credentials?
        do { readBack = try store.get(server: server) } catch { throw fail("cannot read it back from", error) }
        guard let readBack else {
            throw MoveFailure(registry: server, reason: "\(move.target.label) does not return it after storing it")
        }
        guard readBack.username == wanted.username, readBack.secret == wanted.secret else {
            throw MoveFailure(registry: server, reason: "\(move.target.label) returns other credentials than it was given")
        }
        return .stored
    }

    /// Undoes what this run stored, newest first: erases each item it created and stores again
    /// each item it replaced; removes its backup.
    ///
    /// - Returns: What was undone, and the items that could not be.
    func rollBack() -> RollbackReport {
        var report = RollbackReport()
        var failed: [(servers: [String], reason: String)] = []
        if let backupPath { unlink(backupPath) }
        backupPath = nil
        for (target, server, previous) in undo.reversed() {
            let store = store(for: target)
            do {
                if let previous {
                    try store.store(previous)
                    report.restored += 1
                } else {
                    try store.erase(server: server)
                    report.erased += 1
                }
            } catch {
                // A store that is gone fails every item the same way: one line for them all.
                let reason = "\(target.label): \(error)"
                if let last = failed.last, last.reason == reason {
                    failed[failed.count - 1].servers.append(server)
                } else {
                    failed.append(([server], reason))
                }
            }
        }
        report.failures = failed.map { "could not undo \($0.servers.joined(separator: ", ")) in \($0.reason)" }
        undo = []
        return report
    }

    /// Writes `bytes` to a new `<path>.bak-<UTC time>` (`-2`, `-3`, … when that exists), mode
    /// 0600, synced to disk.
    ///
    /// - Returns: The backup's path.
    private func writeBackup(_ bytes: [UInt8], beside path: String) throws(MigrationError) -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y%m%dT%H%M%SZ", &parts)
        let stamp = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for attempt in 1...100 {
            let candidate = path + ".bak-" + stamp + (attempt == 1 ? "" : "-\(attempt)")
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw .backupFailed(path: candidate, reason: String(cString: strerror(errno)))
            }
            var failure: Int32 = 0
            if fchmod(fd, 0o600) != 0 { failure = errno }  // the umask may have taken bits away, never added
            var written = 0
            while failure == 0 && written < bytes.count {
                let result = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if result < 0 && errno != EINTR { failure = errno }
                if result > 0 { written += result }
            }
            if failure == 0 && fsync(fd) != 0 { failure = errno }
            if close(fd) != 0 && failure == 0 { failure = errno }
            if failure != 0 {
                unlink(candidate)
                throw .backupFailed(path: candidate, reason: String(cString: strerror(failure)))
            }
            return candidate
        }
        throw .backupFailed(path: path + ".bak-" + stamp, reason: "100 backups from this second exist")
    }
}

/// What a rollback undid.
struct RollbackReport {
    var erased = 0
    var restored = 0
    /// One line per store and reason, naming the items left as the failed run made them.
    var failures: [String] = []
}

// MARK: - Signals

/// The signal that asked the run to stop (0 for none), set by the handler.
private let interruptingSignal = Atomic<Int32>(0)

/// SIGINT and SIGTERM handlers that only note the signal, so a run stops between two items and
/// rolls back rather than dying half-way; the previous handlers come back with ``restore()``.
final class InterruptionHandlers {
    private var previous: [(Int32, sigaction)] = []

    init() {
        interruptingSignal.store(0, ordering: .relaxed)
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { interruptingSignal.store($0, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            if sigaction(signal, &action, &old) == 0 { previous.append((signal, old)) }
        }
    }

    /// Throws ``MigrationError/interrupted(signal:)`` once a signal has arrived.
    func check() throws(MigrationError) {
        let signal = interruptingSignal.load(ordering: .relaxed)
        if signal != 0 { throw .interrupted(signal: signal == SIGINT ? "SIGINT" : "SIGTERM") }
    }

    /// Puts the previous handlers back.
    func restore() {
        for (signal, old) in previous {
            var old = old
            sigaction(signal, &old, nil)
        }
        previous = []
    }
}

// MARK: - Errors

/// Why a migration did not start or did not finish.
enum MigrationError: Error, CustomStringConvertible {
    /// `--store` names another store than the config's credsStore, whose logins would be hidden.
    case otherCredsStore(path: String, existing: String, requested: String)
    /// Several auths keys of one registry hold different credentials.
    case conflictingEntries(path: String, registry: String, keys: [String])
    /// An auth.json entry for one namespace of a registry, which no credential helper can serve.
    case namespacedEntry(path: String, key: String)
    case interrupted(signal: String)
    case backupFailed(path: String, reason: String)

    var description: String {
        switch self {
        case .otherCredsStore(let path, let existing, let requested):
            "\(path) already uses the credsStore \(existing), whose logins \(requested) would hide;"
                + " migrate with --store \(existing), or move those logins first"
        case .conflictingEntries(let path, let registry, let keys):
            "\(path) holds different credentials for \(registry) under "
                + keys.map { "\"\($0)\"" }.joined(separator: " and ") + "; remove the one you do not use"
        case .namespacedEntry(let path, let key):
            "\(key) in \(path) is one namespace's login, which a credential helper cannot hold; remove"
                + " it or log in to the whole registry instead"
        case .interrupted(let signal): "interrupted by \(signal)"
        case .backupFailed(let path, let reason): "cannot write the backup \(path): \(reason)"
        }
    }
}

/// A login that could not be stored, read back or matched.
struct MoveFailure: Error, CustomStringConvertible {
    var registry: String
    var reason: String
    var description: String { "cannot migrate \(registry): \(reason)" }
}

/// A failed run and its rollback.
struct MigrationFailure: Error {
    var cause: any Error
    var rollback: RollbackReport

    /// The lines credtool prints: the cause, each item that could not be undone, what was undone.
    func lines(path: String) -> [String] {
        let undone = "rolled back: erased \(count(rollback.erased, "new item", "new items")),"
            + " restored \(count(rollback.restored, "replaced item", "replaced items"))"
        let ending = rollback.failures.isEmpty
            ? "\(undone); \(path) was left as it was"
            : "\(undone), the rest could not be undone (see above); \(path) was left as it was:"
                + " run credtool migrate again once the store works"
        return ["\(cause)"] + rollback.failures + [ending]
    }
}
