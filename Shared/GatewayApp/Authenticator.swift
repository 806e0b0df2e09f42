import CryptoClient
import HTTPCore
import PostgresClient
import Storage
import Synchronization

/// Resolves the token of a request to its user.
///
/// Tokens arrive as `X-User-Token` (EOSC) or `Authorization: Bearer` (TMF622). Only a SHA-256
/// hash is stored and looked up. Results are cached for a few seconds, so a burst of requests
/// costs one lookup; a revoked token therefore stops working within `cacheTTL`.
final class Authenticator: Sendable {
    private let pool: PostgresPool
    private let cacheTTL: Duration
    private let cache = Mutex<[[UInt8]: (AuthContext?, ContinuousClock.Instant)]>([:])

    init(pool: PostgresPool, cacheTTL: Duration = .seconds(5)) {
        self.pool = pool
        self.cacheTTL = cacheTTL
    }

    /// The caller, or a 401 in the EOSC shape.
    func authenticate(_ request: HTTPRequest) async throws -> AuthContext {
        guard let token = Self.token(of: request) else { throw APIError.unauthorized }
        let hash = Crypto.sha256(Array(token.utf8))
        let now = ContinuousClock.now
        if let (cached, expiry) = cache.withLock({ $0[hash] }), expiry > now {
            guard let cached else { throw APIError.unauthorized }
            return cached
        }
        let context = try await pool.withIdempotentRetry { try await $0.authenticate(tokenHash: hash) }
        cache.withLock { c in
            if c.count > 10_000 { c.removeAll() }
            c[hash] = (context, now + cacheTTL)
        }
        guard let context else { throw APIError.unauthorized }
        return context
    }

    /// Drops cached results for these token hashes, so a revoked token stops working in this
    /// process at once (other gateway replicas notice within `cacheTTL`).
    func forget(tokenHashes: [[UInt8]]) {
        cache.withLock { c in for hash in tokenHashes { c[hash] = nil } }
    }

    /// Drops every cached result of a user, so what they administer is read again (e.g. the
    /// OMS they just registered).
    func forget(userID: Int64) {
        cache.withLock { c in c = c.filter { $0.value.0?.userID != userID } }
    }

    static func token(of request: HTTPRequest) -> String? {
        if let t = request.header("X-User-Token")?.trimmingSpaces(), !t.isEmpty { return t }
        if let auth = request.header("Authorization"), auth.lowercased().hasPrefix("bearer ") {
            let t = String(auth.dropFirst(7)).trimmingSpaces()
            return t.isEmpty ? nil : t
        }
        return nil
    }
}
