public import PostgresClient
public import Wire

/// A new OMS as the self-service API registers it.
public struct NewOMS: Sendable, Hashable {
    /// Unique among OMSes.
    public var name: String
    /// `provider_group` or `resource_dedicated`.
    public var type: String
    /// Validated `custom_params`.
    public var customParams: JSONValue
    /// The trigger's URL; `nil` for no trigger.
    public var triggerURL: String?
    /// `get`, `post` or `put`.
    public var triggerMethod: String
    /// HTTP Basic user of the trigger.
    public var triggerUser: String?
    /// HTTP Basic password of the trigger.
    public var triggerPassword: String?
    /// The provider of a `provider_group` OMS.
    public var providerID: Int64?
    /// The service of a `resource_dedicated` OMS.
    public var serviceID: Int64?

    /// Builds a registration from validated values.
    public init(name: String, type: String, customParams: JSONValue, triggerURL: String?, triggerMethod: String,
                triggerUser: String?, triggerPassword: String?, providerID: Int64?, serviceID: Int64?) {
        self.name = name
        self.type = type
        self.customParams = customParams
        self.triggerURL = triggerURL
        self.triggerMethod = triggerMethod
        self.triggerUser = triggerUser
        self.triggerPassword = triggerPassword
        self.providerID = providerID
        self.serviceID = serviceID
    }
}

extension PostgresConnection {
    /// Whether an OMS with this name exists (names are unique), other than `exceptID`.
    public func omsNameTaken(_ name: String, exceptID: Int64? = nil) throws -> Bool {
        try query("""
            SELECT EXISTS (SELECT 1 FROM omses WHERE lower(name) = lower(\(name)) AND id IS DISTINCT FROM \(exceptID)) AS b
            """)[0].bool("b")
    }

    /// Registers an OMS with its own service user (role `oms`) as administrator, and `registrant`
    /// as a second administrator. - Returns: the OMS id and the service user.
    public func insertOMS(_ oms: NewOMS, registrant: Int64) throws -> (omsID: Int64, serviceUser: (id: Int64, uid: String)) {
        let id = try query("""
            INSERT INTO omses (name, type, is_default, custom_params, trigger_url, trigger_method, trigger_user,
                               trigger_password, service_id)
            VALUES (\(oms.name), \(oms.type), false, \(try WireFormat.encodeString(oms.customParams))::jsonb, \(oms.triggerURL),
                    \(oms.triggerMethod), \(oms.triggerUser), \(oms.triggerPassword), \(oms.serviceID))
            RETURNING id
            """)[0].int("id")
        if let provider = oms.providerID {
            try query("INSERT INTO oms_providers (oms_id, provider_id) VALUES (\(id), \(provider))")
        }
        let serviceUser = try ensureServiceUser(omsID: id, name: oms.name)
        try query("""
            INSERT INTO oms_administrators (oms_id, user_id) VALUES (\(id), \(registrant)) ON CONFLICT DO NOTHING
            """)
        // An OMS administrator acts as an OMS on the Ordering API (as `omsctl oms register` does).
        try query("""
            UPDATE users SET roles = roles || '{oms}'::text[] WHERE id = \(registrant) AND NOT 'oms' = ANY(roles)
            """)
        return (id, serviceUser)
    }

    /// The OMS's service user, created (and made an administrator of the OMS) when the OMS has
    /// none yet, e.g. one an operator registered with `omsctl`. Its uid is `oms-<id>`, or
    /// `oms-<id>-<n>` when a person already has that uid (never taken over).
    public func ensureServiceUser(omsID: Int64, name: String) throws -> (id: Int64, uid: String) {
        if let row = try query("""
            SELECT u.id, u.uid FROM omses o JOIN users u ON u.id = o.service_user_id WHERE o.id = \(omsID)
            """).first {
            return (try row.int("id"), try row.string("uid"))
        }
        var attempt = 0
        while true {
            let uid = attempt == 0 ? "oms-\(omsID)" : "oms-\(omsID)-\(attempt)"
            if let row = try query("""
                INSERT INTO users (uid, email, first_name, last_name, roles)
                VALUES (\(uid), \("\(uid)@oms.invalid"), \(name), 'OMS', '{oms}'::text[])
                ON CONFLICT (uid) DO NOTHING RETURNING id
                """).first {
                let user = try row.int("id")
                try query("UPDATE omses SET service_user_id = \(user), updated_at = now() WHERE id = \(omsID)")
                try query("INSERT INTO oms_administrators (oms_id, user_id) VALUES (\(omsID), \(user)) ON CONFLICT DO NOTHING")
                return (user, uid)
            }
            attempt += 1
        }
    }

    /// The providers an OMS belongs to: its provider-group providers, or the provider of the
    /// service it is dedicated to.
    public func omsProviders(omsID: Int64) throws -> [Int64] {
        try query("""
            SELECT provider_id AS p FROM oms_providers WHERE oms_id = \(omsID)
            UNION SELECT s.provider_id FROM omses o JOIN services s ON s.id = o.service_id WHERE o.id = \(omsID)
            ORDER BY 1
            """).map { try $0.int("p") }
    }

    /// Replaces an OMS's name, custom params and trigger (no trigger when `triggerURL` is nil).
    public func updateOMS(id: Int64, name: String, customParams: JSONValue, triggerURL: String?, triggerMethod: String,
                          triggerUser: String?, triggerPassword: String?) throws {
        try query("""
            UPDATE omses SET name = \(name), custom_params = \(try WireFormat.encodeString(customParams))::jsonb,
                trigger_url = \(triggerURL), trigger_method = \(triggerMethod), trigger_user = \(triggerUser),
                trigger_password = \(triggerPassword), updated_at = now()
            WHERE id = \(id)
            """)
    }
}
