#if canImport(Glibc)
import Glibc
#endif
import OrderedJSON

/// Why a Docker config file could not be read, understood or saved.
///
/// Each `description` is one line naming the file or registry and what to do. No case carries a
/// secret: ``invalidAuth(registry:reason:)`` names the registry and the kind of damage, never the
/// encoded or decoded value.
package enum ConfigError: Error, Sendable, CustomStringConvertible {
    /// The file is not valid JSON.
    case notJSON(path: String, JSONError)
    /// The file's top level is not a JSON object.
    case notAnObject(path: String)
    /// A field that must be an object (`auths`, `credHelpers`, an entry of `auths`) is not one.
    case fieldNotAnObject(path: String, field: String)
    /// A field that must be a string (`credsStore`, an entry of `credHelpers`) is not one.
    case fieldNotAString(path: String, field: String)
    /// A directory stands where the file should be.
    case isDirectory(path: String)
    /// The file exists but could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The path names a FIFO, a device or a socket rather than a regular file.
    case notARegularFile(path: String)
    /// The file is larger than a config file can reasonably be.
    case tooLarge(path: String, limit: Int)
    /// An `auths` entry holds credentials that cannot be decoded.
    case invalidAuth(registry: String, reason: String)
    /// The lock beside the file could not be taken.
    case lockFailed(path: String, reason: String)
    /// Writing the new file failed; the old file is untouched.
    case saveFailed(path: String, reason: String)
    /// No home directory to find `~/.docker/config.json` in.
    case noHomeDirectory

    package var description: String {
        switch self {
        case .notJSON(let path, let error):
            "\(path) is not valid JSON (\(error)); fix or move the file"
        case .notAnObject(let path):
            "\(path) must hold a JSON object at the top level; fix or move the file"
        case .fieldNotAnObject(let path, let field):
            "\(field) in \(path) must be a JSON object; fix the file"
        case .fieldNotAString(let path, let field):
            "\(field) in \(path) must be a string; fix the file"
        case .isDirectory(let path):
            "\(path) is a directory, not a config file; move it or point credtool at a file"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason); check its permissions"
        case .notARegularFile(let path):
            "\(path) is not a regular file; point credtool at a config file"
        case .tooLarge(let path, let limit):
            "\(path) is larger than \(limit >> 20) MiB, too large for a config file; check what it holds"
        case .invalidAuth(let registry, let reason):
            "the credentials for \(registry) in the config are invalid (\(reason)); log in to \(registry) again"
        case .lockFailed(let path, let reason):
            "cannot lock \(path): \(reason); check the directory's permissions"
        case .saveFailed(let path, let reason):
            "cannot save \(path): \(reason); the file was left as it was"
        case .noHomeDirectory:
            "no home directory: set HOME or DOCKER_CONFIG, or pass --config"
        }
    }
}

/// The text of a `strerror` code, such as "Permission denied".
func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
