import CommandLineKit
import CredentialHelpers
import DockerConfig
import Kubernetes

/// `credtool kubelet-provider`: a kubelet credential provider exec plugin answering from this
/// node's docker config.
struct KubeletProviderCommand: Command {
    static let spec = CommandSpec(
        name: "kubelet-provider",
        abstract: "Answer a kubelet's image credential provider request from the config.",
        discussion: """
            A kubelet image credential provider (exec plugin). Reads a
            CredentialProviderRequest (credentialprovider.kubelet.k8s.io/v1, v1beta1 or
            v1alpha1) on standard input and prints a CredentialProviderResponse of the
            same version on standard output.

            The image is matched as the kubelet matches it against the registries the
            config knows (its auths, credHelpers and credsStore entries): each host
            label as a glob (*.example.com), equal ports, and the key's path a prefix
            of the image's. A Docker Hub image (nginx, docker.io/library/nginx) also
            matches https://index.docker.io/v1/. The response's auth holds the
            credentials of every matching registry, most specific first, keyed as the
            kubelet expects; identity tokens, which the kubelet cannot use, are left
            out. Its cacheKeyType is Registry (Image when a key has a path), and its
            cacheDuration is --cache-duration. When nothing matches, auth is empty and
            the exit status is 0: the kubelet pulls without credentials.

            A request that is not JSON, or not a CredentialProviderRequest of a known
            version, is refused with a message on stderr and status 1; so is a store
            that fails, so that the kubelet caches no empty answer.

            The kubelet runs the plugin from --image-credential-provider-bin-dir (the
            provider's name, credtool, is the program's file name) as its
            --image-credential-provider-config file says. A node has no desktop
            keyring: give DOCKER_CONFIG a config readable by root alone, or one whose
            credHelpers name a helper that works without a session. For example:
              apiVersion: kubelet.config.k8s.io/v1
              kind: CredentialProviderConfig
              providers:
                - name: credtool
                  matchImages:
                    - "registry.example.com"
                    - "*.registry.example.com"
                    - "ghcr.io"
                  defaultCacheDuration: "5m"
                  apiVersion: credentialprovider.kubelet.k8s.io/v1
                  args:
                    - kubelet-provider
                  env:
                    - name: DOCKER_CONFIG
                      value: /etc/credtool
            """,
        options: [
            .value(
                "cache-duration", placeholder: "DURATION",
                help: "How long the kubelet may cache the answer, in Go's syntax (90s, 5m, 1h30m).",
                defaultValue: "5m")
        ],
        examples: [
            Example(
                "credtool kubelet-provider < request.json",
                #"Answer a request such as {"apiVersion":"credentialprovider.kubelet.k8s.io/v1","kind":"CredentialProviderRequest","image":"ghcr.io/org/app:1"}."#
            ),
            Example(
                "credtool --config /etc/credtool kubelet-provider --cache-duration 1h < request.json",
                "Answer from the config in /etc/credtool, letting the kubelet cache it for an hour."),
        ]
    )

    /// The most a request may take (the kubelet's are a few hundred bytes, or a few KiB with a
    /// service account token).
    static let requestLimit = 1 << 20

    var options: ConfigOptions
    var cacheDuration: GoDuration

    init(_ parsed: ParsedArguments) throws(UsageError) {
        options = try ConfigOptions(parsed)
        let text = parsed.value("cache-duration") ?? "5m"
        do throws(KubernetesError) {
            cacheDuration = try GoDuration(parsing: text)
        } catch {
            throw UsageError("--cache-duration: \(error)")
        }
        if cacheDuration.nanoseconds < 0 { throw UsageError("--cache-duration must not be negative") }
    }

    func run(_ io: inout CommandIO) throws {
        let request = try CredentialProviderRequest(parsing: io.stdin.readAll(limit: Self.requestLimit))
        let config = try options.load(io.environment)
        let makeStore = StoreContext.current.makeStore
        let resolver = CredentialResolver(config: config, makeStore: makeStore)

        var keys = config.authKeys + config.credHelperEntries.map(\.registry)
        if let store = config.credsStore, !store.isEmpty {
            keys += try makeStore(store).list().keys.sorted()
        }
        var credentials: [Credentials] = []
        for key in matchingKeys(image: request.image, keys: keys) {
            // A plain-text entry is read under its exact key: a Podman auth.json may file
            // credentials by path (quay.io/org), which the registry's key would not tell apart.
            let entry = resolver.source(for: key) == .file ? config.authEntry(for: key) : nil
            guard let found = try entry.map({ try $0.credentials(server: key) }) ?? resolver.credentials(for: key)
            else {
                continue
            }
            credentials.append(Credentials(serverURL: key, username: found.username, secret: found.secret))
        }
        let response = CredentialProviderResponse(
            answering: request, credentials: credentials, cacheDuration: cacheDuration)
        io.stdout.write(response.json())
    }
}
