import CryptoClient
import PostgresClient
import Testing
import TestSupport
import Wire

/// The demo catalogue plus what the Offering API tests need around it: a second resource of the
/// demo provider, another provider with its own resource and data administrator, and OMSes of
/// every kind, so availability, ownership and the OMS rules each have a case.
struct OfferingWorld: Sendable {
    let demo: DemoSystem
    /// The demo provider's data administrator (also administrator of its provider OMS).
    var admin: [String: String] { demo.oms }
    /// The other provider's data administrator.
    let stranger: [String: String]
    /// The researcher: a user who administers nothing.
    var user: [String: String] { demo.user }
    /// The demo operator, administrator of the default OMS.
    var operatorHeaders: [String: String] { ["X-User-Token": demo.seed.operatorToken] }

    let demoProviderID: Int64
    let otherProviderID: Int64
    /// `demo-storage`: the demo provider's open-access resource (no offers yet).
    let storage = "demo-storage"
    /// `other-svc`: the other provider's resource.
    let other = "other-svc"
    let computeID: Int64
    /// A global OMS with a mandatory custom param `ticket_queue` (default `general`).
    let globalOMS: Int64
    /// A provider-group OMS of the other provider.
    let otherProviderOMS: Int64
    /// An OMS dedicated to `demo-storage`.
    let storageOMS: Int64
    /// An OMS dedicated to `demo-compute`, with an optional custom param `region`.
    let computeOMS: Int64

    var api: String { demo.api }
    func path(_ suffix: String) -> String { demo.api + "/api/v1" + suffix }

    /// Runs `body` on a system with the world seeded; only the gateway runs unless `services` says more.
    static func run(services: [String] = ["oms-gateway"], triggerURL: String = "http://127.0.0.1:9/trigger",
                    _ body: (OfferingWorld) async throws -> Void) async throws {
        try await DemoSystem.run(triggerURL: triggerURL, services: services) { demo in
            try await body(try await OfferingWorld(demo))
        }
    }

    init(_ demo: DemoSystem) async throws {
        self.demo = demo
        let strangerToken = Crypto.randomToken(prefix: "test_")
        let ids = try await demo.withDatabase { conn -> [Int64] in
            func id(_ q: PostgresQuery) async throws -> Int64 { try await conn.query(q)[0].int("id") }
            let demoProvider = try await id("SELECT id FROM providers WHERE pid = 'demo-provider'")
            let otherProvider = try await id("INSERT INTO providers (pid, name) VALUES ('other-provider', 'Other Provider') RETURNING id")
            let compute = try await id("SELECT id FROM services WHERE slug = 'demo-compute'")
            let storage = try await id("""
                INSERT INTO services (slug, pid, name, description, provider_id, order_type)
                VALUES ('demo-storage', 'demo-provider.demo-storage', 'Demo Storage', 'Object storage', \(demoProvider), 'open_access')
                RETURNING id
                """)
            _ = try await id("""
                INSERT INTO services (slug, pid, name, description, provider_id, order_type)
                VALUES ('other-svc', 'other-provider.other-svc', 'Other Service', 'Not ours', \(otherProvider), 'order_required')
                RETURNING id
                """)
            let global = try await id("""
                INSERT INTO omses (name, type, custom_params)
                VALUES ('Global OMS', 'global', '{"ticket_queue": {"mandatory": true, "default": "general"}}') RETURNING id
                """)
            let otherOMS = try await id("INSERT INTO omses (name, type) VALUES ('Other Provider OMS', 'provider_group') RETURNING id")
            try await conn.query("INSERT INTO oms_providers (oms_id, provider_id) VALUES (\(otherOMS), \(otherProvider))")
            let storageOMS = try await id("""
                INSERT INTO omses (name, type, service_id) VALUES ('Storage OMS', 'resource_dedicated', \(storage)) RETURNING id
                """)
            let computeOMS = try await id("""
                INSERT INTO omses (name, type, service_id, custom_params)
                VALUES ('Compute OMS', 'resource_dedicated', \(compute), '{"region": {"mandatory": false}}') RETURNING id
                """)
            let strangerID = try await id("""
                INSERT INTO users (uid, email, roles) VALUES ('other-admin', 'admin@other.example', '{user,data_administrator}')
                RETURNING id
                """)
            try await conn.query("INSERT INTO provider_administrators (provider_id, user_id) VALUES (\(otherProvider), \(strangerID))")
            try await conn.query("""
                INSERT INTO api_tokens (user_id, token_hash) VALUES (\(strangerID), \(PostgresBytes(Crypto.sha256(Array(strangerToken.utf8))))::bytea)
                """)
            return [demoProvider, otherProvider, compute, global, otherOMS, storageOMS, computeOMS]
        }
        stranger = ["X-User-Token": strangerToken]
        demoProviderID = ids[0]
        otherProviderID = ids[1]
        computeID = ids[2]
        globalOMS = ids[3]
        otherProviderOMS = ids[4]
        storageOMS = ids[5]
        computeOMS = ids[6]
    }

    /// Sends a request; `json` as the body.
    func send(_ method: String, _ suffix: String, _ headers: [String: String], _ json: JSONValue? = nil) async throws -> TestHTTP.Response {
        try await TestHTTP.send(method, path(suffix), headers: headers, json: json)
    }

    /// A valid offer body of the given order type, with one parameter of each kind.
    static func offerBody(_ name: String = "API offer", orderType: String = "order_required",
                          extra: [String: JSONValue] = [:]) -> JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(name), "description": "Created through the Offering API", "order_type": .string(orderType),
            "offer_category": "service_category-compute", "parameters": allParameterKinds,
        ]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    /// One valid parameter of each of the seven types.
    static let allParameterKinds: JSONValue = [
        ["id": "site", "label": "Site", "type": "attribute", "value": "Krakow", "value_type": "string"],
        ["id": "vcpus", "label": "vCPUs", "type": "attribute", "value": "4", "value_type": "integer", "unit": "CPU"],
        ["id": "host", "label": "Host name", "type": "input", "value_type": "string", "description": "FQDN"],
        ["id": "flavour", "label": "Flavour", "type": "select", "value_type": "string",
         "config": ["values": ["small", "large"], "mode": "buttons"]],
        ["id": "zones", "label": "Zones", "type": "multiselect", "value_type": "integer",
         "config": ["values": [1, 2, 3], "minItems": 1, "maxItems": 2]],
        ["id": "start", "label": "Start", "type": "date", "value_type": "string"],
        ["id": "disk", "label": "Disk", "type": "range", "value_type": "integer", "unit": "GB",
         "config": ["minimum": 10, "maximum": 100, "exclusiveMinimum": false]],
        ["id": "hours", "label": "Hours", "type": "quantity_price", "value_type": "integer",
         "config": ["start_price": 0, "step_price": 5, "max": 100, "currency": "EUR"]],
    ]
}
