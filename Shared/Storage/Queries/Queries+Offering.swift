public import PostgresClient
import Wire

extension PostgresConnection {
    static let serviceColumns = """
        s.id AS s_id, s.slug AS s_slug, s.pid AS s_pid, s.name AS s_name, s.description AS s_description,
        s.provider_id AS s_provider_id, s.order_type AS s_order_type, s.categories AS s_categories, s.status AS s_status
        FROM services s
        """

    /// A service by slug, PID or numeric id, in that order of preference.
    public func findService(identifier: String) throws -> ServiceRecord? {
        let numeric = Int64(identifier)
        return try query("""
            SELECT \(unsafeRaw: Self.serviceColumns)
            WHERE s.slug = \(identifier) OR s.pid = \(identifier) OR s.id = \(numeric)
            ORDER BY (s.slug = \(identifier)) DESC, (s.pid IS NOT DISTINCT FROM \(identifier)) DESC LIMIT 1
            """).first.map(ServiceRecord.init(prefixedRow:))
    }

    /// A service by numeric id; `forUpdate` locks its row, which serialises the catalogue
    /// writes of one resource (offer and bundle ids, the order-type rule).
    public func findService(id: Int64, forUpdate: Bool = false) throws -> ServiceRecord? {
        try query("""
            SELECT \(unsafeRaw: Self.serviceColumns) WHERE s.id = \(id) \(unsafeRaw: forUpdate ? "FOR UPDATE OF s" : "")
            """).first.map(ServiceRecord.init(prefixedRow:))
    }

    /// The services (not deleted) of the given providers, by id: the resources a data
    /// administrator administers.
    public func services(ofProviders providerIDs: [Int64]) throws -> [ServiceRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.serviceColumns)
            WHERE s.provider_id = ANY(\(providerIDs)::int8[]) AND s.status <> 'deleted' ORDER BY s.id
            """).map(ServiceRecord.init(prefixedRow:))
    }

    /// The OMSes a resource may choose as an offer's primary OMS: the default OMS, global OMSes,
    /// OMSes dedicated to the resource and provider-group OMSes of its provider; default first,
    /// then by id.
    public func availableOMSes(serviceID: Int64, providerID: Int64) throws -> [OMSRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.omsColumns)
            WHERE is_default OR type = 'global'
               OR (type = 'resource_dedicated' AND service_id = \(serviceID))
               OR (type = 'provider_group' AND EXISTS (
                       SELECT 1 FROM oms_providers op WHERE op.oms_id = omses.id AND op.provider_id = \(providerID)))
            ORDER BY is_default DESC, id
            """).map(OMSRecord.init(row:))
    }

    /// A service's offers with `status` (any status when `nil`), by per-service id.
    public func offers(serviceID: Int64, status: String? = "published") throws -> [OfferRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.offerColumns)
            WHERE o.service_id = \(serviceID) AND (\(status)::text IS NULL OR o.status = \(status)) ORDER BY o.iid
            """).map(OfferRecord.init(row:))
    }

    /// One offer of a service by its per-service id, with any status.
    public func findOffer(serviceID: Int64, iid: Int64) throws -> OfferRecord? {
        try query("SELECT \(unsafeRaw: Self.offerColumns) WHERE o.service_id = \(serviceID) AND o.iid = \(iid)")
            .first.map(OfferRecord.init(row:))
    }

    /// The published bundles whose main offer is one of `mainOfferIDs`: per main offer, each
    /// bundle's per-resource id and its bundled offers as `"<slug>/<iid>"`.
    public func bundledOffers(mainOfferIDs: [Int64]) throws -> [Int64: [(bundleIID: Int64, offers: [String])]] {
        guard !mainOfferIDs.isEmpty else { return [:] }
        var out: [Int64: [(bundleIID: Int64, offers: [String])]] = [:]
        for row in try query("""
            SELECT b.main_offer_id, b.iid,
                   ARRAY(SELECT s.slug || '/' || o.iid FROM bundle_offers bo JOIN offers o ON o.id = bo.offer_id
                         JOIN services s ON s.id = o.service_id WHERE bo.bundle_id = b.id ORDER BY bo.position) AS refs
            FROM bundles b WHERE b.main_offer_id = ANY(\(mainOfferIDs)::int8[]) AND b.status = 'published'
            ORDER BY b.iid
            """) {
            out[try row.int("main_offer_id"), default: []].append((try row.int("iid"), try row.stringArray("refs")))
        }
        return out
    }

    /// Creates an offer with the next per-service id. - Returns: its global id.
    public func insertOffer(serviceID: Int64, _ f: OfferFields) throws -> Int64 {
        try query("""
            WITH s AS (UPDATE services SET offer_seq = offer_seq + 1, updated_at = now() WHERE id = \(serviceID)
                       RETURNING offer_seq)
            INSERT INTO offers (service_id, iid, name, description, order_type, order_url, offer_category, internal,
                                primary_oms_id, oms_params, parameters, status)
            SELECT \(serviceID), s.offer_seq, \(f.name), \(f.description), \(f.orderType), \(f.orderURL), \(f.offerCategory),
                   \(f.isInternal), \(f.primaryOMSID), \(try WireFormat.encodeString(f.omsParams))::jsonb,
                   \(try WireFormat.encodeString(f.parameters))::jsonb, 'published'
            FROM s RETURNING id
            """)[0].int("id")
    }

    /// Replaces an offer's writable fields.
    public func updateOffer(id: Int64, _ f: OfferFields) throws {
        try query("""
            UPDATE offers SET name = \(f.name), description = \(f.description), order_type = \(f.orderType),
                order_url = \(f.orderURL), offer_category = \(f.offerCategory), internal = \(f.isInternal),
                primary_oms_id = \(f.primaryOMSID), oms_params = \(try WireFormat.encodeString(f.omsParams))::jsonb,
                parameters = \(try WireFormat.encodeString(f.parameters))::jsonb, updated_at = now()
            WHERE id = \(id)
            """)
    }

    /// Whether any project item was ordered from the offer (then it is only ever soft-deleted).
    public func offerHasItems(id: Int64) throws -> Bool {
        try query("SELECT EXISTS (SELECT 1 FROM project_items WHERE offer_id = \(id)) AS b")[0].bool("b")
    }
}

extension ServiceRecord {
    /// A service from columns aliased `s_*` (see `serviceColumns`).
    init(prefixedRow row: PostgresRow) throws {
        self.init(id: try row.int("s_id"), slug: try row.string("s_slug"), pid: try row.optionalString("s_pid"),
                  name: try row.string("s_name"), description: try row.string("s_description"),
                  providerID: try row.int("s_provider_id"), orderType: try row.string("s_order_type"),
                  categories: try row.stringArray("s_categories"), status: try row.string("s_status"))
    }
}
