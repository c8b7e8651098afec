extension ConfigFile {
    /// Combines the credentials of several config files (a Docker config, a Podman auth file, ...)
    /// into one, as if read in order with later files winning.
    ///
    /// The result holds `auths`, `credHelpers` and `credsStore` only; other keys are left out.
    /// `auths` entries are matched by ``RegistryKey``, so `https://host/v1/` in one file and
    /// `host` in a later one are the same registry (the later key is kept). An entry without
    /// credentials (`{}`) never replaces one with credentials. `credHelpers` entries are matched
    /// by key. `credsStore` is kept only when every file that sets it agrees. Each disagreement is
    /// described in `conflicts`, naming the registry and the files, never a credential.
    /// - Parameter configs: The files, lowest priority first.
    /// - Returns: The merged file (its path names the inputs) and the conflicts, in the order met.
    package static func merge(configs: [ConfigFile]) -> (config: ConfigFile, conflicts: [String]) {
        var merged = ConfigFile(path: configs.map(\.path).joined(separator: " + "))
        var conflicts: [String] = []
        var origin: [String: String] = [:]  // merged key → the file it came from

        for config in configs {
            for key in config.authKeys {
                guard let entry = config.authEntry(for: key) else { continue }
                let registry = RegistryKey(key)
                var keepEarlier = false
                for earlier in merged.authKeys(matching: registry) where origin[earlier] != config.path {
                    guard let previous = merged.authEntry(for: earlier) else { continue }
                    if previous.holdsCredentials && !entry.holdsCredentials { keepEarlier = true; continue }
                    if !previous.fields.isEquivalent(to: entry.fields) {
                        conflicts.append("auths \(registry): \(config.path) overrides \(origin[earlier] ?? "an earlier file")")
                    }
                    if earlier != key { merged.removeAuthEntry(for: earlier) }
                }
                if keepEarlier { continue }
                merged.setAuthEntry(entry, for: key)
                origin[key] = config.path
            }
        }

        var helperOrigin: [String: String] = [:]
        for config in configs {
            for (registry, helper) in config.credHelperEntries {
                if let previous = merged.credHelper(for: registry), previous != helper {
                    let earlier = helperOrigin[registry] ?? "an earlier file"
                    conflicts.append("credHelpers \(registry): \(config.path) sets \(helper), overriding \(previous) from \(earlier)")
                }
                merged.setCredHelper(helper, for: registry)
                helperOrigin[registry] = config.path
            }
        }

        let stores = configs.compactMap { config in config.credsStore.map { (path: config.path, store: $0) } }
        if let first = stores.first {
            if stores.allSatisfy({ $0.store == first.store }) {
                merged.credsStore = first.store
            } else {
                let settings = stores.map { "\($0.path) sets \($0.store)" }.joined(separator: ", ")
                conflicts.append("credsStore: \(settings); none is kept")
            }
        }
        return (merged, conflicts)
    }
}
