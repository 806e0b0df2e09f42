public import AMQPClient
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A RabbitMQ vhost of its own for one test, created through the management API and deleted
/// afterwards (which also closes every connection the test left open in it).
public struct TestBroker: Sendable {
    public let vhost: String
    /// The URL to give services (`amqp://…/<vhost>`).
    public let url: String
    public let configuration: AMQPConfiguration

    /// Creates a vhost, runs `body`, then deletes the vhost whatever happened.
    public static func with<T: Sendable>(_ body: (TestBroker) async throws -> T) async throws -> T {
        let vhost = "test-\(TestServers.uniqueSuffix())"
        try await management("PUT", "/api/vhosts/\(vhost)", body: nil)
        try await management("PUT", "/api/permissions/\(vhost)/guest", body: #"{"configure":".*","write":".*","read":".*"}"#)
        var base = TestServers.amqpURL
        if base.hasSuffix("/") { base.removeLast() }
        if let range = base.range(of: "/", options: .backwards), base[..<range.lowerBound].hasSuffix(":") == false,
           base.distance(from: base.startIndex, to: range.lowerBound) > 8 {
            base = String(base[..<range.lowerBound])
        }
        let url = "\(base)/\(vhost)"
        let broker = TestBroker(vhost: vhost, url: url, configuration: try AMQPConfiguration(url: url, connectionName: "test"))
        do {
            let value = try await body(broker)
            try? await deleteVhost(vhost)
            return value
        } catch {
            try? await deleteVhost(vhost)
            throw error
        }
    }

    /// Deletes the vhost now: the broker closes every connection in it (a broker-side close).
    public func delete() async throws { try await Self.deleteVhost(vhost) }

    /// The number of messages ready in `queue`, from the management API (0 if unknown).
    public func messageCount(_ queue: String) async throws -> Int {
        let data = try await Self.management("GET", "/api/queues/\(vhost)/\(queue.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? queue)", body: nil)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["messages"] as? Int ?? 0
    }

    static func deleteVhost(_ vhost: String) async throws {
        try await management("DELETE", "/api/vhosts/\(vhost)", body: nil)
    }

    @discardableResult
    static func management(_ method: String, _ path: String, body: String?) async throws -> Data {
        guard var components = URLComponents(string: TestServers.amqpManagementURL) else {
            throw TestSupportError("bad OMS_TEST_AMQP_MANAGEMENT_URL")
        }
        let user = components.user ?? "guest", password = components.password ?? "guest"
        components.user = nil
        components.password = nil
        guard let url = URL(string: (components.string ?? "") + path) else { throw TestSupportError("bad management path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Basic " + Data("\(user):\(password)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw TestSupportError("management \(method) \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}

/// A failure in the test harness itself (not in the code under test).
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
