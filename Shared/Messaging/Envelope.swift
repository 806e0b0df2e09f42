public import AMQPClient
public import Foundation
import Wire

/// Builds and reads the messages this system sends: JSON bodies, persistent, with a message id
/// (the consumers' de-duplication key), a type, and for commands a correlation id and reply queue.
public enum Envelope {
    /// A persistent JSON message.
    public static func message(exchange: String, routingKey: String, type: String, body: some Encodable,
                               messageID: UUID = UUID(), correlationID: String? = nil, replyTo: String? = nil,
                               headers: [String: AMQPFieldValue] = [:], mandatory: Bool = true) throws -> AMQPMessage {
        AMQPMessage(exchange: exchange, routingKey: routingKey, body: try WireFormat.encode(body),
                    properties: AMQPProperties(contentType: "application/json", persistent: true,
                                               messageID: messageID.uuidString.lowercased(), correlationID: correlationID,
                                               replyTo: replyTo, type: type,
                                               timestamp: Int64(Date().timeIntervalSince1970), headers: headers),
                    mandatory: mandatory)
    }

    /// Decodes a delivery's JSON body.
    public static func decode<T: Decodable>(_ type: T.Type, from delivery: AMQPDelivery) throws -> T {
        try WireFormat.decode(type, from: delivery.body)
    }

    /// The delivery's message id as a UUID, or `nil` when it has none or it is not a UUID.
    public static func messageID(of delivery: AMQPDelivery) -> UUID? {
        delivery.properties.messageID.flatMap(UUID.init(uuidString:))
    }
}
