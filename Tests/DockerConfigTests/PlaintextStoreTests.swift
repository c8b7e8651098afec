import CredentialHelpers
import DockerConfig
import Testing

@Suite("plain-text credentials in auths")
struct PlaintextStoreTests {
    @Test("store, get, list and erase through the file, keeping its other keys")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write(dockerGolden, to: "config.json")
        let store = PlaintextStore(path: dir.file("config.json"))

        try store.store(Credentials(serverURL: "https://quay.io/v1/", username: "robot", secret: "pw:with:colons"))
        #expect(try store.get(server: "quay.io") == Credentials(serverURL: "quay.io", username: "robot", secret: "pw:with:colons"))
        #expect(try store.list()["quay.io"] == "robot")
        #expect(try store.list()["registry.example.com:5000"] == "<token>")

        #expect(try store.erase(server: "quay.io"))
        #expect(try !store.erase(server: "quay.io"))
        #expect(try store.get(server: "quay.io") == nil)
        #expect(try dir.read("config.json") == dockerGolden)  // back to the original bytes
    }

    @Test("Docker Hub aliases and legacy keys name the same entry")
    func aliases() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write(#"{"auths": {"https://reg.example.com/v1/": {"auth": "\#(base64("old:pw"))"}}}"#, to: "config.json")
        let store = PlaintextStore(path: dir.file("config.json"))
        #expect(try store.get(server: "reg.example.com")?.username == "old")

        try store.store(Credentials(serverURL: "docker.io", username: "hubuser", secret: "hubpw"))
        #expect(try dir.read("config.json").contains("\"https://index.docker.io/v1/\""))
        #expect(try store.get(server: "registry-1.docker.io")?.secret == "hubpw")

        #expect(try store.erase(server: "http://reg.example.com"))
        #expect(try store.list() == ["https://index.docker.io/v1/": "hubuser"])
    }

    @Test("an identity token is written as identitytoken")
    func identityToken() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let store = PlaintextStore(path: dir.file("config.json"))
        try store.store(Credentials(serverURL: "r.example.com", username: "<token>", secret: "refresh"))
        #expect(try dir.read("config.json") == "{\n\t\"auths\": {\n\t\t\"r.example.com\": {\n\t\t\t\"identitytoken\": \"refresh\"\n\t\t}\n\t}\n}")
        #expect(try store.get(server: "r.example.com")?.isIdentityToken == true)
    }

    @Test("a missing file is an empty store")
    func missingFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let store = PlaintextStore(path: dir.file("config.json"))
        #expect(try store.get(server: "r.example.com") == nil)
        #expect(try store.list() == [:])
        #expect(try !store.erase(server: "r.example.com"))
        #expect(try dir.entries() == ["config.json.lock"])
    }
}
