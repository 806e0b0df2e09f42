/// A complete HTTP request as a plain value: what an endpoint function receives.
///
/// The transport (``HTTPServer`` over libmicrohttpd) builds it after reading the whole body, so
/// endpoints are tested by constructing one directly, without sockets.
public struct HTTPRequest: Sendable {
    /// Upper-case method, e.g. `GET`.
    public var method: String
    /// The decoded path without the query string, e.g. `/api/v1/oms/1/events`.
    public var path: String
    /// Decoded query parameters in order; a name may repeat.
    public var query: [QueryItem]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer's address as text, when the transport knows it.
    public var remoteAddress: String?

    public init(method: String, path: String, query: [QueryItem] = [], headers: HTTPHeaders = [:],
                body: [UInt8] = [], remoteAddress: String? = nil) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// Builds a request from a request target such as `/path?a=1&b=x%20y` (tests and clients).
    public init(method: String, target: String, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = PercentEncoding.decode(String(parts[0]), plusIsSpace: false) ?? String(parts[0])
        let query = parts.count > 1 ? QueryItem.parse(String(parts[1])) : []
        self.init(method: method, path: path, query: query, headers: headers, body: body)
    }

    /// The first value of a header, case-insensitively.
    public func header(_ name: String) -> String? { headers[name] }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Every value of a query parameter, in order.
    public func queryValues(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }

    /// The media type of the body without parameters, lower-cased (`application/json`); `nil` when
    /// the header is absent or names no type (`Content-Type:` or `; charset=utf-8`).
    public var mediaType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        // Keep the empty part before a leading `;`: splitting with omitted empties returned no
        // part at all for an empty header (and `[0]` trapped), or a parameter as the type.
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .trimmingSpaces().lowercased()
        return type.isEmpty ? nil : type
    }
}

/// One `name=value` pair of a query string, both decoded.
public struct QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Parses `a=1&b=x%20y&flag` (a name without `=` gets an empty value).
    public static func parse(_ query: String) -> [QueryItem] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(String(kv[0]), plusIsSpace: true) ?? String(kv[0])
            let value = kv.count > 1 ? (PercentEncoding.decode(String(kv[1]), plusIsSpace: true) ?? String(kv[1])) : ""
            return QueryItem(name: name, value: value)
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
