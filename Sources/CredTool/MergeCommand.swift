#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import DockerConfig
import OrderedJSON

/// `credtool merge FILE... [--output FILE]`: one config from the credentials of several.
struct MergeCommand: Command {
    static let spec = CommandSpec(
        name: "merge",
        abstract: "Merge the credentials of several config.json or auth.json files.",
        discussion: """
            Combines the auths, credHelpers and credsStore of each FILE, read in order:
            later files win. auths entries are matched by registry (https://host/v1/ and
            host are the same registry), and an empty entry ({}) never replaces one
            holding credentials. credsStore is kept only when every file that sets it
            agrees. Each conflict is reported on stderr, naming the registry and the
            files, never a credential.

            The result holds auths, credHelpers and credsStore only. It goes to stdout,
            tab-indented as docker writes config.json. With --output, those three keys of
            the output file are replaced (created with mode 0600 if it does not exist) and
            its other keys are kept; the save is atomic and under the file's lock. To keep
            the output file's own logins, name it among the inputs too: it is then read
            under the lock. No file is written when any input cannot be read or decoded.
            """,
        options: [
            .value(
                "output", short: "o", placeholder: "FILE",
                help: "Save the result into FILE instead of printing it.", completion: .file)
        ],
        arguments: [
            ArgumentSpec(
                "FILE", help: "A config.json or auth.json; later files win.", isRepeated: true, completion: .file)
        ],
        examples: [
            Example(
                "credtool merge ~/.docker/config.json ${XDG_RUNTIME_DIR}/containers/auth.json",
                "Print one config holding your Docker and Podman logins."),
            Example(
                "credtool merge ~/.docker/config.json ci.json --output ~/.docker/config.json",
                "Add the logins of ci.json to your Docker config, keeping its other settings."),
        ]
    )

    var files: [String]
    var output: String?

    init(_ parsed: ParsedArguments) throws(UsageError) {
        files = parsed.arguments("FILE")
        output = parsed.value("output")
        if files.contains("") { throw UsageError("FILE must not be empty") }
        if output == "" { throw UsageError("--output needs a file") }
    }

    func run(_ io: inout CommandIO) throws {
        var inputs: [ConfigFile] = []
        for path in files {
            guard let config = try ConfigFileAccess.load(path: path) else {
                throw CredToolError.fileNotFound(path: path)
            }
            try Self.checkCredentials(config)
            inputs.append(config)
        }
        guard let output else {
            let (merged, conflicts) = ConfigFile.merge(configs: inputs)
            Self.report(conflicts, to: &io)
            io.stdout.write(merged.serialized() + [UInt8(ascii: "\n")])
            return
        }
        let outputFile = FileIdentity(path: output)
        let conflicts = try ConfigFileAccess.update(path: output) { current in
            // An input that is the output file is taken as read under the lock, so a
            // concurrent change to it is merged rather than lost.
            try Self.checkCredentials(current)
            let locked = inputs.map { input in
                outputFile != nil && FileIdentity(path: input.path) == outputFile
                    ? ConfigFile(root: current.root, path: input.path) : input
            }
            let (merged, conflicts) = ConfigFile.merge(configs: locked)
            for field in ["auths", "credHelpers", "credsStore"] {
                Self.replace(field, in: &current.root, with: merged.root[field])
            }
            return conflicts
        }
        Self.report(conflicts, to: &io)
    }

    private static func report(_ conflicts: [String], to io: inout CommandIO) {
        for conflict in conflicts { io.stderr.write("credtool: warning: \(conflict)\n") }
    }

    /// Decodes every `auths` entry, so a damaged one is refused rather than carried along.
    private static func checkCredentials(_ config: ConfigFile) throws(CredToolError) {
        for key in config.authKeys {
            do { _ = try config.authEntry(for: key)?.credentials(server: key) } catch {
                guard case .invalidAuth(let registry, let reason) = error else { continue }
                throw .invalidAuth(path: config.path, registry: registry, reason: reason)
            }
        }
    }

    /// Sets the top-level member Go would read for `field` (matched case-insensitively, the
    /// last match winning) to `value`, in place; other spellings are removed, and `nil` removes
    /// every spelling.
    private static func replace(_ field: String, in root: inout JSONObject, with value: JSONValue?) {
        let folded = field.lowercased()
        let spellings = root.keys.filter { $0.lowercased() == folded }
        for spelling in spellings.dropLast() { root.removeValue(forKey: spelling) }
        root[spellings.last ?? field] = value
    }
}

/// A file's device and inode, to tell whether two paths name the same file.
private struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64

    /// The identity of the file at `path` (links followed), or `nil` when there is none.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
