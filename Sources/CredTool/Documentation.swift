import CommandLineKit

// The man pages and completion scripts of both programs, rendered from their command specs.
// `credtool __generate-docs DIR` writes them; DocumentationTests compares them with the files
// committed under completions/ and man/.

/// The `.Dd` date of both man pages. Bumped by hand at a release, so that the generated files
/// only change when the commands do.
package let documentationDate = "December 3, 2026"

/// A generated file: its path relative to the package root, and its content.
package struct GeneratedDocument: Sendable, Equatable {
    package var path: String
    package var content: String
}

/// Every generated documentation file, in a fixed order: the man pages, then the bash, zsh and
/// fish completions of credtool and of docker-credential-swift.
package func generatedDocuments() -> [GeneratedDocument] {
    var documents = [
        GeneratedDocument(
            path: "man/credtool.1",
            content: manPage(for: credToolSpec, date: documentationDate, extra: credToolManExtras)),
        GeneratedDocument(
            path: "man/docker-credential-swift.1",
            content: manPage(for: helperSpec, date: documentationDate, extra: helperManExtras)),
    ]
    for spec in [credToolSpec, helperSpec] {
        documents += [
            GeneratedDocument(path: "completions/\(spec.name).bash", content: bashCompletion(for: spec)),
            GeneratedDocument(path: "completions/_\(spec.name)", content: zshCompletion(for: spec)),
            GeneratedDocument(path: "completions/\(spec.name).fish", content: fishCompletion(for: spec)),
        ]
    }
    return documents
}

// MARK: - credtool

/// The sections of credtool(1) that its command specs do not describe.
package let credToolManExtras = ManPageExtras(
    environment: [
        (
            "DOCKER_CONFIG",
            "The directory holding config.json, unless --config or --authfile is given."
        ),
        (
            "HOME",
            "The home directory, holding ~/.docker/config.json when DOCKER_CONFIG is not set (the password database names it when HOME is unset or empty). credtool doctor also checks ~/.dockercfg and ~/.config/containers/auth.json there."
        ),
        ("PATH", "Where the credential helpers docker-credential-NAME that credsStore and credHelpers name are looked for."),
        (
            "CREDTOOL_HELPER_TIMEOUT",
            "How many seconds one call of such a helper may take before it is killed (default 30; a fraction such as 0.5 is allowed). 0 sets no limit, for a helper that asks for a passphrase. Any other value is a usage error."
        ),
        ("NO_COLOR", "When set and not empty, output has no color; otherwise color is used only on a terminal."),
        (
            "DBUS_SESSION_BUS_ADDRESS",
            "The D-Bus session bus on which the Secret Service is reached for the store named swift; without it, $XDG_RUNTIME_DIR/bus."
        ),
        ("XDG_RUNTIME_DIR", "credtool doctor checks $XDG_RUNTIME_DIR/containers/auth.json, Podman's credentials."),
        (
            "XDG_CONFIG_HOME",
            "credtool doctor checks $XDG_CONFIG_HOME/containers/auth.json (default ~/.config/containers/auth.json)."
        ),
        ("REGISTRY_AUTH_FILE", "credtool doctor checks the auth.json it names, as Podman reads it."),
    ],
    files: [
        ("~/.docker/config.json", "The Docker config: auths, credsStore, credHelpers and Docker's other settings."),
        (
            "~/.docker/config.json.lock",
            "The lock credtool takes (flock) while it changes config.json; it is left in place, empty."
        ),
        ("~/.dockercfg", "Docker's legacy credentials file, reported by credtool doctor."),
        (
            "$XDG_RUNTIME_DIR/containers/auth.json",
            "Podman's credentials, read with --authfile and checked by credtool doctor."
        ),
    ],
    exitStatus: [
        (0, "Success; also --help and --version."),
        (1, "The operation failed, or credtool doctor found something to fix; a message on standard error says what."),
        (64, "The command line was wrong (EX_USAGE): a message, the usage line and a pointer to --help on standard error."),
    ],
    seeAlso: [
        ("docker-credential-swift", 1), ("docker-login", 1), ("podman-login", 1), ("secret-tool", 1),
        ("containers-auth.json", 5),
    ]
)

// MARK: - docker-credential-swift

