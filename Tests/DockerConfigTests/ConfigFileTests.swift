@testable import DockerConfig
import OrderedJSON
import Testing

// Tabs in these literals are real tabs: the files as docker (json.MarshalIndent with "\t"),
// podman and Docker Desktop write them, without a trailing newline.

/// config.json as the docker CLI writes it, keys in docker/cli's struct order.
let dockerGolden = """
{
	"auths": {
		"ghcr.io": {
			"auth": "\(base64("octocat:ghp_abc"))"
		},
		"https://index.docker.io/v1/": {
			"auth": "\(base64("alice:hub:pass"))"
		},
		"registry.example.com:5000": {
			"auth": "\(base64("bob:"))",
			"identitytoken": "refresh-token"
		}
	},
	"HttpHeaders": {
		"User-Agent": "Docker-Client/24.0.7 (linux)"
	},
	"psFormat": "table {{.ID}}\\t{{.Image}}\\t{{.Names}}",
	"credsStore": "pass",
	"credHelpers": {
		"123456789012.dkr.ecr.us-east-1.amazonaws.com": "ecr-login",
		"gcr.io": "gcloud"
	},
	"proxies": {
		"default": {
			"httpProxy": "http://proxy.example.com:3128",
			"noProxy": "localhost,127.0.0.1"
		}
	},
	"currentContext": "rootless",
	"plugins": {
		"buildx": {
			"hooks": "build"
		}
	}
}
"""

/// auth.json as podman (containers/image) writes it.
let podmanGolden = """
{
	"auths": {
		"quay.io": {
			"auth": "\(base64("robot+ci:TOKEN123"))"
		},
		"registry.redhat.io": {
			"auth": "\(base64("rh-user:rh-pass"))"
		}
	}
}
"""

/// config.json as Docker Desktop writes it: credentials in its store, `{}` entries in `auths`.
let desktopGolden = """
{
	"auths": {
		"ghcr.io": {},
		"https://index.docker.io/v1/": {}
	},
	"credsStore": "desktop",
	"currentContext": "desktop-linux"
}
"""

@Suite("config.json model")
struct ConfigFileTests {
    static let goldens = [("docker", dockerGolden), ("podman", podmanGolden), ("desktop", desktopGolden)]

    @Test("untouched files come back byte-identical", arguments: goldens)
    func roundTrip(_ golden: (String, String)) throws {
        let config = try ConfigFile(parsing: Array(golden.1.utf8), path: golden.0)
        #expect(config.serialized() == Array(golden.1.utf8))
    }

    @Test("typed views read docker's fields")
    func views() throws {
        let config = try ConfigFile(parsing: Array(dockerGolden.utf8), path: "config.json")
        #expect(config.credsStore == "pass")
        #expect(config.credHelpers == ["gcr.io": "gcloud", "123456789012.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"])
        #expect(config.credHelperEntries.map(\.registry) == ["123456789012.dkr.ecr.us-east-1.amazonaws.com", "gcr.io"])
        #expect(config.authKeys == ["ghcr.io", "https://index.docker.io/v1/", "registry.example.com:5000"])
        let hub = try #require(config.authEntry(for: "https://index.docker.io/v1/"))
        #expect(try hub.credentials(server: "docker.io")?.secret == "hub:pass")
        #expect(config.authEntry(for: "quay.io") == nil)
    }

    @Test("editing one entry changes only that entry's line")
    func editOneEntry() throws {
        var config = try ConfigFile(parsing: Array(dockerGolden.utf8), path: "config.json")
        var entry = try #require(config.authEntry(for: "ghcr.io"))
        entry.setPlaintext(username: "octocat", password: "ghp_new")
        config.setAuthEntry(entry, for: "ghcr.io")
        let expected = dockerGolden.replacingAll(base64("octocat:ghp_abc"), with: base64("octocat:ghp_new"))
        #expect(String(decoding: config.serialized(), as: UTF8.self) == expected)
    }

