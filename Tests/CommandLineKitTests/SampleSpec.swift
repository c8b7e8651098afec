@testable import CommandLineKit

/// A two-level tree shaped like credtool's, with a nested group (`store`) for help at depth.
enum Sample {
    static let config = OptionSpec.value(
        "config", short: "c", placeholder: "DIR", help: "The directory that holds config.json.",
        defaultValue: "~/.docker", completion: .directory, isGlobal: true)
    static let authfile = OptionSpec.value(
        "authfile", placeholder: "FILE", help: "Read and write this auth file instead.",
        completion: .file, isGlobal: true)
    static let json = OptionSpec.flag("json", short: "j", help: "Print JSON instead of a table.")
    static let quiet = OptionSpec.flag("quiet", short: "q", help: "Print registry names only.")
    static let output = OptionSpec.value(
        "output", short: "o", placeholder: "FILE", help: "Write the merged config here.",
        completion: .file)
    static let registry = OptionSpec.repeated(
        "registry", short: "r", placeholder: "R",
        help: "Export credentials for this registry only; repeat for more than one. Without it every registry in the config is exported.",
        completion: .custom("__credtool_registries"))
    static let format = OptionSpec.value(
        "format", placeholder: "FORMAT", help: "The manifest format.", defaultValue: "yaml",
        completion: .values(["yaml", "json"]))

    static let list = CommandSpec(
        name: "list", abstract: "List the registries that have credentials.",
        options: [json, quiet])
    static let get = CommandSpec(
        name: "get", abstract: "Print the credentials for one registry.",
        arguments: [ArgumentSpec("SERVER", help: "The registry, such as ghcr.io.")])
    static let logout = CommandSpec(
        name: "logout", abstract: "Remove the credentials for a registry.",
        arguments: [ArgumentSpec("SERVER", help: "The registry; Docker Hub when omitted.", isOptional: true)])
    static let merge = CommandSpec(
        name: "merge", abstract: "Merge several config files into one.",
        options: [output],
        arguments: [ArgumentSpec("FILE", help: "A config file, or - for stdin.", isRepeated: true, completion: .file)])
    static let exportSecret = CommandSpec(
        name: "export-secret", abstract: "Print a Kubernetes image pull Secret.",
        options: [registry, format])
    static let storeList = CommandSpec(name: "list", abstract: "List the credential stores.")
    static let storeUse = CommandSpec(
        name: "use", abstract: "Make a store the default.",
        arguments: [ArgumentSpec("NAME", help: "The store's name.")])
    static let store = CommandSpec(
        name: "store", abstract: "Inspect and choose credential stores.",
        subcommands: [storeList, storeUse])

    static let root = CommandSpec(
        name: "credtool", abstract: "Manage Docker registry credentials.",
        discussion: "Reads and writes config.json like the docker CLI does.\nSecrets go to the Secret Service.",
        options: [config, authfile],
        subcommands: [list, get, logout, merge, exportSecret, store],
        examples: [Example("credtool get ghcr.io", "Print the credentials stored for ghcr.io.")])
}
