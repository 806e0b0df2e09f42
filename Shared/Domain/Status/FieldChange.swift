/// One entry of an EOSC event's `changes`: which field changed, from what, to what.
///
/// Always strings (never null), as generated OMS clients require; secret values are given as
/// ``Obfuscation/placeholder`` by whoever builds the change.
public struct FieldChange: Hashable, Sendable, Codable {
    /// `status.type`, `status.value`, `user_secrets` or `content`.
    public var field: String
    /// The value before the change.
    public var before: String
    /// The value after the change.
    public var after: String

    /// Builds a change.
    public init(field: String, before: String, after: String) {
        self.field = field
        self.before = before
        self.after = after
    }
}
