/// Why ``SMTPClient`` could not hand a message to the server.
///
/// Match on ``code``; ``isPermanent`` says whether retrying the same message can help.
public struct SMTPError: Error, CustomStringConvertible, Sendable {
    /// A stable, extensible error code: new codes can be added without breaking a `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidMessage, invalidURL, couldNotResolveHost, couldNotConnect, timedOut, tls
            case loginDenied, rejected, shutdown, transport
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The message cannot be sent as given (no recipient, a line break in a header, an
        /// address without `@`); nothing was sent.
        public static let invalidMessage = Code(.invalidMessage)
        /// The server URL cannot be parsed or is not `smtp` or `smtps`.
        public static let invalidURL = Code(.invalidURL)
        /// The server's host name did not resolve.
        public static let couldNotResolveHost = Code(.couldNotResolveHost)
        /// The TCP connection was refused or could not be made.
        public static let couldNotConnect = Code(.couldNotConnect)
        /// The connect timeout or the total timeout passed (e.g. a server that never greets).
        public static let timedOut = Code(.timedOut)
        /// TLS was required and not offered, or the handshake or certificate check failed.
        public static let tls = Code(.tls)
        /// The server refused the username and password.
        public static let loginDenied = Code(.loginDenied)
        /// The server answered a command with an error reply; see ``replyCode``.
        public static let rejected = Code(.rejected)
        /// The client was shut down before the message could be sent.
        public static let shutdown = Code(.shutdown)
        /// Any other libcurl failure; see ``curlCode``.
        public static let transport = Code(.transport)

        /// The code's name, e.g. `couldNotConnect`.
        public var description: String { base.rawValue }
    }

    /// What went wrong, for the caller's decisions.
    public let code: Code
    /// The server's last SMTP reply code (e.g. 550), or `nil` if it sent none.
    public let replyCode: Int?
    /// libcurl's `CURLcode`, or `nil` when the client refused the message itself.
    public let curlCode: Int?
    /// libcurl's explanation (or ours), for logs.
    public let message: String

    /// Builds an error, e.g. for a test double of a client.
    public init(code: Code, replyCode: Int? = nil, curlCode: Int? = nil, message: String) {
        self.code = code
        self.replyCode = replyCode
        self.curlCode = curlCode
        self.message = message
    }

    /// Whether this message can never be delivered as it is: it is malformed, or the server
    /// refused it (or a recipient) with a 5xx reply. Everything else is worth a retry later:
    /// timeouts, refused connections and 4xx replies pass, and configuration problems (a bad
    /// URL, a wrong password, no TLS) are fixed by the operator, not by dropping the message.
    public var isPermanent: Bool {
        if code == .invalidMessage { return true }
        if code == .rejected, let replyCode { return (500..<600).contains(replyCode) }
        return false
    }

    /// `code`, the message and the reply code on one line.
    public var description: String {
        var text = "SMTPError.\(code): \(message)"
        if let replyCode { text += " [reply \(replyCode)]" }
        if let curlCode { text += " [CURLcode \(curlCode)]" }
        return text
    }
}
