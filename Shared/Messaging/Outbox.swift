import AMQPClient
public import Foundation
public import PostgresClient
import Wire

/// A message to publish once the transaction that wrote it commits.
public struct OutboxMessage: Sendable {
    public var messageID: UUID
    public var exchange: String
    public var routingKey: String
    public var type: String
    public var correlationID: String?
    public var body: String

    public init(exchange: String, routingKey: String, type: String, body: some Encodable,
                messageID: UUID = UUID(), correlationID: String? = nil) throws {
        self.messageID = messageID
        self.exchange = exchange
        self.routingKey = routingKey
        self.type = type
        self.correlationID = correlationID
        self.body = try WireFormat.encodeString(body)
    }
}

/// The transactional outbox: rows written with the state change, published by ``OutboxRelay``.
public enum Outbox {
    /// The LISTEN/NOTIFY channel that wakes relays when rows are committed.
    public static let channel = "oms_outbox"
}

extension PostgresConnection {
    /// Writes outbox rows in the current transaction and asks relays to wake at commit
    /// (`pg_notify` is delivered only if the transaction commits).
    public func enqueue(_ messages: [OutboxMessage]) throws {
        guard !messages.isEmpty else { return }
        // One round trip: the insert, and the notification that travels with its commit.
        try query("""
            WITH inserted AS (
                INSERT INTO outbox (message_id, exchange, routing_key, type, correlation_id, body)
                SELECT * FROM unnest(\(messages.map { $0.messageID })::uuid[], \(messages.map(\.exchange))::text[],
                                     \(messages.map(\.routingKey))::text[], \(messages.map(\.type))::text[],
                                     \(messages.map(\.correlationID))::text[], \(messages.map(\.body))::text[])
                RETURNING 1
            )
            SELECT pg_notify(\(Outbox.channel), '') WHERE EXISTS (SELECT 1 FROM inserted)
            """)
    }

    /// Records that `consumer` handled `messageID`, in the current transaction.
    /// - Returns: `false` when it was already recorded: the message is a duplicate, skip its effect.
    public func markProcessed(consumer: String, messageID: UUID) throws -> Bool {
        let rows = try query("""
            INSERT INTO inbox (consumer, message_id) VALUES (\(consumer), \(messageID)) ON CONFLICT DO NOTHING
            """)
        return rows.affectedRows == 1
    }
}

extension OutboxMessage {
    /// The broker message for this row.
    func amqpMessage() -> AMQPMessage {
        AMQPMessage(exchange: exchange, routingKey: routingKey, body: Array(body.utf8),
                    properties: AMQPProperties(contentType: "application/json", persistent: true,
                                               messageID: messageID.uuidString.lowercased(),
                                               correlationID: correlationID, type: type),
                    mandatory: true)
    }
}
