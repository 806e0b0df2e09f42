/// One thing wrong with an offer parameter: its definition, its JSON shape, or the value a user
/// submitted for it.
///
/// Problems are collected, not thrown one at a time, so a provider fixing an offer or a user
/// filling an order sees everything wrong in one answer instead of one error per round trip.
public struct ParameterProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem, stable for callers that branch on it (HTTP mapping, metrics).
    public var code: Code
    /// The parameter's `id`; for a parameter without a usable id, its position (`parameters[2]`).
    public var parameterID: String
    /// The JSON field inside the parameter (`config.minimum`), or `nil` when the problem is about
    /// the parameter as a whole or the value submitted for it.
    public var field: String?
    /// Plain words for a person, without the id or field (`must be an integer from 1 to 8`).
    public var message: String

    /// Builds a problem; the domain's validators are the usual source.
    public init(code: Code, parameterID: String, field: String? = nil, message: String) {
        self.code = code
        self.parameterID = parameterID
        self.field = field
        self.message = message
    }

    /// `cpu: must be an integer from 1 to 8`, or `cpu: config.minimum: must be an integer (got string)`:
    /// the form the APIs show to people.
    public var description: String {
        if let field { return "\(parameterID): \(field): \(message)" }
        return "\(parameterID): \(message)"
    }
}

extension ParameterProblem {
    /// The kind of a ``ParameterProblem``. A struct rather than an enum so new kinds can be added
    /// without breaking callers that switch over the known ones.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case malformed
            case invalidDefinition = "invalid_definition"
            case duplicateID = "duplicate_id"
            case invalidValue = "invalid_value"
            case missingValue = "missing_value"
            case unknownParameter = "unknown_parameter"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The JSON does not have the shape of an EOSC parameter (wrong type, missing field).
        public static let malformed = Code(.malformed)
        /// The shape is right but the definition breaks a rule (e.g. range minimum above maximum).
        public static let invalidDefinition = Code(.invalidDefinition)
        /// Two parameters of one offer share an id, so submitted values could not be told apart.
        public static let duplicateID = Code(.duplicateID)
        /// A submitted value is not allowed by its parameter's definition.
        public static let invalidValue = Code(.invalidValue)
        /// A parameter that needs a value got none.
        public static let missingValue = Code(.missingValue)
        /// A value was submitted for an id that is not a parameter of the offer.
        public static let unknownParameter = Code(.unknownParameter)

        /// The stable name for logs and metrics, e.g. `invalid_value`.
        public var description: String { base.rawValue }
    }
}

/// Every problem found in a list of parameters or submitted values.
///
/// Thrown only when the list is non-empty, so callers can map it to one 400 answer naming all of
/// them.
public struct ParameterValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in the order of the offer's parameters, then unknown ids sorted.
    public var problems: [ParameterProblem]

    /// Wraps problems found by a validator.
    public init(_ problems: [ParameterProblem]) { self.problems = problems }

    /// All problems joined by `; `, ready for a log line or a single error message.
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
