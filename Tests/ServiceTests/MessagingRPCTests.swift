import AMQPClient
import Foundation
import Messaging
import ServiceRuntime
import Synchronization
import TestSupport
import Testing

/// `RPCClient` against a real RabbitMQ: replies are matched by correlation id, a missing reply
/// becomes `.accepted`, and a reply that beats the caller to its wait is kept.
@Suite("Messaging: RPCClient replies, timeouts and early replies")
struct MessagingRPCTests {
    /// A stand-in for the processor: consumes commands and answers with what `replies` returns.
    final class Server: Sendable {
        /// The commands received so far.
        final class Received: Sendable {
            let list = Mutex<[AMQPDelivery]>([])
            var firstReplyTo: String? { list.withLock { $0.first?.properties.replyTo } }
        }

        let commands = Received()
        private let stopped = ShutdownSignal()
        private let task: Task<Void, any Error>

        init(_ broker: TestBroker, replies: @escaping @Sendable (AMQPDelivery, [AMQPDelivery]) async -> [AMQPMessage]) async throws {
            let connection = try await AMQPConnection.connect(broker.configuration)
            try await connection.enableConfirms()
            try await connection.consume(queue: Topology.processorQueue, prefetch: 10)
            let commands = self.commands, stopped = self.stopped
            task = Task {
                while !stopped.isTriggered {
                    for delivery in try await connection.nextDeliveries(max: 10, timeout: .milliseconds(50)) {
                        let seen = commands.list.withLock { $0.append(delivery); return $0 }
                        let answers = await replies(delivery, seen)
                        if !answers.isEmpty {
                            let outcomes = try await connection.publish(answers)
                            guard outcomes.allSatisfy(\.isConfirmed) else { throw TestSupportError("server reply: \(outcomes)") }
                        }
                        try await connection.ack(delivery.deliveryTag)
                    }
                }
                await connection.close()
            }
        }

        func stop() async throws {
            stopped.trigger()
            try await task.value
        }
    }

    /// A reply to `command` through the default exchange, as the processor's outbox sends it.
    static func reply(to command: AMQPDelivery, body: String, correlationID: String? = nil) -> AMQPMessage {
        AMQPMessage(exchange: "", routingKey: command.properties.replyTo ?? "missing-reply-to", body: Array(body.utf8),
                    properties: AMQPProperties(messageID: UUID().uuidString,
                                               correlationID: correlationID ?? command.properties.correlationID))
    }

    static func command(_ correlationID: String) -> AMQPMessage {
        MsgTest.message("cmd-\(correlationID)", exchange: Topology.commandsExchange, routingKey: Topology.processorRoutingKey,
                        correlationID: correlationID)
    }

    /// A running RPC client with its publisher, ready to receive replies.
    private func withClient(_ body: (TestBroker, RPCClient, Publisher) async throws -> Void) async throws {
        try await TestBroker.with { broker in
            try await MsgTest.declare(broker)
            let publisher = Publisher(configuration: broker.configuration, topology: Topology(), logger: MsgTest.logger("publisher"),
                                      timeout: .seconds(10))
            let rpc = RPCClient(configuration: broker.configuration, publisher: publisher, logger: MsgTest.logger("rpc"))
            let service = RunningService(rpc)
            try await MsgTest.waitFor("the reply queue is ready") { rpc.isReady }
            try await body(broker, rpc, publisher)
            #expect(await service.stop() == "returned")
            await publisher.close()
        }
    }

    private func replyText(_ outcome: RPCClient.Outcome) -> String? {
        if case .reply(let delivery) = outcome { return delivery.text }
        return nil
    }

