import PostgresClient
import Wire

extension Ctl {
    static let omsTypes = ["global", "provider_group", "resource_dedicated"]
    static let triggerMethods = ["get", "post", "put"]

    /// `oms register`: an OMS with its trigger, administrators and providers, in one transaction.
    func omsRegister(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "oms register",
                                 options: ["name", "type", "trigger-url", "trigger-method", "trigger-user", "trigger-password",
                                           "admin", "provider", "service", "custom-params"],
                                 repeated: ["admin", "provider"], flags: ["default"])
        let registration = try OMSRegistration(args)
        let id: Int64
        do {
            id = try await withDatabase { conn in
                try await conn.transaction { conn in try registration.insert(conn) }
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            if error.constraint == "omses_one_default" {
                throw CtlError.invalid("another OMS is already the default; at most one may be")
            }
            throw CtlError.invalid("an OMS named '\(registration.name)' already exists")
        }
        output.json(["id": id])
    }

    /// `oms list`: every OMS with its trigger and health, one JSON line each, by id.
    func omsList(_ arguments: [String]) async throws {
        _ = try Arguments(arguments, command: "oms list")
        let rows = try await withDatabase { conn in
            try await conn.query("""
                SELECT id, name, type, is_default, trigger_url, trigger_method,
                       to_char(last_trigger_ok_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_trigger_ok_at,
                       to_char(last_trigger_error_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_trigger_error_at,
                       last_trigger_error,
                       to_char(last_events_poll_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_events_poll_at,
                       ARRAY(SELECT u.uid FROM oms_administrators a JOIN users u ON u.id = a.user_id
                             WHERE a.oms_id = omses.id ORDER BY u.uid) AS admins,
                       ARRAY(SELECT coalesce(p.pid, p.id::text) FROM oms_providers op JOIN providers p ON p.id = op.provider_id
                             WHERE op.oms_id = omses.id ORDER BY 1) AS providers
                FROM omses ORDER BY id
                """)
        }
        for row in rows {
            let triggerURL = try row.optionalString("trigger_url")
            output.json(JSONValue.object([
                "id": .int(try row.int("id")),
                "name": .string(try row.string("name")),
                "type": .string(try row.string("type")),
                "default": .bool(try row.bool("is_default")),
                "trigger_url": triggerURL.map(JSONValue.string) ?? .null,
                "trigger_method": triggerURL == nil ? .null : .string(try row.string("trigger_method")),
                "administrators": .array(try row.stringArray("admins").map(JSONValue.string)),
                "providers": .array(try row.stringArray("providers").map(JSONValue.string)),
                "last_trigger_ok_at": Self.optional(try row.optionalString("last_trigger_ok_at")),
                "last_trigger_error_at": Self.optional(try row.optionalString("last_trigger_error_at")),
                "last_trigger_error": Self.optional(try row.optionalString("last_trigger_error")),
                "last_events_poll_at": Self.optional(try row.optionalString("last_events_poll_at")),
            ]))
        }
    }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}

/// A validated `oms register` command line.
struct OMSRegistration: Sendable {
    let name: String
    let type: String
    let isDefault: Bool
    let customParams: String
    let triggerURL: String?
    let triggerMethod: String
    let triggerUser: String?
    let triggerPassword: String?
    let admins: [String]
    let providers: [String]
    let service: String?

    init(_ args: Arguments) throws(CtlError) {
        name = try args.required("name")
        let type = try args.required("type")
        guard Ctl.omsTypes.contains(type) else {
            throw args.usageError("--type must be one of \(Ctl.omsTypes.joined(separator: ", ")), not '\(type)'")
        }
        self.type = type
        isDefault = args.flag("default")
        triggerURL = args.value("trigger-url")
        let method = args.value("trigger-method")?.lowercased()
        triggerUser = args.value("trigger-user")
        triggerPassword = args.value("trigger-password")
        if let triggerURL, !Ctl.isHTTPURL(triggerURL) {
            throw args.usageError("--trigger-url must be an http:// or https:// URL, not '\(triggerURL)'")
        }
        if let method, !Ctl.triggerMethods.contains(method) {
            throw args.usageError("--trigger-method must be one of get, post, put, not '\(method)'")
        }
        if triggerURL == nil, method != nil || triggerUser != nil || triggerPassword != nil {
            throw args.usageError("--trigger-method, --trigger-user and --trigger-password need --trigger-url")
        }
        if (triggerUser == nil) != (triggerPassword == nil) {
            throw args.usageError("--trigger-user and --trigger-password go together (HTTP Basic)")
        }
        triggerMethod = method ?? "post"
        admins = args.all("admin")
        providers = args.all("provider")
        service = args.value("service")
        if !providers.isEmpty, type != "provider_group" {
            throw args.usageError("--provider applies to provider_group OMSes only")
        }
        if service != nil, type != "resource_dedicated" {
            throw args.usageError("--service applies to resource_dedicated OMSes only")
        }
        customParams = try Self.customParams(args)
    }

