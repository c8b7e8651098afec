import OrderedJSON

/// The server side of the docker-credential-helpers protocol: turns an action and its stdin into
/// calls on a ``CredentialStore`` and the exact stdout and exit status Docker clients expect.
///
/// Follows docker-credential-helpers >= 0.8 (`credentials/credentials.go`): every failure is one
/// line on stdout and exit status 1. It is stricter than upstream where upstream loses data:
/// stdin past ``inputLimit`` bytes, trailing garbage after the JSON, a missing `Secret`, a NUL
/// character in any field and a `ServerURL` with surrounding white space (which `get` would trim
/// and never find) are refused instead of being cut or stored.
package struct HelperServer {
    /// The largest stdin accepted (1 MiB; upstream's line scanner fails at 64 KiB).
    package static let inputLimit = 1 << 20

    /// The message Docker clients recognise as "no credentials", byte for byte.
    package static let notFoundMessage = "credentials not found in native keychain"

    /// The program name used in usage and version lines.
    package var name: String
    /// The version printed by `version`.
    package var version: String
    /// Opens the store on first use, so `version` and usage errors never touch D-Bus.
    package var makeStore: () throws -> any CredentialStore

    package init(name: String, version: String, makeStore: @escaping () throws -> any CredentialStore) {
        self.name = name
        self.version = version
        self.makeStore = makeStore
    }

    /// What the helper prints on stdout and the status it exits with.
    package struct Outcome: Equatable, Sendable {
        package var output: String
        package var status: Int32
    }

    /// Runs one invocation.
    ///
    /// - Parameters:
    ///   - arguments: argv without the program name.
    ///   - readInput: reads stdin, at most `limit` bytes; it returns more than `limit` bytes
    ///     only to say that stdin was longer.
    package func run(arguments: [String], readInput: (_ limit: Int) throws -> [UInt8]) -> Outcome {
        let usage = "Usage: \(name) <store|get|erase|list|version>\n"
        guard arguments.count == 1 else { return Outcome(output: usage, status: 1) }
        do {
            switch arguments[0] {
            case "--help", "-h":
                return Outcome(output: usage, status: 0)
            case "version", "--version", "-v":
                return Outcome(output: "\(name) (credtool) \(version)\n", status: 0)
            case "store":
                let credentials = try Self.decodeCredentials(try input(readInput))
                try makeStore().store(credentials)
                return Outcome(output: "", status: 0)
            case "get":
                let server = try Self.serverURL(try input(readInput))
                guard let found = try makeStore().get(server: server) else {
                    return Outcome(output: Self.notFoundMessage + "\n", status: 1)
                }
                return Outcome(output: Self.encode(Credentials(serverURL: server, username: found.username, secret: found.secret)), status: 0)
            case "erase":
                let server = try Self.serverURL(try input(readInput))
                try makeStore().erase(server: server)
                return Outcome(output: "", status: 0)
            case "list":
                return Outcome(output: Self.encodeList(try makeStore().list()), status: 0)
            case let action:
                return Outcome(output: "\(name): unknown action: \(action)\n", status: 1)
            }
        } catch {
            return Outcome(output: Self.oneLine("\(error)") + "\n", status: 1)
        }
    }

    // MARK: - Input

    private func input(_ readInput: (Int) throws -> [UInt8]) throws -> [UInt8] {
        let bytes = try readInput(Self.inputLimit)
        if bytes.count > Self.inputLimit { throw HelperError.inputTooLarge(limit: Self.inputLimit) }
        return bytes
    }

    /// The server URL on stdin of `get` and `erase`, with surrounding white space removed.
    static func serverURL(_ bytes: [UInt8]) throws(HelperError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        let server = String(text.unicodeScalars.trimmingWhiteSpace())
        if server.isEmpty { throw .missingServerURL }
        if server.containsNUL { throw .containsNUL(.serverURL) }
        return server
    }

    /// The credentials on stdin of `store`: a JSON object whose keys are matched as Go's decoder
    /// matches struct fields (exact, then case-insensitively); other keys are ignored.
    static func decodeCredentials(_ bytes: [UInt8]) throws(HelperError) -> Credentials {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { throw .emptyInput }
        let value: JSONValue
        do { value = try JSONValue(parsing: bytes) } catch { throw .malformedJSON(error) }
        guard let object = value.objectValue else { throw .notAnObject }
        func field(_ name: String) throws(HelperError) -> String? {
            switch object.value(forKeyFoldingCase: name) {
            case nil, .null?: return nil
            case .string(let text)?: return text
            case _?: throw .notAString(name)
            }
        }
        let server = try field("ServerURL") ?? ""
        let username = try field("Username") ?? ""
        let secret = try field("Secret")
        if server.isEmpty { throw .missingServerURL }
        // get and erase trim their stdin, so an item stored under " a" could never be read or
        // erased again: refuse it rather than leave it behind.
        if server.unicodeScalars.trimmingWhiteSpace().count != server.unicodeScalars.count {
            throw .serverURLPadded
        }
        if username.isEmpty { throw .missingUsername }
        guard let secret else { throw .missingSecret }
        let credentials = Credentials(serverURL: server, username: username, secret: secret)
        if let field = credentials.fieldContainingNUL { throw .containsNUL(field) }
        return credentials
    }

    // MARK: - Output

    /// `{"ServerURL":…,"Username":…,"Secret":…}` and a newline, escaped as Go's encoder does.
    package static func encode(_ credentials: Credentials) -> String {
        var output = "{\"ServerURL\":"
        appendJSONString(credentials.serverURL, to: &output)
        output += ",\"Username\":"
        appendJSONString(credentials.username, to: &output)
        output += ",\"Secret\":"
        appendJSONString(credentials.secret, to: &output)
        output += "}\n"
        return output
    }

    /// The `list` object, keys in byte order as Go sorts map keys, and a newline.
    static func encodeList(_ servers: [String: String]) -> String {
        var output = "{"
        for (index, server) in servers.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { output += "," }
            appendJSONString(server, to: &output)
            output += ":"
            appendJSONString(servers[server]!, to: &output)  // the key comes from this dictionary
        }
        return output + "}\n"
    }

    /// The protocol allows one line per error: line breaks inside a message become spaces.
    private static func oneLine(_ message: String) -> String {
        String(message.map { $0.isNewline ? " " : $0 })
    }
}

