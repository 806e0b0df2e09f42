import CurlClient
import HTTPCore
import Foundation
import Testing
import TestSupport

/// `HTTPClient` against a real HTTP server (Python's, see `HTTPStubServer`).
@Suite("HTTPClient over libcurl")
struct CurlClientTests {
    static let binaryBody: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A, 0x2E] + Array("{\"währung\":\"€\"}".utf8)

    @Test("a request arrives with its method, target, headers and body as sent",
          arguments: ["GET", "POST", "PUT", "PATCH", "DELETE"])
    func requestArrivesAsSent(method: String) async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let body = method == "GET" ? [] : Self.binaryBody
        var headers: HTTPHeaders = ["Content-Type": "application/octet-stream", "X-Request-Id": "req-\(method)"]
        headers.add("X-Multi", "one")
        headers.add("X-Multi", "two")
        headers.add("X-Empty", "")
        let response = try await client.send(OutgoingRequest(
            method: method, url: "\(stub.baseURL)/anything/\(method.lowercased())?a=1&b=%20x",
            headers: headers, body: body))
        await client.shutdown()

        #expect(response.status == 200)
        #expect(response.text == #"{"ok":true}"#)
        let recorded = try #require(stub.requests().only)
        #expect(recorded.method == method)
        #expect(recorded.target == "/anything/\(method.lowercased())?a=1&b=%20x")
        #expect(recorded.header("x-request-id") == "req-\(method)")
        #expect(recorded.headers.filter { $0.name == "X-Multi" }.map(\.value) == ["one", "two"])
        #expect(recorded.header("X-Empty") == "")
        #expect(recorded.header("Expect") == nil)
        #expect(recorded.body == body)
        if !body.isEmpty { #expect(recorded.header("Content-Length") == "\(body.count)") }
    }

    @Test("a POST without a Content-Type gets none, not libcurl's form type, and an empty POST sends length 0")
    func noImplicitContentType() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        _ = try await client.send(OutgoingRequest(method: "POST", url: "\(stub.baseURL)/a", body: Array("x=1".utf8)))
        _ = try await client.send(OutgoingRequest(method: "POST", url: "\(stub.baseURL)/b"))
        await client.shutdown()
        let requests = stub.requests()
        try #require(requests.count == 2)
        #expect(requests[0].header("Content-Type") == nil)
        #expect(requests[0].text == "x=1")
        #expect(requests[1].header("Content-Length") == "0")
        #expect(requests[1].body.isEmpty)
    }

    @Test("the echoed body comes back byte for byte")
    func echo() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let response = try await client.send(OutgoingRequest(
            method: "POST", url: "\(stub.baseURL)/echo", headers: ["Content-Type": "application/x-test"],
            body: Self.binaryBody))
        await client.shutdown()
        #expect(response.body == Self.binaryBody)
        #expect(response.headers["content-type"] == "application/x-test")
    }

    @Test("an error status is returned as a response, not thrown")
    func errorStatusIsAResponse() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let response = try await client.send(OutgoingRequest(url: "\(stub.baseURL)/status/503"))
        let notFound = try await client.send(OutgoingRequest(method: "DELETE", url: "\(stub.baseURL)/status/404"))
        await client.shutdown()
        #expect(response.status == 503)
        #expect(response.text == #"{"status": 503}"#)
        #expect(!response.isSuccess)
        #expect(notFound.status == 404)
    }

    @Test("a redirect is returned, not followed")
    func redirectIsNotFollowed() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let response = try await client.send(OutgoingRequest(method: "POST", url: "\(stub.baseURL)/redirect",
                                                             body: Array("{}".utf8)))
        await client.shutdown()
        #expect(response.status == 302)
        #expect(response.headers["location"] == "/echo")
        #expect(stub.requests().map(\.target) == ["/redirect"])
    }

    @Test("response headers keep repeats and are looked up case-insensitively")
    func responseHeaders() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let response = try await client.send(OutgoingRequest(url: "\(stub.baseURL)/headers?X-One=a&X-One=b&Retry-After=7"))
        await client.shutdown()
        #expect(response.headers.values(for: "x-one") == ["a", "b"])
        #expect(response.headers["RETRY-AFTER"] == "7")
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(!response.headers.contains("HTTP/1.1 200 OK"))
    }

    @Test("consecutive requests on one worker reuse one connection (keep-alive)")
    func keepAlive() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        for index in 0..<3 {
            let response = try await client.send(OutgoingRequest(method: "PUT", url: "\(stub.baseURL)/k/\(index)",
                                                                 body: Array("\(index)".utf8)))
            #expect(response.status == 200)
        }
        await client.shutdown()
        let ports = stub.requests().map(\.clientPort)
        #expect(ports.count == 3)
        #expect(Set(ports).count == 1, "three requests came from ports \(ports)")
    }

    @Test("20 concurrent requests through 4 workers all succeed, 4 at a time")
    func concurrentRequests() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 4)
        defer { stub.stop() }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await client.send(OutgoingRequest(url: "\(stub.baseURL)/sleep/0.3?n=\(index)")).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        await client.shutdown()
        let requests = stub.requests()
        #expect(statuses == Array(repeating: 200, count: 20))
        #expect(Set(requests.map(\.target)).count == 20)
        // The server saw four at a time, never more: the workers set the width, not the
        // 2-thread cooperative pool (at most 2) and not one shared handle (1).
        #expect(requests.map(\.concurrent).max() == 4)
    }
}

extension Array {
    /// The single element, or `nil` when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
