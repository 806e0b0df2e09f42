public import HTTPCore
/// One HTTP request to another system (a webhook, an EOSC endpoint), sent by ``HTTPClient``.
///
/// A plain value so it can cross to the worker thread and be logged or retried as is.
public struct OutgoingRequest: Sendable, Hashable {
    /// The request method, sent verbatim (`GET`, `POST`, `PUT`, `PATCH`, `DELETE`, ...).
    public var method: String
    /// An absolute `http://` or `https://` URL; other schemes are refused so that a configured
    /// URL cannot make the client read `file://` or talk to other protocols.
    public var url: String
    /// Header fields sent in this order. `Content-Length` and `Host` are set by the client.
    public var headers: HTTPHeaders
    /// The request body, sent with any method when not empty (and as an empty body with
    /// `POST`, `PUT` and `PATCH`).
    public var body: [UInt8]
    /// The limit for the whole exchange, connecting included; beyond it the call throws
    /// ``HTTPClientError/Code/timedOut`` rather than waiting on a silent server.
    public var timeout: Duration
    /// The limit for the TCP (and TLS) connect alone, so a dead host fails fast even when
    /// `timeout` is long.
    public var connectTimeout: Duration
    /// The largest response body accepted; a larger one fails with
    /// ``HTTPClientError/Code/responseTooLarge`` so a misbehaving peer cannot exhaust memory.
    public var maxResponseBytes: Int

    /// - Parameters:
    ///   - method: the HTTP method; `GET` by default.
    ///   - url: an absolute `http` or `https` URL.
    ///   - headers: header fields in the order to send them.
    ///   - body: the body bytes; empty by default.
    ///   - timeout: total time allowed; 10 seconds by default.
    ///   - connectTimeout: time allowed to connect; 3 seconds by default.
    ///   - maxResponseBytes: response body limit; 16 MiB by default.
    public init(
        method: String = "GET",
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        timeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(3),
        maxResponseBytes: Int = 16 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// A request whose body is the UTF-8 text, e.g. a JSON document already encoded.
    public init(
        method: String,
        url: String,
        headers: HTTPHeaders = [:],
        text: String,
        timeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(3)
    ) {
        self.init(method: method, url: url, headers: headers, body: Array(text.utf8),
                  timeout: timeout, connectTimeout: connectTimeout)
    }
}
