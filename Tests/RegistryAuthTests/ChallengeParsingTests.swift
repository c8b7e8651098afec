import Testing

@testable import RegistryAuth

struct ChallengeCase: Sendable, CustomTestStringConvertible {
    var header: String
    var expected: [Challenge]
    var testDescription: String
}

@Suite("WWW-Authenticate parsing")
struct ChallengeParsingTests {
    static let cases: [ChallengeCase] = [
        ChallengeCase(
            header: #"Basic realm="x""#, expected: [Challenge(scheme: "basic", parameters: ["realm": "x"])],
            testDescription: "Basic with a realm"),
        ChallengeCase(
            header: #"Bearer realm="https://auth/token",service="registry.docker.io",scope="repository:foo:pull""#,
            expected: [
                Challenge(
                    scheme: "bearer",
                    parameters: ["realm": "https://auth/token", "service": "registry.docker.io", "scope": "repository:foo:pull"])
            ], testDescription: "Bearer with realm, service and scope"),
        ChallengeCase(
            header: #"bearer realm="https://auth/token""#,
            expected: [Challenge(scheme: "Bearer", parameters: ["realm": "https://auth/token"])],
            testDescription: "lower-case scheme"),
        ChallengeCase(
            header: #"BASIC Realm="x", CHARSET="UTF-8""#,
            expected: [Challenge(scheme: "basic", parameters: ["realm": "x", "charset": "UTF-8"])],
            testDescription: "upper-case scheme and parameter names"),
        ChallengeCase(
            header: #"Bearer realm="https://a/token",service="s", Basic realm="r""#,
            expected: [
                Challenge(scheme: "bearer", parameters: ["realm": "https://a/token", "service": "s"]),
                Challenge(scheme: "basic", parameters: ["realm": "r"]),
            ], testDescription: "two challenges joined with a comma"),
        ChallengeCase(
            header: #"Basic realm="a,b", Bearer realm="c""#,
            expected: [
                Challenge(scheme: "basic", parameters: ["realm": "a,b"]),
                Challenge(scheme: "bearer", parameters: ["realm": "c"]),
            ], testDescription: "a comma inside a quoted string"),
        ChallengeCase(
            header: #"Basic realm="say \"hi\", then \\ go""#,
            expected: [Challenge(scheme: "basic", parameters: ["realm": #"say "hi", then \ go"#])],
            testDescription: "escaped quote and backslash"),
        ChallengeCase(
            header: "Bearer realm=https://auth/token,service=registry",
            expected: [Challenge(scheme: "bearer", parameters: ["realm": "https://auth/token", "service": "registry"])],
            testDescription: "unquoted values, a URL among them"),
        ChallengeCase(
            header: #"Bearer   realm = "x" ,  service = y"#,
            expected: [Challenge(scheme: "bearer", parameters: ["realm": "x", "service": "y"])],
            testDescription: "spaces around = and commas"),
        ChallengeCase(
            header: "Basic", expected: [Challenge(scheme: "basic")], testDescription: "a scheme alone"),
        ChallengeCase(
            header: "Negotiate, Basic realm=r",
            expected: [Challenge(scheme: "negotiate"), Challenge(scheme: "basic", parameters: ["realm": "r"])],
            testDescription: "a bare scheme before another challenge"),
        ChallengeCase(
            header: "Negotiate YII+/a==, Basic realm=r",
            expected: [
                Challenge(scheme: "negotiate", token68: "YII+/a=="), Challenge(scheme: "basic", parameters: ["realm": "r"]),
            ], testDescription: "a token68 challenge"),
        ChallengeCase(
            header: #"Basic realm="", Bearer realm="b""#,
            expected: [
                Challenge(scheme: "basic", parameters: ["realm": ""]), Challenge(scheme: "bearer", parameters: ["realm": "b"]),
            ], testDescription: "an empty quoted value"),
        ChallengeCase(
            header: #"Bearer realm="https://auth/token",scope="repository:a:pull repository:b:push""#,
            expected: [
                Challenge(
                    scheme: "bearer", parameters: ["realm": "https://auth/token", "scope": "repository:a:pull repository:b:push"])
            ], testDescription: "a scope with a space inside quotes"),
        ChallengeCase(
            header: #", Basic realm="x",,"#, expected: [Challenge(scheme: "basic", parameters: ["realm": "x"])],
            testDescription: "empty list elements are ignored"),
        ChallengeCase(
            header: #"Bearer error="invalid_token",realm="x",error_description="The token is expired""#,
            expected: [
                Challenge(
                    scheme: "bearer",
                    parameters: ["error": "invalid_token", "realm": "x", "error_description": "The token is expired"])
            ], testDescription: "error parameters"),
        ChallengeCase(
            header: "Basic realm=\"ünïcode\"", expected: [Challenge(scheme: "basic", parameters: ["realm": "ünïcode"])],
            testDescription: "non-ASCII in a quoted string"),
    ]

    @Test(arguments: cases)
    func parses(_ c: ChallengeCase) throws {
        #expect(try Challenge.parse(c.header) == c.expected)
    }

    @Test("parameters are looked up without case")
    func caseInsensitiveLookup() throws {
        let challenge = try #require(try Challenge.parse(#"Bearer Realm="x""#).first)
        #expect(challenge[parameter: "REALM"] == "x")
        #expect(challenge.scheme == "bearer")
    }

    static let garbage = [
        "", "   ", "=realm", #"Basic realm="unterminated"#, #"Basic realm="x" junk"#, #"Basic "x""#,
        #"Basic realm="a", realm="b""#, "Basic realm=x\\", #"Basic realm="x\"#, "Bas;ic realm=x", #"Basic realm=x"y""#,
    ]

    @Test("malformed values are rejected", arguments: garbage)
    func rejectsGarbage(_ header: String) {
        #expect(throws: RegistryAuthError.self) { try Challenge.parse(header) }
    }
}
