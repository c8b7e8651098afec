#if canImport(Glibc)
import Glibc
#endif

/// Which file holds the credentials, and in which tool's format.
package struct ConfigLocation: Hashable, Sendable {
    /// The tool whose file this is.
    package enum Kind: Hashable, Sendable {
        /// A Docker `config.json` (`auths`, `credsStore`, `credHelpers` and Docker's other keys).
        case dockerConfig
        /// A Podman / containers-auth `auth.json` named with `--authfile`.
        case podmanAuthFile
    }

    /// The file's path (it may not exist yet).
    package var path: String
    /// What kind of file it is.
    package var kind: Kind

    package init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// Finds the config file the way Docker does, with Podman's `--authfile` first.
    ///
    /// In order: `authFile` (Podman's `--authfile FILE`); `configDir/config.json` (`--config
    /// DIR`); `$DOCKER_CONFIG/config.json`; `$HOME/.docker/config.json`, with the home directory
    /// from the password database when `HOME` is unset or empty. Empty values count as unset.
    /// - Parameters:
    ///   - configDir: The `--config` directory, if given.
    ///   - authFile: The `--authfile` file, if given.
    ///   - environment: The environment to read `DOCKER_CONFIG` and `HOME` from.
    /// - Throws: ``ConfigError/noHomeDirectory`` when nothing names a directory.
    package static func resolve(
        configDir: String?, authFile: String?, environment: [String: String]
    ) throws(ConfigError) -> ConfigLocation {
        if let authFile, !authFile.isEmpty { return ConfigLocation(path: authFile, kind: .podmanAuthFile) }
        if let configDir, !configDir.isEmpty { return ConfigLocation(path: join(configDir, "config.json"), kind: .dockerConfig) }
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty {
            return ConfigLocation(path: join(directory, "config.json"), kind: .dockerConfig)
        }
        guard let home = environment["HOME"].flatMap({ $0.isEmpty ? nil : $0 }) ?? passwordDatabaseHome() else {
            throw .noHomeDirectory
        }
        return ConfigLocation(path: join(join(home, ".docker"), "config.json"), kind: .dockerConfig)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The current user's home directory from `getpwuid_r`, as Go's `os/user` falls back to.
    private static func passwordDatabaseHome() -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwuid_r(getuid(), &entry, &buffer, buffer.count, &result) == 0, result != nil,
              let directory = entry.pw_dir else { return nil }
        let home = String(cString: directory)
        return home.isEmpty ? nil : home
    }
}
