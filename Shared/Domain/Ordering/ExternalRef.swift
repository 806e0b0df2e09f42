public import Wire

/// The `external_ref` extension: an OMS's own reference for a project item (a ticket key, an
/// order number), which integrators asked for so an adapter need not keep its own id mapping.
public enum ExternalRef {
    /// The longest accepted reference, in characters (Unicode scalars, as Rails counts).
    public static let maximumLength = 255

    /// Reads the request's value: a string up to ``maximumLength`` characters without control
    /// characters, or `null` (or an empty string) to clear it. - Returns: the value to store,
    /// `nil` to clear. - Throws: the problem, worded for `{"error": {"external_ref": [...]}}`.
    public static func parse(_ value: JSONValue) throws(ExternalRefError) -> String? {
        switch value {
        case .null:
            return nil
        case .string(let text):
            if text.isEmpty { return nil }
            guard text.unicodeScalars.count <= maximumLength else {
                throw ExternalRefError(message: "is too long (maximum is \(maximumLength) characters)")
            }
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw ExternalRefError(message: "must not contain control characters")
            }
            return text
        default:
            throw ExternalRefError(message: "must be a string or null")
        }
    }
}

/// Why an `external_ref` value was refused.
public struct ExternalRefError: Error, Hashable, Sendable {
    /// The field at fault: always `external_ref`.
    public var field: String { "external_ref" }
    /// Plain words, in the marketplace's style ("is too long (maximum is 255 characters)").
    public var message: String

    /// Builds an error.
    public init(message: String) { self.message = message }
}
