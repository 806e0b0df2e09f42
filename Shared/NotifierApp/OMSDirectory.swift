import PostgresClient
import Storage
import Synchronization

/// The OMS registrations the notifier needs, read through a short cache, and OMS health
/// written sparingly.
///
/// A trigger needs the OMS's current URL, method and credentials; reading them at each attempt
/// would be a query per trigger, so they are cached for `ttl` (a changed trigger URL applies
/// within that time). A successful trigger is recorded at most once per `healthInterval` per
/// OMS (it is a timestamp for operators, and one row written by every trigger would be a hot
/// spot); failures are always recorded.
final class OMSDirectory: Sendable {
    private let pool: PostgresPool
    private let ttl: Duration
    private let healthInterval: Duration
    private let cache = Mutex<[Int64: (OMSRecord?, ContinuousClock.Instant)]>([:])
    private let lastHealthWrite = Mutex<[Int64: ContinuousClock.Instant]>([:])

    init(pool: PostgresPool, ttl: Duration = .seconds(2), healthInterval: Duration = .seconds(5)) {
        self.pool = pool
        self.ttl = ttl
        self.healthInterval = healthInterval
    }

    func oms(_ id: Int64) async throws -> OMSRecord? {
        let now = ContinuousClock.now
        if let (record, expiry) = cache.withLock({ $0[id] }), expiry > now { return record }
        let record = try await pool.withConnection { try await $0.findOMS(id: id) }
        cache.withLock { $0[id] = (record, now + ttl) }
        return record
    }

    func recordTrigger(_ omsID: Int64, error: String?) async {
        let now = ContinuousClock.now
        if error == nil {
            let due = lastHealthWrite.withLock { last -> Bool in
                if let previous = last[omsID], now - previous < healthInterval { return false }
                last[omsID] = now
                return true
            }
            guard due else { return }
        }
        try? await pool.withConnection { try await $0.recordTrigger(omsID: omsID, error: error) }
    }
}
