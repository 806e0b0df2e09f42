import AMQPClient
import Foundation
import Messaging
import ServiceRuntime
import Synchronization
import TestSupport
import Testing

/// `ConsumerService` against a real RabbitMQ: acks only after the handler, the three
/// dispositions, reconnecting after a broker-side close, and a graceful shutdown.
@Suite("Messaging: ConsumerService acks, dispositions, reconnect and shutdown")
struct MessagingConsumerTests {
    private func consumer(_ broker: TestBroker, logs: LogSink = .memory(), health: ConnectionHealth = ConnectionHealth(),
                          prefetch: Int = 10, batchSize: Int = 10, batchesInFlight: Int = 1,
                          handler: @escaping @Sendable ([AMQPDelivery]) async -> [Disposition]) -> ConsumerService {
        ConsumerService(name: "test-consumer", configuration: broker.configuration, topology: Topology(),
                        queue: Topology.processorQueue, prefetch: prefetch, batchSize: batchSize,
                        batchesInFlight: batchesInFlight, logger: MsgTest.logger("consumer", sink: logs), health: health,
                        handler: handler)
    }

    @Test("a message is acked only after the handler returned: closing the connection while the handler runs gets it redelivered")
    func acksOnlyAfterHandlerReturned() async throws {
        try await TestBroker.with { broker in
            let log = HandlerLog(), entered = Gate(), release = Gate(), health = ConnectionHealth()
            let service = RunningService(consumer(broker, health: health) { batch in
                log.record(batch)
                if log.batches.count == 1 {
                    entered.open()
                    await release.wait()  // the handler is still working when the connection dies
                }
                return batch.map { _ in .ack }
            })
            let connection = try await MsgTest.onlyConnection(broker)
            try await MsgTest.waitFor("the consumer declared its queue and consumes") { health.isUp }
            try await MsgTest.publish(broker, [MsgTest.command("m-1")])
            await entered.wait()
            try await broker.closeConnection(connection)
            try await Task.sleep(for: .milliseconds(200))
            release.open()  // now the handler returns .ack, on a connection the broker closed

            try await MsgTest.waitFor("m-1 is delivered again") { log.times("m-1") == 2 }
            #expect(log.all == [.init(id: "m-1", redelivered: false), .init(id: "m-1", redelivered: true)])
            #expect(await service.stop() == "returned")
            #expect(try await MsgTest.depth(broker, Topology.processorQueue) == 0)
        }
    }

