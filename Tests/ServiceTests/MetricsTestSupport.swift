import AMQPClient
import Contracts
import Foundation
import HTTPCore
import Messaging
import MetricsApp
import PostgresClient
import ServiceRuntime
import Storage
import Synchronization
import TestSupport
import Testing
import Wire

/// `oms-metrics` wired against a fresh schema and vhost, with a publisher for events and a small
/// catalogue (providers 1 "Alpha" and 2 `Beta "Labs"`, services 10 and 20, offers 100 and 200).
struct MetricsHarness {
    let db: TestDatabase
    let broker: TestBroker
    let assembly: MetricsAssembly
    let admin: PostgresConnection
    let publisher: Publisher
    let logs: LogSink
    let shutdown: ShutdownSignal
    private let running = RunningTasks()

    /// Runs `body` with the service assembled (consumers not started) and the schema migrated.
    static func with(perOffer: Bool = false, _ body: (MetricsHarness) async throws -> Void) async throws {
        try await TestDatabase.with("metrics") { db in
            try await TestBroker.with { broker in
                let admin = try await PostgresConnection.connect(db.configuration)
                _ = try await Migrations.migrate(admin)
                try await admin.executeSimple("""
                    INSERT INTO providers (id, name) VALUES (1, 'Alpha'), (2, 'Beta "Labs"');
                    INSERT INTO services (id, slug, name, provider_id, order_type)
                        VALUES (10, 'compute', 'Compute', 1, 'order_required'), (20, 'storage', 'Storage', 2, 'order_required');
                    INSERT INTO offers (id, service_id, iid, name, order_type)
                        VALUES (100, 10, 1, 'Small VM', 'order_required'), (200, 20, 1, 'Bucket', 'order_required');
                    """)
                let configuration = try MetricsConfiguration(environment: Environment([
                    "OMS_DATABASE_URL": TestServers.databaseURL, "OMS_DATABASE_SCHEMA": db.schema,
                    "OMS_AMQP_URL": broker.url, "OMS_HTTP_PORT": "0", "OMS_METRICS_BATCH": "50",
                    "OMS_METRICS_PER_OFFER": perOffer ? "true" : "false",
                ]))
                let logs = LogSink.memory()
                let logger = Logger(service: "oms-metrics", minimumLevel: .info, sink: logs)
                let shutdown = ShutdownSignal()
                let assembly = MetricsApp.assemble(configuration, logger: logger, shutdown: shutdown)
                let publisher = Publisher(configuration: broker.configuration, topology: Topology(), logger: logger)
                try await publisher.connect()  // declares the topology, so the metrics queue exists
                let harness = MetricsHarness(db: db, broker: broker, assembly: assembly, admin: admin, publisher: publisher,
                                             logs: logs, shutdown: shutdown)
                do {
                    try await body(harness)
                } catch {
                    await harness.stop()
                    throw error
                }
                await harness.stop()
            }
        }
    }

    /// Starts the consumers, as `main` does.
    func startConsumers() {
        for consumer in assembly.consumers {
            running.add(Task { [shutdown] in try? await consumer.run(shutdown) })
        }
    }

    func stop() async {
        shutdown.trigger()
        await running.waitAll()
        await publisher.close()
        await assembly.pool.close()
        await admin.close()
    }

    /// Publishes events to `oms.events` as the outbox relay does (routing key = kind, message id = event id).
    func publish(_ events: [DomainEvent]) async throws {
        try await publisher.publish(events.map { event in
            try Envelope.message(exchange: Topology.eventsExchange, routingKey: event.kind, type: event.kind, body: event,
                                 messageID: event.id)
        })
    }

    /// Publishes a raw body to `oms.events`.
    func publishRaw(_ body: String, routingKey: String, messageID: String?) async throws {
        try await publisher.publish([AMQPMessage(exchange: Topology.eventsExchange, routingKey: routingKey, body: Array(body.utf8),
                                                 properties: AMQPProperties(messageID: messageID, type: routingKey))])
    }

    /// Waits until the inbox of oms-metrics holds `count` messages (their roll-ups committed with them).
    func waitUntilProcessed(_ count: Int, timeout: Duration = .seconds(15)) async throws {
        try await eventually("the inbox holds \(count) messages", timeout: timeout) {
            try await admin.query("SELECT count(*) AS n FROM inbox WHERE consumer = 'oms-metrics'")[0].int("n") == count
        }
    }

    /// Every roll-up row as `day metric provider/service/offer label count sum`, sorted.
    func rollupRows() async throws -> [String] {
        let rows = try await admin.query("""
            SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, provider_id, service_id, offer_id, label, count, sum
            FROM metric_rollups
            """)
        return try rows.map { r in
            "\(try r.string("day")) \(try r.string("metric")) \(try r.int("provider_id"))/\(try r.int("service_id"))/"
                + "\(try r.int("offer_id")) '\(try r.string("label"))' \(try r.int("count")) \(try r.double("sum"))"
        }.sorted()
    }

    /// `GET target` through the service's HTTP handler (no socket).
    func get(_ target: String) async -> HTTPResponse {
        await assembly.handler(HTTPRequest(method: "GET", target: target))
    }

    /// The sample lines of `/metrics` whose metric name is `family` or `family_bucket/_sum/_count`.
    func metricLines(_ family: String) async -> [String] {
        let text = await get("/metrics").bodyText
        return text.split(separator: "\n").map(String.init).filter { line in
            guard !line.hasPrefix("#") else { return false }
            let name = line.prefix { $0 != "{" && $0 != " " }
            return name == family || name == family + "_bucket" || name == family + "_sum" || name == family + "_count"
        }
    }
}

/// Background tasks a harness waits for on stop.
final class RunningTasks: Sendable {
    private let tasks = Mutex<[Task<Void, Never>]>([])
    func add(_ task: Task<Void, Never>) { tasks.withLock { $0.append(task) } }
    func waitAll() async {
        for task in tasks.withLock({ $0 }) { await task.value }
    }
}

/// Polls `condition` until it holds, failing after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(15),
                _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestSupportError("timed out waiting until \(what)")
}

/// A UTC instant written as RFC 3339, for readable test data.
func at(_ text: String) -> Timestamp {
    guard let t = Timestamp(parsing: text) else { preconditionFailure("bad timestamp \(text)") }
    return t
}

/// The expected exposition lines of one histogram series, from its cumulative bucket counts.
func histogramLines(_ family: String, labels: String, cumulative: [Int], count: Int, sum: String) -> [String] {
    let bounds = ["60", "300", "900", "3600", "14400", "43200", "86400", "172800", "604800"]
    return zip(bounds, cumulative).map { "\(family)_bucket{\(labels),le=\"\($0)\"} \($1)" }
        + ["\(family)_bucket{\(labels),le=\"+Inf\"} \(count)", "\(family)_sum{\(labels)} \(sum)", "\(family)_count{\(labels)} \(count)"]
}
