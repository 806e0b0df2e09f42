import AMQPClient
import Foundation
import Messaging
import PostgresClient
import ServiceRuntime
import Storage
import TestSupport
import Testing
import Wire

/// `OutboxRelay` with `enqueue` against real PostgreSQL and RabbitMQ: what commits goes out once,
/// what rolls back never does, and NOTIFY, the sweep and a broker outage behave as documented.
@Suite("Messaging: outbox relay publishes committed rows")
struct MessagingOutboxRelayTests {
    struct Payload: Codable, Sendable, Equatable {
        let n: Int
        let tag: String
    }

    /// An event row for `oms.events`, which the topology routes to `oms.metrics.events`.
    static func event(_ n: Int, _ tag: String) throws -> OutboxMessage {
        try OutboxMessage(exchange: Topology.eventsExchange, routingKey: "test.created", type: "test.created",
                          body: Payload(n: n, tag: tag), correlationID: "\(tag)-\(n)")
    }

    static func commit(_ conn: PostgresConnection, _ messages: [OutboxMessage]) async throws {
        try await conn.transaction { c in try c.enqueue(messages) }
    }

    static func outboxCount(_ conn: PostgresConnection) async throws -> Int {
        Int(try await conn.query("SELECT count(*) AS n FROM outbox").first?.int("n") ?? -1)
    }

    static func ids(_ messages: [OutboxMessage]) -> [String] { messages.map { $0.messageID.uuidString.lowercased() } }

    /// A relay (with its own pool and publisher) and the handles to stop it.
    struct Relay {
        let relay: OutboxRelay
        let service: RunningService
        let publisher: Publisher
        let pool: PostgresPool
        let logs: LogSink

        init(_ database: PostgresConfiguration, _ broker: TestBroker, sweep: Duration, batchSize: Int = 100,
             publisherTimeout: Duration = .seconds(2)) {
            logs = LogSink.memory()
            pool = PostgresPool(configuration: database, size: 2)
            publisher = Publisher(configuration: broker.configuration, topology: Topology(),
                                  logger: MsgTest.logger("publisher", sink: logs), timeout: publisherTimeout)
            relay = OutboxRelay(pool: pool, publisher: publisher, logger: MsgTest.logger("relay", sink: logs),
                                batchSize: batchSize, sweepInterval: sweep)
            service = RunningService(relay)
        }

        /// Stops the relay and requires that `run` returned.
        func stop() async {
            #expect(await service.stop() == "returned")
            await publisher.close()
            await pool.close()
        }
    }

    /// A migrated schema, a vhost with the topology declared, and a reader on the events queue.
    private func withSetup(_ body: (TestDatabase, TestBroker, PostgresConnection, QueueReader) async throws -> Void) async throws {
        try await TestDatabase.with("relay") { db in
            try await TestBroker.with { broker in
                let conn = try await PostgresConnection.connect(db.configuration)
                _ = try await Migrations.migrate(conn)
                try await MsgTest.declare(broker)
                let reader = try await QueueReader.open(broker, queue: Topology.metricsQueue)
                try await body(db, broker, conn, reader)
                await reader.close()
                await conn.close()
            }
        }
    }

    @Test("rows of committed transactions are published in order with their id, type, correlation id and body, then deleted")
    func committedRowsPublishedAndDeleted() async throws {
        try await withSetup { db, broker, conn, reader in
            let first = try (0..<3).map { try Self.event($0, "a") }, second = try (3..<5).map { try Self.event($0, "b") }
            try await Self.commit(conn, first)
            try await Self.commit(conn, second)
            let relay = Relay(db.configuration, broker, sweep: .milliseconds(200))

            let got = try await reader.read(5)
            #expect(got.map(\.messageIDText) == Self.ids(first + second))
            for (delivery, sent) in zip(got, first + second) {
                #expect(delivery.properties.type == "test.created")
                #expect(delivery.properties.correlationID == sent.correlationID)
                #expect(delivery.properties.persistent)
                #expect(delivery.exchange == Topology.eventsExchange && delivery.routingKey == "test.created")
                #expect(try WireFormat.decode(Payload.self, from: delivery.body) == WireFormat.decode(Payload.self, from: Array(sent.body.utf8)))
            }
            try await MsgTest.waitFor("the outbox is empty") { try await Self.outboxCount(conn) == 0 }
            #expect(try await reader.drain(for: .milliseconds(500)).isEmpty, "nothing is published twice")
            await relay.stop()
        }
    }

