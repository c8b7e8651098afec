// libFuzzer target: OrderedJSON's reader and writer.
//
// Any bytes: the reader returns a value or throws, never crashes. A value that parses is
// serialized compact and indented (tab and two spaces); each text must parse back to a value
// `==` the first (same members in the same order, numbers by their text, strings by bytes).
import OrderedJSON

@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let value = try? JSONValue(parsing: bytes) else { return 0 }
    for style in [JSONWriteStyle.compact, .indented("\t"), .indented("  ")] {
        let text = value.serialized(style)
        let again: JSONValue
        do { again = try JSONValue(parsing: text) } catch {
            fatalError("serialized output does not parse: \(error)\n\(text)")
        }
        if again != value { fatalError("round trip changed the value:\n\(text)") }
        if again.serialized(style) != text { fatalError("serializing twice differs:\n\(text)") }
    }
    return 0
}