    /// `custom_params` as the EOSC API defines them: each value exactly `{"mandatory":false}` or
    /// `{"mandatory":true,"default":"<string>"}`.
    private static func customParams(_ args: Arguments) throws(CtlError) -> String {
        guard let text = args.value("custom-params") else { return "{}" }
        let problem = args.usageError(#"--custom-params must be a JSON object of {"mandatory":false} or {"mandatory":true,"default":"…"}"#)
        guard let json = try? WireFormat.decode(JSONValue.self, from: text), let members = json.objectValue else { throw problem }
        for (_, value) in members {
            guard let param = value.objectValue, let mandatory = param["mandatory"]?.boolValue else { throw problem }
            let fine = mandatory
                ? param.count == 2 && param["default"]?.stringValue != nil
                : param.count == 1
            guard fine else { throw problem }
        }
        return (try? WireFormat.encodeString(json)) ?? "{}"
    }

    func insert(_ conn: isolated PostgresConnection) throws -> Int64 {
        var serviceID: Int64?
        if let service {
            guard let row = try conn.query("""
                SELECT id FROM services WHERE slug = \(service) OR pid = \(service) OR id::text = \(service)
                """).first else { throw CtlError.invalid("no service '\(service)'") }
            serviceID = try row.int("id")
        }
        let adminIDs = try lookUp(conn, admins, what: "user", sql: "SELECT id, uid AS key FROM users WHERE uid = ANY($1::text[])")
        let providerIDs = try lookUp(conn, providers, what: "provider", sql: """
            SELECT id, coalesce(pid, id::text) AS key FROM providers WHERE pid = ANY($1::text[]) OR id::text = ANY($1::text[])
            """, alsoByID: true)
        let id = try conn.query("""
            INSERT INTO omses (name, type, is_default, custom_params, trigger_url, trigger_method, trigger_user,
                               trigger_password, service_id)
            VALUES (\(name), \(type), \(isDefault), \(customParams)::jsonb, \(triggerURL), \(triggerMethod), \(triggerUser),
                    \(triggerPassword), \(serviceID))
            RETURNING id
            """)[0].int("id")
        if !adminIDs.isEmpty {
            try conn.query("""
                INSERT INTO oms_administrators (oms_id, user_id) SELECT \(id), unnest(\(adminIDs)::int8[]) ON CONFLICT DO NOTHING
                """)
            // An OMS administrator acts as an OMS on the Ordering API.
            try conn.query("""
                UPDATE users SET roles = roles || '{oms}'::text[] WHERE id = ANY(\(adminIDs)::int8[]) AND NOT 'oms' = ANY(roles)
                """)
        }
        if !providerIDs.isEmpty {
            try conn.query("""
                INSERT INTO oms_providers (oms_id, provider_id) SELECT \(id), unnest(\(providerIDs)::int8[]) ON CONFLICT DO NOTHING
                """)
        }
        return id
    }

    /// The ids of the named rows, or an error listing every name that matched nothing.
    private func lookUp(_ conn: isolated PostgresConnection, _ keys: [String], what: String, sql: String,
                        alsoByID: Bool = false) throws -> [Int64] {
        guard !keys.isEmpty else { return [] }
        var found: [String: Int64] = [:]
        var ids: [Int64] = []
        for row in try conn.query(PostgresQuery(unsafeSQL: sql, binds: [keys.postgresText])) {
            let id = try row.int("id")
            found[try row.string("key")] = id
            if alsoByID { found[String(id)] = id }
            ids.append(id)
        }
        let missing = keys.filter { found[$0] == nil }
        guard missing.isEmpty else {
            throw CtlError.invalid("no \(what) \(missing.map { "'\($0)'" }.joined(separator: ", "))")
        }
        return Array(Set(ids)).sorted()
    }
}
