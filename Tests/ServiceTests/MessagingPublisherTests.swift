import AMQPClient
import Foundation
import Messaging
import ServiceRuntime
import Synchronization
import TestSupport
import Testing

/// `Publisher` against a real RabbitMQ: group-committed confirms, refusals that fail only their
/// caller, and reconnecting without losing what was in flight.
@Suite("Messaging: Publisher confirms, refusals and reconnects")
struct MessagingPublisherTests {
    /// What concurrent callers were told.
    final class Results: Sendable {
        private let state = Mutex<(succeeded: Set<String>, failed: [String: String])>(([], [:]))
        func succeeded(_ id: String) { _ = state.withLock { $0.succeeded.insert(id) } }
        func failed(_ id: String, _ error: any Error) { state.withLock { $0.failed[id] = String(describing: error) } }
        var successCount: Int { state.withLock { $0.succeeded.count } }
        var snapshot: (succeeded: Set<String>, failed: [String: String]) { state.withLock { $0 } }
    }

    private func publisher(_ broker: TestBroker, timeout: Duration = .seconds(10)) -> Publisher {
        Publisher(configuration: broker.configuration, topology: Topology(), logger: MsgTest.logger("publisher"), timeout: timeout)
    }

    /// Publishes each message from its own task; returns the ids whose caller got success and
    /// the error text of those that failed.
    private func publishConcurrently(_ publisher: Publisher, _ messages: [AMQPMessage]) async -> (succeeded: Set<String>, failed: [String: String]) {
        await withTaskGroup(of: (String, String?).self) { group in
            for message in messages {
                group.addTask {
                    do {
                        try await publisher.publish([message])
                        return (message.properties.messageID ?? "", nil)
                    } catch {
                        return (message.properties.messageID ?? "", String(describing: error))
                    }
                }
            }
            var succeeded: Set<String> = [], failed: [String: String] = [:]
            for await (id, error) in group {
                if let error { failed[id] = error } else { succeeded.insert(id) }
            }
            return (succeeded, failed)
        }
    }

    @Test("500 concurrent publish calls all return after their confirms, and all 500 messages are in the queue")
    func concurrentCallersAllConfirmed() async throws {
        try await TestBroker.with { broker in
            try await MsgTest.declare(broker, queues: ["bulk": [:]])
            let publisher = publisher(broker)
            let messages = (0..<500).map { MsgTest.message("m-\($0)", routingKey: "bulk") }
            let result = await publishConcurrently(publisher, messages)
            #expect(result.failed.isEmpty, "\(result.failed.prefix(3))")
            #expect(result.succeeded.count == 500)
            // Read at once: a publish that returned before its confirm could still be in flight here.
            #expect(try await MsgTest.depth(broker, "bulk") == 500)
            let reader = try await QueueReader.open(broker, queue: "bulk")
            let got = try await reader.read(500)
            #expect(Set(got.map(\.messageIDText)) == Set(messages.map { $0.properties.messageID! }))
            #expect(got.count == 500)
            await reader.close()
            await publisher.close()
        }
    }

