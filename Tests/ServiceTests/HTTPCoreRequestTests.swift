import Testing
import HTTPCore

@Suite("HTTPCore: requests, headers, percent-encoding")
struct HTTPCoreRequestTests {
    @Test("a request target splits into a decoded path and ordered, decoded query items")
    func targetParsing() {
        let request = HTTPRequest(method: "get",
                                  target: "/api/v1/oms/1/events?from_timestamp=2026-11-25T14%3A37%3A21Z&a=x+y&b=%20z&flag&empty=&a=2")
        #expect(request.method == "GET")
        #expect(request.path == "/api/v1/oms/1/events")
        #expect(request.query == [
            QueryItem(name: "from_timestamp", value: "2026-11-25T14:37:21Z"),
            QueryItem(name: "a", value: "x y"),
            QueryItem(name: "b", value: " z"),
            QueryItem(name: "flag", value: ""),
            QueryItem(name: "empty", value: ""),
            QueryItem(name: "a", value: "2"),
        ])
        #expect(request.queryValue("a") == "x y")
        #expect(request.queryValues("a") == ["x y", "2"])
        #expect(request.queryValue("missing") == nil)
    }

    @Test("the path decodes %20 but keeps + literal, unlike the query")
    func pathDecoding() {
        let request = HTTPRequest(method: "GET", target: "/files/a%20b+c?q=a%2Bb+c")
        #expect(request.path == "/files/a b+c")
        #expect(request.queryValue("q") == "a+b c")
    }

    @Test("a malformed or non-UTF-8 escape keeps the raw text", arguments: [
        ("q=%zz", "%zz"), ("q=%2", "%2"), ("q=%", "%"), ("q=%FF", "%FF"), ("q=100%25", "100%"), ("q=%C3%A9", "é"),
    ])
    func malformedEscapes(query: String, expected: String) {
        #expect(HTTPRequest(method: "GET", target: "/x?" + query).queryValue("q") == expected)
    }

    @Test("PercentEncoding.decode rejects malformed escapes; encode round-trips any text")
    func percentEncoding() {
        #expect(PercentEncoding.decode("%zz", plusIsSpace: false) == nil)
        #expect(PercentEncoding.decode("a%2", plusIsSpace: false) == nil)
        #expect(PercentEncoding.decode("a+b", plusIsSpace: true) == "a b")
        #expect(PercentEncoding.decode("a+b", plusIsSpace: false) == "a+b")
        let text = "a b/c?d=é&e+f~_.-"
        let encoded = PercentEncoding.encode(text)
        #expect(encoded == "a%20b%2Fc%3Fd%3D%C3%A9%26e%2Bf~_.-")
        #expect(PercentEncoding.decode(encoded, plusIsSpace: true) == text)
    }

    @Test("headers are looked up case-insensitively, keep repeats, and setting replaces every value")
    func headers() {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.add("Set-Cookie", "a=1")
        headers.add("set-cookie", "b=2")
        #expect(headers["content-type"] == "application/json")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        headers["Set-Cookie"] = "c=3"
        #expect(headers.values(for: "set-cookie") == ["c=3"])
        headers["Content-Type"] = nil
        #expect(headers["Content-Type"] == nil)
        #expect(Array(headers).count == 1)
    }

    @Test("the media type drops parameters and case, and is nil when absent or empty", arguments: [
        ("application/JSON; charset=utf-8", "application/json"),
        (" text/plain ", "text/plain"),
        ("application/merge-patch+json", "application/merge-patch+json"),
        ("", nil),
        ("; charset=utf-8", nil),
    ] as [(String, String?)])
    func mediaType(header: String, expected: String?) {
        let request = HTTPRequest(method: "POST", target: "/", headers: ["Content-Type": header])
        #expect(request.mediaType == expected)
        #expect(HTTPRequest(method: "POST", target: "/").mediaType == nil)
    }

    @Test("a JSON response is encoded with the wire settings and its content type")
    func jsonResponse() throws {
        let response = HTTPResponse.json(201, ["url": "https://example.org/a", "b": "c"], headers: ["Location": "/x"])
        #expect(response.status == 201)
        #expect(response.bodyText == #"{"b":"c","url":"https://example.org/a"}"#)
        #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(response.headers["Location"] == "/x")
        #expect(try response.decode([String: String].self) == ["b": "c", "url": "https://example.org/a"])
        #expect(HTTPResponse.json(200, [Double.nan]).status == 500)
    }
}
