#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing whole byte buffers on file descriptors with `read(2)` and `write(2)`:
/// no Foundation, so the helper starts without loading ICU.
package enum FileDescriptorIO {
    /// Reads `fd` to its end, but at most `limit + 1` bytes, so a caller can tell that the input
    /// was longer than `limit` without buffering all of it.
    package static func readAll(_ fd: Int32, limit: Int) throws(FileDescriptorError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= limit {
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, wanted) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileDescriptorError(operation: "read", code: errno)
            }
            bytes += chunk[..<count]
        }
        return bytes
    }

    /// Writes all of `text` to `fd`, retrying short writes.
    package static func write(_ text: String, to fd: Int32) throws(FileDescriptorError) {
        var text = text
        let failure: FileDescriptorError? = text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)  // non-empty here
                if count < 0 {
                    if errno == EINTR { continue }
                    return FileDescriptorError(operation: "write", code: errno)
                }
                offset += count
            }
            return nil
        }
        if let failure { throw failure }
    }
}

/// A failed `read(2)` or `write(2)`.
package struct FileDescriptorError: Error, Sendable, CustomStringConvertible {
    package var operation: String
    package var code: Int32

    package var description: String {
        "\(operation) failed: \(String(cString: strerror(code)))"
    }
}
