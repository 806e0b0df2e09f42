/// A label set in canonical order: the identity of a series within its family.
///
/// Sorting by name makes `["a": "1", "b": "2"]` and `["b": "2", "a": "1"]` the same series and gives
/// the exposition a stable order.
struct LabelSet: Hashable, Comparable, Sendable {
    struct Label: Hashable, Sendable {
        var name: String
        var value: String
    }

    let labels: [Label]

    init(_ dictionary: [String: String]) {
        labels = dictionary.map { Label(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
    }

    static func < (lhs: LabelSet, rhs: LabelSet) -> Bool {
        for (l, r) in zip(lhs.labels, rhs.labels) {
            if l.name != r.name { return l.name < r.name }
            if l.value != r.value { return l.value < r.value }
        }
        return lhs.labels.count < rhs.labels.count
    }
}

/// Prometheus's rules for metric and label names, checked where names are chosen in code.
enum MetricNames {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    static func isValidMetricName(_ name: String) -> Bool {
        isValid(name, allowColon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, without the `__` prefix Prometheus reserves for itself.
    static func isValidLabelName(_ name: String) -> Bool {
        isValid(name, allowColon: false) && !name.hasPrefix("__")
    }

    /// Replaces every character a name may not hold with `_`, for names a collector computed.
    static func sanitized(_ name: String, allowColon: Bool) -> String {
        var bytes: [UInt8] = []
        for (index, byte) in name.utf8.enumerated() {
            bytes.append(isAllowed(byte, first: index == 0, allowColon: allowColon) ? byte : 95)
        }
        return bytes.isEmpty ? "_" : String(decoding: bytes, as: UTF8.self)
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        !name.isEmpty && name.utf8.enumerated().allSatisfy { isAllowed($1, first: $0 == 0, allowColon: allowColon) }
    }

    private static func isAllowed(_ byte: UInt8, first: Bool, allowColon: Bool) -> Bool {
        switch byte {
        case 65...90, 97...122, 95: return true
        case 48...57: return !first
        case 58: return allowColon
        default: return false
        }
    }
}