    @Test("setting values back to what they were leaves the bytes identical")
    func setSameValues() throws {
        var config = try ConfigFile(parsing: Array(dockerGolden.utf8), path: "config.json")
        config.credsStore = "pass"
        config.setCredHelper("gcloud", for: "gcr.io")
        for key in config.authKeys { config.setAuthEntry(try #require(config.authEntry(for: key)), for: key) }
        config.removeAuthEntry(for: "not-there.example.com")
        config.setCredHelper(nil, for: "not-there.example.com")
        #expect(config.serialized() == Array(dockerGolden.utf8))

        var empty = ConfigFile(path: "new.json")
        empty.removeAuthEntry(for: "x")
        empty.credsStore = nil
        #expect(String(decoding: empty.serialized(), as: UTF8.self) == "{}")
    }

    @Test("removing and adding keep the other keys in order")
    func removeAndAdd() throws {
        var config = try ConfigFile(parsing: Array(desktopGolden.utf8), path: "config.json")
        config.credsStore = nil
        config.removeAuthEntry(for: "ghcr.io")
        config.setAuthEntry(.plaintext(username: "u", password: "p"), for: "quay.io")
        config.setCredHelper("swift", for: "quay.io")
        let expected = """
        {
        	"auths": {
        		"https://index.docker.io/v1/": {},
        		"quay.io": {
        			"auth": "dTpw"
        		}
        	},
        	"currentContext": "desktop-linux",
        	"credHelpers": {
        		"quay.io": "swift"
        	}
        }
        """
        #expect(String(decoding: config.serialized(), as: UTF8.self) == expected)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var text: String
        var message: String
        var testDescription: String { message }
    }

    static let bad: [BadCase] = [
        BadCase(text: "{\n\t\"auths\": {,}\n}", message: "c.json is not valid JSON (line 2, column 12: "),
        BadCase(text: "[]", message: "c.json must hold a JSON object at the top level; fix or move the file"),
        BadCase(text: #"{"auths": []}"#, message: "auths in c.json must be a JSON object; fix the file"),
        BadCase(text: #"{"credHelpers": "pass"}"#, message: "credHelpers in c.json must be a JSON object; fix the file"),
        BadCase(text: #"{"credsStore": {}}"#, message: "credsStore in c.json must be a string; fix the file"),
        BadCase(text: #"{"auths": {"ghcr.io": "x"}}"#, message: #"auths["ghcr.io"] in c.json must be a JSON object; fix the file"#),
        BadCase(text: #"{"credHelpers": {"gcr.io": 1}}"#, message: #"credHelpers["gcr.io"] in c.json must be a string; fix the file"#),
        BadCase(text: #"{"Auths": 1}"#, message: "auths in c.json must be a JSON object; fix the file"),  // Go folds case
    ]

    @Test("malformed files are refused with the path and what is wrong", arguments: bad)
    func rejects(_ c: BadCase) throws {
        let error = try #require(throws: ConfigError.self) { try ConfigFile(parsing: Array(c.text.utf8), path: "c.json") }
        #expect(error.description.hasPrefix(c.message))
    }

    @Test("an empty file, or one of white space only, is an empty config, as docker reads it",
          arguments: ["", " ", "\n", " \t\r\n "])
    func emptyText(_ text: String) throws {
        var config = try ConfigFile(parsing: Array(text.utf8), path: "c.json")
        #expect(config.authKeys.isEmpty && config.credsStore == nil && config.credHelpers.isEmpty)
        config.credsStore = "swift"
        #expect(String(decoding: config.serialized(), as: UTF8.self) == "{\n\t\"credsStore\": \"swift\"\n}")
    }

    @Test("null fields read as absent, as Go reads them")
    func nulls() throws {
        let config = try ConfigFile(parsing: Array(#"{"auths": {"a": null}, "credsStore": null, "credHelpers": null}"#.utf8), path: "c")
        #expect(config.credsStore == nil)
        #expect(config.credHelpers.isEmpty)
        #expect(config.authEntry(for: "a") == AuthEntry())
    }

    @Test("a differently cased top-level key is read and written where it is")
    func foldedKeys() throws {
        var config = try ConfigFile(parsing: Array(#"{"CredsStore":"pass"}"#.utf8), path: "c")
        #expect(config.credsStore == "pass")
        config.credsStore = "swift"
        #expect(String(decoding: config.serialized(), as: UTF8.self) == "{\n\t\"CredsStore\": \"swift\"\n}")
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