    @Test("a message the broker nacks (queue full, reject-publish) fails only its caller; callers in the same batches succeed")
    func nackFailsOnlyItsCaller() async throws {
        try await TestBroker.with { broker in
            try await MsgTest.declare(broker, queues: [
                "full": ["x-max-length": .int(1), "x-overflow": .string("reject-publish")], "open": [:],
            ])
            let publisher = publisher(broker)
            try await publisher.publish([MsgTest.message("fill", routingKey: "full")])  // the one place in "full"
            var messages: [AMQPMessage] = []
            for i in 0..<40 {
                messages.append(i % 4 == 0 ? MsgTest.message("refused-\(i)", routingKey: "full") : MsgTest.message("ok-\(i)", routingKey: "open"))
            }
            let result = await publishConcurrently(publisher, messages)
            let refused = Set(messages.compactMap(\.properties.messageID).filter { $0.hasPrefix("refused-") })
            #expect(Set(result.failed.keys) == refused)
            #expect(result.succeeded == Set(messages.compactMap(\.properties.messageID)).subtracting(refused))
            for (id, error) in result.failed { #expect(error.contains("nacked"), "\(id): \(error)") }
            #expect(try await MsgTest.depth(broker, "open") == 30)
            #expect(try await MsgTest.depth(broker, "full") == 1)
            await publisher.close()
        }
    }

    @Test("an unroutable mandatory message fails its caller with an error naming NO_ROUTE; a routable one beside it succeeds")
    func unroutableFailsItsCaller() async throws {
        try await TestBroker.with { broker in
            try await MsgTest.declare(broker)
            let publisher = publisher(broker)
            let lost = MsgTest.message("lost", exchange: Topology.commandsExchange, routingKey: "no-such-route")
            let fine = MsgTest.message("fine", exchange: Topology.commandsExchange, routingKey: Topology.processorRoutingKey)
            let result = await publishConcurrently(publisher, [lost, fine, lost, fine].enumerated().map { i, m in
                var m = m
                m.properties.messageID = "\(m.properties.messageID!)-\(i)"
                return m
            })
            #expect(Set(result.failed.keys) == ["lost-0", "lost-2"])
            #expect(result.succeeded == ["fine-1", "fine-3"])
            for (id, error) in result.failed {
                #expect(error.contains("NO_ROUTE") && error.contains("312"), "\(id): \(error)")
            }
            #expect(try await MsgTest.depth(broker, Topology.processorQueue) == 2)
            await publisher.close()
        }
    }

    @Test("an unroutable mandatory message without a message id still fails its caller (it is not stored anywhere)")
    func unroutableWithoutMessageIDFails() async throws {
        try await TestBroker.with { broker in
            try await MsgTest.declare(broker)
            let publisher = publisher(broker)
            var lost = MsgTest.message("", exchange: Topology.commandsExchange, routingKey: "no-such-route")
            lost.properties.messageID = nil
            await #expect(throws: Publisher.Failure.self) { try await publisher.publish([lost]) }
            await publisher.close()
        }
    }

    @Test("a publish to an exchange that does not exist fails its caller, and does not fail the callers batched with it")
    func missingExchangeFailsOnlyItsCaller() async throws {
        try await TestBroker.with { broker in
            try await MsgTest.declare(broker, queues: ["open": [:]])
            let publisher = publisher(broker, timeout: .seconds(10))
            try await publisher.connect()
            var messages = [MsgTest.message("bad", exchange: "no-such-exchange", routingKey: "k")]
            messages += (0..<20).map { MsgTest.message("ok-\($0)", routingKey: "open") }
            let started = ContinuousClock.now
            let result = await publishConcurrently(publisher, messages)
            let elapsed = ContinuousClock.now - started
            #expect(Set(result.failed.keys) == ["bad"], "failed: \(result.failed.keys.sorted()) after \(elapsed)")
            #expect(result.failed["bad"]?.contains("404") == true || result.failed["bad"]?.contains("NOT_FOUND") == true,
                    "the error should name the missing exchange, got: \(result.failed["bad"] ?? "success")")
            // Far below the 10 s timeout, with room for a loaded machine: the refusal is not retried until then.
            #expect(elapsed < .seconds(5), "a permanent refusal should not be retried until the timeout")
            await publisher.close()
        }
    }

