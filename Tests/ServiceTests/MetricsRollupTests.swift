import AMQPClient
import Contracts
import Domain
import Foundation
import Messaging
import MetricsApp
import Observability
import PostgresClient
import ServiceRuntime
import Testing
import Wire

/// The pure parts of `oms-metrics`: aggregation of events into roll-up increments, configuration,
/// and what the recorder and collector do when the database is unreachable. No servers needed.
@Suite("oms-metrics: roll-up aggregation and failure handling")
struct MetricsRollupTests {
    static let day = CalendarDate(year: 2026, month: 11, day: 25)!

    static func update(_ seconds: Double?, status: String? = "registered", at time: String = "2026-11-25T12:00:00Z") -> DomainEvent {
        DomainEvent(kind: DomainEvent.Kind.itemUpdated, occurredAt: at(time), projectID: 1, providerID: 3, serviceID: 4,
                    offerID: 5, statusType: status, firstResponseSeconds: seconds)
    }

    static func key(_ metric: RollupMetric, _ label: String = "", day: CalendarDate = day) -> RollupKey {
        RollupKey(day: day, metric: metric, providerID: 3, serviceID: 4, offerID: 5, label: label)
    }

    @Test("a first response counts in every bucket whose bound it does not exceed, boundaries included",
          arguments: [
              (0.0, ["60", "300", "900", "3600", "14400", "43200", "86400", "172800", "604800"], 0.0),
              (-2.5, ["60", "300", "900", "3600", "14400", "43200", "86400", "172800", "604800"], 0.0),
              (60.0, ["60", "300", "900", "3600", "14400", "43200", "86400", "172800", "604800"], 60.0),
              (60.5, ["300", "900", "3600", "14400", "43200", "86400", "172800", "604800"], 60.5),
              (900.0, ["900", "3600", "14400", "43200", "86400", "172800", "604800"], 900.0),
              (86400.0, ["86400", "172800", "604800"], 86400.0),
              (604800.0, ["604800"], 604800.0),
              (604800.25, [], 604800.25),
          ])
    func buckets(seconds: Double, bounds: [String], sum: Double) {
        var batch = RollupBatch()
        batch.add(Self.update(seconds))
        let firstResponse = batch.increments.filter { $0.key.metric == .firstResponseSeconds }
        #expect(firstResponse[Self.key(.firstResponseSeconds)] == RollupValue(count: 1, sum: sum))
        let labels = firstResponse.keys.map(\.label).filter { !$0.isEmpty }
        #expect(Set(labels) == Set(bounds.map { "le=\($0)" }))
        #expect(firstResponse.filter { !$0.key.label.isEmpty }.values.allSatisfy { $0 == RollupValue(count: 1, sum: 0) })
    }

    @Test("a batch sums several events into one increment per row")
    func aggregation() {
        var batch = RollupBatch()
        for seconds in [30.0, 200.0, 5000.0] { batch.add(Self.update(seconds)) }
        #expect(batch.increments[Self.key(.firstResponseSeconds)] == RollupValue(count: 3, sum: 5230))
        #expect(batch.increments[Self.key(.firstResponseSeconds, "le=60")] == RollupValue(count: 1))
        #expect(batch.increments[Self.key(.firstResponseSeconds, "le=300")] == RollupValue(count: 2))
        #expect(batch.increments[Self.key(.firstResponseSeconds, "le=3600")] == RollupValue(count: 2))
        #expect(batch.increments[Self.key(.firstResponseSeconds, "le=14400")] == RollupValue(count: 3))
        #expect(batch.increments[Self.key(.statusChanges, "registered")] == RollupValue(count: 3))
        #expect(batch.rows.map(\.key) == batch.rows.map(\.key).sorted(), "rows come in primary-key order")
    }