    @Test("rows enqueued in a transaction that rolled back are never published; the next commit's are")
    func rolledBackRowsNeverPublished() async throws {
        struct Abort: Error {}
        try await withSetup { db, broker, conn, reader in
            let relay = Relay(db.configuration, broker, sweep: .milliseconds(100))
            let doomed = try (0..<3).map { try Self.event($0, "doomed") }
            await #expect(throws: Abort.self) {
                try await conn.transaction { c in
                    try c.enqueue(doomed)
                    throw Abort()
                }
            }
            let kept = try Self.event(9, "kept")
            try await Self.commit(conn, [kept])
            let got = try await reader.read(1)
            // Several sweeps pass: a doomed row that had been written would go out now.
            let later = try await reader.drain(for: .milliseconds(600))
            #expect((got + later).map(\.messageIDText) == Self.ids([kept]))
            #expect(try await Self.outboxCount(conn) == 0)
            await relay.stop()
        }
    }

    /// The relay's LISTEN session in `database`, found by its application name.
    static func listenerPIDs(_ admin: PostgresConnection, database: String, application: String) async throws -> [Int64] {
        try await admin.query("""
            SELECT pid FROM pg_stat_activity
            WHERE datname = \(database) AND application_name = \(application) AND query ILIKE 'LISTEN%'
            """).map { try $0.int("pid") }
    }

    @Test("with a 60 s sweep, a NOTIFY from another connection's commit wakes the relay at once, also after its LISTEN session was killed")
    func notifyWakesRelay() async throws {
        // A database of its own: NOTIFY channels are database-wide, and another test's commit
        // must not be what wakes this relay.
        try await TestIsolatedDatabase.with("notify") { database in
            try await TestBroker.with { broker in
                let application = "relay-\(TestServers.uniqueSuffix())"
                let writer = try await PostgresConnection.connect(database.configuration(applicationName: "writer"))
                _ = try await Migrations.migrate(writer)
                try await MsgTest.declare(broker)
                let reader = try await QueueReader.open(broker, queue: Topology.metricsQueue)
                let relay = Relay(database.configuration(applicationName: application), broker, sweep: .seconds(60))
                try await MsgTest.waitFor("the relay listens") { relay.relay.health.isUp }

                // One row first, so the relay has done its start-up batch and parked.
                let warmUp = try Self.event(0, "warm-up")
                try await Self.commit(writer, [warmUp])
                #expect(try await reader.read(1, timeout: .seconds(5)).map(\.messageIDText) == Self.ids([warmUp]))
                try await Task.sleep(for: .milliseconds(300))

                let woken = try Self.event(1, "notify")
                var started = ContinuousClock.now
                try await Self.commit(writer, [woken])
                #expect(try await reader.read(1, timeout: .seconds(20)).map(\.messageIDText) == Self.ids([woken]))
                #expect(ContinuousClock.now - started < .seconds(20))  // far below the 60 s sweep

                // Kill the LISTEN session: the relay must listen again, on a new session.
                let old = try await Self.listenerPIDs(writer, database: database.name, application: application)
                #expect(old.count == 1)
                _ = try await writer.query("SELECT pg_terminate_backend(pid::int) FROM unnest(\(old)::int8[]) AS pid")
                try await Task.sleep(for: .seconds(1))  // the listener's reconnect backoff
                let afterKill = try Self.event(2, "after-kill")
                started = ContinuousClock.now
                try await Self.commit(writer, [afterKill])
                let got = try await reader.read(1, timeout: .seconds(20))
                let sessions = try await Self.listenerPIDs(writer, database: database.name, application: application)
                #expect(got.map(\.messageIDText) == Self.ids([afterKill]),
                        "not woken by NOTIFY after its LISTEN session was killed; LISTEN sessions now: \(sessions), health \(relay.relay.health.isUp)")
                #expect(ContinuousClock.now - started < .seconds(20))  // far below the 60 s sweep

                await relay.stop()
                await reader.close()
                await writer.close()
            }
        }
    }

    @Test("with its LISTEN session killed and rows written without any NOTIFY, the sweep alone publishes them")
    func sweepAlonePublishes() async throws {
        try await TestIsolatedDatabase.with("sweep") { database in
            try await TestBroker.with { broker in
                let application = "relay-\(TestServers.uniqueSuffix())"
                let writer = try await PostgresConnection.connect(database.configuration(applicationName: "writer"))
                _ = try await Migrations.migrate(writer)
                try await MsgTest.declare(broker)
                let reader = try await QueueReader.open(broker, queue: Topology.metricsQueue)
                let relay = Relay(database.configuration(applicationName: application), broker, sweep: .milliseconds(300))
                try await MsgTest.waitFor("the relay listens") { relay.relay.health.isUp }
                let listener = try await Self.listenerPIDs(writer, database: database.name, application: application)
                #expect(listener.count == 1)
                _ = try await writer.query("SELECT pg_terminate_backend(pid::int) FROM unnest(\(listener)::int8[]) AS pid")

                // A plain INSERT: no pg_notify, so no LISTEN session could be woken by it.
                let rows = try (0..<3).map { try Self.event($0, "swept") }
                for row in rows {
                    _ = try await writer.query("""
                        INSERT INTO outbox (message_id, exchange, routing_key, type, correlation_id, body)
                        VALUES (\(row.messageID), \(row.exchange), \(row.routingKey), \(row.type), \(row.correlationID), \(row.body))
                        """)
                }
                let started = ContinuousClock.now
                #expect(try await reader.read(3, timeout: .seconds(15)).map(\.messageIDText) == Self.ids(rows))
                #expect(ContinuousClock.now - started < .seconds(15))
                try await MsgTest.waitFor("the outbox is empty") { try await Self.outboxCount(writer) == 0 }

                await relay.stop()
                await reader.close()
                await writer.close()
            }
        }
    }

    @Test("after the database terminates every session of the relay, it reconnects and publishes rows committed later")
    func survivesKilledSessions() async throws {
        try await TestIsolatedDatabase.with("killed") { database in
            try await TestBroker.with { broker in
                let application = "relay-\(TestServers.uniqueSuffix())"
                let writer = try await PostgresConnection.connect(database.configuration(applicationName: "writer"))
                _ = try await Migrations.migrate(writer)
                try await MsgTest.declare(broker)
                let reader = try await QueueReader.open(broker, queue: Topology.metricsQueue)
                let relay = Relay(database.configuration(applicationName: application), broker, sweep: .milliseconds(300))
                let first = try Self.event(0, "first")
                try await Self.commit(writer, [first])
                #expect(try await reader.read(1).map(\.messageIDText) == Self.ids([first]))
                try await MsgTest.waitFor("the relay listens") { relay.relay.health.isUp }

                let killed = try await writer.query("""
                    SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
                    WHERE datname = \(database.name) AND application_name = \(application)
                    """)
                #expect(killed.count >= 2, "the pool's session and the LISTEN session")
                let later = try (1...3).map { try Self.event($0, "later") }
                try await Self.commit(writer, later)
                // The kill may land between the first batch's publish and its commit: then that row
                // goes out again (at least once, as documented). The later rows must all go out.
                let firstID = Self.ids([first])[0]
                let got = try await reader.read(3, timeout: .seconds(5)) { $0.messageIDText != firstID }
                    .map(\.messageIDText).filter { $0 != firstID }
                #expect(got == Self.ids(later), "relay log: \(relay.logs.lines.joined())")
                try await MsgTest.waitFor("the outbox is empty") { try await Self.outboxCount(writer) == 0 }

                await relay.stop()
                await reader.close()
                await writer.close()
            }
        }
    }

    @Test("two relays on one outbox publish every row exactly once while writers commit concurrently")
    func twoRelaysExactlyOnce() async throws {
        try await withSetup { db, broker, conn, reader in
            let relays = [Relay(db.configuration, broker, sweep: .milliseconds(100), batchSize: 7),
                          Relay(db.configuration, broker, sweep: .milliseconds(100), batchSize: 7)]
            let writers = PostgresPool(configuration: db.configuration, size: 4)
            let batches = try (0..<20).map { t in try (0..<10).map { try Self.event(t * 10 + $0, "pair") } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in batches {
                    group.addTask { try await writers.withConnection { try await Self.commit($0, batch) } }
                }
                try await group.waitForAll()
            }
            let got = try await reader.read(200, timeout: .seconds(10)) + reader.drain(for: .milliseconds(500))
            let expected = Self.ids(batches.flatMap { $0 })
            #expect(got.count == 200, "\(got.count) messages for 200 rows")
            #expect(Set(got.map(\.messageIDText)) == Set(expected))
            try await MsgTest.waitFor("the outbox is empty") { try await Self.outboxCount(conn) == 0 }
            // Both took part (a publisher connects on its first batch), or the test proved nothing.
            for relay in relays { #expect(MsgTest.count("publisher connected", in: relay.logs) == 1) }
            for relay in relays { await relay.stop() }
            await writers.close()
        }
    }

    @Test("while the broker is down (vhost gone), committed rows stay in the outbox; when it is back they are published and deleted")
    func rowsWaitForBroker() async throws {
        try await withSetup { db, broker, conn, firstReader in
            let relay = Relay(db.configuration, broker, sweep: .milliseconds(200), publisherTimeout: .milliseconds(700))
            let before = try Self.event(0, "before")
            try await Self.commit(conn, [before])
            #expect(try await firstReader.read(1).map(\.messageIDText) == Self.ids([before]))
            await firstReader.close()

            try await broker.delete()  // closes the relay's connection; reconnecting fails until recreate()
            let rows = try (1...5).map { try Self.event($0, "outage") }
            try await Self.commit(conn, rows)
            try await MsgTest.waitFor("the relay tried to publish them and failed") {
                MsgTest.count("relay batch failed; retrying", in: relay.logs) >= 1
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Self.outboxCount(conn) == 5)

            try await broker.recreate()  // empty: the relay's publisher declares the topology again
            // The relay and its publisher back off up to 5 s each between attempts.
            try await MsgTest.waitFor("the outbox is empty", timeout: .seconds(20)) { try await Self.outboxCount(conn) == 0 }
            let reader = try await QueueReader.open(broker, queue: Topology.metricsQueue)
            let got = try await reader.read(5, timeout: .seconds(2)) + reader.drain(for: .milliseconds(300))
            #expect(got.map(\.messageIDText) == Self.ids(rows))
            await reader.close()
            await relay.stop()
        }
    }
}
