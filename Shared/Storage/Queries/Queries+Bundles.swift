public import PostgresClient

extension PostgresConnection {
    static let bundleColumns = """
        b.id, b.iid, b.service_id, b.name, b.description, b.main_offer_id, m.iid AS main_offer_iid, b.status,
        ARRAY(SELECT bo.offer_id FROM bundle_offers bo WHERE bo.bundle_id = b.id ORDER BY bo.position) AS offer_ids,
        ARRAY(SELECT s.slug || '/' || o.iid FROM bundle_offers bo JOIN offers o ON o.id = bo.offer_id
              JOIN services s ON s.id = o.service_id WHERE bo.bundle_id = b.id ORDER BY bo.position) AS offer_refs
        FROM bundles b JOIN offers m ON m.id = b.main_offer_id
        """

    /// A service's published bundles by per-service id.
    public func bundles(serviceID: Int64) throws -> [BundleRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.bundleColumns) WHERE b.service_id = \(serviceID) AND b.status = 'published' ORDER BY b.iid
            """).map(BundleRecord.init(row:))
    }

    /// One bundle of a service by its per-service id, with any status.
    public func findBundle(serviceID: Int64, iid: Int64) throws -> BundleRecord? {
        try query("SELECT \(unsafeRaw: Self.bundleColumns) WHERE b.service_id = \(serviceID) AND b.iid = \(iid)")
            .first.map(BundleRecord.init(row:))
    }

    /// Creates a published bundle with the next per-service id. - Returns: its per-service id.
    public func insertBundle(serviceID: Int64, name: String, description: String, mainOfferID: Int64,
                             offerIDs: [Int64]) throws -> Int64 {
        let row = try query("""
            WITH s AS (UPDATE services SET bundle_seq = bundle_seq + 1, updated_at = now() WHERE id = \(serviceID)
                       RETURNING bundle_seq)
            INSERT INTO bundles (service_id, iid, name, description, main_offer_id, status)
            SELECT \(serviceID), s.bundle_seq, \(name), \(description), \(mainOfferID), 'published' FROM s
            RETURNING id, iid
            """)[0]
        try setBundleOffers(bundleID: try row.int("id"), offerIDs: offerIDs)
        return try row.int("iid")
    }

    /// Replaces a bundle's fields and its bundled offers.
    public func updateBundle(id: Int64, name: String, description: String, mainOfferID: Int64, offerIDs: [Int64]) throws {
        try query("""
            UPDATE bundles SET name = \(name), description = \(description), main_offer_id = \(mainOfferID), updated_at = now()
            WHERE id = \(id)
            """)
        try setBundleOffers(bundleID: id, offerIDs: offerIDs)
    }

    private func setBundleOffers(bundleID: Int64, offerIDs: [Int64]) throws {
        try query("DELETE FROM bundle_offers WHERE bundle_id = \(bundleID)")
        try query("""
            INSERT INTO bundle_offers (bundle_id, offer_id, position)
            SELECT \(bundleID), o.id, o.n FROM unnest(\(offerIDs)::int8[]) WITH ORDINALITY AS o(id, n)
            """)
    }

    /// Withdraws a bundle: marked deleted when project items were ordered through it (they keep
    /// pointing at it), removed otherwise.
    public func withdrawBundle(id: Int64) throws {
        let ordered = try query("SELECT EXISTS (SELECT 1 FROM project_items WHERE bundle_id = \(id)) AS b")[0].bool("b")
        if ordered {
            try query("UPDATE bundles SET status = 'deleted', updated_at = now() WHERE id = \(id)")
        } else {
            try query("DELETE FROM bundles WHERE id = \(id)")
        }
    }

    /// Deletes an offer as the Offering API does, inside the caller's transaction (which holds
    /// the service row lock):
    /// - published bundles whose main offer it is are withdrawn, and it leaves the published
    ///   bundles it is bundled in; a bundle left with no bundled offer is withdrawn too;
    /// - the offer is marked `deleted` when project items (or a withdrawn bundle kept for its
    ///   items) still refer to it, and removed otherwise;
    /// - when a single published offer remains, it takes the service's order type again (and so
    ///   stops being internal unless that is `order_required`), as the marketplace does.
    /// - Returns: the per-service ids of the bundles withdrawn.
    @discardableResult
    public func deleteOffer(_ offer: OfferRecord) throws -> [Int64] {
        var withdrawn: [Int64] = []
        for row in try query("""
            SELECT id, iid FROM bundles WHERE main_offer_id = \(offer.id) AND status = 'published' ORDER BY iid
            """) {
            try withdrawBundle(id: try row.int("id"))
            withdrawn.append(try row.int("iid"))
        }
        for row in try query("""
            DELETE FROM bundle_offers bo USING bundles b
            WHERE bo.bundle_id = b.id AND bo.offer_id = \(offer.id) AND b.status = 'published'
            RETURNING b.id, b.iid,
                      NOT EXISTS (SELECT 1 FROM bundle_offers x WHERE x.bundle_id = b.id AND x.offer_id <> \(offer.id)) AS emptied
            """) where try row.bool("emptied") {
            try withdrawBundle(id: try row.int("id"))
            withdrawn.append(try row.int("iid"))
        }
        let referenced = try query("""
            SELECT EXISTS (SELECT 1 FROM project_items WHERE offer_id = \(offer.id))
                OR EXISTS (SELECT 1 FROM bundles WHERE main_offer_id = \(offer.id))
                OR EXISTS (SELECT 1 FROM bundle_offers WHERE offer_id = \(offer.id)) AS b
            """)[0].bool("b")
        if referenced {
            try query("UPDATE offers SET status = 'deleted', updated_at = now() WHERE id = \(offer.id)")
        } else {
            try query("DELETE FROM offers WHERE id = \(offer.id)")
        }
        try query("""
            UPDATE offers o SET order_type = s.order_type,
                internal = o.internal AND s.order_type = 'order_required',
                primary_oms_id = CASE WHEN s.order_type = 'order_required' THEN o.primary_oms_id END,
                oms_params = CASE WHEN s.order_type = 'order_required' THEN o.oms_params ELSE '{}'::jsonb END,
                updated_at = now()
            FROM services s
            WHERE s.id = \(offer.service.id) AND o.service_id = s.id AND o.status = 'published' AND s.status <> 'deleted'
              AND o.order_type <> s.order_type
              AND (SELECT count(*) FROM offers x WHERE x.service_id = s.id AND x.status = 'published') = 1
            """)
        return withdrawn
    }
}

extension BundleRecord {
    init(row: PostgresRow) throws {
        self.init(id: try row.int("id"), iid: try row.int("iid"), serviceID: try row.int("service_id"),
                  name: try row.string("name"), description: try row.string("description"),
                  mainOfferID: try row.int("main_offer_id"), mainOfferIID: try row.int("main_offer_iid"),
                  status: try row.string("status"), offerIDs: try row.intArray("offer_ids"),
                  offerReferences: try row.stringArray("offer_refs"))
    }
}
