/// Why a command did not succeed, and so which exit status it gets.
///
/// A stable, extensible code (a struct of static lets, as elsewhere in the project) so tests and
/// callers match on the kind, not on message text.
public struct CtlError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The command line is wrong (unknown command or option, missing or malformed value):
        /// exit status 2, with the usage of the command.
        public static let usage = Code("usage")
        /// The request was understood but cannot be done (unknown user, duplicate name): exit 1.
        public static let invalid = Code("invalid")
        /// A server or the environment failed (database, broker, port taken): exit 1.
        public static let failed = Code("failed")
        /// An environment variable is malformed: exit 2, like the services at start.
        public static let configuration = Code("configuration")

        public var description: String { name }
    }

    public let code: Code
    public let message: String
    /// The command whose usage to print with a usage error (`oms register`), or `nil` for all.
    public let command: String?

    public init(_ code: Code, _ message: String, command: String? = nil) {
        self.code = code
        self.message = message
        self.command = command
    }

    /// The process exit status for this error.
    public var exitStatus: Int32 { code == .usage || code == .configuration ? 2 : 1 }

    public var description: String { message }

    static func usage(_ message: String, command: String?) -> CtlError { CtlError(.usage, message, command: command) }
    static func invalid(_ message: String) -> CtlError { CtlError(.invalid, message) }
}
