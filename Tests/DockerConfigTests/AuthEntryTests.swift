import CredentialHelpers
@testable import DockerConfig
import OrderedJSON
import Testing

struct AuthCase: Sendable, CustomTestStringConvertible {
    var auth: String
    var username: String
    var password: String
    var testDescription: String
}

@Suite("auth entries and base64")
struct AuthEntryTests {
    static let valid: [AuthCase] = [
        AuthCase(auth: "dXNlcjpwYXNz", username: "user", password: "pass", testDescription: "padded, no padding needed"),
        AuthCase(auth: base64("alice:secret"), username: "alice", password: "secret", testDescription: "padded"),
        AuthCase(auth: "YWxpY2U6c2VjcmV0", username: "alice", password: "secret", testDescription: "no padding needed"),
        AuthCase(auth: "YTpi", username: "a", password: "b", testDescription: "short"),
        AuthCase(auth: "YTpiYw", username: "a", password: "bc", testDescription: "unpadded (kubelet)"),
        AuthCase(auth: "YTpiYw==", username: "a", password: "bc", testDescription: "padded =="),
        AuthCase(auth: " \t" + base64("a:b") + "\n ", username: "a", password: "b", testDescription: "surrounding white space"),
        AuthCase(auth: base64("bob:pa:ss:word"), username: "bob", password: "pa:ss:word", testDescription: "password with colons"),
        AuthCase(auth: base64("bob:"), username: "bob", password: "", testDescription: "empty password"),
        AuthCase(auth: base64("bob:pw\0\0"), username: "bob", password: "pw", testDescription: "NULs trimmed as Go does"),
        AuthCase(auth: base64("jöhn:pässwörd€"), username: "jöhn", password: "pässwörd€", testDescription: "UTF-8"),
    ]

    @Test(arguments: valid)
    func decodes(_ c: AuthCase) throws {
        let entry = AuthEntry(["auth": .string(c.auth)])
        let credentials = try entry.credentials(server: "r.example.com")
        #expect(credentials == Credentials(serverURL: "r.example.com", username: c.username, secret: c.password))
    }

    static let invalid: [(String, String)] = [
        ("not base64!", "auth is not base64"),
        ("YTpiY", "auth is not base64"),  // one symbol left over
        ("YTpi=", "auth is not base64"),  // padding that does not complete a group
        ("YTpiYw=", "auth is not base64"),
        (base64("nocolonS3CRET"), "auth holds no ':' between username and password"),
        (base64(":S3CRET"), "auth holds an empty username"),
    ]

    @Test("invalid auth names the registry and never the secret", arguments: invalid)
    func rejects(_ c: (String, String)) throws {
        let entry = AuthEntry(["auth": .string(c.0)])
        let error = try #require(throws: ConfigError.self) { try entry.credentials(server: "r.example.com") }
        #expect(error.description == "the credentials for r.example.com in the config are invalid (\(c.1)); log in to r.example.com again")
        #expect(!error.description.contains(c.0))
        #expect(!error.description.contains("S3CRET"))
    }

    @Test("encoding is padded standard base64 of user:password")
    func encodes() {
        for text in ["", "a", "ab", "abc", "abcd", "user:p@ss/w+rd?", "ÿþ:€"] {
            #expect(Base64.encode(text.utf8) == base64(text))
            #expect(Base64.decode(base64(text)) == Array(text.utf8))
        }
        #expect(AuthEntry.plaintext(username: "u", password: "p:w").fields == ["auth": .string(base64("u:p:w"))])
    }

    @Test("identity tokens, the old username/password form, and empty entries")
    func otherForms() throws {
        let token = AuthEntry(["auth": .string(base64("alice:")), "identitytoken": "refresh"])
        #expect(try token.credentials(server: "r") == Credentials(serverURL: "r", username: "<token>", secret: "refresh"))
        let old = AuthEntry(["username": "bob", "password": "pw", "email": "bob@example.com"])
        #expect(try old.credentials(server: "r") == Credentials(serverURL: "r", username: "bob", secret: "pw"))
        #expect(try AuthEntry().credentials(server: "r") == nil)
        #expect(!AuthEntry().holdsCredentials)
        #expect(try AuthEntry(["Auth": .string(base64("x:y"))]).credentials(server: "r")?.username == "x")  // Go folds case
        #expect(throws: ConfigError.self) { try AuthEntry(["auth": 5]).credentials(server: "r") }
    }

    @Test("setting credentials keeps unknown fields and their order")
    func setKeepsFields() {
        var entry = AuthEntry(["email": "e@example.com", "Auth": "old", "x-extra": true, "password": "pw"])
        entry.setPlaintext(username: "u", password: "p")
        #expect(entry.fields == ["email": "e@example.com", "Auth": .string(base64("u:p")), "x-extra": true])
        entry.setIdentityToken("tok")
        #expect(entry.fields == ["email": "e@example.com", "x-extra": true, "identitytoken": "tok"])
    }
}
