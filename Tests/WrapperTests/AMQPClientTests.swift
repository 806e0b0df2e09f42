import AMQPClient
import Foundation
import Testing
import TestSupport

@Suite("AMQPClient against a real broker")
struct AMQPClientTests {
    private func publisher(_ broker: TestBroker) async throws -> AMQPConnection {
        let c = try await AMQPConnection.connect(broker.configuration)
        try await c.enableConfirms()
        return c
    }

    private func message(_ exchange: String, _ key: String, _ text: String, id: String = UUID().uuidString) -> AMQPMessage {
        AMQPMessage(exchange: exchange, routingKey: key, body: Array(text.utf8),
                    properties: AMQPProperties(messageID: id, correlationID: "corr-\(id)", replyTo: "replies",
                                               type: "order.create", timestamp: 1_700_000_000,
                                               headers: ["x-attempt": .int(2), "x-kind": .string("trigger"), "x-flag": .bool(true)]))
    }

    @Test("a confirmed persistent message is consumed with its properties and headers intact")
    func roundTrip() async throws {
        try await TestBroker.with { broker in
            let pub = try await publisher(broker)
            try await pub.declareExchange("ex", type: "direct")
            try await pub.declareQueue("q", arguments: ["x-queue-type": .string("quorum")])
            try await pub.bindQueue("q", exchange: "ex", routingKey: "k")
            let sent = message("ex", "k", "hello", id: "m-1")
            #expect(try await pub.publish([sent]) == [.confirmed])

            let sub = try await AMQPConnection.connect(broker.configuration)
            try await sub.consume(queue: "q", prefetch: 10)
            let got = try await sub.nextDeliveries(max: 10, timeout: .seconds(5))
            #expect(got.count == 1)
            let d = try #require(got.first)
            #expect(String(decoding: d.body, as: UTF8.self) == "hello")
            #expect(d.properties == sent.properties)
            #expect(d.routingKey == "k" && d.exchange == "ex" && !d.redelivered)
            try await sub.ack(d.deliveryTag)
        }
    }

    @Test("the broker closing the channel gives channelClosed with its reply code, and the channel reopens")
    func channelClosedByBroker() async throws {
        try await TestBroker.with { broker in
            let c = try await publisher(broker)
            let error = await #expect(throws: AMQPError.self) { try await c.declareQueue("missing", passive: true) }
            #expect(error?.code == .channelClosed)
            #expect(error?.replyCode == 404)
            // Publishing to an exchange that does not exist closes the channel too.
            let outcomes = try await c.publish([message("no-such-exchange", "k", "x")])
            guard case .failed(let e) = outcomes[0] else { Issue.record("expected failure, got \(outcomes)"); return }
            #expect(e.replyCode == 404)
            // The channel was reopened with confirms on: a good publish is confirmed.
            try await c.declareQueue("q2")
            #expect(try await c.publish([message("", "q2", "after")]) == [.confirmed])
        }
    }

    @Test("a publish the broker refuses is reported as nacked, not confirmed")
    func nackedPublish() async throws {
        try await TestBroker.with { broker in
            let c = try await publisher(broker)
            try await c.declareQueue("full", arguments: ["x-max-length": .int(1), "x-overflow": .string("reject-publish")])
            let outcomes = try await c.publish([message("", "full", "1"), message("", "full", "2"), message("", "full", "3")])
            #expect(outcomes == [.confirmed, .nacked, .nacked])
        }
    }

    @Test("a mandatory message with no queue bound comes back as returned")
    func unroutable() async throws {
        try await TestBroker.with { broker in
            let c = try await publisher(broker)
            try await c.declareExchange("ex", type: "direct")
            try await c.declareQueue("q")
            try await c.bindQueue("q", exchange: "ex", routingKey: "bound")
            let outcomes = try await c.publish([message("ex", "bound", "a"), message("ex", "nowhere", "b"), message("ex", "bound", "c")])
            #expect(outcomes[0] == .confirmed)
            #expect(outcomes[1] == .returned(replyCode: 312, replyText: "NO_ROUTE"))
            #expect(outcomes[2] == .confirmed)
        }
    }

