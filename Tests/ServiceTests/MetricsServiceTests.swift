import AMQPClient
import Contracts
import Foundation
import HTTPCore
import Messaging
import MetricsApp
import Observability
import PostgresClient
import ServiceRuntime
import TestSupport
import Testing
import Wire

/// `oms-metrics` against real PostgreSQL and RabbitMQ: events published on `oms.events` become
/// roll-up rows, `/metrics` series and JSON API rows.
@Suite("oms-metrics: events into roll-ups, /metrics and the daily API")
struct MetricsServiceTests {
    static let day = "2026-11-25"

    /// One project, four ordered items (three for Alpha's Small VM, one for Beta's Bucket), three
    /// status updates of which two are first responses (30 s and 2 h), one update without a status.
    static func sampleEvents() -> [DomainEvent] {
        func item(_ kind: String, _ minute: Int, provider: Int64, status: String?, firstResponse: Double? = nil) -> DomainEvent {
            let (service, offer): (Int64, Int64) = provider == 1 ? (10, 100) : (20, 200)
            return DomainEvent(kind: kind, occurredAt: at("\(day)T10:\(minute):00Z"), projectID: 7, projectItemID: Int64(minute),
                               providerID: provider, serviceID: service, offerID: offer, statusType: status,
                               firstResponseSeconds: firstResponse)
        }
        return [
            DomainEvent(kind: DomainEvent.Kind.projectCreated, occurredAt: at("\(day)T10:00:00Z"), projectID: 7),
            item(DomainEvent.Kind.itemCreated, 10, provider: 1, status: "created"),
            item(DomainEvent.Kind.itemCreated, 11, provider: 1, status: "created"),
            item(DomainEvent.Kind.itemCreated, 12, provider: 1, status: "created"),
            item(DomainEvent.Kind.itemCreated, 13, provider: 2, status: "created"),
            item(DomainEvent.Kind.itemUpdated, 20, provider: 1, status: "registered", firstResponse: 30),
            item(DomainEvent.Kind.itemUpdated, 21, provider: 1, status: "in_progress"),
            item(DomainEvent.Kind.itemUpdated, 22, provider: 2, status: "rejected", firstResponse: 7200),
            item(DomainEvent.Kind.itemUpdated, 23, provider: 2, status: nil),
            // The next day: a second first response for Alpha, so the scrape must add up days.
            DomainEvent(kind: DomainEvent.Kind.itemUpdated, occurredAt: at("2026-11-26T08:00:00Z"), projectID: 7, projectItemID: 11,
                        providerID: 1, serviceID: 10, offerID: 100, statusType: "ready", firstResponseSeconds: 600),
        ]
    }

