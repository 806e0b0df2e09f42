import PostgresClient
import Storage
import Wire

extension Ctl {
    /// `seed-demo`: the demo catalogue, its OMSes and users, and fresh tokens, in one transaction.
    ///
    /// Idempotent: rows are found by their stable keys (see ``DemoCatalogue``) and updated, so a
    /// re-run never duplicates anything. New tokens are issued on every run and old ones stay valid,
    /// because a person may still be using the tokens a previous run printed.
    func seedDemo(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "seed-demo",
                                 options: ["trigger-url", "provider-email", "user-email", "trigger-user",
                                           "trigger-password", "operator-email"])
        let seed = DemoSeed(
            triggerURL: try args.required("trigger-url"),
            providerEmail: try args.required("provider-email"),
            userEmail: try args.required("user-email"),
            operatorEmail: args.value("operator-email") ?? DemoCatalogue.defaultOperatorEmail,
            triggerUser: args.value("trigger-user") ?? DemoCatalogue.defaultTriggerUser,
            triggerPassword: args.value("trigger-password") ?? DemoCatalogue.defaultTriggerPassword,
            parameters: try WireFormat.encodeString(try DemoCatalogue.parametersJSON()),
            userToken: Self.newToken(), omsToken: Self.newToken(), operatorToken: Self.newToken())
        guard Self.isHTTPURL(seed.triggerURL) else {
            throw args.usageError("--trigger-url must be an http:// or https:// URL, not '\(seed.triggerURL)'")
        }
        for (option, email) in [("provider-email", seed.providerEmail), ("user-email", seed.userEmail),
                                ("operator-email", seed.operatorEmail)] where !email.contains("@") {
            throw args.usageError("--\(option) must be an e-mail address, not '\(email)'")
        }
        if (args.value("trigger-user") == nil) != (args.value("trigger-password") == nil) {
            throw args.usageError("--trigger-user and --trigger-password go together")
        }
        let result = try await withDatabase { conn in
            try await conn.transaction { conn in try seed.apply(conn) }
        }
        output.json(result)
    }

    static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && lower.count > 8 && !text.contains(" ")
    }
}

/// What one `seed-demo` run writes, with its tokens already generated.
struct DemoSeed: Sendable {
    let triggerURL: String
    let providerEmail: String
    let userEmail: String
    let operatorEmail: String
    let triggerUser: String
    let triggerPassword: String
    /// The offer's parameters as JSON text.
    let parameters: String
    let userToken: (token: String, hash: [UInt8])
    let omsToken: (token: String, hash: [UInt8])
    let operatorToken: (token: String, hash: [UInt8])

    typealias D = DemoCatalogue

