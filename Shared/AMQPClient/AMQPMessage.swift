/// A value in an AMQP header table (the kinds this system uses).
public enum AMQPFieldValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case double(Double)

    public var intValue: Int64? { if case .int(let v) = self { return v }; return nil }
    public var stringValue: String? { if case .string(let v) = self { return v }; return nil }
}

/// The basic properties of a message that this system sets or reads.
public struct AMQPProperties: Sendable, Hashable {
    public var contentType: String?
    /// Delivery mode 2: written to disk by the broker before it confirms.
    public var persistent: Bool
    public var messageID: String?
    public var correlationID: String?
    public var replyTo: String?
    public var type: String?
    /// Seconds since 1970.
    public var timestamp: Int64?
    /// Per-message TTL in milliseconds, as text (AMQP's `expiration`).
    public var expiration: String?
    public var headers: [String: AMQPFieldValue]

    public init(contentType: String? = "application/json", persistent: Bool = true, messageID: String? = nil,
                correlationID: String? = nil, replyTo: String? = nil, type: String? = nil, timestamp: Int64? = nil,
                expiration: String? = nil, headers: [String: AMQPFieldValue] = [:]) {
        self.contentType = contentType
        self.persistent = persistent
        self.messageID = messageID
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.type = type
        self.timestamp = timestamp
        self.expiration = expiration
        self.headers = headers
    }
}

/// A message to publish.
public struct AMQPMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: AMQPProperties
    /// Ask the broker to return the message if no queue is bound for it.
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties = AMQPProperties(),
                mandatory: Bool = true) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}

/// What the broker said about one published message.
public enum PublishOutcome: Sendable, Hashable {
    /// The broker took responsibility (persisted to its queues for a persistent message).
    case confirmed
    /// The broker refused it (e.g. a queue at its length limit with `reject-publish`).
    case nacked
    /// No queue was bound for a mandatory message; it was not stored.
    case returned(replyCode: Int, replyText: String)
    /// The channel or connection closed before the broker answered: the outcome is unknown,
    /// so the publisher must treat it as not stored and publish again.
    case failed(AMQPError)

    public var isConfirmed: Bool { self == .confirmed }

    public static func == (lhs: PublishOutcome, rhs: PublishOutcome) -> Bool {
        switch (lhs, rhs) {
        case (.confirmed, .confirmed), (.nacked, .nacked): return true
        case let (.returned(a, b), .returned(c, d)): return a == c && b == d
        case let (.failed(a), .failed(b)): return a.code == b.code && a.message == b.message
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .confirmed: hasher.combine(0)
        case .nacked: hasher.combine(1)
        case .returned(let c, let t): hasher.combine(2); hasher.combine(c); hasher.combine(t)
        case .failed(let e): hasher.combine(3); hasher.combine(e.message)
        }
    }
}

/// A message received from a queue.
public struct AMQPDelivery: Sendable {
    /// The tag to ack or reject with, valid only on the channel that delivered it.
    public let deliveryTag: UInt64
    /// The broker delivered it before without an ack (a consumer died or rejected it).
    public let redelivered: Bool
    public let exchange: String
    public let routingKey: String
    public let body: [UInt8]
    public let properties: AMQPProperties

    public init(deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String, body: [UInt8],
                properties: AMQPProperties) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
    }
}

/// The broker's answer to a queue declaration.
public struct AMQPQueueInfo: Sendable {
    public let name: String
    public let messageCount: Int
    public let consumerCount: Int
}
