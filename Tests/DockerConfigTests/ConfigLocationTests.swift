import DockerConfig
import Testing

@Suite("config file location")
struct ConfigLocationTests {
    @Test("--authfile, then --config, then DOCKER_CONFIG, then HOME")
    func order() throws {
        let environment = ["DOCKER_CONFIG": "/env/docker", "HOME": "/home/u"]
        #expect(try ConfigLocation.resolve(configDir: "/cfg", authFile: "/run/auth.json", environment: environment)
            == ConfigLocation(path: "/run/auth.json", kind: .podmanAuthFile))
        #expect(try ConfigLocation.resolve(configDir: "/cfg/", authFile: nil, environment: environment)
            == ConfigLocation(path: "/cfg/config.json", kind: .dockerConfig))
        #expect(try ConfigLocation.resolve(configDir: nil, authFile: nil, environment: environment)
            == ConfigLocation(path: "/env/docker/config.json", kind: .dockerConfig))
        #expect(try ConfigLocation.resolve(configDir: "", authFile: "", environment: ["HOME": "/home/u", "DOCKER_CONFIG": ""])
            == ConfigLocation(path: "/home/u/.docker/config.json", kind: .dockerConfig))
    }

    @Test("without HOME the password database gives the home directory")
    func passwordDatabase() throws {
        let location = try ConfigLocation.resolve(configDir: nil, authFile: nil, environment: [:])
        #expect(location.path.hasSuffix("/.docker/config.json"))
    }
}