    @Test("while the broker refuses connections a publish fails after the publisher's timeout, not before and not never")
    func failsAfterTimeoutWhileBrokerDown() async throws {
        try await TestBroker.with { broker in
            try await MsgTest.declare(broker, queues: ["q": [:]])
            try await broker.revokeAccess()
            let publisher = publisher(broker, timeout: .milliseconds(800))
            let started = ContinuousClock.now
            let error = await #expect(throws: Publisher.Failure.self) {
                try await publisher.publish([MsgTest.message("m", routingKey: "q")])
            }
            let elapsed = ContinuousClock.now - started
            // Not never: at most one backoff and one confirm wait after the deadline, plus a loaded machine.
            #expect(elapsed >= .milliseconds(800) && elapsed < .seconds(20), "failed after \(elapsed)")
            #expect(error?.description.contains("unavailable") == true)
            try await broker.grantAccess()
            // The same publisher works once the broker is back.
            try await publisher.publish([MsgTest.message("m2", routingKey: "q")])
            #expect(try await MsgTest.depth(broker, "q") == 1)
            await publisher.close()
        }
    }

    @Test("after the broker closes the publisher's connection, the next publish reconnects and succeeds")
    func reconnectsAfterBrokerClose() async throws {
        try await TestBroker.with { broker in
            let logs = LogSink.memory()
            let publisher = Publisher(configuration: broker.configuration, topology: Topology(),
                                      logger: MsgTest.logger("publisher", sink: logs), timeout: .seconds(10))
            try await publisher.connect()  // declares the topology: the processor queue exists
            let first = try await MsgTest.onlyConnection(broker)
            try await broker.closeConnection(first)

            try await publisher.publish([MsgTest.command("after-close")])
            #expect(MsgTest.count("publisher connected", in: logs) == 2, "it should have opened a second connection")
            #expect(try await MsgTest.depth(broker, Topology.processorQueue) == 1)
            await publisher.close()
        }
    }

    @Test("messages in flight when the broker closes the connection are not lost: every caller told success has its message queued")
    func inFlightNotLostAcrossClose() async throws {
        try await TestBroker.with { broker in
            let logs = LogSink.memory()
            let publisher = Publisher(configuration: broker.configuration, topology: Topology(),
                                      logger: MsgTest.logger("publisher", sink: logs), timeout: .seconds(10))
            try await publisher.connect()
            let first = try await MsgTest.onlyConnection(broker)

            // Twenty callers publish one message after another until told to stop, so some are
            // always in flight; the broker closes the connection meanwhile.
            let stop = ShutdownSignal()
            let results = Results()
            let workers = (0..<20).map { worker in
                Task {
                    var n = 0
                    while !stop.isTriggered {
                        let id = "w\(worker)-\(n)"
                        n += 1
                        do {
                            try await publisher.publish([MsgTest.command(id, body: String(repeating: "x", count: 2000))])
                            results.succeeded(id)
                        } catch {
                            results.failed(id, error)
                        }
                    }
                }
            }
            try await MsgTest.waitFor("some messages were published") { results.successCount >= 100 }
            try await broker.closeConnection(first)
            try await MsgTest.waitFor("the publisher reconnected") { MsgTest.count("publisher connected", in: logs) >= 2 }
            let atReconnect = results.successCount
            try await MsgTest.waitFor("publishing goes on after the reconnect") { results.successCount >= atReconnect + 100 }
            stop.trigger()
            for worker in workers { await worker.value }
            let (succeeded, failed) = results.snapshot

            let reader = try await QueueReader.open(broker, queue: Topology.processorQueue)
            // Messages unconfirmed when the connection closed may already be queued and are
            // published again (at least once), so read until every confirmed id was seen rather
            // than a fixed count: duplicates would push the last messages out of a counted read.
            var queued = Set<String>()
            let deadline = ContinuousClock.now + .seconds(10)
            while !succeeded.isSubset(of: queued), ContinuousClock.now < deadline {
                queued.formUnion(try await reader.read(1, timeout: .milliseconds(500)).map(\.messageIDText))
            }
            let missing = succeeded.subtracting(queued)
            #expect(missing.isEmpty, "\(missing.count) of \(succeeded.count) confirmed to their callers but not in the queue, e.g. \(missing.sorted().prefix(5))")
            // Within the timeout the publisher republishes what was unconfirmed, so nobody fails.
            #expect(failed.isEmpty, "\(failed.count) failed, e.g. \(failed.prefix(2))")
            await reader.close()
            await publisher.close()
        }
    }
}
