public import AMQPClient
public import Contracts

/// The broker objects of DESIGN.md, declared idempotently by every service at start.
///
/// Every service declares the core topology, so a publisher never finds its target queue
/// missing because its consumer has not started yet (a mandatory publish would come back).
/// Queues are quorum queues: replicated where the broker is a cluster, and the only kind that
/// dead-letters at-least-once.
public struct Topology: Sendable {
    public static let commandsExchange = "oms.commands"
    public static let processorQueue = "oms.processor.commands"
    public static let processorRoutingKey = "processor"
    /// Commands that can never succeed (malformed, or failing alone with a non-transient error),
    /// kept for an operator instead of being dropped or retried forever.
    public static let processorDeadQueue = "oms.processor.dead"
    public static let eventsExchange = "oms.events"
    public static let metricsQueue = "oms.metrics.events"
    public static let notificationsExchange = "oms.notifications"
    public static let deadQueue = "oms.notifier.dead"

    /// The delays of the notifier's retry queues, shortest first.
    public var retryDelays: [Duration]

    public init(retryDelays: [Duration] = []) { self.retryDelays = retryDelays }

    /// The retry queue of a lane for a delay. The delay is in the name because a queue's TTL
    /// cannot change once declared: a different configuration gets different queues, not an error.
    public static func retryQueue(_ delay: Duration, lane: DeliveryLane) -> String {
        "oms.notifier.retry.\(lane.rawValue).\(milliseconds(delay))ms"
    }

    /// Declares exchanges, queues and bindings; safe to call again and from several services.
    public func declare(on connection: AMQPConnection) async throws {
        let quorum: [String: AMQPFieldValue] = ["x-queue-type": .string("quorum")]
        try await connection.declareExchange(Self.commandsExchange, type: "direct")
        try await connection.declareExchange(Self.eventsExchange, type: "topic")
        try await connection.declareExchange(Self.notificationsExchange, type: "direct")
        try await connection.declareQueue(Self.processorDeadQueue, arguments: quorum)
        try await connection.declareQueue(Self.processorQueue, arguments: quorum.merging([
            "x-dead-letter-exchange": .string(""),
            "x-dead-letter-routing-key": .string(Self.processorDeadQueue),
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]) { _, new in new })
        try await connection.bindQueue(Self.processorQueue, exchange: Self.commandsExchange, routingKey: Self.processorRoutingKey)
        try await connection.declareQueue(Self.metricsQueue, arguments: quorum)
        try await connection.bindQueue(Self.metricsQueue, exchange: Self.eventsExchange, routingKey: "#")
        for lane in DeliveryLane.allCases {
            try await connection.declareQueue(lane.queue, arguments: quorum)
            try await connection.bindQueue(lane.queue, exchange: Self.notificationsExchange, routingKey: lane.routingKey)
            for delay in retryDelays {
                // Expired messages go back to their lane. At-least-once dead-lettering (which needs
                // reject-publish overflow) keeps a message that expires during a broker crash.
                try await connection.declareQueue(Self.retryQueue(delay, lane: lane), arguments: quorum.merging([
                    "x-message-ttl": .int(Self.milliseconds(delay)),
                    "x-dead-letter-exchange": .string(Self.notificationsExchange),
                    "x-dead-letter-routing-key": .string(lane.routingKey),
                    "x-dead-letter-strategy": .string("at-least-once"),
                    "x-overflow": .string("reject-publish"),
                ]) { _, new in new })
            }
        }
        try await connection.declareQueue(Self.deadQueue, arguments: quorum)
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}

/// The notifier's two lanes, each its own queue, retry queues and consumer: HTTP (OMS triggers
/// and TMF622 callbacks, fast) and e-mail (as slow as the mail server). A slow or failing mail
/// server therefore never delays an OMS trigger.
public enum DeliveryLane: String, CaseIterable, Sendable {
    case http
    case email

    /// The lane a delivery travels in.
    public init(_ kind: Delivery.Kind) {
        switch kind {
        case .trigger, .callback: self = .http
        case .email: self = .email
        }
    }

    public var queue: String { "oms.notifier.\(rawValue)" }
    public var routingKey: String { rawValue }
}
