import CommandLineKit
import DockerConfig

/// The global `--config DIR` and `--authfile FILE` options, shared by every command that reads
/// the user's config.
struct ConfigOptions: Sendable {
    var configDirectory: String?
    var authFile: String?

    /// Reads the options from `parsed`.
    ///
    /// - Throws: `UsageError` when both are given or either is empty.
    init(_ parsed: ParsedArguments) throws(UsageError) {
        configDirectory = parsed.value("config")
        authFile = parsed.value("authfile")
        if configDirectory != nil && authFile != nil {
            throw UsageError("--config and --authfile cannot be used together")
        }
        if configDirectory == "" { throw UsageError("--config needs a directory") }
        if authFile == "" { throw UsageError("--authfile needs a file") }
    }

    /// The config file these options and `environment` name.
    func location(_ environment: [String: String]) throws(ConfigError) -> ConfigLocation {
        try ConfigLocation.resolve(configDir: configDirectory, authFile: authFile, environment: environment)
    }

    /// The config file's content; an empty config when the file does not exist.
    func load(_ environment: [String: String]) throws(ConfigError) -> ConfigFile {
        let path = try location(environment).path
        return try ConfigFileAccess.load(path: path) ?? ConfigFile(path: path)
    }
}

extension CredentialSource {
    /// How credtool's output names the source: `file`, `store:NAME`, `helper:NAME`.
    var label: String {
        switch self {
        case .file: "file"
        case .store(let name): "store:\(name)"
        case .helper(let name): "helper:\(name)"
        }
    }
}
