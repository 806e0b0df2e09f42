/// An error from the broker or the connection to it, with a stable, extensible code.
public struct AMQPError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidConfiguration, connectionFailed, connectionClosed, channelClosed, timedOut, protocolError
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL or settings are malformed.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Could not connect or log in.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection broke or the broker closed it; reconnect.
        public static let connectionClosed = Code(.connectionClosed)
        /// The broker closed the channel (e.g. 404 for a missing exchange, 406 for a mismatched
        /// queue declaration); the wrapper has already acknowledged and reopened it.
        public static let channelClosed = Code(.channelClosed)
        /// No answer in time (e.g. confirms).
        public static let timedOut = Code(.timedOut)
        /// Something arrived that the protocol does not allow here.
        public static let protocolError = Code(.protocolError)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The AMQP reply code when the broker closed something (404, 406, 320…), else 0.
    public let replyCode: Int
    public let message: String

    public init(code: Code, message: String, replyCode: Int = 0) {
        self.code = code
        self.message = message
        self.replyCode = replyCode
    }

    /// Whether reconnecting may help (as opposed to a bug or a bad declaration).
    public var isConnectionLevel: Bool { code == .connectionClosed || code == .connectionFailed || code == .timedOut }

    public var description: String {
        replyCode != 0 ? "AMQPError(\(code), \(replyCode)): \(message)" : "AMQPError(\(code)): \(message)"
    }
}
