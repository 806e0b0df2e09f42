import AMQPClient
import Contracts
import CtlApp
import Foundation
import Messaging
import PostgresClient
import Testing
import TestSupport
import Wire

@Suite("omsctl: dead letters against PostgreSQL and RabbitMQ")
struct CtlDeadLetterTests {
    /// Parks `count` trigger deliveries in the dead queue as the notifier does (default exchange,
    /// same message id, x-attempt past the last retry) and logs them as dead.
    private func park(_ count: Int, broker: TestBroker, ctl: CtlHarness) async throws -> [Delivery] {
        let deliveries = (0..<count).map { n in
            Delivery(kind: .trigger, createdAt: Timestamp(microseconds: 1_700_000_000_000_000 + Int64(n)),
                     eventKind: "project_item.create", omsID: Int64(n + 1))
        }
        let publisher = try await AMQPConnection.connect(broker.configuration)
        try await Topology().declare(on: publisher)
        try await publisher.enableConfirms()
        let messages = try deliveries.map { d in
            try Envelope.message(exchange: "", routingKey: Topology.deadQueue, type: "delivery.trigger", body: d,
                                 messageID: d.id, headers: ["x-attempt": .int(5), "x-last-error": .string("HTTP 503")])
        }
        #expect(try await publisher.publish(messages).allSatisfy(\.isConfirmed))
        await publisher.close()
        try await ctl.withConnection { conn in
            for d in deliveries {
                try await conn.query("""
                    INSERT INTO deliveries (id, kind, target, oms_id, status, attempts, last_error, message)
                    VALUES (\(d.id), 'trigger', \(d.target), NULL, 'dead', 5, 'HTTP 503', \(try WireFormat.encodeString(d))::jsonb)
                    """)
            }
        }
        return deliveries
    }

    /// Takes every message now in `queue` (acking them) within a short wait.
    private func drain(_ queue: String, broker: TestBroker) async throws -> [AMQPDelivery] {
        let consumer = try await AMQPConnection.connect(broker.configuration)
        try await consumer.consume(queue: queue, prefetch: 100)
        var out: [AMQPDelivery] = []
        while true {
            let batch = try await consumer.nextDeliveries(max: 100, timeout: .milliseconds(out.isEmpty ? 2000 : 500))
            if batch.isEmpty { break }
            for d in batch { try await consumer.ack(d.deliveryTag) }
            out += batch
        }
        await consumer.close()
        return out
    }

    private func status(_ id: UUID, _ ctl: CtlHarness) async throws -> String {
        try await ctl.withConnection { try await $0.query("SELECT status FROM deliveries WHERE id = \(id)")[0].string("status") }
    }

    @Test("replay --id moves exactly that message back with x-attempt 0 and leaves the others parked")
    func replayOne() async throws {
        try await TestDatabase.with("ctl") { db in
            try await TestBroker.with { broker in
                let ctl = CtlHarness(db, broker: broker)
                #expect(await ctl.run("migrate").status == 0)
                let parked = try await park(3, broker: broker, ctl: ctl)
                let chosen = parked[1]

                let list = await ctl.run("dead-letters", "list")
                #expect(list.status == 0, "\(list.errorText)")
                #expect(Set(list.json.compactMap { $0.string("id") }) == Set(parked.map { $0.id.uuidString.lowercased() }))
                #expect(list.json.first?.int("attempts") == 5)
                #expect(list.json.first?.string("last_error") == "HTTP 503")
                #expect(list.json.first?.string("kind") == "trigger")

                let replay = await ctl.run("dead-letters", "replay", "--id", chosen.id.uuidString)
                #expect(replay.status == 0, "\(replay.errorText)")
                #expect(replay.object.int("replayed") == 1)

                let back = try await drain(DeliveryLane.http.queue, broker: broker)
                #expect(back.count == 1)
                let message = try #require(back.first)
                #expect(message.properties.messageID == chosen.id.uuidString.lowercased())
                #expect(message.properties.headers["x-attempt"] == .int(0))
                #expect(message.properties.persistent)
                #expect(try Envelope.decode(Delivery.self, from: message) == chosen)
                #expect(message.exchange == Topology.notificationsExchange)

                let stillDead = try await drain(Topology.deadQueue, broker: broker)
                #expect(Set(stillDead.compactMap(\.properties.messageID)) == Set([parked[0], parked[2]].map { $0.id.uuidString.lowercased() }))
                #expect(stillDead.allSatisfy { $0.properties.headers["x-attempt"] == .int(5) }, "left unchanged")

                #expect(try await status(chosen.id, ctl) == "retrying")
                #expect(try await status(parked[0].id, ctl) == "dead")
                #expect(try await status(parked[2].id, ctl) == "dead")
                #expect(await ctl.run("dead-letters", "list").json.count == 2)
            }
        }
    }

    @Test("replay --all moves every parked message; an id not in the dead queue is reported and fails")
    func replayAll() async throws {
        try await TestDatabase.with("ctl") { db in
            try await TestBroker.with { broker in
                let ctl = CtlHarness(db, broker: broker)
                #expect(await ctl.run("migrate").status == 0)
                let parked = try await park(4, broker: broker, ctl: ctl)

                let missing = UUID()
                let notFound = await ctl.run("dead-letters", "replay", "--id", missing.uuidString)
                #expect(notFound.status == 1)
                #expect(notFound.object["not_found"] == .array([.string(missing.uuidString.lowercased())]))
                #expect(notFound.object.int("replayed") == 0)

                let all = await ctl.run("dead-letters", "replay", "--all")
                #expect(all.status == 0, "\(all.errorText)")
                #expect(all.object.int("replayed") == 4)
                let back = try await drain(DeliveryLane.http.queue, broker: broker)
                #expect(Set(back.compactMap(\.properties.messageID)) == Set(parked.map { $0.id.uuidString.lowercased() }))
                #expect(back.allSatisfy { $0.properties.headers["x-attempt"] == .int(0) })
                #expect(try await drain(Topology.deadQueue, broker: broker).isEmpty)
                #expect(await ctl.run("dead-letters", "list").json.isEmpty)

                #expect(await ctl.run("dead-letters", "replay").status == 2, "needs --id or --all")
                #expect(await ctl.run("dead-letters", "replay", "--id", "42").status == 2, "ids are UUIDs")
            }
        }
    }
}
