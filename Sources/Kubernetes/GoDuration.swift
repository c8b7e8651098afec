/// A duration in Go's `time.Duration` syntax, as Kubernetes writes `metav1.Duration` fields
/// (`cacheDuration: "5m0s"`).
///
/// Parsing follows `time.ParseDuration` (https://pkg.go.dev/time#ParseDuration): an optional
/// sign, then one or more decimal numbers each with a unit (`ns`, `us`, `µs`, `μs`, `ms`, `s`,
/// `m`, `h`), such as `300ms`, `1.5h` or `2h45m`; `0` alone is allowed. The description follows
/// `Duration.String`: `5m0s`, `1h0m0s`, `30s`, `1.5s`, `250ms`, `0s`.
package struct GoDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The length in nanoseconds, as Go stores it.
    package var nanoseconds: Int64

    package init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    package static func seconds(_ count: Int64) -> GoDuration { GoDuration(nanoseconds: count * 1_000_000_000) }
    package static func minutes(_ count: Int64) -> GoDuration { .seconds(count * 60) }

    package static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    private static let units: [(String, Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Reads a duration as Go's `time.ParseDuration` does.
    /// - Throws: ``KubernetesError/invalidDuration(text:reason:)`` for an empty text, a number
    ///   without a unit, an unknown unit or an overflow.
    package init(parsing text: String) throws(KubernetesError) {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" {
            self.init(nanoseconds: 0)
            return
        }
        guard !rest.isEmpty else { throw .invalidDuration(text: text, reason: "it is empty") }
        var total: UInt64 = 0
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(whole.count)
            var fraction: Substring = ""
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix { $0.isASCII && $0.isNumber }
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else {
                throw .invalidDuration(text: text, reason: "expected a number")
            }
            let unitText = rest.prefix { !($0 == "." || ($0.isASCII && $0.isNumber)) }
            rest = rest.dropFirst(unitText.count)
            guard !unitText.isEmpty else { throw .invalidDuration(text: text, reason: "a number has no unit") }
            guard let unit = Self.units.first(where: { $0.0 == unitText })?.1 else {
                throw .invalidDuration(text: text, reason: "unknown unit \(unitText)")
            }
            guard let value = UInt64(whole.isEmpty ? "0" : String(whole)) else {
                throw .invalidDuration(text: text, reason: "it is too long")
            }
            let (scaled, overflow) = value.multipliedReportingOverflow(by: UInt64(unit))
            guard !overflow else { throw .invalidDuration(text: text, reason: "it is too long") }
            var part = scaled
            if !fraction.isEmpty {
                // Go: v += int64(float64(f) * (float64(unit) / scale)).
                let digits = fraction.prefix(18)
                let scale = (0..<digits.count).reduce(1.0) { value, _ in value * 10 }
                part += UInt64(Double(UInt64(digits)!) * (Double(unit) / scale))  // digits only, at most 18 of them
            }
            let (sum, overflowSum) = total.addingReportingOverflow(part)
            guard !overflowSum, sum <= UInt64(Int64.max) + (negative ? 1 : 0) else {
                throw .invalidDuration(text: text, reason: "it is too long")
            }
            total = sum
        }
        self.init(nanoseconds: negative ? Int64(truncatingIfNeeded: 0 &- total) : Int64(total))
    }

    /// The duration as Go's `Duration.String` writes it.
    package var description: String {
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            switch magnitude {
            case 0: return "0s"
            case ..<1_000: text = "\(magnitude)ns"
            case ..<1_000_000: text = Self.decimal(magnitude, digits: 3) + "µs"
            default: text = Self.decimal(magnitude, digits: 6) + "ms"
            }
        } else {
            let seconds = magnitude / 1_000_000_000
            let hours = seconds / 3600
            let minutes = seconds / 60 % 60
            text = Self.decimal(magnitude % 60_000_000_000, digits: 9) + "s"
            if seconds >= 60 { text = "\(minutes)m" + text }
            if hours > 0 { text = "\(hours)h" + text }
        }
        return negative ? "-" + text : text
    }

    /// `value / 10^digits` in decimal, without trailing zeros in the fraction (Go's `fmtFrac`).
    private static func decimal(_ value: UInt64, digits: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        var fraction = String(value % divisor)
        fraction = String(repeating: "0", count: digits - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(value / divisor)" + (fraction.isEmpty ? "" : "." + fraction)
    }
}
