import Wire

/// A complete HTTP response as a plain value: what an endpoint function returns.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response encoded with the project's ``WireFormat``.
    public static func json(_ status: Int, _ value: some Encodable, headers: HTTPHeaders = [:],
                            contentType: String = "application/json; charset=utf-8") -> HTTPResponse {
        var headers = headers
        headers["Content-Type"] = contentType
        do {
            return HTTPResponse(status: status, headers: headers, body: try WireFormat.encode(value))
        } catch {
            // Only a non-finite Double can fail to encode; never leak that as a half-written body.
            return HTTPResponse(status: 500, headers: ["Content-Type": "application/json; charset=utf-8"],
                                body: Array(#"{"error":"response could not be encoded"}"#.utf8))
        }
    }

    /// A plain-text response.
    public static func text(_ status: Int, _ text: String,
                            contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: Array(text.utf8))
    }

    /// The body as UTF-8 text (tests and logs).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Decodes the body as JSON (tests and clients).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try WireFormat.decode(type, from: body) }
}

/// An error that knows the HTTP response it stands for.
///
/// Endpoints throw these; the router turns them into responses. Any other error becomes a
/// generic 500 whose body names no internals, and is logged by the caller.
public protocol HTTPResponseError: Error {
    /// The response to send for this error.
    var response: HTTPResponse { get }
}

/// The shape of an endpoint: a function from a request value to a response value.
public typealias HTTPHandler = @Sendable (HTTPRequest) async -> HTTPResponse
