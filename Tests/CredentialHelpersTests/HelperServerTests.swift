import Testing
@testable import CredentialHelpers

/// Runs the helper protocol over an in-memory store with `input` on stdin.
private func run(
    _ arguments: [String], input: String = "", store: InMemoryCredentialStore = InMemoryCredentialStore()
) -> HelperServer.Outcome {
    runBytes(arguments, input: Array(input.utf8), store: store)
}

private func runBytes(
    _ arguments: [String], input: [UInt8], store: InMemoryCredentialStore = InMemoryCredentialStore()
) -> HelperServer.Outcome {
    let server = HelperServer(name: "docker-credential-swift", version: "9.9.9") { store }
    return server.run(arguments: arguments) { limit in Array(input.prefix(limit + 1)) }
}

private func outcome(_ output: String, _ status: Int32) -> HelperServer.Outcome {
    HelperServer.Outcome(output: output, status: status)
}

private let usage = "Usage: docker-credential-swift <store|get|erase|list|version>\n"

@Suite("helper protocol: actions and usage")
struct HelperActionTests {
    @Test("store then get returns the credentials, ServerURL echoing the request")
    func storeThenGet() {
        let store = InMemoryCredentialStore()
        #expect(run(["store"], input: #"{"ServerURL":"reg.example","Username":"me","Secret":"pw"}"#, store: store) == outcome("", 0))
        #expect(run(["get"], input: "  reg.example\n", store: store)
            == outcome(#"{"ServerURL":"reg.example","Username":"me","Secret":"pw"}"# + "\n", 0))
    }

    @Test("get of an unknown server prints upstream's not-found message and exits 1")
    func getMissing() {
        #expect(run(["get"], input: "nothere.example") == outcome("credentials not found in native keychain\n", 1))
    }

    @Test("erase removes, and succeeds when nothing was stored")
    func erase() {
        let store = InMemoryCredentialStore([Credentials(serverURL: "a.example", username: "u", secret: "s")])
        #expect(run(["erase"], input: "a.example\n", store: store) == outcome("", 0))
        #expect(store.items.isEmpty)
        #expect(run(["erase"], input: "a.example\n", store: store) == outcome("", 0))
    }

    @Test("list is a JSON object with keys in byte order, {} when empty")
    func list() {
        #expect(run(["list"]) == outcome("{}\n", 0))
        let store = InMemoryCredentialStore([
            Credentials(serverURL: "b.example", username: "ub", secret: "x"),
            Credentials(serverURL: "Z.example", username: "uz", secret: "x"),
            Credentials(serverURL: "a.example", username: "<token>", secret: "x"),
        ])
        #expect(run(["list"], store: store) == outcome(#"{"Z.example":"uz","a.example":"\u003ctoken\u003e","b.example":"ub"}"# + "\n", 0))
    }

    @Test("identity tokens round-trip")
    func identityToken() {
        let store = InMemoryCredentialStore()
        _ = run(["store"], input: #"{"ServerURL":"t.example","Username":"<token>","Secret":"refresh-token"}"#, store: store)
        #expect(run(["get"], input: "t.example", store: store)
            == outcome(#"{"ServerURL":"t.example","Username":"\u003ctoken\u003e","Secret":"refresh-token"}"# + "\n", 0))
    }

    @Test("version, help and usage", arguments: zip(
        [["version"], ["--version"], ["-v"], ["--help"], ["-h"], [], ["get", "extra"], ["foo"]],
        [outcome("docker-credential-swift (credtool) 9.9.9\n", 0), outcome("docker-credential-swift (credtool) 9.9.9\n", 0),
         outcome("docker-credential-swift (credtool) 9.9.9\n", 0), outcome(usage, 0), outcome(usage, 0),
         outcome(usage, 1), outcome(usage, 1), outcome("docker-credential-swift: unknown action: foo\n", 1)]))
    func usageLines(arguments: [String], expected: HelperServer.Outcome) {
        #expect(run(arguments) == expected)
    }

    @Test("version and usage never open the store")
    func noStoreForVersion() {
        let server = HelperServer(name: "h", version: "1") {
            Issue.record("the store was opened")
            return InMemoryCredentialStore()
        }
        _ = server.run(arguments: ["version"]) { _ in [] }
        _ = server.run(arguments: ["nope"]) { _ in [] }
    }

    @Test("a store failure is one line on stdout and exit 1")
    func storeFailure() {
        struct Down: Error, CustomStringConvertible { var description: String { "the keyring is locked:\nunlock it" } }
        let store = InMemoryCredentialStore()
        store.failure = Down()
        #expect(run(["get"], input: "a.example", store: store) == outcome("the keyring is locked: unlock it\n", 1))
        #expect(run(["list"], store: store) == outcome("the keyring is locked: unlock it\n", 1))
    }
}

@Suite("helper protocol: bad input stores nothing")
struct HelperInputTests {
    struct BadStore: Sendable, CustomTestStringConvertible {
        var input: String
        var message: String
        var testDescription: String { message }
    }

    static let padded = "the server URL starts or ends with white space, which get and erase could never match; nothing was stored"

    static let badStores: [BadStore] = [
        BadStore(input: "", message: #"no credentials on stdin: expected {"ServerURL":…,"Username":…,"Secret":…}"#),
        BadStore(input: " \n\t", message: #"no credentials on stdin: expected {"ServerURL":…,"Username":…,"Secret":…}"#),
        BadStore(input: "{", message: "the credentials on stdin are not valid JSON: line 1, column 2: unexpected end of input: expected a string key or '}' (the object starts at line 1, column 1)"),
        BadStore(input: "[]", message: #"the credentials on stdin must be a JSON object {"ServerURL":…,"Username":…,"Secret":…}"#),
        BadStore(input: #"{"ServerURL":"a","Username":"u","Secret":"s"} trailing"#, message: "the credentials on stdin are not valid JSON: line 1, column 47: unexpected 't' after the JSON value"),
        BadStore(input: #"{"Username":"u","Secret":"s"}"#, message: "no credentials server URL"),
        BadStore(input: #"{"ServerURL":"","Username":"u","Secret":"s"}"#, message: "no credentials server URL"),
        BadStore(input: #"{"ServerURL":null,"Username":"u","Secret":"s"}"#, message: "no credentials server URL"),
        // Found by fuzz/helper.swift: get trims its stdin, so " a" could never be read or erased.
        BadStore(input: #"{"ServerURL":" a","Username":"u","Secret":"s"}"#, message: padded),
        BadStore(input: #"{"ServerURL":"a\n","Username":"u","Secret":"s"}"#, message: padded),
        BadStore(input: #"{"ServerURL":"a\u2003","Username":"u","Secret":"s"}"#, message: padded),
        BadStore(input: #"{"ServerURL":"a","Secret":"s"}"#, message: "no credentials username"),
        BadStore(input: #"{"ServerURL":"a","Username":"u"}"#, message: "no credentials secret: the Secret field is missing"),
        BadStore(input: #"{"ServerURL":"a","Username":"u","Secret":5}"#, message: "the credentials field Secret must be a string"),
        BadStore(input: #"{"ServerURL":"a\u0000evil","Username":"u","Secret":"s"}"#, message: "the server URL contains a NUL character, which the credential store cannot keep"),
        BadStore(input: #"{"ServerURL":"a","Username":"u\u0000","Secret":"s"}"#, message: "the username contains a NUL character, which the credential store cannot keep"),
        BadStore(input: #"{"ServerURL":"a","Username":"u","Secret":"s\u0000"}"#, message: "the secret contains a NUL character, which the credential store cannot keep"),
    ]

    @Test(arguments: badStores)
    func refusesStore(_ bad: BadStore) {
        let store = InMemoryCredentialStore()
        #expect(run(["store"], input: bad.input, store: store) == outcome(bad.message + "\n", 1))
        #expect(store.items.isEmpty)
    }

    @Test("the message never holds the secret")
    func noSecretInErrors() {
        let secret = "hunter2-very-secret"
        for input in [#"{"ServerURL":"","Username":"u","Secret":"\#(secret)"}"#, #"{"ServerURL":"a","Username":"u","Secret":"\#(secret)\u0000"}"#,
                      #"{"ServerURL":"a","Username":"u","Secret":"\#(secret)"#] {
            #expect(!run(["store"], input: input).output.contains(secret))
        }
    }

    @Test("keys match case-insensitively and unknown keys are ignored, as Go's decoder does")
    func foldsKeys() {
        let store = InMemoryCredentialStore()
        #expect(run(["store"], input: #"{"serverurl":"a.example","USERNAME":"u","secret":"s","Extra":[1,2]}"#, store: store) == outcome("", 0))
        #expect(store.items["a.example"] == Credentials(serverURL: "a.example", username: "u", secret: "s"))
    }

    @Test("1 MiB of input is accepted, 1 MiB + 1 byte is refused")
    func inputLimit() {
        let padding = HelperServer.inputLimit - #"{"ServerURL":"big.example","Username":"u","Secret":""}"#.utf8.count
        let exact = #"{"ServerURL":"big.example","Username":"u","Secret":"\#(String(repeating: "x", count: padding))"}"#
        let store = InMemoryCredentialStore()
        #expect(exact.utf8.count == HelperServer.inputLimit)
        #expect(run(["store"], input: exact, store: store) == outcome("", 0))
        #expect(store.items["big.example"]?.secret.count == padding)
        let over = InMemoryCredentialStore()
        #expect(run(["store"], input: exact + " ", store: over) == outcome("the input on stdin is larger than 1048576 bytes; nothing was changed\n", 1))
        #expect(over.items.isEmpty)
        #expect(run(["get"], input: String(repeating: " ", count: HelperServer.inputLimit + 1)).status == 1)
    }

    @Test("get and erase refuse empty input, NUL and invalid UTF-8")
    func badServerURL() {
        #expect(run(["get"], input: " \n") == outcome("no credentials server URL\n", 1))
        #expect(run(["erase"], input: "") == outcome("no credentials server URL\n", 1))
        #expect(run(["get"], input: "victim.example\u{0}evil") == outcome("the server URL contains a NUL character, which the credential store cannot keep\n", 1))
        #expect(runBytes(["get"], input: [0x61, 0xFF]) == outcome("the server URL on stdin is not valid UTF-8\n", 1))
    }
}

@Suite("helper protocol: output escaped as Go's encoder does")
struct HelperEscapingTests {
    @Test("secrets with quotes, backslashes, control characters, HTML characters and unicode")
    func escapes() {
        let secret = "q\"b\\n\nt\tc\u{1}d\u{7F}<>&\u{2028}\u{2029}é😀/\u{8}\u{C}"
        let store = InMemoryCredentialStore([Credentials(serverURL: "e.example", username: "ü", secret: secret)])
        let expected = #"{"ServerURL":"e.example","Username":"ü","Secret":"q\"b\\n\nt\tc\u0001d"#
            + "\u{7F}" + #"\u003c\u003e\u0026\u2028\u2029é😀/\u0008\u000c"}"# + "\n"
        #expect(run(["get"], input: "e.example", store: store) == outcome(expected, 0))
    }

    @Test("a stored secret comes back byte for byte")
    func roundTrip() {
        let store = InMemoryCredentialStore()
        let input = #"{"ServerURL":"r.example","Username":"u","Secret":"a\"b\\c\/d\u00e9\ud83d\ude00\n"}"#
        #expect(run(["store"], input: input, store: store).status == 0)
        #expect(store.items["r.example"]?.secret == "a\"b\\c/dé😀\n")
    }
}

@Suite("server spellings")
struct ServerSpellingTests {
    @Test(arguments: zip(
        ["reg.example", "https://reg.example", "https://reg.example/", "reg.example:5000/v2/", "docker.io",
         "https://index.docker.io/v1/", "registry-1.docker.io", "", "https://"],
        [["https://reg.example"], ["reg.example"], ["reg.example", "https://reg.example"],
         ["reg.example:5000/v2", "https://reg.example:5000/v2", "reg.example:5000", "https://reg.example:5000"],
         ["https://index.docker.io/v1/", "index.docker.io"], ["docker.io", "index.docker.io"],
         ["https://index.docker.io/v1/", "docker.io", "index.docker.io"], [], []]))
    func alternatives(server: String, expected: [String]) {
        #expect(ServerSpellings.alternatives(for: server) == expected)
    }

    @Test("never another host or port")
    func sameHost() {
        for server in ["reg.example:5000", "https://reg.example:5000/path/", "[::1]:5000"] {
            for alternative in ServerSpellings.alternatives(for: server) {
                #expect(alternative.contains(server.contains("::1") ? "[::1]:5000" : "reg.example:5000"))
            }
        }
    }
}
