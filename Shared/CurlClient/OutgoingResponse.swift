public import HTTPCore
/// The answer to an ``OutgoingRequest``: whatever status the server sent, 4xx and 5xx
/// included, because deciding what a status means (retry, give up) is the caller's job.
public struct OutgoingResponse: Sendable, Hashable {
    /// The HTTP status code of the final response (an interim `100 Continue` is skipped).
    public var status: Int
    /// The response header fields in wire order; look up with `headers["content-type"]`.
    public var headers: HTTPHeaders
    /// The response body, already de-chunked.
    public var body: [UInt8]

    /// Builds a response, e.g. for a test double of a client.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8, with invalid bytes replaced; for logs and error messages.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
