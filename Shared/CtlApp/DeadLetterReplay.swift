public import AMQPClient
public import Foundation
import Contracts
import Messaging

/// Moves parked deliveries from `oms.notifier.dead` back to the notifier, losing none.
///
/// Each chosen message is republished to `oms.notifications` (routing key `delivery`) with the
/// same message id, body and headers but `x-attempt` 0, on a confirm-mode connection, and only
/// once the broker confirmed the copy is the original acked in the dead queue. A crash in between
/// leaves both (the notifier de-duplicates by delivery id), never neither. Messages that are not
/// chosen, or whose copy was not confirmed, are returned to the dead queue unchanged.
///
/// Returned messages count as redelivered: harmless on RabbitMQ 3.x, where quorum queues have no
/// delivery limit by default. On RabbitMQ 4 (default limit 20) give `oms.notifier.dead` a policy
/// with `delivery-limit` -1, or a message passed over by twenty `--id` replays could be dropped.
public struct DeadLetterReplay: Sendable {
    /// Which parked deliveries to move.
    public enum Selection: Sendable {
        case all
        /// Deliveries by id (the message id, which is the delivery's `id`).
        case ids(Set<UUID>)
    }

    /// What a replay did.
    public struct Outcome: Sendable {
        /// The delivery ids now back in the deliveries queue (and no longer in the dead queue).
        public var replayed: [UUID] = []
        /// Chosen ids that were not found in the dead queue.
        public var notFound: [UUID] = []
        /// Chosen messages whose copy the broker did not confirm; they stay in the dead queue.
        public var failed: [UUID] = []
    }

    let consumer: AMQPConnection
    let publisher: AMQPConnection
    /// How long to wait for the broker to start delivering, and then for each further batch.
    let firstWait: Duration
    let nextWait: Duration

    /// - Parameters: two connections, as rabbitmq-c wants (confirms and deliveries on one
    ///   connection would interleave); `publisher` is put in confirm mode here.
    public init(consumer: AMQPConnection, publisher: AMQPConnection, firstWait: Duration = .seconds(5),
                nextWait: Duration = .seconds(1)) {
        self.consumer = consumer
        self.publisher = publisher
        self.firstWait = firstWait
        self.nextWait = nextWait
    }

    /// Replays the selected messages among those in the dead queue when it starts.
    public func run(_ selection: Selection) async throws -> Outcome {
        var outcome = Outcome()
        try await publisher.enableConfirms()
        let waiting = try await consumer.declareQueue(Topology.deadQueue, passive: true).messageCount
        var wanted: Set<UUID>? = nil
        if case .ids(let ids) = selection { wanted = ids }
        var remaining = wanted ?? []
        guard waiting > 0 else {
            outcome.notFound = remaining.sorted { $0.uuidString < $1.uuidString }
            return outcome
        }
        // Messages not chosen stay unacked until the end, so the window must hold all of them.
        let tag = try await consumer.consume(queue: Topology.deadQueue, prefetch: min(waiting, 65_535))
        var seen = 0
        var unacked: Set<UInt64> = []
        while seen < waiting {
            let batch = try await consumer.nextDeliveries(max: 200, timeout: seen == 0 ? firstWait : nextWait)
            if batch.isEmpty { break }
            seen += batch.count
            unacked.formUnion(batch.map(\.deliveryTag))
            let chosen = batch.compactMap { message -> (AMQPDelivery, UUID)? in
                guard let id = Self.deliveryID(of: message) else { return nil }
                if let wanted, !wanted.contains(id) { return nil }
                return (message, id)
            }
            if chosen.isEmpty { continue }
            let results = try await publisher.publish(chosen.map { Self.replayMessage(of: $0.0) })
            for ((message, id), result) in zip(chosen, results) {
                remaining.remove(id)
                if result.isConfirmed {
                    try await consumer.ack(message.deliveryTag)
                    unacked.remove(message.deliveryTag)
                    outcome.replayed.append(id)
                } else {
                    outcome.failed.append(id)
                }
            }
            if wanted != nil, remaining.isEmpty { break }
        }
        // Everything still unacked goes back to the dead queue as it was. (Messages the broker sent
        // ahead but this loop did not read return when the connection closes.)
        if let highest = unacked.max() { try await consumer.nack(highest, multiple: true, requeue: true) }
        try? await consumer.cancel(consumerTag: tag)
        outcome.notFound = remaining.sorted { $0.uuidString < $1.uuidString }
        return outcome
    }

    /// The delivery id of a parked message: its message id, or the `id` in its body.
    static func deliveryID(of message: AMQPDelivery) -> UUID? {
        if let id = Envelope.messageID(of: message) { return id }
        return (try? Envelope.decode(Delivery.self, from: message)).map(\.id)
    }

    /// The copy to publish: same body, id and headers, attempt counter reset, no per-message TTL.
    static func replayMessage(of message: AMQPDelivery) -> AMQPMessage {
        var properties = message.properties
        properties.persistent = true
        properties.expiration = nil
        properties.headers = properties.headers.filter { key, _ in
            !key.hasPrefix("x-death") && !key.hasPrefix("x-first-death") && !key.hasPrefix("x-last-death")
        }
        properties.headers["x-attempt"] = .int(0)
        // Back to its lane (by the delivery's kind; a body that does not decode goes to the HTTP lane,
        // whose consumer records it as malformed rather than losing it silently).
        let lane = (try? Envelope.decode(Delivery.self, from: message)).map { DeliveryLane($0.kind) } ?? .http
        return AMQPMessage(exchange: Topology.notificationsExchange, routingKey: lane.routingKey,
                           body: message.body, properties: properties, mandatory: true)
    }
}