    @Test("a published batch becomes the right roll-up rows and the right /metrics series")
    func batchToRollupsAndMetrics() async throws {
        try await MetricsHarness.with { h in
            // Not ready before the consumers connect: readiness covers the broker.
            let before = await h.get("/readyz")
            #expect(before.status == 503)
            #expect(before.bodyText.contains(#""broker":"failing""#))

            h.startConsumers()
            let events = Self.sampleEvents()
            try await h.publish(events)
            try await h.waitUntilProcessed(events.count)

            let d = Self.day
            let alphaBuckets = ["60", "300", "900", "3600", "14400", "43200", "86400", "172800", "604800"]
                .map { "\(d) first_response_seconds 1/10/100 'le=\($0)' 1 0.0" }
            let betaBuckets = ["14400", "43200", "86400", "172800", "604800"]
                .map { "\(d) first_response_seconds 2/20/200 'le=\($0)' 1 0.0" }
            let expected = ([
                "\(d) orders_created 1/10/100 '' 3 0.0",
                "\(d) orders_created 2/20/200 '' 1 0.0",
                "\(d) projects_created 0/0/0 '' 1 0.0",
                "\(d) status_changes 1/10/100 'registered' 1 0.0",
                "\(d) status_changes 1/10/100 'in_progress' 1 0.0",
                "\(d) status_changes 2/20/200 'rejected' 1 0.0",
                "\(d) first_response_seconds 1/10/100 '' 1 30.0",
                "\(d) first_response_seconds 2/20/200 '' 1 7200.0",
                "2026-11-26 status_changes 1/10/100 'ready' 1 0.0",
                "2026-11-26 first_response_seconds 1/10/100 '' 1 600.0",
            ] + alphaBuckets + betaBuckets + ["900", "3600", "14400", "43200", "86400", "172800", "604800"]
                .map { "2026-11-26 first_response_seconds 1/10/100 'le=\($0)' 1 0.0" }).sorted()
            #expect(try await h.rollupRows() == expected)

            #expect(await h.metricLines("oms_orders_created_total") == [
                #"oms_orders_created_total{provider="Alpha",provider_id="1"} 3"#,
                #"oms_orders_created_total{provider="Beta \"Labs\"",provider_id="2"} 1"#,
            ])
            #expect(await h.metricLines("oms_projects_created_total") == ["oms_projects_created_total 1"])
            #expect(await h.metricLines("oms_status_changes_total") == [
                #"oms_status_changes_total{status="in_progress"} 1"#,
                #"oms_status_changes_total{status="ready"} 1"#,
                #"oms_status_changes_total{status="registered"} 1"#,
                #"oms_status_changes_total{status="rejected"} 1"#,
            ])
            #expect(await h.metricLines("oms_provider_status_changes_total") == [
                #"oms_provider_status_changes_total{provider="Alpha",provider_id="1",status="in_progress"} 1"#,
                #"oms_provider_status_changes_total{provider="Alpha",provider_id="1",status="ready"} 1"#,
                #"oms_provider_status_changes_total{provider="Alpha",provider_id="1",status="registered"} 1"#,
                #"oms_provider_status_changes_total{provider="Beta \"Labs\"",provider_id="2",status="rejected"} 1"#,
            ])
            #expect(await h.metricLines("oms_provider_first_response_seconds")
                == histogramLines("oms_provider_first_response_seconds", labels: #"provider="Alpha",provider_id="1""#,
                                  cumulative: [1, 1, 2, 2, 2, 2, 2, 2, 2], count: 2, sum: "630")
                + histogramLines("oms_provider_first_response_seconds", labels: #"provider="Beta \"Labs\"",provider_id="2""#,
                                 cumulative: [0, 0, 0, 0, 1, 1, 1, 1, 1], count: 1, sum: "7200"))
            #expect(await h.metricLines("oms_service_orders_created_total") == [
                #"oms_service_orders_created_total{provider_id="1",service="Compute",service_id="10"} 3"#,
                #"oms_service_orders_created_total{provider_id="2",service="Storage",service_id="20"} 1"#,
            ])
            #expect(await h.metricLines("oms_offer_orders_created_total").isEmpty, "per-offer families are off by default")
            #expect(await h.metricLines("oms_metrics_rollups_up") == ["oms_metrics_rollups_up 1"])
            // The service's own counters, beside the roll-ups.
            #expect(await h.metricLines("oms_metrics_events_total") == [
                #"oms_metrics_events_total{kind="other"} 0"#,
                #"oms_metrics_events_total{kind="project.created"} 1"#,
                #"oms_metrics_events_total{kind="project_item.created"} 4"#,
                #"oms_metrics_events_total{kind="project_item.updated"} 5"#,
            ])
            #expect(await h.metricLines("oms_metrics_duplicates_total") == ["oms_metrics_duplicates_total 0"])

            let ready = await h.get("/readyz")
            #expect(ready.status == 200, "\(ready.bodyText)")
            #expect(await h.get("/healthz").status == 200)
        }
    }

    @Test("a message redelivered after its roll-up committed (ack lost) is counted once")
    func redeliveryCountedOnce() async throws {
        try await MetricsHarness.with { h in
            let order = DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at("2026-11-25T09:00:00Z"), projectID: 1,
                                    providerID: 1, serviceID: 10, offerID: 100)
            try await h.publish([order])

            // A consumer records the event and dies before its ack: the broker redelivers the message.
            let doomed = try await AMQPConnection.connect(h.broker.configuration)
            try await doomed.consume(queue: Topology.metricsQueue, prefetch: 10)
            let taken = try await doomed.nextDeliveries(max: 10, timeout: .seconds(5))
            #expect(taken.count == 1)
            #expect(await h.assembly.recorder.handle(taken) == [.ack])
            await doomed.close()

            h.startConsumers()
            // The same message id published again (an outbox relay that crashed before deleting its row).
            try await h.publish([order])
            // Another order for the same row, so the row must also add up across transactions.
            let marker = DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at("2026-11-25T09:05:00Z"), projectID: 1,
                                     providerID: 1, serviceID: 10, offerID: 100)
            try await h.publish([marker])
            try await h.waitUntilProcessed(2)
            // The copies were published before the marker, so they were handled with it or before it.
            #expect(try await h.rollupRows() == ["2026-11-25 orders_created 1/10/100 '' 2 0.0"])
            try await eventually("both copies are counted as skipped") {
                await h.metricLines("oms_metrics_duplicates_total") == ["oms_metrics_duplicates_total 2"]
            }
            #expect(await h.metricLines("oms_orders_created_total") == [#"oms_orders_created_total{provider="Alpha",provider_id="1"} 2"#])
        }
    }

    @Test("a repeated message id within one batch counts once")
    func duplicateWithinBatch() async throws {
        try await MetricsHarness.with { h in
            let event = DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at("2026-11-25T09:00:00Z"), projectID: 1,
                                    providerID: 1, serviceID: 10, offerID: 100)
            let delivery = try Self.delivery(event, tag: 1)
            #expect(await h.assembly.recorder.handle([delivery, delivery, delivery]) == [.ack, .ack, .ack])
            #expect(try await h.rollupRows() == ["2026-11-25 orders_created 1/10/100 '' 1 0.0"])
            #expect(await h.metricLines("oms_metrics_duplicates_total") == ["oms_metrics_duplicates_total 2"])
        }
    }

    @Test("events land in the row of their UTC day, whatever offset their timestamp was written with")
    func utcDays() async throws {
        try await MetricsHarness.with { h in
            h.startConsumers()
            func order(_ time: String) -> DomainEvent {
                DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at(time), projectID: 1, providerID: 1,
                            serviceID: 10, offerID: 100)
            }
            try await h.publish([order("2026-11-25T00:00:00Z"), order("2026-11-25T23:59:59.999999Z"),
                                 order("2026-11-26T00:00:00Z"), order("2026-12-31T23:59:59Z"), order("2027-01-01T00:00:00Z")])
            // 00:30 at UTC+01:00 is 23:30 UTC the day before; 23:30 at UTC-01:00 is 00:30 UTC the day after.
            for (id, time) in [(UUID(), "2026-11-26T00:30:00+01:00"), (UUID(), "2026-11-26T23:30:00-01:00")] {
                try await h.publishRaw(#"{"id":"\#(id)","kind":"project_item.created","occurredAt":"\#(time)","projectID":1,"#
                                       + #""providerID":1,"serviceID":10,"offerID":100}"#,
                                       routingKey: DomainEvent.Kind.itemCreated, messageID: id.uuidString.lowercased())
            }
            try await h.waitUntilProcessed(7)
            #expect(try await h.rollupRows() == [
                "2026-11-25 orders_created 1/10/100 '' 3 0.0",
                "2026-11-26 orders_created 1/10/100 '' 1 0.0",
                "2026-11-27 orders_created 1/10/100 '' 1 0.0",
                "2026-12-31 orders_created 1/10/100 '' 1 0.0",
                "2027-01-01 orders_created 1/10/100 '' 1 0.0",
            ])
            #expect(await h.metricLines("oms_orders_created_total") == [#"oms_orders_created_total{provider="Alpha",provider_id="1"} 7"#])
        }
    }

    @Test("a malformed message is logged and rejected once, and the valid ones beside it are counted")
    func malformedRejected() async throws {
        try await MetricsHarness.with { h in
            h.startConsumers()
            try await h.publishRaw("not json", routingKey: DomainEvent.Kind.itemCreated, messageID: UUID().uuidString)
            try await h.publishRaw(#"{"kind":"project_item.created"}"#, routingKey: DomainEvent.Kind.itemCreated, messageID: nil)
            let good = DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at("2026-11-25T09:00:00Z"), projectID: 1,
                                   providerID: 1, serviceID: 10, offerID: 100)
            try await h.publish([good])
            try await h.waitUntilProcessed(1)
            try await eventually("two rejections are counted") {
                await h.metricLines("oms_metrics_events_rejected_total") == ["oms_metrics_events_rejected_total 2"]
            }
            // A requeued message would come straight back and be rejected again.
            try await Task.sleep(for: .milliseconds(500))
            #expect(await h.metricLines("oms_metrics_events_rejected_total") == ["oms_metrics_events_rejected_total 2"])
            #expect(h.logs.lines.filter { $0.contains("malformed event rejected") }.count == 2)
            #expect(try await h.rollupRows() == ["2026-11-25 orders_created 1/10/100 '' 1 0.0"])
        }
    }

    @Test("an event the database refuses is rejected alone, and the rest of its batch is counted")
    func refusedEventIsolated() async throws {
        try await MetricsHarness.with { h in
            // Stands in for any non-transient refusal (a constraint, an overflow): provider 666 is refused.
            try await h.admin.executeSimple("""
                CREATE FUNCTION refuse_666() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.provider_id = 666 THEN RAISE EXCEPTION 'provider 666 refused' USING ERRCODE = '23514'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_666 BEFORE INSERT ON metric_rollups FOR EACH ROW EXECUTE FUNCTION refuse_666();
                """)
            func order(provider: Int64) -> DomainEvent {
                DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at("2026-11-25T09:00:00Z"), projectID: 1,
                            providerID: provider, serviceID: 10, offerID: 100)
            }
            let deliveries = try [order(provider: 1), order(provider: 666), order(provider: 1)].enumerated()
                .map { try Self.delivery($1, tag: UInt64($0 + 1)) }
            #expect(await h.assembly.recorder.handle(deliveries) == [.ack, .reject, .ack])
            #expect(try await h.rollupRows() == ["2026-11-25 orders_created 1/10/100 '' 2 0.0"])
            // The refused event left no inbox row, so a later fix (and a replay) could still count it.
            #expect(try await h.admin.query("SELECT count(*) AS n FROM inbox")[0].int("n") == 2)
            #expect(h.logs.lines.contains { $0.contains("event refused by the database and rejected") && $0.contains("provider 666 refused") })
        }
    }

    @Test("first-response buckets hold an observation at exactly their bound, and not one a microsecond above",
          arguments: [
              // seconds, cumulative counts for le = 60 … 604800
              (0.0, [1, 1, 1, 1, 1, 1, 1, 1, 1]),
              (60.0, [1, 1, 1, 1, 1, 1, 1, 1, 1]),
              (60.000001, [0, 1, 1, 1, 1, 1, 1, 1, 1]),
              (3600.0, [0, 0, 0, 1, 1, 1, 1, 1, 1]),
              (172800.0, [0, 0, 0, 0, 0, 0, 0, 1, 1]),
              (604800.0, [0, 0, 0, 0, 0, 0, 0, 0, 1]),
              (604800.000001, [0, 0, 0, 0, 0, 0, 0, 0, 0]),
          ])
    func histogramBoundaries(seconds: Double, cumulative: [Int]) async throws {
        try await MetricsHarness.with(perOffer: true) { h in
            let event = DomainEvent(kind: DomainEvent.Kind.itemUpdated, occurredAt: at("2026-11-25T09:00:00Z"), projectID: 1,
                                    providerID: 1, serviceID: 10, offerID: 100, statusType: "registered",
                                    firstResponseSeconds: seconds)
            let delivery = try Self.delivery(event, tag: 1)
            #expect(await h.assembly.recorder.handle([delivery]) == [.ack])
            let sum = PrometheusText.format(seconds)
            #expect(await h.metricLines("oms_provider_first_response_seconds")
                == histogramLines("oms_provider_first_response_seconds", labels: #"provider="Alpha",provider_id="1""#,
                                  cumulative: cumulative, count: 1, sum: sum))
            #expect(await h.metricLines("oms_service_first_response_seconds")
                == histogramLines("oms_service_first_response_seconds",
                                  labels: #"provider_id="1",service="Compute",service_id="10""#,
                                  cumulative: cumulative, count: 1, sum: sum))
            #expect(await h.metricLines("oms_offer_first_response_seconds")
                == histogramLines("oms_offer_first_response_seconds", labels: #"offer="Small VM",offer_id="100",service_id="10""#,
                                  cumulative: cumulative, count: 1, sum: sum))
        }
    }

    @Test("the daily API answers one metric's rows in the range, filtered by provider")
    func dailyAPI() async throws {
        try await MetricsHarness.with { h in
            var events = Self.sampleEvents()
            events.append(DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at("2026-11-26T08:00:00Z"), projectID: 7,
                                      providerID: 1, serviceID: 10, offerID: 100))
            events.append(DomainEvent(kind: DomainEvent.Kind.itemCreated, occurredAt: at("2026-11-27T08:00:00Z"), projectID: 7,
                                      providerID: 1, serviceID: 10, offerID: 100))
            let deliveries = try events.enumerated().map { try Self.delivery($1, tag: UInt64($0 + 1)) }
            #expect(await h.assembly.recorder.handle(deliveries) == Array(repeating: .ack, count: events.count))

            let all = await h.get("/api/v1/metrics/daily?metric=orders_created&from=2026-11-25&to=2026-11-26")
            #expect(all.status == 200)
            #expect(all.bodyText == #"{"days":["#
                + #"{"count":3,"day":"2026-11-25","label":"","offer_id":100,"provider_id":1,"service_id":10,"sum":0},"#
                + #"{"count":1,"day":"2026-11-25","label":"","offer_id":200,"provider_id":2,"service_id":20,"sum":0},"#
                + #"{"count":1,"day":"2026-11-26","label":"","offer_id":100,"provider_id":1,"service_id":10,"sum":0}],"#
                + #""from":"2026-11-25","metric":"orders_created","to":"2026-11-26"}"#)

            struct Body: Decodable {
                var metric: String
                var days: [DailyRollup]
            }
            let beta = try await h.get("/api/v1/metrics/daily?metric=orders_created&from=2026-11-01&to=2026-11-30&provider_id=2")
                .decode(Body.self)
            #expect(beta.days == [DailyRollup(day: "2026-11-25", providerID: 2, serviceID: 20, offerID: 200, label: "", count: 1, sum: 0)])

            let responses = try await h.get("/api/v1/metrics/daily?metric=first_response_seconds&from=2026-11-25&to=2026-11-25&label=")
                .decode(Body.self)
            #expect(responses.metric == "first_response_seconds")
            #expect(responses.days.map { "\($0.providerID) \($0.count) \($0.sum)" } == ["1 1 30.0", "2 1 7200.0"])

            let status = try await h.get("/api/v1/metrics/daily?metric=status_changes&from=2026-11-25&to=2026-11-25&label=rejected")
                .decode(Body.self)
            #expect(status.days.map(\.providerID) == [2])

            let empty = try await h.get("/api/v1/metrics/daily?metric=orders_created&from=2026-11-28&to=2026-12-31").decode(Body.self)
            #expect(empty.days.isEmpty)
        }
    }

    @Test("the daily API answers 400 naming each bad parameter",
          arguments: [
              ("from=2026-11-25&to=2026-11-26", ["metric"]),
              ("metric=orders&from=2026-11-25&to=2026-11-26", ["metric"]),
              ("metric=orders_created&metric=status_changes&from=2026-11-25&to=2026-11-26", ["metric"]),
              ("metric=orders_created&to=2026-11-26", ["from"]),
              ("metric=orders_created&from=25-11-2026&to=2026-11-26", ["from"]),
              ("metric=orders_created&from=2026-02-30&to=2026-11-26", ["from"]),
              ("metric=orders_created&from=2026-11-5&to=2026-11-26", ["from"]),
              ("metric=orders_created&from=2026-11-25&to=tomorrow", ["to"]),
              ("metric=orders_created&from=2026-11-26&to=2026-11-25", ["to"]),
              ("metric=orders_created&from=2025-11-25&to=2026-11-26", ["to"]),
              ("metric=orders_created&from=2026-11-25&to=2026-11-26&provider_id=-1", ["provider_id"]),
              ("metric=orders_created&from=2026-11-25&to=2026-11-26&provider_id=abc", ["provider_id"]),
              ("metric=orders_created&from=2026-11-25&to=2026-11-26&service_id=1.5", ["service_id"]),
              ("metric=orders_created&from=2026-11-25&to=2026-11-26&offer_id=%2B3", ["offer_id"]),
              ("metric=x&from=2026-13-01&to=2026-11-26&provider_id=z", ["from", "metric", "provider_id"]),
          ])
    func dailyAPIValidation(query: String, parameters: [String]) async throws {
        try await MetricsHarness.with { h in
            let response = await h.get("/api/v1/metrics/daily?" + query)
            #expect(response.status == 400)
            let body = try response.decode([String: [String: [String]]].self)
            #expect(body["error"].map { $0.keys.sorted() } == parameters, "\(response.bodyText)")
        }
    }

    @Test("the daily API accepts a range of exactly the maximum length, 366 days")
    func dailyAPIMaximumRange() async throws {
        try await MetricsHarness.with { h in
            #expect(await h.get("/api/v1/metrics/daily?metric=orders_created&from=2025-11-26&to=2026-11-26").status == 200)
            #expect(await h.get("/api/v1/metrics/daily?metric=orders_created&from=2025-11-25&to=2026-11-26").status == 400)
        }
    }

    static func delivery(_ event: DomainEvent, tag: UInt64) throws -> AMQPDelivery {
        let message = try Envelope.message(exchange: Topology.eventsExchange, routingKey: event.kind, type: event.kind,
                                           body: event, messageID: event.id)
        return AMQPDelivery(deliveryTag: tag, redelivered: false, exchange: message.exchange, routingKey: message.routingKey,
                            body: message.body, properties: message.properties)
    }
}
