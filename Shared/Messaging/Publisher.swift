public import AMQPClient
public import ServiceRuntime
import Synchronization
import Wire

/// Publishes with publisher confirms, batching concurrent callers into one confirm wait.
///
/// Callers `await publish(...)` and return once the broker confirmed every message. Behind it a
/// single flush loop takes everything queued, publishes it on one confirm-mode connection and
/// waits once; what arrives meanwhile forms the next batch (group commit). A broken connection
/// is replaced with backoff and the unconfirmed messages are published again, so a caller sees
/// an error only when a message is refused (nacked, or returned as unroutable) or its deadline
/// passes.
public final class Publisher: Sendable {
    /// Why a publish did not succeed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    private struct Pending {
        var messages: [AMQPMessage]
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
        /// Publish alone: a batch it was in had its channel closed by the broker, which cannot
        /// say which message it refused; alone, a refusal is its own and fails it at once.
        var isolate = false
    }

    private struct State {
        var queue: [Pending] = []
        var flushing = false
        var connection: AMQPConnection?
    }

    private let configuration: AMQPConfiguration
    private let topology: Topology
    private let logger: Logger
    private let timeout: Duration
    private let maxBatch: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - timeout: how long a caller waits for the broker, across reconnects, before failing.
    ///   - maxBatch: the most messages in one confirm wait.
    public init(configuration: AMQPConfiguration, topology: Topology, logger: Logger,
                timeout: Duration = .seconds(30), maxBatch: Int = 1000) {
        self.configuration = configuration
        self.topology = topology
        self.logger = logger
        self.timeout = timeout
        self.maxBatch = maxBatch
    }

    /// Publishes `messages` and returns when the broker confirmed all of them.
    public func publish(_ messages: [AMQPMessage]) async throws {
        guard !messages.isEmpty else { return }
        let deadline = ContinuousClock.now + timeout
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startFlush = state.withLock { s -> Bool in
                s.queue.append(Pending(messages: messages, deadline: deadline, continuation: continuation))
                if s.flushing { return false }
                s.flushing = true
                return true
            }
            if startFlush { Task { await self.flushLoop() } }
        }
    }

    /// Opens the connection now (so readiness is true before the first publish).
    public func connect() async throws {
        _ = try await liveConnection()
    }

    /// Closes the connection. Publishes still queued fail.
    public func close() async {
        let (c, pending) = state.withLock { s -> (AMQPConnection?, [Pending]) in
            defer { s.connection = nil; s.queue.removeAll() }
            return (s.connection, s.queue)
        }
        for p in pending { p.continuation.resume(throwing: Failure(description: "publisher closed")) }
        await c?.close()
    }

    private func flushLoop() async {
        var backoff = Backoff()
        while true {
            let batch = state.withLock { s -> [Pending] in
                var taken: [Pending] = []
                var count = 0
                while let first = s.queue.first, taken.isEmpty || (count + first.messages.count <= maxBatch && !first.isolate) {
                    taken.append(s.queue.removeFirst())
                    count += first.messages.count
                    if first.isolate { break }
                }
                if taken.isEmpty { s.flushing = false }
                return taken
            }
            if batch.isEmpty { return }
            var retry: [Pending] = []
            do {
                let connection = try await liveConnection()
                let outcomes = try await connection.publish(batch.flatMap(\.messages))
                var offset = 0
                for pending in batch {
                    let mine = outcomes[offset..<offset + pending.messages.count]
                    offset += pending.messages.count
                    let channelRefusal = mine.lazy.compactMap { outcome -> AMQPError? in
                        if case .failed(let e) = outcome, e.code == .channelClosed { return e }
                        return nil
                    }.first
                    if let refused = mine.first(where: { if case .nacked = $0 { return true }; if case .returned = $0 { return true }; return false }) {
                        pending.continuation.resume(throwing: Failure(description: "broker refused a message: \(refused)"))
                    } else if let refusal = channelRefusal, pending.isolate {
                        pending.continuation.resume(throwing: Failure(description: "broker refused a message: \(refusal)"))
                    } else if mine.contains(where: { if case .failed = $0 { return true }; return false }) {
                        var again = pending
                        again.isolate = again.isolate || channelRefusal != nil
                        retry.append(again)
                    } else {
                        pending.continuation.resume()
                    }
                }
                if retry.isEmpty { backoff.reset() }
            } catch {
                logger.warning("publish failed; will retry", ["error": .string(String(describing: error))])
                retry = batch
            }
            guard !retry.isEmpty else { continue }
            let onlyIsolating = retry.allSatisfy(\.isolate)
            // Requeue at the front, failing those past their deadline, then wait before reconnecting.
            let now = ContinuousClock.now
            let expired = retry.filter { $0.deadline <= now }
            for p in expired { p.continuation.resume(throwing: Failure(description: "broker unavailable")) }
            state.withLock { s in
                s.queue.insert(contentsOf: retry.filter { $0.deadline > now }, at: 0)
            }
            // A broker that closed a channel is up: isolate at once. Otherwise back off before reconnecting.
            if !onlyIsolating { try? await Task.sleep(for: backoff.next()) }
        }
    }

    private func liveConnection() async throws -> AMQPConnection {
        if let c = state.withLock({ $0.connection }), await c.isOpen { return c }
        let connection = try await AMQPConnection.connect(configuration)
        try await topology.declare(on: connection)
        try await connection.enableConfirms()
        state.withLock { $0.connection = connection }
        logger.info("publisher connected", ["host": .string(configuration.host)])
        return connection
    }
}

/// Opens a publisher's connection at start (so readiness reflects it) and closes it last.
public struct PublisherConnector: Service {
    public let name = "publisher"
    let publisher: Publisher
    let logger: Logger

    public init(publisher: Publisher, logger: Logger) {
        self.publisher = publisher
        self.logger = logger
    }

    public func run(_ shutdown: ShutdownSignal) async throws {
        var backoff = Backoff()
        while !shutdown.isTriggered {
            do {
                try await publisher.connect()
                break
            } catch {
                logger.warning("broker not reachable yet", ["error": .string(String(describing: error))])
                await shutdown.sleep(for: backoff.next())
            }
        }
        await shutdown.wait()
        // Let requests in flight publish before closing (the HTTP server drains meanwhile).
        try? await Task.sleep(for: .seconds(1))
        await publisher.close()
    }
}
