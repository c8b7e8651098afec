/// What went wrong talking to the Secret Service. Each description is one line that says what
/// to do; none holds a secret.
package enum SecretServiceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No D-Bus session bus to talk to.
    case noSessionBus(detail: String)
    /// A session bus, but nothing on it provides org.freedesktop.secrets.
    case noProvider(detail: String)
    /// The collection is locked and could not be unlocked here (no prompt could be shown).
    case locked
    /// A field holds a NUL character, which libsecret's C strings would cut at.
    case containsNUL(field: String)
    /// Any other failure, with libsecret's or the provider's message.
    case failed(message: String)

    package var description: String {
        switch self {
        case .noSessionBus(let detail):
            "no D-Bus session bus (\(detail)): run inside a desktop session, or start one with dbus-run-session"
        case .noProvider(let detail):
            "no Secret Service provider on the session bus (\(detail)): start gnome-keyring-daemon"
                + " (or KeePassXC with its Secret Service integration), or run inside dbus-run-session with one"
        case .locked:
            "the keyring is locked and no unlock prompt could be shown: unlock it with your desktop's"
                + " keyring tool, or with `gnome-keyring-daemon --replace --unlock` reading the password on stdin"
        case .containsNUL(let field):
            "the \(field) contains a NUL character, which the Secret Service cannot store"
        case .failed(let message):
            "Secret Service error: \(message)"
        }
    }
}