    @Test("a thousand publishes are confirmed in one wait, and all arrive")
    func batchConfirms() async throws {
        try await TestBroker.with { broker in
            let c = try await publisher(broker)
            try await c.declareQueue("bulk")
            let batch = (0..<1000).map { message("", "bulk", "m\($0)") }
            let outcomes = try await c.publish(batch)
            #expect(outcomes.allSatisfy { $0.isConfirmed })
            let sub = try await AMQPConnection.connect(broker.configuration)
            try await sub.consume(queue: "bulk", prefetch: 500)
            var received: [String] = []
            while received.count < 1000 {
                let got = try await sub.nextDeliveries(max: 200, timeout: .seconds(5))
                if got.isEmpty { break }
                received += got.map { String(decoding: $0.body, as: UTF8.self) }
                try await sub.ack(got.last!.deliveryTag, multiple: true)
            }
            #expect(received == (0..<1000).map { "m\($0)" })
        }
    }

    @Test("a rejected delivery with requeue comes back flagged redelivered")
    func requeue() async throws {
        try await TestBroker.with { broker in
            let c = try await publisher(broker)
            try await c.declareQueue("q")
            _ = try await c.publish([message("", "q", "again")])
            let sub = try await AMQPConnection.connect(broker.configuration)
            try await sub.consume(queue: "q", prefetch: 1)
            let first = try await sub.nextDeliveries(max: 1, timeout: .seconds(5))
            try await sub.nack(try #require(first.first).deliveryTag, requeue: true)
            let second = try await sub.nextDeliveries(max: 1, timeout: .seconds(5))
            #expect(second.first?.redelivered == true)
            #expect(second.first.map { String(decoding: $0.body, as: UTF8.self) } == "again")
        }
    }

    @Test("a consumer that waits with nothing queued gets an empty batch after its timeout")
    func emptyWait() async throws {
        try await TestBroker.with { broker in
            let c = try await AMQPConnection.connect(broker.configuration)
            try await c.declareQueue("idle")
            try await c.consume(queue: "idle", prefetch: 1)
            let started = ContinuousClock.now
            let got = try await c.nextDeliveries(max: 5, timeout: .milliseconds(200))
            #expect(got.isEmpty)
            #expect(ContinuousClock.now - started >= .milliseconds(150))
        }
    }

    @Test("when the broker closes the connection, consumers and publishers see connectionClosed")
    func connectionClosedByBroker() async throws {
        try await TestBroker.with { broker in
            let pub = try await publisher(broker)
            let sub = try await AMQPConnection.connect(broker.configuration)
            try await sub.declareQueue("q")
            try await sub.consume(queue: "q", prefetch: 1)
            try await broker.delete()
            var consumeError: AMQPError?
            for _ in 0..<50 where consumeError == nil {
                do { _ = try await sub.nextDeliveries(max: 1, timeout: .milliseconds(100)) } catch let e as AMQPError { consumeError = e }
            }
            #expect(consumeError?.code == .connectionClosed)
            #expect(await sub.isOpen == false)
            var outcome: PublishOutcome = .confirmed
            for _ in 0..<50 where outcome == .confirmed {
                outcome = try await pub.publish([message("", "q", "x")]).first ?? .confirmed
                if outcome == .confirmed { try await Task.sleep(for: .milliseconds(50)) }
            }
            guard case .failed(let e) = outcome else { Issue.record("publish after close: \(outcome)"); return }
            #expect(e.isConnectionLevel)
        }
    }

    @Test("a URL is parsed into host, port, credentials and vhost")
    func urlParsing() throws {
        let c = try AMQPConfiguration(url: "amqp://u%40x:p%3Aw@broker.example:5673/my%2Fvhost")
        #expect(c.host == "broker.example" && c.port == 5673 && c.user == "u@x" && c.password == "p:w" && c.vhost == "my/vhost")
        #expect(try AMQPConfiguration(url: "amqp://guest:guest@localhost:5672/%2f").vhost == "/")
        #expect(try AMQPConfiguration(url: "amqp://localhost").vhost == "/")
        #expect(throws: AMQPError.self) { try AMQPConfiguration(url: "http://localhost") }
    }
}
