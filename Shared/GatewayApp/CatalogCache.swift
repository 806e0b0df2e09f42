import PostgresClient
import Storage
import Synchronization

/// Short-lived copies of what every order request reads: the offer and the project's owner.
///
/// Both are checks the processor makes again inside its transaction (it refuses an offer that
/// is no longer published and a project that is not the caller's), so a stale entry can only
/// delay a refusal, never create a wrong order. Offers live `offerTTL`; a project's owner never
/// changes, so owners are kept until the cache is full.
final class CatalogCache: Sendable {
    private let offerTTL: Duration
    private let maxEntries: Int
    private let offers = Mutex<[String: (OfferRecord?, ContinuousClock.Instant)]>([:])
    private let owners = Mutex<[Int64: Int64]>([:])

    init(offerTTL: Duration = .seconds(2), maxEntries: Int = 50_000) {
        self.offerTTL = offerTTL
        self.maxEntries = maxEntries
    }

    func offer(service: String, iid: Int64, load: () async throws -> OfferRecord?) async throws -> OfferRecord? {
        let key = "\(service)/\(iid)"
        let now = ContinuousClock.now
        if let (offer, expiry) = offers.withLock({ $0[key] }), expiry > now { return offer }
        let offer = try await load()
        offers.withLock { cache in
            if cache.count >= maxEntries { cache.removeAll() }
            cache[key] = (offer, now + offerTTL)
        }
        return offer
    }

    /// Drops the cached offers of a service after a catalogue write, under both names an
    /// order may use for it (slug and numeric id).
    func forgetOffers(ofService slug: String, id: Int64) {
        let prefixes = ["\(slug)/", "\(id)/"]
        offers.withLock { cache in
            cache = cache.filter { key, _ in !prefixes.contains { key.hasPrefix($0) } }
        }
    }

    func owner(ofProject id: Int64, load: () async throws -> Int64?) async throws -> Int64? {
        if let owner = owners.withLock({ $0[id] }) { return owner }
        guard let owner = try await load() else { return nil }
        owners.withLock { cache in
            if cache.count >= maxEntries { cache.removeAll() }
            cache[id] = owner
        }
        return owner
    }
}