    @Test("a reply to reply_to with the command's correlation id resolves the call; a reply with another id does not")
    func replyResolvesCall() async throws {
        try await withClient { broker, rpc, _ in
            let server = try await Server(broker) { command, _ in
                [Self.reply(to: command, body: "not yours", correlationID: "someone-else"), Self.reply(to: command, body: "yours")]
            }
            let outcome = try await rpc.call(Self.command("c-1"), timeout: .seconds(5))
            #expect(replyText(outcome) == "yours")
            if case .reply(let delivery) = outcome { #expect(delivery.properties.correlationID == "c-1") }
            let replyTo = server.commands.firstReplyTo
            #expect(replyTo?.hasPrefix("amq.gen-") == true, "the command names the client's exclusive reply queue: \(replyTo ?? "none")")
            try await server.stop()
        }
    }

    @Test("with no reply the call answers .accepted after its timeout, and the command stays queued for later")
    func noReplyIsAccepted() async throws {
        try await withClient { broker, rpc, _ in
            let started = ContinuousClock.now
            let outcome = try await rpc.call(Self.command("c-late"), timeout: .milliseconds(400))
            let elapsed = ContinuousClock.now - started
            guard case .accepted = outcome else { Issue.record("expected .accepted, got \(outcome)"); return }
            #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(10), "answered after \(elapsed)")
            #expect(try await MsgTest.depth(broker, Topology.processorQueue) == 1)
        }
    }

    @Test("two concurrent calls each get their own reply, even when the replies come in the other order")
    func concurrentCallsOwnReplies() async throws {
        try await withClient { broker, rpc, _ in
            // Answers only once both commands are in, newest first.
            let server = try await Server(broker) { _, seen in
                guard seen.count == 2 else { return [] }
                return seen.reversed().map { Self.reply(to: $0, body: "for \($0.properties.correlationID ?? "?")") }
            }
            async let a = rpc.call(Self.command("c-a"), timeout: .seconds(5))
            async let b = rpc.call(Self.command("c-b"), timeout: .seconds(5))
            let (ra, rb) = try await (a, b)
            #expect(replyText(ra) == "for c-a")
            #expect(replyText(rb) == "for c-b")
            try await server.stop()
        }
    }

    @Test("two concurrent calls with the same correlation id (a client retrying its Idempotency-Key) both get the reply")
    func sameCorrelationIDBothAnswered() async throws {
        try await withClient { broker, rpc, _ in
            // The processor answers every copy of a request with the same reply.
            let server = try await Server(broker) { command, _ in [Self.reply(to: command, body: "the order")] }
            async let first = rpc.call(Self.command("same-request"), timeout: .seconds(2))
            async let second = rpc.call(Self.command("same-request"), timeout: .seconds(2))
            let (a, b) = try await (first, second)
            #expect(replyText(a) == "the order", "first call: \(a)")
            #expect(replyText(b) == "the order", "second call: \(b)")
            try await server.stop()
        }
    }

    @Test("a reply that arrives before the caller starts waiting (its command not yet confirmed) is not lost")
    func earlyReplyIsKept() async throws {
        try await withClient { broker, _, _ in
            let queuesBefore = Set(try await broker.queueNames())
            // A client whose commands go through a publisher that cannot connect yet (its vhost
            // refuses it), so its call is still inside publish() when the reply comes. Replies
            // reach the client through its reply queue in the first vhost, whatever the command's.
            try await TestBroker.with { commandBroker in
                try await commandBroker.revokeAccess()
                let held = Publisher(configuration: commandBroker.configuration, topology: Topology(),
                                     logger: MsgTest.logger("held-publisher"), timeout: .seconds(10))
                let client = RPCClient(configuration: broker.configuration, publisher: held, logger: MsgTest.logger("rpc"))
                let service = RunningService(client)
                try await MsgTest.waitFor("the reply queue is ready") { client.isReady }
                let call = Task { try await client.call(Self.command("c-early"), timeout: .seconds(1)) }
                try await Task.sleep(for: .milliseconds(200))  // the call has registered and is publishing

                // The reply goes to the call's own reply queue (not the first client's).
                var ownQueue = ""
                try await MsgTest.waitFor("the client's reply queue is listed") {
                    ownQueue = try await broker.queueNames().first { $0.hasPrefix("amq.gen-") && !queuesBefore.contains($0) } ?? ""
                    return !ownQueue.isEmpty
                }
                try await MsgTest.publish(broker, [AMQPMessage(exchange: "", routingKey: ownQueue, body: Array("early".utf8),
                                                               properties: AMQPProperties(correlationID: "c-early"))])
                try await Task.sleep(for: .milliseconds(300))  // the client has received it by now
                try await commandBroker.grantAccess()

                let outcome = try await call.value
                #expect(replyText(outcome) == "early")
                #expect(try await MsgTest.depth(commandBroker, Topology.processorQueue) == 1, "the command was published")
                #expect(await service.stop() == "returned")
                await held.close()
            }
        }
    }
}
