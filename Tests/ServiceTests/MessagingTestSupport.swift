import AMQPClient
import Foundation
import Messaging
import PostgresClient
import ServiceRuntime
import Synchronization
import TestSupport
import Testing

/// Helpers for the messaging integration tests: services run as tasks, raw broker access to
/// seed and inspect queues, and small synchronisation primitives for scripted handlers.
enum MsgTest {
    /// A logger whose lines stay in memory: failure paths log warnings the tests provoke on purpose.
    static func logger(_ service: String, sink: LogSink = .memory()) -> Logger {
        Logger(service: service, minimumLevel: .info, sink: sink)
    }

    /// How many captured lines carry `message`.
    static func count(_ message: String, in sink: LogSink) -> Int {
        sink.lines.filter { $0.contains(#""msg":"\#(message)""#) }.count
    }

    /// A persistent JSON message with an id, to a queue through the default exchange or to an exchange.
    static func message(_ id: String, exchange: String = "", routingKey: String, body: String? = nil,
                        correlationID: String? = nil, replyTo: String? = nil, mandatory: Bool = true) -> AMQPMessage {
        AMQPMessage(exchange: exchange, routingKey: routingKey, body: Array((body ?? #"{"id":"\#(id)"}"#).utf8),
                    properties: AMQPProperties(messageID: id, correlationID: correlationID, replyTo: replyTo, type: "test"),
                    mandatory: mandatory)
    }

    /// A command to the processor queue (declared by every component's topology).
    static func command(_ id: String, body: String? = nil) -> AMQPMessage {
        message(id, exchange: Topology.commandsExchange, routingKey: Topology.processorRoutingKey, body: body)
    }

    /// Publishes on a fresh confirm-mode connection and requires every message to be confirmed.
    static func publish(_ broker: TestBroker, _ messages: [AMQPMessage]) async throws {
        let connection = try await AMQPConnection.connect(broker.configuration)
        try await connection.enableConfirms()
        let outcomes = try await connection.publish(messages)
        await connection.close()
        guard outcomes.allSatisfy(\.isConfirmed) else { throw TestSupportError("seed publish not confirmed: \(outcomes)") }
    }

    /// Declares the system's topology (and `extra` classic queues) on a short-lived connection.
    static func declare(_ broker: TestBroker, queues extra: [String: [String: AMQPFieldValue]] = [:]) async throws {
        let connection = try await AMQPConnection.connect(broker.configuration)
        try await Topology().declare(on: connection)
        for (name, arguments) in extra { try await connection.declareQueue(name, arguments: arguments) }
        await connection.close()
    }

    /// Messages ready in `queue`, read with a passive declare (the management API lags by seconds).
    static func depth(_ broker: TestBroker, _ queue: String) async throws -> Int {
        let connection = try await AMQPConnection.connect(broker.configuration)
        let info = try await connection.declareQueue(queue, passive: true)
        await connection.close()
        return info.messageCount
    }

    /// The name of the one connection in the vhost, once the management API lists it (it learns
    /// of connections with a delay of up to its statistics interval, 5 s by default). Call it
    /// before any helper connection was opened in the vhost, so the one listed is the component's.
    static func onlyConnection(_ broker: TestBroker) async throws -> String {
        let name = try await broker.newConnection(besides: [])
        let all = try await broker.connectionNames()
        guard all == [name] else { throw TestSupportError("expected one connection in the vhost, found \(all)") }
        return name
    }

    /// Polls `condition` every 25 ms until it holds; throws after `timeout`.
    static func waitFor(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TestSupportError("timed out after \(timeout) waiting until \(what)")
    }
}

/// Consumes a queue on its own connection and acks everything, to see what a component published.
final class QueueReader: Sendable {
    let connection: AMQPConnection

    private init(connection: AMQPConnection) { self.connection = connection }

    static func open(_ broker: TestBroker, queue: String) async throws -> QueueReader {
        let connection = try await AMQPConnection.connect(broker.configuration)
        try await connection.consume(queue: queue, prefetch: 500)
        return QueueReader(connection: connection)
    }

    /// Reads until `count` messages that satisfy `counting` arrived or `timeout` passed; returns
    /// everything that arrived.
    func read(_ count: Int, timeout: Duration = .seconds(10),
              counting: (AMQPDelivery) -> Bool = { _ in true }) async throws -> [AMQPDelivery] {
        var got: [AMQPDelivery] = []
        let deadline = ContinuousClock.now + timeout
        while got.filter(counting).count < count, ContinuousClock.now < deadline {
            let batch = try await connection.nextDeliveries(max: 500, timeout: .milliseconds(100))
            if let last = batch.last { try await connection.ack(last.deliveryTag, multiple: true) }
            got += batch
        }
        return got
    }

    /// Everything that arrives within `duration` (to prove nothing more comes).
    func drain(for duration: Duration) async throws -> [AMQPDelivery] {
        try await read(Int.max, timeout: duration)
    }

    func close() async { await connection.close() }
}

extension AMQPDelivery {
    var messageIDText: String { properties.messageID ?? "" }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A ``Service`` running in a task, with its own shutdown signal.
final class RunningService: Sendable {
    let shutdown = ShutdownSignal()
    private let task: Task<String?, Never>

    /// Starts `service.run` now. The task's value is the error it threw, if any.
    init(_ service: some Service) {
        let shutdown = self.shutdown
        task = Task {
            do {
                try await service.run(shutdown)
                return nil
            } catch {
                return String(describing: error)
            }
        }
    }

    /// Whether `run` returns within `timeout` (without triggering shutdown).
    func returns(within timeout: Duration) async -> Bool {
        await Self.first(of: task, within: timeout) != nil
    }

    /// Triggers shutdown and waits up to `timeout` for `run` to return.
    /// - Returns: `"returned"`, `"threw <error>"`, or `"still running"` (a hang).
    func stop(within timeout: Duration = .seconds(10)) async -> String {
        shutdown.trigger()
        switch await Self.first(of: task, within: timeout) {
        case .none: return "still running"
        case .some(.none): return "returned"
        case .some(.some(let error)): return "threw \(error)"
        }
    }

    /// The task's value if it finishes within `timeout`, else `nil`, without waiting longer.
    private static func first(of task: Task<String?, Never>, within timeout: Duration) async -> String?? {
        let timer = Mutex<Task<Void, Never>?>(nil)
        let value = await withCheckedContinuation { (c: CheckedContinuation<String??, Never>) in
            let once = OneShot(c)
            Task { once.resume(returning: .some(await task.value)) }
            timer.withLock {
                $0 = Task {
                    try? await Task.sleep(for: timeout)
                    once.resume(returning: .none)
                }
            }
        }
        timer.withLock { $0?.cancel() }
        return value
    }
}

/// A continuation that the first of several racing tasks resumes; later resumes do nothing.
final class OneShot<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) { self.continuation = Mutex(continuation) }

    func resume(returning value: Value) {
        continuation.withLock { c in defer { c = nil }; return c }?.resume(returning: value)
    }
}

/// A door a scripted handler waits at until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }
}

/// What a scripted consumer handler saw, in order: one entry per handler call.
final class HandlerLog: Sendable {
    struct Seen: Sendable, Equatable {
        let id: String
        let redelivered: Bool
    }

    private let calls = Mutex<[[Seen]]>([])

    func record(_ batch: [AMQPDelivery]) {
        calls.withLock { $0.append(batch.map { Seen(id: $0.messageIDText, redelivered: $0.redelivered) }) }
    }

    var batches: [[Seen]] { calls.withLock { $0 } }
    var all: [Seen] { batches.flatMap { $0 } }
    func times(_ id: String) -> Int { all.filter { $0.id == id }.count }
}
