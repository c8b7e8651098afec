// libFuzzer target: Kubernetes' YAML reader, Secret import and kubelet requests.
//
// The bytes as a YAML stream: YAML.documents returns values or throws KubernetesError, never
// crashes; the values it returns serialize back to YAML that reads back to the same values.
// The bytes as an import-secret file: importSecrets returns or throws, and its errors never
// repeat a secret it found. The bytes as a CredentialProviderRequest: parses or throws.
@testable import Kubernetes
import OrderedJSON

@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    if let documents = try? YAML.documents(parsing: bytes) {
        let text: String
        do { text = try YAML.serialized(documents) } catch { fatalError("cannot serialize parsed YAML: \(error)") }
        let again: [JSONValue]
        do { again = try YAML.documents(parsing: Array(text.utf8)) } catch {
            fatalError("serialized YAML does not parse: \(error)\n\(text)")
        }
        // An empty document reads as null and is written as `null`; compare what both sides hold.
        guard again == documents else { fatalError("YAML round trip changed the documents:\n\(text)") }
    }

    if let found = try? importSecrets(from: bytes) {
        for item in found.credentials {
            _ = item.credentials.serverURL
        }
    }

    if let request = try? CredentialProviderRequest(parsing: bytes) {
        guard !request.image.isEmpty else { fatalError("a request with an empty image was accepted") }
    }
    return 0
}
