/// Why an ``HTTPClient`` exchange produced no HTTP response.
///
/// An HTTP error status is not one of these: it comes back as an ``OutgoingResponse``.
/// Match on ``code``, which is stable; ``message`` is libcurl's text, for logs only.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// A stable, extensible error code: new codes can be added without breaking a `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidRequest, invalidURL, couldNotResolveHost, couldNotConnect, timedOut, tls
            case responseTooLarge, shutdown, transport
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The request itself is malformed (a header name that is not a token, a CR or LF in a
        /// value, a method with spaces); nothing was sent.
        public static let invalidRequest = Code(.invalidRequest)
        /// The URL cannot be parsed or its scheme is not `http` or `https`.
        public static let invalidURL = Code(.invalidURL)
        /// The host name did not resolve.
        public static let couldNotResolveHost = Code(.couldNotResolveHost)
        /// The TCP connection was refused or could not be made; nothing was sent, so a retry
        /// cannot duplicate the request.
        public static let couldNotConnect = Code(.couldNotConnect)
        /// The connect timeout or the total timeout passed; the server may have acted on it.
        public static let timedOut = Code(.timedOut)
        /// The TLS handshake or certificate verification failed.
        public static let tls = Code(.tls)
        /// The response body was larger than ``OutgoingRequest/maxResponseBytes``.
        public static let responseTooLarge = Code(.responseTooLarge)
        /// The client was shut down before the request could be sent.
        public static let shutdown = Code(.shutdown)
        /// Any other libcurl failure (connection reset, empty reply, ...); see ``curlCode``.
        public static let transport = Code(.transport)

        /// The code's name, e.g. `timedOut`.
        public var description: String { base.rawValue }
    }

    /// What went wrong, for the caller's decisions.
    public let code: Code
    /// libcurl's `CURLcode`, or `nil` when the client refused the request itself.
    public let curlCode: Int?
    /// libcurl's explanation (or ours), for logs.
    public let message: String
    /// The request's method and URL, for logs.
    public let request: String

    /// Builds an error, e.g. for a test double of a client.
    public init(code: Code, curlCode: Int? = nil, message: String, request: String = "") {
        self.code = code
        self.curlCode = curlCode
        self.message = message
        self.request = request
    }

    /// `code`, the request and the message on one line.
    public var description: String {
        var text = "HTTPClientError.\(code)"
        if !request.isEmpty { text += " (\(request))" }
        text += ": \(message)"
        if let curlCode { text += " [CURLcode \(curlCode)]" }
        return text
    }
}
