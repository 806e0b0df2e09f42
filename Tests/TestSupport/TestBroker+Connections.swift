import AMQPClient
import Foundation

/// Broker-side views and faults for end-to-end tests: the connections of the test's vhost, a
/// forced close of all of them, and exact queue depths.
extension TestBroker {
    /// A client connection of the vhost as the management API lists it.
    public struct Connection: Sendable {
        /// The broker's name for it (`127.0.0.1:40000 -> 127.0.0.1:5672`), used to close it.
        public let name: String
        /// The name the client gave in its `connection_name` property, if any.
        public let clientName: String?
        /// The client's port: with ``SystemUnderTest/brokerClientPorts(of:)`` it tells which
        /// service holds the connection.
        public let peerPort: Int?
    }

    /// The client connections open in this vhost now (the management API may lag by a moment).
    public func connections() async throws -> [Connection] {
        let data = try await Self.management("GET", "/api/vhosts/\(Self.encode(vhost))/connections", body: nil)
        let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return list.compactMap { object in
            guard let name = object["name"] as? String else { return nil }
            let properties = object["client_properties"] as? [String: Any]
            let clientName = object["user_provided_name"] as? String ?? properties?["connection_name"] as? String
            return Connection(name: name, clientName: clientName, peerPort: object["peer_port"] as? Int)
        }
    }

    /// Closes every client connection of this vhost from the broker side, as a broker restart
    /// or a network cut would. - Returns: the connections closed.
    @discardableResult
    public func closeAllConnections() async throws -> [Connection] {
        let open = try await connections()
        for connection in open { try await closeConnection(connection.name) }
        return open
    }

    /// The number of ready messages in `queue`, read at once through AMQP (a passive declare),
    /// unlike the management API's figure, which is refreshed only every few seconds.
    public func readyMessages(_ queue: String) async throws -> Int {
        let connection = try await AMQPConnection.connect(configuration)
        do {
            let count = try await connection.declareQueue(queue, passive: true).messageCount
            await connection.close()
            return count
        } catch {
            await connection.close()
            throw error
        }
    }

    static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? segment
    }
}