/// The command line of `docker-credential-swift`, for its man page and completion scripts only.
///
/// The helper itself parses its one argument in `CredentialHelpers.HelperServer` and links
/// neither CommandLineKit nor this module; HelperServer's usage line lists the same actions.
package let helperSpec = CommandSpec(
    name: "docker-credential-swift",
    abstract: "Credential helper for Docker that keeps registry credentials in the Secret Service.",
    discussion: """
        docker-credential-swift is a credential helper for the docker CLI and every client
        that speaks the docker-credential-helpers protocol (skopeo, podman, buildah,
        docker-py, go-containerregistry). It keeps registry credentials in the Secret
        Service (GNOME Keyring, KeePassXC and others) through libsecret, never in a file.

        Each run performs one action, named by its only argument. Input comes on standard
        input and output goes to standard output. Every failure is one line on standard
        output and exit status 1, as the protocol requires; messages never hold a secret.
        Standard input is read up to 1 MiB (1048576 bytes): longer input is refused and
        nothing is stored.
        """,
    subcommands: [
        CommandSpec(
            name: "store",
            abstract: "Store the credentials read from standard input.",
            discussion: """
                Reads one JSON object:
                  {"ServerURL":"ghcr.io","Username":"octocat","Secret":"..."}

                Keys are matched case-insensitively and unknown keys are ignored, as Go's
                decoder does. A Username of <token> marks an identity token, kept in Secret.
                Storing a server again replaces its item, whatever the username. Prints
                nothing and exits 0.

                A missing or empty ServerURL fails with "no credentials server URL", a missing
                or empty Username with "no credentials username". Malformed JSON, a missing
                Secret and a NUL character in any field are refused too; nothing is stored.
                """
        ),
        CommandSpec(
            name: "get",
            abstract: "Print the credentials stored for the server URL read from standard input.",
            discussion: """
                Reads a server URL (surrounding white space is trimmed) and prints one line:
                  {"ServerURL":"ghcr.io","Username":"octocat","Secret":"..."}

                The keys come in that order and ServerURL echoes the request; strings are
                escaped as Go's encoder escapes them, so the bytes are those Docker's own
                helper prints. When no item has that exact server, the spellings Docker
                treats as the same registry are tried: with or without https:// and a
                trailing /, and docker.io, index.docker.io and https://index.docker.io/v1/.
                Another host or port never matches.

                When nothing is stored for the server, it prints exactly this line and exits 1:
                  credentials not found in native keychain

                Empty input fails with "no credentials server URL". A locked item
                is unlocked when the keyring can show a prompt; otherwise the message says
                the keyring is locked and how to unlock it.
                """
        ),
        CommandSpec(
            name: "erase",
            abstract: "Remove the credentials of the server URL read from standard input.",
            discussion: """
                Reads a server URL, as get does, and removes its item (or the item get would
                have answered with). Prints nothing and exits 0, also when nothing was
                stored. Empty input fails with "no credentials server URL".
                """
        ),
        CommandSpec(
            name: "list",
            abstract: "Print every stored server and its username as a JSON object.",
            discussion: """
                Prints one line, keys sorted, {} when nothing is stored:
                  {"ghcr.io":"octocat","quay.io":"robot"}

                Only attributes are read: no secret is loaded and no unlock is asked for, so
                a locked keyring is listed too and list never prompts. Standard input is not
                read.
                """
        ),
        CommandSpec(
            name: "version",
            abstract: "Print the version: docker-credential-swift (credtool) and its number.",
            discussion: "The same as --version and -v."
        ),
    ],
    examples: [
        Example(
            #"printf '{"ServerURL":"ghcr.io","Username":"octocat","Secret":"%s"}' "$TOKEN" | docker-credential-swift store"#,
            "Store a token for ghcr.io, as docker login does."),
        Example(
            "echo ghcr.io | docker-credential-swift get", "Print the credentials stored for ghcr.io, as JSON."),
        Example("docker-credential-swift list", "List every stored server and its username."),
        Example("echo ghcr.io | docker-credential-swift erase", "Forget the credentials for ghcr.io."),
    ]
)

/// The sections of docker-credential-swift(1) that its command spec does not describe.
package let helperManExtras = ManPageExtras(
    environment: [
        (
            "DBUS_SESSION_BUS_ADDRESS",
            "The D-Bus session bus on which the Secret Service (org.freedesktop.secrets) is reached; without it, $XDG_RUNTIME_DIR/bus. With no bus, every action but version fails with a message saying to run inside a desktop session or dbus-run-session."
        )
    ],
    exitStatus: [
        (0, "The action succeeded (erase also when nothing was stored); also --help and --version."),
        (
            1,
            "The action failed: credentials not found in native keychain, bad input, or an unreachable or locked Secret Service; one line on standard output says which. Also an unknown action, and no action at all (after the usage line)."
        ),
    ],
    examples: [
        (
            "docker login ghcr.io",
            "With credsStore set to swift (see CONFIGURATION), docker login keeps the password in the Secret Service."
        )
    ],
    seeAlso: [
        ("credtool", 1), ("docker-credential-secretservice", 1), ("gnome-keyring-daemon", 1), ("secret-tool", 1),
        ("containers-auth.json", 5),
    ],
    extraSections: [
        (
            "CONFIGURATION",
            [
                """
                Docker runs the helper found on PATH by its name without the docker-credential-
                prefix. To keep every registry's credentials in the Secret Service, set
                credsStore in ~/.docker/config.json (or $DOCKER_CONFIG/config.json):
                  { "credsStore": "swift" }

                To use it for one registry only, name it in credHelpers:
                  { "credHelpers": { "ghcr.io": "swift" } }
                """,
                """
                skopeo, podman and buildah read credHelpers from their auth.json
                ($XDG_RUNTIME_DIR/containers/auth.json, or the file --authfile or
                REGISTRY_AUTH_FILE names), and from the credential-helpers list of
                containers-registries.conf(5) for every registry:
                  { "credHelpers": { "quay.io": "swift" } }
                """,
            ]
        ),
        (
            "SECRET SERVICE ITEMS",
            [
                """
                Each server has one item in the default collection, with the schema
                io.docker.Credentials and the attributes server (the server URL as stored),
                username, docker_cli = 1 and label = Docker Credentials. Its label is
                Registry credentials for SERVER. The secret is the password or token.
                """,
                """
                These are the items of Docker's docker-credential-secretservice, so both
                helpers share them both ways: each reads, lists and erases the other's
                items, including those docker-credential-secretservice 0.6 labelled with the
                bare server URL. Switching credsStore between secretservice and swift keeps
                every login. The secret-tool(1) command shows them:
                  secret-tool search --all xdg:schema io.docker.Credentials
                """,
            ]
        ),
    ]
)
