import AMQPClient
import Contracts
import Foundation
import Messaging
import Observability
import PostgresClient
import ServiceRuntime
import Wire

/// Handles batches from `oms.notifier.deliveries`: attempts each delivery, and on failure moves
/// it to the next retry queue (per-queue TTL, dead-lettered back here) or, after the last
/// attempt, parks it in `oms.notifier.dead`, recording every outcome in the `deliveries` table.
///
/// The original message is acked only once its successor (retry or parked copy) is confirmed by
/// the broker, so a crash at any point leaves the delivery in some queue: at least once. A
/// delivery already recorded as delivered (a redelivery after a crash) is skipped.
final class DeliveryHandler: Sendable {
    let deliverer: Deliverer
    let publisher: Publisher
    let pool: PostgresPool
    let retryDelays: [Duration]
    let logger: Logger
    let outcomes: MetricsRegistry

    init(deliverer: Deliverer, publisher: Publisher, pool: PostgresPool, retryDelays: [Duration], logger: Logger,
         registry: MetricsRegistry) {
        self.deliverer = deliverer
        self.publisher = publisher
        self.pool = pool
        self.retryDelays = retryDelays
        self.logger = logger
        self.outcomes = registry
    }

    /// The attempt number carried by a delivery (0 for the first).
    static func attempt(of delivery: AMQPDelivery) -> Int {
        Int(delivery.properties.headers["x-attempt"]?.intValue ?? 0)
    }

    func handle(_ batch: [AMQPDelivery]) async -> [Disposition] {
        let decoded = batch.map { try? Envelope.decode(Delivery.self, from: $0) }
        let ids = decoded.compactMap { $0?.id }
        let alreadyDelivered: Set<UUID>
        do {
            alreadyDelivered = Set(try await pool.withConnection { conn in
                try await conn.query("SELECT id FROM deliveries WHERE id = ANY(\(ids)::uuid[]) AND status = 'delivered'")
                    .map { try $0.uuid("id") }
            })
        } catch {
            logger.warning("delivery log unavailable; requeueing", ["error": .string(String(describing: error))])
            return batch.map { _ in .requeue }
        }
        return await withTaskGroup(of: (Int, Disposition).self) { group in
            for (index, (message, delivery)) in zip(batch, decoded).enumerated() {
                group.addTask {
                    guard let delivery else {
                        self.logger.error("malformed delivery dropped", ["message_id": .string(message.properties.messageID ?? "")])
                        self.count(kind: "unknown", outcome: "malformed")
                        return (index, .reject)
                    }
                    if alreadyDelivered.contains(delivery.id) {
                        self.count(kind: delivery.kind.rawValue, outcome: "duplicate")
                        return (index, .ack)
                    }
                    return (index, await self.process(delivery, message: message))
                }
            }
            var dispositions = [Disposition](repeating: .requeue, count: batch.count)
            for await (index, disposition) in group { dispositions[index] = disposition }
            return dispositions
        }
    }

    private func process(_ delivery: Delivery, message: AMQPDelivery) async -> Disposition {
        let attempt = Self.attempt(of: message)
        let started = ContinuousClock.now
        do {
            try await deliverer.attempt(delivery)
            observe(delivery, since: started)
            await record(delivery, status: "delivered", attempts: attempt + 1, error: nil)
            count(kind: delivery.kind.rawValue, outcome: "delivered")
            return .ack
        } catch {
            observe(delivery, since: started)
            let reason = String(describing: error)
            let parked = attempt >= retryDelays.count
            let queue = parked ? Topology.deadQueue : Topology.retryQueue(retryDelays[attempt])
            var next = AMQPMessage(exchange: "", routingKey: queue, body: message.body, properties: message.properties)
            next.properties.headers["x-attempt"] = .int(Int64(attempt + 1))
            next.properties.headers["x-last-error"] = .string(String(reason.prefix(500)))
            do {
                try await publisher.publish([next])
            } catch {
                logger.warning("could not reschedule a delivery; requeueing", ["delivery_id": .string(delivery.id.uuidString)])
                return .requeue
            }
            await record(delivery, status: parked ? "dead" : "retrying", attempts: attempt + 1, error: reason)
            count(kind: delivery.kind.rawValue, outcome: parked ? "dead" : "retry")
            let level: Logger.Level = parked ? .error : .warning
            logger.log(level, parked ? "delivery parked after its last attempt" : "delivery failed; will retry", [
                "delivery_id": .string(delivery.id.uuidString.lowercased()), "kind": .string(delivery.kind.rawValue),
                "target": .string(delivery.target), "attempt": .int(Int64(attempt + 1)), "error": .string(reason)])
            return .ack
        }
    }

    /// Writes the delivery log; a failure here is logged, not retried (the delivery itself is safe).
    private func record(_ delivery: Delivery, status: String, attempts: Int, error: String?) async {
        do {
            let message = try WireFormat.encodeString(delivery)
            try await pool.withConnection { conn in
                _ = try await conn.query("""
                    INSERT INTO deliveries (id, kind, target, oms_id, status, attempts, last_error, message, delivered_at)
                    VALUES (\(delivery.id), \(delivery.kind.rawValue), \(delivery.target), \(delivery.omsID), \(status),
                            \(attempts), \(error), \(message)::jsonb,
                            CASE WHEN \(status) = 'delivered' THEN now() END)
                    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts,
                        last_error = EXCLUDED.last_error, last_attempt_at = now(), delivered_at = EXCLUDED.delivered_at
                    WHERE deliveries.status <> 'delivered'
                    """)
            }
        } catch {
            logger.warning("delivery log not written", ["delivery_id": .string(delivery.id.uuidString),
                                                        "error": .string(String(describing: error))])
        }
    }

    private func count(kind: String, outcome: String) {
        outcomes.counter("oms_deliveries_total", help: "Delivery attempts by kind and outcome.",
                         labels: ["kind": kind, "outcome": outcome]).increment()
    }

    private func observe(_ delivery: Delivery, since start: ContinuousClock.Instant) {
        outcomes.histogram("oms_delivery_duration_seconds", help: "Time of one delivery attempt.",
                           buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
                           labels: ["kind": delivery.kind.rawValue]).observe(ContinuousClock.now - start)
    }
}
