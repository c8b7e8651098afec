// libFuzzer target: DockerConfig's base64 and `auth` decoding, and ConfigFile(parsing:).
//
// The bytes as text: Base64.decode never crashes, and what encode makes decodes back; an
// `auths` entry holding the text (as `auth`, `identitytoken` or `username`) gives credentials or
// a ConfigError whose message is one of a fixed set, so it can hold neither the text nor what
// it decodes to. The bytes as a file: ConfigFile(parsing:) returns or throws, and a file that
// parses serializes to a file that parses to the same root.
@testable import DockerConfig
import OrderedJSON

/// Every message `credentials(server:)` may give for a string field: none can carry the value.
private let allowedMessages: Set<String> = Set(
    [
        "auth is not base64", "auth does not decode to UTF-8 text", "auth holds no ':' between username and password",
        "auth holds an empty username",
    ].map { ConfigError.invalidAuth(registry: "fuzz.example", reason: $0).description })

@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)

    if let decoded = Base64.decode(text) {
        guard Base64.decode(Base64.encode(decoded)) == decoded else { fatalError("base64 round trip") }
    }
    guard Base64.decode(Base64.encode(bytes)) == bytes else { fatalError("base64 round trip of the raw bytes") }

    for field in ["auth", "identitytoken", "username"] {
        let entry = AuthEntry(JSONObject([(field, .string(text)), ("password", .string("pw"))]))
        do {
            _ = try entry.credentials(server: "fuzz.example")
        } catch {
            // The message is a fixed sentence around a fixed reason: no room for the value.
            guard allowedMessages.contains(error.description) else { fatalError("unexpected message: \(error)") }
        }
    }

    if let config = try? ConfigFile(parsing: bytes, path: "config.json") {
        let written = config.serialized()
        guard let again = try? ConfigFile(parsing: written, path: "config.json") else {
            fatalError("a parsed config serializes to a file that does not parse")
        }
        guard again.root == config.root else { fatalError("config round trip changed the root") }
        for key in config.authKeys { _ = try? config.authEntry(for: key)?.credentials(server: key) }
        _ = config.credsStore
        _ = config.credHelpers
    }
    return 0
}
