/// Model-validation errors keyed by field, in the EOSC shape
/// `{"error": {"<field>": ["<message>", …]}}` (Rails' `errors.to_hash`).
///
/// Rules add to one value instead of throwing at the first problem, so a client sees every
/// problem of a write in one answer, as the marketplace shows them.
public struct FieldErrors: Error, Hashable, Sendable, CustomStringConvertible {
    /// Messages by field, each list in the order the rules found them.
    public private(set) var messages: [String: [String]] = [:]

    /// No errors yet.
    public init() {}

    /// Errors from a literal dictionary (tests, single-rule answers).
    public init(_ messages: [String: [String]]) { self.messages = messages.filter { !$0.value.isEmpty } }

    /// Records that `field` breaks a rule; the same message is kept once.
    public mutating func add(_ field: String, _ message: String) {
        if messages[field]?.contains(message) == true { return }
        messages[field, default: []].append(message)
    }

    /// Adds every error of `other`.
    public mutating func merge(_ other: FieldErrors) {
        for (field, list) in other.messages { for message in list { add(field, message) } }
    }

    /// Whether no rule was broken.
    public var isEmpty: Bool { messages.isEmpty }

    /// Throws `self` when a rule was broken.
    public func throwIfAny() throws(FieldErrors) {
        if !isEmpty { throw self }
    }

    /// `field: message; …`, sorted by field, for logs.
    public var description: String {
        messages.keys.sorted().flatMap { field in messages[field]!.map { "\(field): \($0)" } }.joined(separator: "; ")
    }
}
