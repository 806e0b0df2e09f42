public import PostgresClient

/// A bundle as ordering needs it: its main offer first, then the bundled offers in order.
public struct OrderableBundle: Sendable, Hashable {
    public var id: Int64
    public var iid: Int64
    public var status: String
    /// Global offer ids; the first is the main offer.
    public var offerIDs: [Int64]
}

extension PostgresConnection {
    /// A bundle by its service (slug or numeric id) and its per-service id, with any status.
    public func bundleForOrdering(service: String, iid: Int64) throws -> OrderableBundle? {
        let serviceID = Int64(service)
        let rows = try query("""
            SELECT b.id, b.iid, b.status, b.main_offer_id,
                   coalesce((SELECT array_agg(bo.offer_id ORDER BY bo.position, bo.offer_id)
                             FROM bundle_offers bo WHERE bo.bundle_id = b.id AND bo.offer_id <> b.main_offer_id),
                            '{}') AS offer_ids
            FROM bundles b JOIN services s ON s.id = b.service_id
            WHERE b.iid = \(iid) AND (s.slug = \(service) OR s.id = \(serviceID))
            """)
        guard let row = rows.first else { return nil }
        return OrderableBundle(id: try row.int("id"), iid: try row.int("iid"), status: try row.string("status"),
                               offerIDs: [try row.int("main_offer_id")] + (try row.intArray("offer_ids")))
    }
}
