/// Why a credtool command failed, beyond the errors of the modules it calls.
///
/// Each `description` is the one line the runner prints after `credtool: `; none holds a
/// secret.
enum CredToolError: Error, Sendable, CustomStringConvertible {
    /// `credtool get`: no source holds credentials for the server.
    case noCredentials(server: String)
    /// `credtool logout`: nothing was removed.
    case notLoggedIn(server: String)
    /// A file named on the command line does not exist.
    case fileNotFound(path: String)
    /// An `auths` entry of a named file cannot be decoded (``ConfigError`` names the registry
    /// but not the file).
    case invalidAuth(path: String, registry: String, reason: String)
    /// The command has printed its failures on stderr already; the runner adds nothing.
    case reported

    var description: String {
        switch self {
        case .noCredentials(let server): "no credentials for \(server)"
        case .notLoggedIn(let server): "not logged in to \(server)"
        case .fileNotFound(let path): "\(path) does not exist; check the path"
        case .invalidAuth(let path, let registry, let reason):
            "the credentials for \(registry) in \(path) are invalid (\(reason)); fix or remove the entry"
        case .reported: ""
        }
    }
}
