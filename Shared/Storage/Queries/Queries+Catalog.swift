public import PostgresClient

extension PostgresConnection {
    static let offerColumns = """
        o.id, o.iid, o.name, o.description, o.order_type, o.order_url, o.offer_category, o.internal,
        o.primary_oms_id, o.oms_params, o.parameters, o.voucherable, o.status,
        s.id AS s_id, s.slug AS s_slug, s.pid AS s_pid, s.name AS s_name, s.description AS s_description,
        s.provider_id AS s_provider_id, s.order_type AS s_order_type, s.categories AS s_categories, s.status AS s_status,
        p.id AS p_id, p.pid AS p_pid, p.name AS p_name, p.contact_emails AS p_contact_emails,
        p.response_time_seconds AS p_response_time_seconds
        FROM offers o JOIN services s ON s.id = o.service_id JOIN providers p ON p.id = s.provider_id
        """

    /// An offer by its service (slug or numeric id) and its per-service id, with any status.
    public func findOffer(service: String, iid: Int64) throws -> OfferRecord? {
        let serviceID = Int64(service)
        let rows = try query("""
            SELECT \(unsafeRaw: Self.offerColumns)
            WHERE o.iid = \(iid) AND (s.slug = \(service) OR s.id = \(serviceID))
            """)
        return try rows.first.map(OfferRecord.init(row:))
    }

    /// Offers by global id (the processor loads an order's offers in one query).
    public func findOffers(ids: [Int64]) throws -> [Int64: OfferRecord] {
        let rows = try query("SELECT \(unsafeRaw: Self.offerColumns) WHERE o.id = ANY(\(ids)::int8[])")
        var out: [Int64: OfferRecord] = [:]
        for row in rows {
            let offer = try OfferRecord(row: row)
            out[offer.id] = offer
        }
        return out
    }

    static let omsColumns = """
        id, name, type, is_default, custom_params, trigger_url, trigger_method, trigger_user, trigger_password,
        service_id, last_trigger_ok_at, last_events_poll_at FROM omses
        """

    /// An OMS by id.
    public func findOMS(id: Int64) throws -> OMSRecord? {
        try query("SELECT \(unsafeRaw: Self.omsColumns) WHERE id = \(id)").first.map(OMSRecord.init(row:))
    }

    /// The default OMS (the mediator that sees everything), if one is registered.
    public func defaultOMS() throws -> OMSRecord? {
        try query("SELECT \(unsafeRaw: Self.omsColumns) WHERE is_default").first.map(OMSRecord.init(row:))
    }

    /// OMSes by id.
    public func findOMSes(ids: [Int64]) throws -> [OMSRecord] {
        try query("SELECT \(unsafeRaw: Self.omsColumns) WHERE id = ANY(\(ids)::int8[]) ORDER BY id").map(OMSRecord.init(row:))
    }

    /// Notes a successful events poll by an OMS (its health, shown to operators).
    public func recordEventsPoll(omsID: Int64) throws {
        try query("UPDATE omses SET last_events_poll_at = now() WHERE id = \(omsID)")
    }

    /// Notes the outcome of a trigger call to an OMS.
    public func recordTrigger(omsID: Int64, error: String?) throws {
        if let error {
            try query("UPDATE omses SET last_trigger_error_at = now(), last_trigger_error = \(error) WHERE id = \(omsID)")
        } else {
            try query("UPDATE omses SET last_trigger_ok_at = now() WHERE id = \(omsID)")
        }
    }
}

extension OfferRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.int("id"), iid: try row.int("iid"), name: try row.string("name"),
            description: try row.string("description"), orderType: try row.string("order_type"),
            orderURL: try row.optionalString("order_url"), offerCategory: try row.optionalString("offer_category"),
            isInternal: try row.bool("internal"), primaryOMSID: try row.optionalInt("primary_oms_id"),
            omsParams: try row.json("oms_params"), parameters: try row.json("parameters"),
            voucherable: try row.bool("voucherable"), status: try row.string("status"),
            service: ServiceRecord(
                id: try row.int("s_id"), slug: try row.string("s_slug"), pid: try row.optionalString("s_pid"),
                name: try row.string("s_name"), description: try row.string("s_description"),
                providerID: try row.int("s_provider_id"), orderType: try row.string("s_order_type"),
                categories: try row.stringArray("s_categories"), status: try row.string("s_status")),
            provider: ProviderRecord(
                id: try row.int("p_id"), pid: try row.optionalString("p_pid"), name: try row.string("p_name"),
                contactEmails: try row.stringArray("p_contact_emails"),
                responseTimeSeconds: try row.int("p_response_time_seconds")))
    }
}

extension OMSRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.int("id"), name: try row.string("name"), type: try row.string("type"),
            isDefault: try row.bool("is_default"), customParams: try row.json("custom_params"),
            triggerURL: try row.optionalString("trigger_url"), triggerMethod: try row.string("trigger_method"),
            triggerUser: try row.optionalString("trigger_user"), triggerPassword: try row.optionalString("trigger_password"),
            serviceID: try row.optionalInt("service_id"), lastTriggerOKAt: try row.optionalTimestamp("last_trigger_ok_at"),
            lastEventsPollAt: try row.optionalTimestamp("last_events_poll_at"))
    }
}
