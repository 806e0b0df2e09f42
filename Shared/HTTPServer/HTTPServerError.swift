/// Why an ``HTTPServer`` could not start.
///
/// Callers branch on ``code`` (stable, and new codes can be added without breaking a `switch`);
/// ``message`` is for people and includes libmicrohttpd's own explanation when it gave one.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// A stable, extensible error code: a struct with static members instead of an enum, so adding
    /// a code later does not break callers' exhaustive switches.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidConfiguration
            case startFailed
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// A configuration value is out of range or the host is not a numeric address; fix the
        /// configuration, retrying will not help.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// libmicrohttpd refused to start, usually because the address is in use or not local.
        public static let startFailed = Code(.startFailed)

        /// The code's name, for logs.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation.
    public let message: String

    /// Builds an error; the server throws these, callers normally only read them.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }
}
