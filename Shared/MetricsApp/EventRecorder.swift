public import AMQPClient
import Contracts
import Domain
import Foundation
public import Messaging
public import Observability
public import PostgresClient
public import ServiceRuntime
import Wire

/// Turns batches of domain events from `oms.metrics.events` into daily roll-ups.
///
/// A batch is one transaction: its message ids go into the inbox (consumer ``consumerName``) in
/// one statement, the events not seen before are aggregated in memory (``RollupBatch``), and the
/// sums are upserted. Deliveries are acked only after the commit, so a crash before it makes the
/// broker redeliver, and the inbox makes a redelivery after it count nothing.
///
/// - A malformed message (not JSON of a ``DomainEvent``, a message id that is not a UUID, a day
///   outside years 1...9999, a first-response time that is not finite or above 10⁹ s) is logged
///   and rejected; the metrics queue has no dead-letter queue, so it is dropped.
/// - A transient database error (down, restarting, deadlock) requeues the whole batch.
/// - Any other error retries each event in its own transaction, so one event the database
///   refuses cannot hold back the rest; an event that still fails alone is logged and rejected.
public final class EventRecorder: Sendable {
    /// The inbox consumer name: replicas share it, so one de-duplicates for all.
    public static let consumerName = "oms-metrics"

    let pool: PostgresPool
    let logger: Logger
    /// `oms_metrics_events_total` by kind, every label value created up front.
    let consumed: [String: Counter]
    let duplicates: Counter
    let rejected: Counter
    let requeued: Counter
    let batchSizes: Histogram

    public init(pool: PostgresPool, logger: Logger, registry: MetricsRegistry) {
        self.pool = pool
        self.logger = logger.with(["component": .string("event-recorder")])
        consumed = Dictionary(uniqueKeysWithValues: (Self.knownKinds.sorted() + ["other"]).map { kind in
            (kind, registry.counter("oms_metrics_events_total", help: "Events counted into the roll-ups, by kind.",
                                    labels: ["kind": kind]))
        })
        duplicates = registry.counter("oms_metrics_duplicates_total",
                                      help: "Redelivered events skipped because the inbox had them already.")
        rejected = registry.counter("oms_metrics_events_rejected_total",
                                    help: "Events dropped because they were malformed or the database refused them.")
        requeued = registry.counter("oms_metrics_events_requeued_total",
                                    help: "Events put back on the queue because the database was unavailable.")
        batchSizes = registry.histogram("oms_metrics_batch_size", help: "Events per roll-up transaction.",
                                        buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512])
    }

    /// The ``ConsumerService`` handler: one disposition per delivery, in order.
    public func handle(_ deliveries: [AMQPDelivery]) async -> [Disposition] {
        var dispositions = [Disposition](repeating: .ack, count: deliveries.count)
        var events: [(index: Int, id: UUID, event: DomainEvent)] = []
        for (index, delivery) in deliveries.enumerated() {
            switch Self.parse(delivery) {
            case .success(let (id, event)):
                events.append((index, id, event))
            case .failure(let problem):
                logger.error("malformed event rejected", [
                    "routing_key": .string(delivery.routingKey),
                    "message_id": .string(delivery.properties.messageID ?? ""),
                    "error": .string(problem.description)])
                rejected.increment()
                dispositions[index] = .reject
            }
        }
        guard !events.isEmpty else { return dispositions }
        do {
            try await record(events.map { ($0.id, $0.event) })
        } catch let error as PostgresError where error.isTransient {
            logger.warning("database unavailable; requeueing events", ["error": .string(error.description)])
            requeued.increment(by: events.count)
            for event in events { dispositions[event.index] = .requeue }
        } catch {
            if events.count > 1 {
                logger.warning("batch failed; recording events one by one", ["error": .string(String(describing: error))])
            }
            for event in events {
                do {
                    try await record([(event.id, event.event)])
                } catch let error as PostgresError where error.isTransient {
                    requeued.increment()
                    dispositions[event.index] = .requeue
                } catch {
                    logger.error("event refused by the database and rejected", [
                        "message_id": .string(event.id.uuidString.lowercased()), "kind": .string(event.event.kind),
                        "error": .string(String(describing: error))])
                    rejected.increment()
                    dispositions[event.index] = .reject
                }
            }
        }
        return dispositions
    }

    /// Records events in one transaction, skipping those the inbox already has (also a repeat of
    /// an id within `events`: the first one counts).
    func record(_ events: [(id: UUID, event: DomainEvent)]) async throws {
        var seen = Set<UUID>()
        let unique = events.filter { seen.insert($0.id).inserted }
        let consumer = Self.consumerName
        let fresh = try await pool.transaction { conn -> [DomainEvent] in
            let new = try conn.claimMessages(consumer: consumer, messageIDs: unique.map(\.id))
            let fresh = unique.filter { new.contains($0.id) }.map(\.event)
            var batch = RollupBatch()
            for event in fresh { batch.add(event) }
            try conn.addRollups(batch.rows)
            return fresh
        }
        duplicates.increment(by: events.count - fresh.count)
        batchSizes.observe(Double(events.count))
        for event in fresh { consumed[Self.kindLabel(event.kind)]?.increment() }
    }

    /// The kinds labelled as themselves; anything else is `other`, so labels stay bounded.
    static let knownKinds: Set<String> = [DomainEvent.Kind.projectCreated, DomainEvent.Kind.itemCreated,
                                          DomainEvent.Kind.itemUpdated]

    static func kindLabel(_ kind: String) -> String { knownKinds.contains(kind) ? kind : "other" }

    /// The largest first-response time taken as real: about 32 years.
    static let maxResponseSeconds: Double = 1e9

    /// Why a delivery cannot be recorded.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The event and its de-duplication id: the message id, which the processor sets to the
    /// event id, or the event id when a publisher left the message id out.
    static func parse(_ delivery: AMQPDelivery) -> Result<(UUID, DomainEvent), Malformed> {
        let event: DomainEvent
        do {
            event = try Envelope.decode(DomainEvent.self, from: delivery)
        } catch {
            return .failure(Malformed(description: "not a domain event: \(error)"))
        }
        // PostgreSQL's `date` cannot hold every Int64 microsecond; such a day is a broken clock.
        let year = CalendarDate(utcDayOf: event.occurredAt).year
        guard (1...9999).contains(year) else {
            return .failure(Malformed(description: "occurredAt \(event.occurredAt.microseconds) µs is outside years 1-9999"))
        }
        // One absurd value would turn a provider's `_sum` into +Inf (or overflow the column) for good.
        if let seconds = event.firstResponseSeconds, !(seconds.isFinite && abs(seconds) <= maxResponseSeconds) {
            return .failure(Malformed(description: "firstResponseSeconds \(seconds) is not a plausible response time"))
        }
        if let raw = delivery.properties.messageID, !raw.isEmpty {
            guard let id = Envelope.messageID(of: delivery) else {
                return .failure(Malformed(description: "message id \(raw) is not a UUID"))
            }
            return .success((id, event))
        }
        return .success((event.id, event))
    }
}