/// Why the helper refused its input.
package enum HelperError: Error, Sendable, CustomStringConvertible {
    case inputTooLarge(limit: Int)
    case emptyInput
    case invalidUTF8
    case malformedJSON(JSONError)
    case notAnObject
    case notAString(String)
    case missingServerURL
    /// `store`'s ServerURL starts or ends with white space, which `get` and `erase` trim away.
    case serverURLPadded
    case missingUsername
    case missingSecret
    case containsNUL(CredentialField)

    package var description: String {
        switch self {
        case .inputTooLarge(let limit):
            "the input on stdin is larger than \(limit) bytes; nothing was changed"
        case .emptyInput:
            "no credentials on stdin: expected {\"ServerURL\":…,\"Username\":…,\"Secret\":…}"
        case .invalidUTF8:
            "the server URL on stdin is not valid UTF-8"
        case .malformedJSON(let error):
            "the credentials on stdin are not valid JSON: \(error)"
        case .notAnObject:
            "the credentials on stdin must be a JSON object {\"ServerURL\":…,\"Username\":…,\"Secret\":…}"
        case .notAString(let field):
            "the credentials field \(field) must be a string"
        case .missingServerURL:
            "no credentials server URL"  // upstream's text, which clients may match
        case .serverURLPadded:
            "the server URL starts or ends with white space, which get and erase could never match; nothing was stored"
        case .missingUsername:
            "no credentials username"  // upstream's text
        case .missingSecret:
            "no credentials secret: the Secret field is missing"
        case .containsNUL(let field):
            "the \(field.rawValue) contains a NUL character, which the credential store cannot keep"
        }
    }
}

extension String.UnicodeScalarView {
    /// The scalars without leading and trailing white space (Go's `strings.TrimSpace`).
    func trimmingWhiteSpace() -> Substring.UnicodeScalarView {
        let start = firstIndex { !$0.properties.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.properties.isWhitespace }.map(index(after:)) ?? start
        return self[start..<Swift.max(start, end)]
    }
}
