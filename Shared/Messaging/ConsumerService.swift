public import AMQPClient
public import ServiceRuntime
import Synchronization
import Wire

/// What to do with a delivery once its handler ran.
public enum Disposition: Sendable, Equatable {
    /// The effect committed (or the message was a duplicate): remove it from the queue.
    case ack
    /// The effect could not be applied now (database down): put it back for another try.
    case requeue
    /// The message can never succeed (malformed): drop it. Use only after recording why.
    case reject
}

/// Consumes a queue with manual acks and hands batches to a handler, reconnecting with backoff.
///
/// Acks are sent only after the handler returns, i.e. after its effect committed; a crash before
/// that leaves the messages unacked and the broker redelivers them. On shutdown the consumer is
/// cancelled, the batches in hand are finished and acked, and the connection closes (returning
/// any prefetched messages to the queue).
///
/// With `batchesInFlight` above 1, the next batch is taken while earlier ones are still being
/// handled, so one slow message holds back only its own batch (the notifier's triggers), not
/// every message behind it.
public struct ConsumerService: Service {
    public let name: String
    let configuration: AMQPConfiguration
    let topology: Topology
    let queue: String
    let prefetch: Int
    let batchSize: Int
    let batchesInFlight: Int
    let logger: Logger
    let health: ConnectionHealth
    let handler: @Sendable ([AMQPDelivery]) async -> [Disposition]

    /// - Parameters:
    ///   - prefetch: unacked messages the broker may send ahead.
    ///   - batchSize: the most deliveries handed to one handler call.
    ///   - batchesInFlight: handler calls that may run at once (each on its own batch).
    ///   - health: set while the consumer's connection is up (readiness).
    ///   - handler: returns one disposition per delivery, in order.
    public init(name: String, configuration: AMQPConfiguration, topology: Topology, queue: String,
                prefetch: Int = 100, batchSize: Int = 50, batchesInFlight: Int = 1, logger: Logger,
                health: ConnectionHealth = ConnectionHealth(),
                handler: @escaping @Sendable ([AMQPDelivery]) async -> [Disposition]) {
        self.name = name
        self.configuration = configuration
        self.topology = topology
        self.queue = queue
        self.prefetch = prefetch
        self.batchSize = batchSize
        self.batchesInFlight = max(1, batchesInFlight)
        self.logger = logger.with(["consumer": .string(name)])
        self.health = health
        self.handler = handler
    }

    public func run(_ shutdown: ShutdownSignal) async throws {
        var backoff = Backoff()
        while !shutdown.isTriggered {
            do {
                let connection = try await AMQPConnection.connect(configuration)
                try await topology.declare(on: connection)
                let tag = try await connection.consume(queue: queue, prefetch: prefetch)
                health.set(true)
                backoff.reset()
                logger.info("consuming", ["queue": .string(queue)])
                try await consume(connection, tag: tag, shutdown)
                health.set(false)
                await connection.close()
                return
            } catch {
                health.set(false)
                if let amqp = error as? AMQPError, amqp.replyCode == 406 {
                    // A queue already declared with other arguments (by an older version): retrying
                    // will not help, an operator must migrate or delete it.
                    logger.error("the broker holds a queue declared with other arguments; migrate or delete it",
                                 ["error": .string(amqp.description)])
                } else {
                    logger.warning("consumer connection lost; reconnecting", ["error": .string(String(describing: error))])
                }
                await shutdown.sleep(for: backoff.next())
            }
        }
    }

    private func consume(_ connection: AMQPConnection, tag: String, _ shutdown: ShutdownSignal) async throws {
        var requeueBackoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var inFlight = 0
            while !shutdown.isTriggered {
                if inFlight >= batchesInFlight, let requeued = try await group.next() {
                    inFlight -= 1
                    // A requeue means a dependency is down: wait before the broker hands it back.
                    if requeued { await shutdown.sleep(for: requeueBackoff.next()) } else { requeueBackoff.reset() }
                    continue  // shutdown may have come while waiting: take no new batch then
                }
                let batch = try await connection.nextDeliveries(max: batchSize, timeout: .milliseconds(250))
                if batch.isEmpty { continue }
                inFlight += 1
                group.addTask { try await self.settle(batch, on: connection) }
            }
            while try await group.next() != nil {}
        }
        try? await connection.cancel(consumerTag: tag)
    }

    /// Hands a batch to the handler and acks, requeues or rejects each message as it says.
    /// - Returns: whether any message was requeued.
    private func settle(_ batch: [AMQPDelivery], on connection: AMQPConnection) async throws -> Bool {
        let dispositions = await handler(batch)
        var requeued = false
        for (delivery, disposition) in zip(batch, dispositions) {
            switch disposition {
            case .ack: try await connection.ack(delivery.deliveryTag)
            case .reject: try await connection.nack(delivery.deliveryTag, requeue: false)
            case .requeue:
                requeued = true
                try await connection.nack(delivery.deliveryTag, requeue: true)
            }
        }
        for delivery in batch.dropFirst(dispositions.count) {
            requeued = true
            try await connection.nack(delivery.deliveryTag, requeue: true)
        }
        return requeued
    }
}

/// A flag a connection owner sets while it is connected, read by readiness checks.
public final class ConnectionHealth: Sendable {
    private let value = Mutex(false)

    public init() {}

    public func set(_ up: Bool) { value.withLock { $0 = up } }

    public var isUp: Bool { value.withLock { $0 } }
}
