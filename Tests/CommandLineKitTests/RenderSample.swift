@testable import CommandLineKit

/// A tree shaped like credtool's for the completion and man-page renderers: globals with
/// directory and file completion, a flag, custom completions that call a hidden helper command,
/// a fixed value list, a repeated option, a nested group, and help text full of characters the
/// shells and roff treat specially.
enum RenderSample {
    static let config = OptionSpec.value(
        "config", short: "c", placeholder: "DIR", help: "The directory that holds config.json.",
        defaultValue: "~/.docker", completion: .directory, isGlobal: true)
    static let authfile = OptionSpec.value(
        "authfile", placeholder: "FILE", help: "Read and write this auth file (podman's format) instead.",
        completion: .file, isGlobal: true)

    static let list = CommandSpec(
        name: "list", abstract: "List the registries that have credentials.",
        options: [.flag("json", short: "j", help: "Print JSON instead of a table.")])
    static let get = CommandSpec(
        name: "get", abstract: "Print the credentials for one registry.",
        discussion: "The password is printed as is: pipe it, don't show it.",
        arguments: [
            ArgumentSpec("SERVER", help: "The registry, such as ghcr.io.", completion: .custom("credtool __complete registries"))
        ],
        examples: [Example("credtool get ghcr.io | jq -r .Secret", "Print only the token for ghcr.io.")])
    static let exportSecret = CommandSpec(
        name: "export-secret", abstract: "Print a Kubernetes image pull Secret.",
        discussion: "Writes a [kubernetes.io/dockerconfigjson] Secret.\n\n.dockerconfigjson holds the auths; 'kubectl apply -f -' reads it.",
        options: [
            .value(
                "output", short: "o", placeholder: "FORMAT", help: "The manifest format: yaml or json.",
                defaultValue: "yaml", completion: .values(["yaml", "json"])),
            .repeated(
                "registry", short: "r", placeholder: "R",
                help: "Export this registry only [repeatable]; a\\b: back\\slash test.",
                completion: .custom("credtool __complete registries")),
        ])
    static let merge = CommandSpec(
        name: "merge", abstract: "Merge config files into one.",
        arguments: [ArgumentSpec("FILE", help: "A config file.", isRepeated: true, completion: .file)])
    static let storeList = CommandSpec(name: "list", abstract: "List the credential stores.")
    static let storeUse = CommandSpec(
        name: "use", abstract: "Make a store the default.",
        arguments: [ArgumentSpec("NAME", help: "The store's name.", completion: .values(["secretservice", "pass"]))])
    static let store = CommandSpec(
        name: "store", abstract: "Inspect and choose credential stores.",
        options: [.flag("system", help: "Use the system-wide config: /etc/credtool.", isGlobal: true)],
        subcommands: [storeList, storeUse])
    static let complete = CommandSpec(
        name: "__complete", abstract: "Print completion candidates.",
        subcommands: [CommandSpec(name: "registries", abstract: "Print the registry names.")], isHidden: true)

    static let root = CommandSpec(
        name: "credtool", abstract: "Manage Docker registry credentials.",
        discussion: "Reads and writes config.json like the docker CLI does.\n\n.Secrets go to the Secret Service.",
        options: [config, authfile],
        subcommands: [list, get, exportSecret, merge, store, complete],
        examples: [Example("credtool list --json", "List the registries as JSON.")])
}