    @Test("with two batches in flight, a batch stuck in its handler holds back neither the next batch nor its ack")
    func batchesInFlight() async throws {
        try await TestBroker.with { broker in
            let log = HandlerLog(), stuck = Gate(), release = Gate(), health = ConnectionHealth()
            let service = RunningService(consumer(broker, health: health, batchSize: 1, batchesInFlight: 2) { batch in
                log.record(batch)
                if batch.first?.messageIDText == "slow" && log.times("slow") == 1 {
                    stuck.open()
                    await release.wait()
                }
                return batch.map { _ in .ack }
            })
            let connection = try await MsgTest.onlyConnection(broker)
            try await MsgTest.waitFor("the consumer declared its queue and consumes") { health.isUp }
            try await MsgTest.publish(broker, [MsgTest.command("slow")])
            await stuck.wait()
            try await MsgTest.publish(broker, [MsgTest.command("fast")])
            // "fast" is handled while "slow" is still in its handler (one batch in flight would wait).
            try await MsgTest.waitFor("the next batch is handled") { log.times("fast") == 1 }
            try await Task.sleep(for: .milliseconds(300))
            // Its ack went out: when the connection dies now, only "slow" comes back.
            try await broker.closeConnection(connection)
            release.open()
            try await MsgTest.waitFor("the unacked stuck message is delivered again") { log.times("slow") == 2 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(log.times("fast") == 1)
            #expect(await service.stop() == "returned")
            #expect(try await MsgTest.depth(broker, Topology.processorQueue) == 0)
        }
    }

    @Test("a delivery the handler answers with .requeue comes back, flagged redelivered, and is acked the second time")
    func requeueRedelivers() async throws {
        try await TestBroker.with { broker in
            let log = HandlerLog()
            let service = RunningService(consumer(broker) { batch in
                log.record(batch)
                return batch.map { $0.messageIDText == "again" && log.times("again") == 1 ? .requeue : .ack }
            })
            try await MsgTest.declare(broker)
            try await MsgTest.publish(broker, [MsgTest.command("again"), MsgTest.command("once")])
            try await MsgTest.waitFor("the requeued message is handled a second time") { log.times("again") == 2 }
            #expect(log.all.filter { $0.id == "again" } == [.init(id: "again", redelivered: false), .init(id: "again", redelivered: true)])
            #expect(log.times("once") == 1)
            #expect(await service.stop() == "returned")
            #expect(try await MsgTest.depth(broker, Topology.processorQueue) == 0)
        }
    }

    @Test("a delivery the handler answers with .reject is removed: never redelivered, not left in the queue")
    func rejectRemoves() async throws {
        try await TestBroker.with { broker in
            let log = HandlerLog()
            let service = RunningService(consumer(broker) { batch in
                log.record(batch)
                return batch.map { $0.messageIDText == "poison" ? .reject : .ack }
            })
            try await MsgTest.declare(broker)
            try await MsgTest.publish(broker, [MsgTest.command("poison")])
            try await MsgTest.publish(broker, [MsgTest.command("marker")])
            try await MsgTest.waitFor("the message after it is handled") { log.times("marker") == 1 }
            try await Task.sleep(for: .milliseconds(400))  // a requeued message would be back by now
            #expect(await service.stop() == "returned")
            #expect(log.times("poison") == 1)
            // Closing the consumer returns whatever it still held unacked: nothing.
            #expect(try await MsgTest.depth(broker, Topology.processorQueue) == 0)
        }
    }

    @Test("after the broker closes its connection the consumer reconnects and keeps consuming")
    func reconnectsAfterBrokerClose() async throws {
        try await TestBroker.with { broker in
            let log = HandlerLog(), logs = LogSink.memory(), health = ConnectionHealth()
            let service = RunningService(consumer(broker, logs: logs, health: health) { batch in
                log.record(batch)
                return batch.map { _ in .ack }
            })
            let connection = try await MsgTest.onlyConnection(broker)
            try await MsgTest.waitFor("the consumer declared its queue and consumes") { health.isUp }
            try await MsgTest.publish(broker, [MsgTest.command("before")])
            try await MsgTest.waitFor("the first message is handled") { log.times("before") == 1 }

            try await broker.closeConnection(connection)
            try await MsgTest.waitFor("the consumer noticed and consumes again") { MsgTest.count("consuming", in: logs) == 2 }
            try await MsgTest.publish(broker, [MsgTest.command("after")])
            try await MsgTest.waitFor("the message published after the close is handled") { log.times("after") == 1 }
            #expect(health.isUp)
            #expect(MsgTest.count("consumer connection lost; reconnecting", in: logs) == 1)
            #expect(await service.stop() == "returned")
            #expect(!health.isUp)
        }
    }

    @Test("on shutdown the consumer finishes and acks the batch in hand, returns, and gives back what it had prefetched")
    func shutdownFinishesBatch() async throws {
        try await TestBroker.with { broker in
            try await MsgTest.declare(broker)
            let ids = (0..<10).map { "m-\($0)" }
            try await MsgTest.publish(broker, ids.map { MsgTest.command($0) })
            let log = HandlerLog(), entered = Gate(), release = Gate()
            let service = RunningService(consumer(broker, prefetch: 10, batchSize: 4) { batch in
                log.record(batch)
                entered.open()
                await release.wait()
                return batch.map { _ in .ack }
            })
            await entered.wait()
            service.shutdown.trigger()
            #expect(await service.returns(within: .milliseconds(300)) == false, "it must not return while its handler works")
            release.open()
            #expect(await service.stop() == "returned")

            #expect(log.batches.count == 1, "no new batch after shutdown: \(log.batches)")
            let handled = Set(log.all.map(\.id))
            #expect(!handled.isEmpty && handled.count <= 4)
            try await MsgTest.waitFor("the prefetched rest is back in the queue") {
                try await MsgTest.depth(broker, Topology.processorQueue) == 10 - handled.count
            }
            let reader = try await QueueReader.open(broker, queue: Topology.processorQueue)
            let rest = try await reader.read(10 - handled.count, timeout: .seconds(5))
            #expect(Set(rest.map(\.messageIDText)) == Set(ids).subtracting(handled))
            await reader.close()
        }
    }
}
