public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
public import Wire

/// A small HTTP client for tests, over URLSession.
public enum TestHTTP {
    /// A response with its body parsed as JSON when it is JSON.
    public struct Response: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: Data
        public var json: JSONValue? { try? WireFormat.decode(JSONValue.self, from: Array(body)) }
        public var text: String { String(decoding: body, as: UTF8.self) }

        public func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        configuration.httpMaximumConnectionsPerHost = 64
        return URLSession(configuration: configuration)
    }()

    /// Sends a request; `json` is encoded as the body with `Content-Type: application/json`.
    /// The response to a path the EOSC specs describe must conform to them (``SpecConformance``):
    /// otherwise the calling test fails at the line that called this.
    public static func send(_ method: String, _ url: String, headers: [String: String] = [:], json: JSONValue? = nil,
                            body: Data? = nil, fileID: String = #fileID, filePath: String = #filePath,
                            line: Int = #line, column: Int = #column) async throws -> Response {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let json {
            request.httpBody = Data(try WireFormat.encode(json))
            if headers["Content-Type"] == nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        } else if let body {
            request.httpBody = body
        }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var out: [String: String] = [:]
        for (k, v) in http.allHeaderFields { out[String(describing: k)] = String(describing: v) }
        let target = request.url.map { $0.path + ($0.query.map { "?" + $0 } ?? "") } ?? url
        SpecConformance.check(method: method, path: target, status: http.statusCode, body: Array(data),
                              fileID: fileID, filePath: filePath, line: line, column: column)
        return Response(status: http.statusCode, headers: out, body: data)
    }

    /// Sends a write and, when it is answered `202` (the processor did not reply in time),
    /// follows its `Location` until the outcome is known: for set-up steps that need the result,
    /// not the timing, on a machine loaded by parallel tests.
    public static func sendAwaitingOutcome(_ method: String, _ url: String, headers: [String: String] = [:],
                                           json: JSONValue? = nil, timeout: Duration = .seconds(30),
                                           fileID: String = #fileID, filePath: String = #filePath,
                                           line: Int = #line, column: Int = #column) async throws -> Response {
        let first = try await send(method, url, headers: headers, json: json,
                                   fileID: fileID, filePath: filePath, line: line, column: column)
        guard first.status == 202, let location = first.header("Location") else { return first }
        var latest = first
        _ = try await eventually(timeout: timeout) {
            latest = try await send("GET", location, headers: headers,
                                    fileID: fileID, filePath: filePath, line: line, column: column)
            return latest.status != 202
        }
        return latest
    }

    /// Polls `condition` until it holds or `timeout` passes.
    public static func eventually(timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(100),
                                  _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return true }
            try await Task.sleep(for: interval)
        }
        return try await condition()
    }
}