    func apply(_ conn: isolated PostgresConnection) throws -> SeedDemoResult {
        let providerID = try conn.query("""
            INSERT INTO providers (pid, name, contact_emails, response_time_seconds)
            VALUES (\(D.providerPID), \(D.providerName), \([providerEmail])::text[], \(D.responseTimeSeconds))
            ON CONFLICT (pid) DO UPDATE SET name = EXCLUDED.name, contact_emails = EXCLUDED.contact_emails,
                response_time_seconds = EXCLUDED.response_time_seconds, updated_at = now()
            RETURNING id
            """)[0].int("id")

        let researcher = try upsertUser(conn, uid: D.researcherUID, email: userEmail, lastName: "Researcher", roles: ["user"])
        let omsAdmin = try upsertUser(conn, uid: D.omsAdminUID, email: providerEmail, lastName: "Provider OMS",
                                      roles: ["data_administrator", "oms"])
        let operatorUser = try upsertUser(conn, uid: D.operatorUID, email: operatorEmail, lastName: "Operator",
                                          roles: ["operator"])

        // SOMBO is the default OMS unless an operator already made another OMS the default.
        let defaultParams = try WireFormat.encodeString(D.defaultOMSCustomParams)
        let sombo = try conn.query("""
            INSERT INTO omses (name, type, is_default, custom_params)
            VALUES (\(D.defaultOMSName), 'global',
                    NOT EXISTS (SELECT 1 FROM omses WHERE is_default AND name <> \(D.defaultOMSName)), \(defaultParams)::jsonb)
            ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, is_default = EXCLUDED.is_default,
                custom_params = EXCLUDED.custom_params, trigger_url = NULL, trigger_user = NULL,
                trigger_password = NULL, service_id = NULL, updated_at = now()
            RETURNING id
            """)[0].int("id")
        let defaultOMS = try conn.query("SELECT id FROM omses WHERE is_default").first?.int("id") ?? sombo

        let providerOMS = try conn.query("""
            INSERT INTO omses (name, type, is_default, custom_params, trigger_url, trigger_method, trigger_user, trigger_password)
            VALUES (\(D.providerOMSName), 'provider_group', false, '{}'::jsonb, \(triggerURL), 'post',
                    \(triggerUser), \(triggerPassword))
            ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, is_default = false, trigger_url = EXCLUDED.trigger_url,
                trigger_method = EXCLUDED.trigger_method, trigger_user = EXCLUDED.trigger_user,
                trigger_password = EXCLUDED.trigger_password, service_id = NULL, updated_at = now()
            RETURNING id
            """)[0].int("id")

        try conn.query("""
            INSERT INTO oms_providers (oms_id, provider_id) VALUES (\(providerOMS), \(providerID)) ON CONFLICT DO NOTHING
            """)
        try conn.query("""
            INSERT INTO oms_administrators (oms_id, user_id) VALUES (\(providerOMS), \(omsAdmin)), (\(sombo), \(operatorUser))
            ON CONFLICT DO NOTHING
            """)
        try conn.query("""
            INSERT INTO provider_administrators (provider_id, user_id) VALUES (\(providerID), \(omsAdmin))
            ON CONFLICT DO NOTHING
            """)

        // The offer keeps iid 1; the service's counter must never hand out 1 again.
        let serviceID = try conn.query("""
            INSERT INTO services (slug, pid, name, description, provider_id, order_type, categories, status, offer_seq)
            VALUES (\(D.serviceSlug), \(D.servicePID), \(D.serviceName), \(D.serviceDescription), \(providerID),
                    'order_required', \(D.serviceCategories)::text[], 'published', \(D.offerIID))
            ON CONFLICT (slug) DO UPDATE SET pid = EXCLUDED.pid, name = EXCLUDED.name, description = EXCLUDED.description,
                provider_id = EXCLUDED.provider_id, order_type = EXCLUDED.order_type, categories = EXCLUDED.categories,
                status = EXCLUDED.status, offer_seq = GREATEST(services.offer_seq, EXCLUDED.offer_seq), updated_at = now()
            RETURNING id
            """)[0].int("id")
        try conn.query("""
            INSERT INTO offers (service_id, iid, name, description, order_type, offer_category, internal,
                                primary_oms_id, parameters, status)
            VALUES (\(serviceID), \(D.offerIID), \(D.offerName), \(D.offerDescription), 'order_required',
                    \(D.offerCategory), true, \(providerOMS), \(parameters)::jsonb, 'published')
            ON CONFLICT (service_id, iid) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
                order_type = EXCLUDED.order_type, order_url = NULL, offer_category = EXCLUDED.offer_category,
                internal = EXCLUDED.internal, primary_oms_id = EXCLUDED.primary_oms_id, parameters = EXCLUDED.parameters,
                status = EXCLUDED.status, updated_at = now()
            """)

        try conn.insertToken(userID: researcher, tokenHash: userToken.hash, label: "seed-demo")
        try conn.insertToken(userID: omsAdmin, tokenHash: omsToken.hash, label: "seed-demo")
        try conn.insertToken(userID: operatorUser, tokenHash: operatorToken.hash, label: "seed-demo")

        return SeedDemoResult(userToken: userToken.token, omsToken: omsToken.token, operatorToken: operatorToken.token,
                              omsID: providerOMS, defaultOMSID: defaultOMS, providerID: providerID,
                              providerPID: D.providerPID, resourceID: D.serviceSlug, offerID: D.offerIID,
                              triggerURL: triggerURL)
    }

    /// Creates or updates a demo user; roles are added to those it has, never taken away.
    private func upsertUser(_ conn: isolated PostgresConnection, uid: String, email: String, lastName: String,
                            roles: [String]) throws -> Int64 {
        try conn.query("""
            INSERT INTO users (uid, email, first_name, last_name, roles)
            VALUES (\(uid), \(email), 'Demo', \(lastName), \(roles)::text[])
            ON CONFLICT (uid) DO UPDATE SET email = EXCLUDED.email, first_name = EXCLUDED.first_name,
                last_name = EXCLUDED.last_name,
                roles = ARRAY(SELECT DISTINCT r FROM unnest(users.roles || EXCLUDED.roles) AS r ORDER BY r)
            RETURNING id
            """)[0].int("id")
    }
}

/// The one JSON object `seed-demo` prints; `deploy/up.sh` reads it.
struct SeedDemoResult: Codable, Sendable {
    let userToken: String
    let omsToken: String
    let operatorToken: String
    /// The provider OMS (the offer's primary OMS), which the demo's OMS token administers.
    let omsID: Int64
    let defaultOMSID: Int64
    let providerID: Int64
    let providerPID: String
    /// The service slug, as the EOSC APIs take it.
    let resourceID: String
    /// The offer's per-service id.
    let offerID: Int64
    let triggerURL: String

    enum CodingKeys: String, CodingKey {
        case userToken = "user_token", omsToken = "oms_token", operatorToken = "operator_token", omsID = "oms_id"
        case defaultOMSID = "default_oms_id", providerID = "provider_id", providerPID = "provider_pid"
        case resourceID = "resource_id", offerID = "offer_id", triggerURL = "trigger_url"
    }
}
