import Synchronization

/// A fixed set of ``PostgresConnection``s shared by many tasks.
///
/// Each connection owns a thread, so a pool is small (4–16). A task leases a connection with
/// ``withConnection(_:)``, waits in FIFO order when all are busy, and gives it back when the
/// closure returns. Broken connections reconnect on their next lease; if the server is down the
/// lease throws `.connectionFailed` at once instead of hanging.
public final class PostgresPool: Sendable {
    private struct State {
        var idle: [PostgresConnection] = []
        var created = 0
        var waiters: [(UInt64, CheckedContinuation<PostgresConnection?, Never>)] = []
        var nextWaiter: UInt64 = 0
        var closed = false
    }

    public let configuration: PostgresConfiguration
    public let size: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - configuration: where to connect.
    ///   - size: the most connections (and threads) the pool opens; they open lazily.
    public init(configuration: PostgresConfiguration, size: Int = 8) {
        self.configuration = configuration
        self.size = max(1, size)
    }

    /// Leases a connection for the duration of `body`.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let value = try await body(connection)
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.query(query) }
    }

    /// Runs `body` in a transaction on a pooled connection (see ``PostgresConnection/transaction(_:)``).
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (isolated PostgresConnection) throws -> T) async throws -> T {
        try await withConnection { try await $0.transaction(body) }
    }

    /// Whether a trivial query succeeds now (readiness checks).
    public func isHealthy() async -> Bool {
        (try? await query("SELECT 1")) != nil
    }

    /// Closes idle connections and fails later leases. Leased connections close when released.
    public func close() async {
        let (idle, waiters) = state.withLock { s -> ([PostgresConnection], [CheckedContinuation<PostgresConnection?, Never>]) in
            s.closed = true
            defer { s.idle.removeAll(); s.waiters.removeAll() }
            return (s.idle, s.waiters.map(\.1))
        }
        for w in waiters { w.resume(returning: nil) }
        for c in idle { await c.close() }
    }

    private enum Lease {
        case reuse(PostgresConnection)
        case create
        case wait
        case closed
    }

    private func lease() async throws -> PostgresConnection {
        let decision = state.withLock { s -> Lease in
            if s.closed { return .closed }
            if let c = s.idle.popLast() { return .reuse(c) }
            if s.created < size { s.created += 1; return .create }
            return .wait
        }
        switch decision {
        case .closed:
            throw PostgresError(code: .connectionClosed, message: "pool is closed")
        case .reuse(let connection):
            do {
                try await connection.reconnectIfNeeded()
                return connection
            } catch {
                release(connection)
                throw error
            }
        case .create:
            do {
                return try await PostgresConnection.connect(configuration)
            } catch {
                state.withLock { $0.created -= 1 }
                wakeOneWaiterToCreate()
                throw error
            }
        case .wait:
            let id = state.withLock { s -> UInt64 in s.nextWaiter += 1; return s.nextWaiter }
            let connection = await withCheckedContinuation { (c: CheckedContinuation<PostgresConnection?, Never>) in
                let immediate = state.withLock { s -> Lease in
                    if s.closed { return .closed }
                    if let idle = s.idle.popLast() { return .reuse(idle) }
                    if s.created < size { s.created += 1; return .create }
                    s.waiters.append((id, c))
                    return .wait
                }
                switch immediate {
                case .closed: c.resume(returning: nil)
                case .reuse(let idle): c.resume(returning: idle)
                case .create: c.resume(returning: nil)  // handled below by retrying the lease
                case .wait: break
                }
            }
            if let connection {
                do {
                    try await connection.reconnectIfNeeded()
                    return connection
                } catch {
                    release(connection)
                    throw error
                }
            }
            return try await lease()
        }
    }

    private func release(_ connection: PostgresConnection) {
        let waiter = state.withLock { s -> CheckedContinuation<PostgresConnection?, Never>? in
            if !s.waiters.isEmpty { return s.waiters.removeFirst().1 }
            if !s.closed { s.idle.append(connection) }
            return nil
        }
        waiter?.resume(returning: connection)
    }

    /// After a failed connect frees a slot, let one waiter try to create a connection itself.
    private func wakeOneWaiterToCreate() {
        let waiter = state.withLock { s -> CheckedContinuation<PostgresConnection?, Never>? in
            s.waiters.isEmpty ? nil : s.waiters.removeFirst().1
        }
        waiter?.resume(returning: nil)
    }
}
