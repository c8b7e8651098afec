// swift-tools-version: 6.0
import PackageDescription

// The helper (docker-credential-swift) links CLibSecret, SecretService, CredentialHelpers and
// OrderedJSON only: none of them imports Foundation, so no ICU is loaded on every `docker pull`.
// Its release build links the Swift runtime statically (see the linker settings below).
let package = Package(
    name: "credtool",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "docker-credential-swift", targets: ["docker-credential-swift"]),
        .executable(name: "credtool", targets: ["credtool"]),
    ],
    targets: [
        .systemLibrary(
            name: "CLibSecret",
            pkgConfig: "libsecret-1",
            providers: [.apt(["libsecret-1-dev"])]
        ),
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "OrderedJSON"),
        .target(name: "CredentialHelpers", dependencies: ["OrderedJSON"]),
        .target(name: "SecretService", dependencies: ["CLibSecret", "CredentialHelpers"]),
        .target(name: "CommandLineKit"),
        .target(name: "DockerConfig", dependencies: ["OrderedJSON", "CredentialHelpers"]),
        .target(name: "Kubernetes", dependencies: ["CLibYAML", "OrderedJSON", "DockerConfig", "CredentialHelpers"]),
        .target(name: "RegistryAuth", dependencies: ["CredentialHelpers"]),
        .target(
            name: "CredTool",
            dependencies: [
                "CommandLineKit", "DockerConfig", "CredentialHelpers", "SecretService", "OrderedJSON", "Kubernetes",
                "RegistryAuth",
            ]
        ),
        .executableTarget(
            name: "docker-credential-swift",
            dependencies: ["CredentialHelpers", "SecretService"],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
        ),
        .executableTarget(name: "credtool", dependencies: ["CredTool"]),

        .testTarget(name: "OrderedJSONTests", dependencies: ["OrderedJSON"]),
        .testTarget(name: "CredentialHelpersTests", dependencies: ["CredentialHelpers", "OrderedJSON"]),
        .testTarget(name: "SecretServiceTests", dependencies: ["SecretService", "CredentialHelpers"]),
        .testTarget(name: "CommandLineKitTests", dependencies: ["CommandLineKit"]),
        .testTarget(name: "DockerConfigTests", dependencies: ["DockerConfig", "OrderedJSON", "CredentialHelpers"]),
        .testTarget(name: "KubernetesTests", dependencies: ["Kubernetes", "OrderedJSON", "DockerConfig", "CredentialHelpers"]),
        .testTarget(
            name: "RegistryAuthTests", dependencies: ["RegistryAuth", "CredentialHelpers"], exclude: ["Fixtures"]),
        .testTarget(name: "CredToolTests", dependencies: ["CredTool", "DockerConfig", "CredentialHelpers"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["docker-credential-swift", "credtool", "CredentialHelpers"]
        ),
    ]
)