    @Test("events are keyed by the UTC day of occurredAt")
    func utcDay() {
        var batch = RollupBatch()
        for time in ["2026-11-25T00:00:00Z", "2026-11-25T23:59:59.999999Z", "2026-11-26T00:00:00Z"] {
            batch.add(DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at(time), projectID: 1, providerID: 3,
                                  serviceID: 4, offerID: 5))
        }
        #expect(batch.increments == [
            Self.key(.ordersCreated): RollupValue(count: 2),
            Self.key(.ordersCreated, day: CalendarDate(year: 2026, month: 11, day: 26)!): RollupValue(count: 1),
        ])
    }

    @Test("what each kind counts: orders on create, statuses and first responses on update, projects on project.created")
    func kinds() {
        var batch = RollupBatch()
        // A created item carries its initial status and no first response: one order, no status change.
        batch.add(DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at("2026-11-25T01:00:00Z"), projectID: 1,
                              providerID: 3, serviceID: 4, offerID: 5, statusType: "created", firstResponseSeconds: 9))
        batch.add(Self.update(nil, status: nil))  // an update of other fields
        batch.add(Self.update(nil, status: "no_such_type"))
        batch.add(DomainEvent(kind: DomainEvent.Kind.projectCreated, occurredAt: at("2026-11-25T01:00:00Z"), projectID: 1))
        batch.add(DomainEvent(kind: "message.created", occurredAt: at("2026-11-25T01:00:00Z"), projectID: 1, providerID: 3))
        #expect(batch.increments == [
            Self.key(.ordersCreated): RollupValue(count: 1),
            Self.key(.statusChanges, "other"): RollupValue(count: 1),
            RollupKey(day: Self.day, metric: .projectsCreated): RollupValue(count: 1),
        ])
    }

    @Test("bucket labels read back to their bound; other labels do not")
    func bucketLabels() {
        #expect(FirstResponseBuckets.upperBounds.map { FirstResponseBuckets.bound(ofLabel: FirstResponseBuckets.label($0)) }
            == FirstResponseBuckets.upperBounds.map { $0 })
        #expect(FirstResponseBuckets.label(3600) == "le=3600")
        #expect(FirstResponseBuckets.bound(ofLabel: "") == nil)
        #expect(FirstResponseBuckets.bound(ofLabel: "le=61") == nil)
        #expect(FirstResponseBuckets.bound(ofLabel: "registered") == nil)
    }

    @Test("configuration: documented defaults, and an error naming a bad variable")
    func configuration() throws {
        let defaults = try MetricsConfiguration(environment: Environment([:]))
        #expect(defaults.infrastructure.httpPort == 9103)
        #expect(defaults.consumers == 1 && defaults.batchSize == 200 && defaults.prefetch == 1000)
        #expect(defaults.queryTimeout == .seconds(5) && defaults.perService && !defaults.perOffer && defaults.apiMaxDays == 366)
        let error = #expect(throws: ConfigurationError.self) {
            try MetricsConfiguration(environment: Environment(["OMS_METRICS_PER_OFFER": "maybe"]))
        }
        #expect(error?.variable == "OMS_METRICS_PER_OFFER")
        #expect(throws: ConfigurationError.self) {
            try MetricsConfiguration(environment: Environment(["OMS_METRICS_BATCH": "0"]))
        }
    }

    /// A pool whose server refuses connections (nothing listens on port 1).
    static func deadPool() -> PostgresPool {
        PostgresPool(configuration: PostgresConfiguration(url: "postgresql://postgres@127.0.0.1:1/oms", connectTimeoutSeconds: 1),
                     size: 1)
    }

    static func delivery(_ body: String, messageID: String? = UUID().uuidString, tag: UInt64) -> AMQPDelivery {
        AMQPDelivery(deliveryTag: tag, redelivered: false, exchange: Topology.eventsExchange, routingKey: DomainEvent.Kind.itemCreated,
                     body: Array(body.utf8), properties: AMQPProperties(messageID: messageID))
    }

    @Test("with the database down, valid events are requeued and malformed ones still rejected")
    func databaseDown() async throws {
        let registry = MetricsRegistry()
        let logs = LogSink.memory()
        let recorder = EventRecorder(pool: Self.deadPool(), logger: Logger(service: "test", sink: logs), registry: registry)
        let valid = try WireFormat.encodeString(Self.update(30))
        let dispositions = await recorder.handle([
            Self.delivery(valid, tag: 1),
            Self.delivery("{", tag: 2),
            Self.delivery(valid, messageID: "not-a-uuid", tag: 3),
            Self.delivery(valid, tag: 4),
        ])
        #expect(dispositions == [.requeue, .reject, .reject, .requeue])
        #expect(registry.counter("oms_metrics_events_requeued_total", help: "").value == 2)
        #expect(registry.counter("oms_metrics_events_rejected_total", help: "").value == 2)
        #expect(logs.lines.contains { $0.contains("message id not-a-uuid is not a UUID") })
    }

    @Test("an event with an impossible day or response time is rejected before it reaches the database")
    func absurdValues() async throws {
        let recorder = EventRecorder(pool: Self.deadPool(), logger: Logger(service: "test", sink: .memory()),
                                     registry: MetricsRegistry())
        // The database is down: anything that got as far as asking it would be requeued.
        #expect(await recorder.handle([Self.delivery(try WireFormat.encodeString(Self.update(1e9)), tag: 1)]) == [.requeue])
        #expect(await recorder.handle([Self.delivery(try WireFormat.encodeString(Self.update(1.5e9)), tag: 1)]) == [.reject])
        #expect(await recorder.handle([Self.delivery(try WireFormat.encodeString(Self.update(-1e300)), tag: 1)]) == [.reject])
        // Year 0 parses as RFC 3339 but is no PostgreSQL date; the database is never asked (it is down).
        let body = try WireFormat.encodeString(Self.update(nil)).replacingOccurrences(of: "2026-11-25", with: "0000-11-25")
        #expect(body.contains("0000-11-25T"))
        #expect(await recorder.handle([Self.delivery(body, tag: 1)]) == [.reject])
    }

    @Test("a scrape with the database down still answers, with the up gauge at 0")
    func scrapeDatabaseDown() async {
        let registry = MetricsRegistry()
        RollupCollector(pool: Self.deadPool(), logger: Logger(service: "test", sink: .memory()), registry: registry)
            .register(in: registry)
        let text = await registry.exposition()
        #expect(text.contains("\noms_metrics_rollups_up 0\n"))
        #expect(!text.contains("oms_orders_created_total"))
        #expect(registry.counter("oms_metrics_rollup_read_failures_total", help: "").value == 1)
    }
}
