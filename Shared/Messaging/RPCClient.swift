public import AMQPClient
import Foundation
public import ServiceRuntime
import Synchronization
import Wire

/// Sends commands and waits for their replies over a private reply queue (AMQP direct RPC).
///
/// The command is published persistently with a confirm through the shared ``Publisher``; only
/// then does the caller wait for the reply. A reply that does not come in time is not an error
/// for the command: it is queued durably and will be processed; the caller answers "accepted".
public final class RPCClient: Service, Sendable {
    public let name = "rpc-replies"
    private let configuration: AMQPConfiguration
    private let publisher: Publisher
    private let logger: Logger
    /// Waiting callers by correlation id; several may share one (a client retrying with the same
    /// Idempotency-Key while its first request waits), and each gets the reply.
    private let state = Mutex<(queue: String?, waiters: [String: [ObjectIdentifier: ReplySlot]])>((nil, [:]))
    /// Set while the reply queue's connection is up.
    public let health = ConnectionHealth()

    private let drainPeriod: Duration

    /// - Parameter drainPeriod: after shutdown, how long replies are still received for callers
    ///   that wait (the HTTP server answers its requests in flight meanwhile).
    public init(configuration: AMQPConfiguration, publisher: Publisher, logger: Logger,
                drainPeriod: Duration = .seconds(3)) {
        self.configuration = configuration
        self.publisher = publisher
        self.logger = logger.with(["component": .string("rpc")])
        self.drainPeriod = drainPeriod
    }

    /// The outcome of a call.
    public enum Outcome: Sendable {
        case reply(AMQPDelivery)
        /// The command is durably queued but no reply came within the timeout.
        case accepted
    }

    /// Publishes `message` (its correlation id must be set) and waits up to `timeout` for the reply.
    /// Throws only if the command could not be handed to the broker.
    public func call(_ message: AMQPMessage, timeout: Duration) async throws -> Outcome {
        guard let correlationID = message.properties.correlationID else {
            throw Publisher.Failure(description: "an RPC command needs a correlation id")
        }
        var message = message
        let slot = ReplySlot()
        // Register before publishing: the reply can arrive before publish() returns.
        let key = ObjectIdentifier(slot)
        let replyQueue = state.withLock { s -> String? in
            s.waiters[correlationID, default: [:]][key] = slot
            return s.queue
        }
        defer {
            state.withLock { s in
                s.waiters[correlationID]?.removeValue(forKey: key)
                if s.waiters[correlationID]?.isEmpty == true { s.waiters.removeValue(forKey: correlationID) }
            }
        }
        message.properties.replyTo = replyQueue
        try await publisher.publish([message])
        if let delivery = await slot.wait(timeout: timeout) { return .reply(delivery) }
        return .accepted
    }

    /// Keeps the exclusive reply queue and routes replies to their callers.
    public func run(_ shutdown: ShutdownSignal) async throws {
        var backoff = Backoff()
        while !shutdown.isTriggered {
            do {
                let connection = try await AMQPConnection.connect(configuration)
                let queue = try await connection.declareQueue("", durable: false, exclusive: true, autoDelete: true).name
                try await connection.consume(queue: queue, prefetch: 0, noAck: true, exclusive: true)
                state.withLock { $0.queue = queue }
                health.set(true)
                backoff.reset()
                var drainUntil: ContinuousClock.Instant?
                while true {
                    if shutdown.isTriggered {
                        let now = ContinuousClock.now
                        if drainUntil == nil { drainUntil = now + drainPeriod }
                        if now >= drainUntil! || state.withLock({ $0.waiters.isEmpty }) { break }
                    }
                    for delivery in try await connection.nextDeliveries(max: 100, timeout: .milliseconds(100)) {
                        if let id = delivery.properties.correlationID {
                            for slot in state.withLock({ Array(($0.waiters[id] ?? [:]).values) }) { slot.deliver(delivery) }
                        }
                    }
                }
                health.set(false)
                await connection.close()
            } catch {
                health.set(false)
                state.withLock { $0.queue = nil }
                logger.warning("reply queue lost; reconnecting", ["error": .string(String(describing: error))])
                await shutdown.sleep(for: backoff.next())
            }
        }
    }

    /// Whether replies can be received (readiness).
    public var isReady: Bool { health.isUp && state.withLock { $0.queue != nil } }
}

/// Where one caller's reply lands; the reply may come before the caller starts waiting.
final class ReplySlot: Sendable {
    private struct State {
        var reply: AMQPDelivery?
        var waiter: CheckedContinuation<AMQPDelivery?, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    func deliver(_ delivery: AMQPDelivery) {
        let waiter = state.withLock { s -> CheckedContinuation<AMQPDelivery?, Never>? in
            guard !s.finished else { return nil }
            if let w = s.waiter { s.finished = true; s.waiter = nil; return w }
            s.reply = delivery
            return nil
        }
        waiter?.resume(returning: delivery)
    }

    func wait(timeout: Duration) async -> AMQPDelivery? {
        await withCheckedContinuation { (c: CheckedContinuation<AMQPDelivery?, Never>) in
            let early = state.withLock { s -> AMQPDelivery?? in
                if let r = s.reply { s.finished = true; return .some(r) }
                s.waiter = c
                return .none
            }
            if let early { c.resume(returning: early) ; return }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                self.expire()
            }
        }
    }

    private func expire() {
        let waiter = state.withLock { s -> CheckedContinuation<AMQPDelivery?, Never>? in
            guard !s.finished else { return nil }
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }
}
