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
/// cancelled, the batch in hand is finished and acked, and the connection closes (returning any
/// prefetched messages to the queue).
public struct ConsumerService: Service {
    public let name: String
    let configuration: AMQPConfiguration
    let topology: Topology
    let queue: String
    let prefetch: Int
    let batchSize: Int
    let logger: Logger
    let health: ConnectionHealth
    let handler: @Sendable ([AMQPDelivery]) async -> [Disposition]

    /// - Parameters:
    ///   - prefetch: unacked messages the broker may send ahead.
    ///   - batchSize: the most deliveries handed to one handler call.
    ///   - health: set while the consumer's connection is up (readiness).
    ///   - handler: returns one disposition per delivery, in order.
    public init(name: String, configuration: AMQPConfiguration, topology: Topology, queue: String,
                prefetch: Int = 100, batchSize: Int = 50, logger: Logger, health: ConnectionHealth = ConnectionHealth(),
                handler: @escaping @Sendable ([AMQPDelivery]) async -> [Disposition]) {
        self.name = name
        self.configuration = configuration
        self.topology = topology
        self.queue = queue
        self.prefetch = prefetch
        self.batchSize = batchSize
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
        while !shutdown.isTriggered {
            let batch = try await connection.nextDeliveries(max: batchSize, timeout: .milliseconds(250))
            if batch.isEmpty { continue }
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
                try await connection.nack(delivery.deliveryTag, requeue: true)
            }
            // A requeue means a dependency is down: wait before the broker hands it back.
            if requeued { await shutdown.sleep(for: requeueBackoff.next()) } else { requeueBackoff.reset() }
        }
        try? await connection.cancel(consumerTag: tag)
    }
}

/// A flag a connection owner sets while it is connected, read by readiness checks.
public final class ConnectionHealth: Sendable {
    private let value = Mutex(false)

    public init() {}

    public func set(_ up: Bool) { value.withLock { $0 = up } }

    public var isUp: Bool { value.withLock { $0 } }
}
