// libFuzzer target: the helper protocol (HelperServer) over an in-memory store.
//
// The bytes are stdin for each action. No action crashes; every outcome is one line (or
// nothing) with status 0 or 1. `store` either stores one item that `get` on its server returns
// unchanged, or refuses with status 1 and stores nothing.
import CredentialHelpers

private func run(_ server: HelperServer, _ action: String, _ input: [UInt8]) -> HelperServer.Outcome {
    server.run(arguments: [action]) { limit in input.count > limit ? Array(input.prefix(limit + 1)) : input }
}

private func check(_ outcome: HelperServer.Outcome, _ action: String) {
    guard outcome.status == 0 || outcome.status == 1 else { fatalError("\(action): status \(outcome.status)") }
    let lines = outcome.output.split(separator: "\n", omittingEmptySubsequences: false)
    guard outcome.output.isEmpty || (outcome.output.hasSuffix("\n") && lines.count == 2) else {
        fatalError("\(action): output is not one line: \(outcome.output.debugDescription)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let existing = Credentials(serverURL: "existing.example", username: "u", secret: "s")
    let store = InMemoryCredentialStore([existing])
    let server = HelperServer(name: "docker-credential-fuzz", version: "0") { store }

    let stored = run(server, "store", input)
    check(stored, "store")
    if stored.status == 0 {
        let added = store.items.values.filter { $0 != existing || store.items.count == 1 }
        guard store.items.count <= 2, let item = added.first else { fatalError("store reported success, stored nothing") }
        let got = run(server, "get", Array(item.serverURL.utf8))
        check(got, "get")
        guard got.status == 0, got.output == HelperServer.encode(item) else {
            fatalError("stored \(item) but get answers \(got.output.debugDescription) (\(got.status))")
        }
    } else {
        guard store.items == ["existing.example": existing] else { fatalError("a refused store changed the store") }
    }
    for action in ["get", "erase", "list"] {
        check(run(server, action, input), action)
    }
    return 0
}
