public import Wire

/// Why a `user_secrets` update was refused, shaped for the EOSC error object
/// `{"error": {"user_secrets": ["values must be strings"]}}`.
public struct UserSecretsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable kind of error.
    public var code: Code
    /// The request field at fault: always `user_secrets`.
    public var field: String
    /// Plain words, identical to the marketplace's where it has one.
    public var message: String

    /// Builds an error.
    public init(code: Code, field: String = "user_secrets", message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// A value that is not a JSON string.
    public static let valuesMustBeStrings = UserSecretsError(code: .valuesMustBeStrings, message: "values must be strings")

    /// `user_secrets` itself is not a JSON object.
    public static func notAnObject(_ value: JSONValue) -> UserSecretsError {
        UserSecretsError(code: .notAnObject, message: "must be an object (got \(value.typeName))")
    }

    /// `user_secrets: values must be strings`.
    public var description: String { "\(field): \(message)" }

    /// Kinds of error; a struct so new kinds do not break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case valuesMustBeStrings = "values_must_be_strings"
            case notAnObject = "not_an_object"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A value in the object is not a string.
        public static let valuesMustBeStrings = Code(.valuesMustBeStrings)
        /// The field is not an object.
        public static let notAnObject = Code(.notAnObject)

        /// The stable name, e.g. `values_must_be_strings`.
        public var description: String { base.rawValue }
    }
}
