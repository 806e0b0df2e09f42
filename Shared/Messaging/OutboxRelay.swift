import Foundation
public import PostgresClient
public import ServiceRuntime
import Synchronization
import Wire

/// Publishes outbox rows with confirms and deletes them, woken by NOTIFY, by a local nudge,
/// and by a periodic sweep.
///
/// Each batch is `SELECT … FOR UPDATE SKIP LOCKED`, publish, confirm, `DELETE`, `COMMIT` on one
/// connection, so several relays (replicas) share the table without publishing a row twice at
/// once. A crash after the publish and before the commit publishes those rows again later: at
/// least once, which consumers absorb with their inbox.
public final class OutboxRelay: Service, Sendable {
    public let name = "outbox-relay"
    private let pool: PostgresPool
    private let publisher: Publisher
    private let logger: Logger
    private let batchSize: Int
    private let sweepInterval: Duration
    private let nudges = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))
    /// Set while the relay's LISTEN connection is up.
    public let health = ConnectionHealth()

    public init(pool: PostgresPool, publisher: Publisher, logger: Logger, batchSize: Int = 500,
                sweepInterval: Duration = .seconds(1)) {
        self.pool = pool
        self.publisher = publisher
        self.logger = logger.with(["component": .string("outbox-relay")])
        self.batchSize = batchSize
        self.sweepInterval = sweepInterval
    }

    /// Wakes the relay now (a local writer just committed rows); cheaper than waiting for NOTIFY.
    public func nudge() {
        let waiter = nudges.withLock { n -> CheckedContinuation<Void, Never>? in
            n.pending = true
            defer { n.waiter = nil }
            return n.waiter
        }
        waiter?.resume()
    }

    public func run(_ shutdown: ShutdownSignal) async throws {
        let listener = Task { await listen(shutdown) }
        defer { listener.cancel() }
        var backoff = Backoff()
        while !shutdown.isTriggered {
            do {
                var published = batchSize
                while published == batchSize && !shutdown.isTriggered {
                    published = try await relayBatch()
                }
                backoff.reset()
                await waitForWork(shutdown)
            } catch {
                logger.warning("relay batch failed; retrying", ["error": .string(String(describing: error))])
                await shutdown.sleep(for: backoff.next())
            }
        }
        // Drain what is already committed before stopping, if the broker lets us.
        _ = try? await relayBatch()
    }

    /// Publishes and deletes one batch. - Returns: the number of rows published.
    @discardableResult
    public func relayBatch() async throws -> Int {
        try await pool.withConnection { conn in
            try await conn.begin()
            do {
                let rows = try await conn.query("""
                    SELECT id, message_id, exchange, routing_key, type, correlation_id, body
                    FROM outbox ORDER BY id LIMIT \(batchSize) FOR UPDATE SKIP LOCKED
                    """)
                if rows.isEmpty {
                    try await conn.commit()
                    return 0
                }
                var ids: [Int64] = []
                var messages: [OutboxMessage] = []
                for row in rows {
                    ids.append(try row.int("id"))
                    messages.append(OutboxMessage(messageID: try row.uuid("message_id"), exchange: try row.string("exchange"),
                                                  routingKey: try row.string("routing_key"), type: try row.string("type"),
                                                  correlationID: try row.optionalString("correlation_id"),
                                                  body: try row.string("body")))
                }
                try await publisher.publish(messages.map { $0.amqpMessage() })
                try await conn.query("DELETE FROM outbox WHERE id = ANY(\(ids)::int8[])")
                try await conn.commit()
                return rows.count
            } catch {
                await conn.rollback()
                throw error
            }
        }
    }

    private func waitForWork(_ shutdown: ShutdownSignal) async {
        let alreadyNudged = nudges.withLock { n -> Bool in
            defer { n.pending = false }
            return n.pending
        }
        if alreadyNudged || shutdown.isTriggered { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let resumeNow = self.nudges.withLock { n -> Bool in
                        if n.pending { n.pending = false; return true }
                        n.waiter = c
                        return false
                    }
                    if resumeNow { c.resume() }
                }
            }
            group.addTask { await shutdown.sleep(for: self.sweepInterval) }
            await group.next()
            self.nudge()  // release the other waiter if it is still parked
            group.cancelAll()
            await group.waitForAll()
            self.nudges.withLock { n in n.pending = false }
        }
    }

    /// Keeps a LISTEN connection and nudges the relay on every NOTIFY from any writer.
    private func listen(_ shutdown: ShutdownSignal) async {
        var backoff = Backoff()
        while !shutdown.isTriggered && !Task.isCancelled {
            do {
                let conn = try await PostgresConnection.connect(pool.configuration)
                try await conn.listen(Outbox.channel)
                health.set(true)
                // A NOTIFY sent while no session listened is gone: look at the table once now.
                nudge()
                backoff.reset()
                while !shutdown.isTriggered && !Task.isCancelled {
                    let got = try await conn.waitForNotifications(timeout: .milliseconds(500))
                    if !got.isEmpty { nudge() }
                }
                await conn.close()
            } catch {
                health.set(false)
                await shutdown.sleep(for: backoff.next())
            }
        }
        health.set(false)
    }
}

extension OutboxMessage {
    init(messageID: UUID, exchange: String, routingKey: String, type: String, correlationID: String?, body: String) {
        self.messageID = messageID
        self.exchange = exchange
        self.routingKey = routingKey
        self.type = type
        self.correlationID = correlationID
        self.body = body
    }
}
