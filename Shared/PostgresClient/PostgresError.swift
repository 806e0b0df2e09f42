/// An error from PostgreSQL or from talking to it.
///
/// `code` is stable and extensible (a struct of static lets, as postgres-nio's `PSQLError.Code`),
/// so callers can match on it without breaking when codes are added. Server errors carry the
/// SQLSTATE, which is how callers tell a unique violation (`23505`) from a real failure.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case connectionFailed, connectionClosed, server, pipelineAborted, protocolViolation, decoding
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Could not open a connection (server down, bad credentials, bad URL).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection broke while in use; the statement's outcome is unknown.
        public static let connectionClosed = Code(.connectionClosed)
        /// The server rejected the statement; see `sqlState`.
        public static let server = Code(.server)
        /// A statement in a pipeline was skipped because an earlier one failed.
        public static let pipelineAborted = Code(.pipelineAborted)
        /// libpq returned something this wrapper did not expect.
        public static let protocolViolation = Code(.protocolViolation)
        /// A result value could not be read as the requested type.
        public static let decoding = Code(.decoding)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The five-character SQLSTATE for server errors (e.g. `23505`), else `nil`.
    public let sqlState: String?
    /// The primary message, from the server or libpq.
    public let message: String
    /// The server's DETAIL field, if any.
    public let detail: String?
    /// The violated constraint's name, if any.
    public let constraint: String?

    public init(code: Code, message: String, sqlState: String? = nil, detail: String? = nil, constraint: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.constraint = constraint
    }

    /// A unique or exclusion violation: the row is already there.
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// An error after which retrying on a fresh connection may succeed: a broken connection, a
    /// server shutting down (`57P01`…), a serialization failure or deadlock (`40001`, `40P01`).
    public var isTransient: Bool {
        if code == .connectionClosed || code == .connectionFailed { return true }
        guard let s = sqlState else { return false }
        return s.hasPrefix("08") || s.hasPrefix("57P") || s == "40001" || s == "40P01" || s == "53300"
    }

    public var description: String {
        var text = "PostgresError(\(code)"
        if let sqlState { text += ", \(sqlState)" }
        text += "): \(message)"
        if let detail { text += " (\(detail))" }
        return text
    }
}
