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
        let results = await withTaskGroup(of: (Int, Disposition, LogEntry?).self) { group in
            for (index, (message, delivery)) in zip(batch, decoded).enumerated() {
                group.addTask {
                    guard let delivery else {
                        self.logger.error("malformed delivery dropped", ["message_id": .string(message.properties.messageID ?? "")])
                        self.count(kind: "unknown", outcome: "malformed")
                        return (index, .reject, nil)
                    }
                    if alreadyDelivered.contains(delivery.id) {
                        self.count(kind: delivery.kind.rawValue, outcome: "duplicate")
                        return (index, .ack, nil)
                    }
                    let (disposition, entry) = await self.process(delivery, message: message)
                    return (index, disposition, entry)
                }
            }
            var out = [(Disposition, LogEntry?)](repeating: (.requeue, nil), count: batch.count)
            for await (index, disposition, entry) in group { out[index] = (disposition, entry) }
            return out
        }
        await record(results.compactMap(\.1))
        return results.map(\.0)
    }

    /// One line of the delivery log, written for the whole batch at once.
    struct LogEntry: Sendable {
        var delivery: Delivery
        var status: String
        var attempts: Int
        var error: String?
    }

    private func process(_ delivery: Delivery, message: AMQPDelivery) async -> (Disposition, LogEntry?) {
        let attempt = Self.attempt(of: message)
        let started = ContinuousClock.now
        do {
            try await deliverer.attempt(delivery)
            observe(delivery, since: started)
            count(kind: delivery.kind.rawValue, outcome: "delivered")
            return (.ack, LogEntry(delivery: delivery, status: "delivered", attempts: attempt + 1, error: nil))
        } catch {
            observe(delivery, since: started)
            let reason = String(describing: error)
            let parked = attempt >= retryDelays.count
            let queue = parked ? Topology.deadQueue : Topology.retryQueue(retryDelays[attempt], lane: DeliveryLane(delivery.kind))
            var next = AMQPMessage(exchange: "", routingKey: queue, body: message.body, properties: message.properties)
            next.properties.headers["x-attempt"] = .int(Int64(attempt + 1))
            next.properties.headers["x-last-error"] = .string(String(reason.prefix(500)))
            do {
                try await publisher.publish([next])
            } catch {
                logger.warning("could not reschedule a delivery; requeueing", ["delivery_id": .string(delivery.id.uuidString)])
                return (.requeue, nil)
            }
            count(kind: delivery.kind.rawValue, outcome: parked ? "dead" : "retry")
            let level: Logger.Level = parked ? .error : .warning
            logger.log(level, parked ? "delivery parked after its last attempt" : "delivery failed; will retry", [
                "delivery_id": .string(delivery.id.uuidString.lowercased()), "kind": .string(delivery.kind.rawValue),
                "target": .string(delivery.target), "attempt": .int(Int64(attempt + 1)), "error": .string(reason)])
            return (.ack, LogEntry(delivery: delivery, status: parked ? "dead" : "retrying", attempts: attempt + 1, error: reason))
        }
    }

    /// Writes the delivery log for a batch in one statement; a failure here is logged, not
    /// retried (each delivery itself is already safe: delivered, or in a retry or parking queue).
    ///
    /// Rows are written in id order (as `omsctl dead-letters replay` locks them) so concurrent
    /// writers cannot deadlock; a transient failure (deadlock, serialization, lost connection)
    /// is retried a few times.
    private func record(_ entries: [LogEntry]) async {
        guard !entries.isEmpty else { return }
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await writeLog(entries)
                return
            } catch let error as PostgresError where error.isTransient && attempt < 5 {
                try? await Task.sleep(for: .milliseconds(50 * attempt))
            } catch {
                logger.warning("delivery log not written", ["deliveries": .int(Int64(entries.count)),
                                                            "error": .string(String(describing: error))])
                return
            }
        }
    }

    private func writeLog(_ entries: [LogEntry]) async throws {
        let messages = try entries.map { try WireFormat.encodeString($0.delivery) }
        try await pool.withConnection { conn in
                _ = try await conn.query("""
                    INSERT INTO deliveries (id, kind, target, oms_id, status, attempts, last_error, message, delivered_at)
                    SELECT e.id, e.kind, e.target, e.oms_id, e.status, e.attempts, e.last_error, e.message::jsonb,
                           CASE WHEN e.status = 'delivered' THEN now() END
                    FROM unnest(\(entries.map(\.delivery.id))::uuid[], \(entries.map(\.delivery.kind.rawValue))::text[],
                                \(entries.map(\.delivery.target))::text[], \(entries.map(\.delivery.omsID))::int8[],
                                \(entries.map(\.status))::text[], \(entries.map(\.attempts))::int4[],
                                \(entries.map(\.error))::text[], \(messages)::text[])
                         AS e(id, kind, target, oms_id, status, attempts, last_error, message)
                    ORDER BY e.id
                    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, attempts = deliveries.attempts + 1,
                        last_error = EXCLUDED.last_error, last_attempt_at = now(), delivered_at = EXCLUDED.delivered_at
                    WHERE deliveries.status <> 'delivered'
                    """)
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
