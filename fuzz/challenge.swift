// libFuzzer target: RegistryAuth's WWW-Authenticate parser.
//
// Any header value (invalid UTF-8 is repaired as the HTTP stack would): Challenge.parse returns
// challenges or throws RegistryAuthError, never crashes. Each challenge's scheme and parameter
// names are lower case and non-empty.
import RegistryAuth

@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let header = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let challenges = try? Challenge.parse(header) else { return 0 }
    for challenge in challenges {
        guard !challenge.scheme.isEmpty, challenge.scheme == challenge.scheme.lowercased() else {
            fatalError("scheme \(challenge.scheme.debugDescription) from \(header.debugDescription)")
        }
        for name in challenge.parameters.keys where name.isEmpty || name != name.lowercased() {
            fatalError("parameter name \(name.debugDescription) from \(header.debugDescription)")
        }
        _ = challenge.description
        _ = challenge[parameter: "realm"]
    }
    return 0
}
