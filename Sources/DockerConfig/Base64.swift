/// Standard base64 (RFC 4648 §4), as `auth` fields and Kubernetes Secret `data` use it.
///
/// `package` so that Kubernetes encodes and decodes Secrets without FoundationEssentials.
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// The padded encoding of `bytes`.
    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for position in 0..<4 {
                if position <= count {
                    output.append(alphabet[Int(group >> (18 - 6 * UInt32(position)) & 0x3F)])
                } else {
                    output.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `text`, padded or not (the kubelet accepts both), ignoring surrounding white space
    /// and line breaks anywhere (Go's decoder skips CR and LF).
    ///
    /// - Returns: The bytes, or `nil` when the text is not base64.
    package static func decode(_ text: String) -> [UInt8]? {
        var symbols: [UInt8] = []
        symbols.reserveCapacity(text.utf8.count)
        for byte in text.utf8 where byte != UInt8(ascii: "\r") && byte != UInt8(ascii: "\n") {
            symbols.append(byte)
        }
        while let last = symbols.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { symbols.removeLast() }
        let leading = symbols.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
        symbols.removeFirst(leading)

        var padding = 0
        while symbols.last == UInt8(ascii: "=") {
            symbols.removeLast()
            padding += 1
        }
        // Padding, when present, must complete the last group of four.
        if padding > 0 && (padding > 2 || (symbols.count + padding) % 4 != 0) { return nil }
        if symbols.count % 4 == 1 { return nil }

        var output: [UInt8] = []
        output.reserveCapacity(symbols.count * 3 / 4)
        var group: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            let value = values[Int(symbol)]
            if value == 0xFF { return nil }
            group = group << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: group >> UInt32(bits)))
            }
        }
        // Unused low bits in the last symbol are ignored, as Go's (non-strict) StdEncoding does.
        return output
    }
}
