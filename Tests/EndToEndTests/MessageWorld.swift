import Foundation
import HTTPCore
import PostgresClient
import Testing
import TestSupport
import Wire

/// The cast of the message suites, on a running demo system: one project of the researcher's
/// with item A (the demo offer, primary OMS P) and item B (an offer whose primary OMS is Q), and
/// four OMSes each with an administrator's token and a trigger path at one receiver:
/// D (the default OMS), P, Q (primary for another item of the same project), U (unrelated).
struct MessageWorld: Sendable {
    enum Caller: String, CaseIterable, Sendable, CustomStringConvertible {
        case d, p, q, u
        var description: String { rawValue.uppercased() }
    }

    let demo: DemoSystem
    let receiver: TriggerReceiver
    let projectID: Int64
    /// Item iids: A (primary OMS P) and B (primary OMS Q).
    let itemA: Int64
    let itemB: Int64
    let omsIDs: [Caller: Int64]
    let tokens: [Caller: String]

    var api: String { demo.api }

    /// Builds the cast on a fresh system and runs `body`.
    static func run(environment: [String: String] = [:], _ body: (MessageWorld) async throws -> Void) async throws {
        let receiver = try TriggerReceiver()
        try await DemoSystem.run(triggerURL: receiver.url + "/p", environment: environment) { demo in
            var omsIDs: [Caller: Int64] = [.d: demo.seed.defaultOMSID, .p: demo.seed.omsID]
            var tokens: [Caller: String] = [.d: demo.seed.operatorToken, .p: demo.seed.omsToken]
            for caller in [Caller.q, .u] {
                let uid = "oms-admin-\(caller.rawValue)"
                _ = try await demo.system.ctl(["user", "create", "--uid", uid, "--email", "\(uid)@example.org", "--role", "oms"])
                tokens[caller] = try #require(try await demo.ctlJSON(["token", "issue", "--user", uid]).last?["token"]?.stringValue)
                let registered = try await demo.ctlJSON(["oms", "register", "--name", "OMS \(caller)", "--type", "provider_group",
                                                         "--admin", uid, "--trigger-url", receiver.url + "/" + caller.rawValue])
                omsIDs[caller] = try #require(registered.last?["id"]?.intValue)
            }
            let ids = omsIDs
            try await demo.withDatabase { conn in
                try await conn.query("UPDATE omses SET trigger_url = \(receiver.url + "/d") WHERE id = \(ids[.d]!)")
                // Offer 2 of the demo service, handled by Q, without parameters.
                try await conn.query("""
                    INSERT INTO offers (service_id, iid, name, order_type, internal, primary_oms_id, parameters, status)
                    SELECT id, 2, 'Offer of Q', 'order_required', true, \(ids[.q]!), '[]'::jsonb, 'published'
                    FROM services WHERE slug = \(demo.seed.resourceID)
                    """)
            }
            let projectID = try await demo.createProject("Messages")
            let a = try await TestHTTP.sendAwaitingOutcome("POST", demo.api + "/api/v1/projects/\(projectID)/project_items",
                                                           headers: demo.user, json: demo.orderBody())
            let b = try await TestHTTP.sendAwaitingOutcome("POST", demo.api + "/api/v1/projects/\(projectID)/project_items",
                                                           headers: demo.user,
                                                           json: ["resource_id": .string(demo.seed.resourceID), "offer_id": 2])
            let world = MessageWorld(demo: demo, receiver: receiver, projectID: projectID,
                                     itemA: try #require(a.json?["id"]?.intValue, "\(a.text)"),
                                     itemB: try #require(b.json?["id"]?.intValue, "\(b.text)"),
                                     omsIDs: omsIDs, tokens: tokens)
            try await body(world)
        }
        await receiver.stop()
    }

    /// `/api/v1/oms/{caller's OMS}` + `suffix`.
    func oms(_ caller: Caller, _ suffix: String = "") -> String { api + "/api/v1/oms/\(omsIDs[caller]!)" + suffix }

    func headers(_ caller: Caller) -> [String: String] { ["X-User-Token": tokens[caller]!] }

    /// A request as `caller`'s administrator; 202 answers are followed to their outcome.
    func send(_ caller: Caller, _ method: String, _ suffix: String, json: JSONValue? = nil) async throws -> TestHTTP.Response {
        method == "GET" ? try await TestHTTP.send(method, oms(caller, suffix), headers: headers(caller))
                        : try await TestHTTP.sendAwaitingOutcome(method, oms(caller, suffix), headers: headers(caller), json: json)
    }

    /// A message body for `POST /oms/{id}/messages`; `item` nil for a project message.
    func messageBody(item: Int64?, scope: String, role: String, content: String) -> JSONValue {
        var body: [String: JSONValue] = [
            "project_id": .int(projectID), "content": .string(content), "scope": .string(scope),
            "author": ["email": .string("\(role)@example.org"), "name": .string("The \(role)"), "role": .string(role)],
        ]
        if let item { body["project_item_id"] = .int(item) }
        return .object(body)
    }

    /// The user API path of the project's messages, or of an item's.
    func userMessages(item: Int64? = nil) -> String {
        api + "/api/v1/projects/\(projectID)" + (item.map { "/project_items/\($0)" } ?? "") + "/messages"
    }

    /// Every event `caller` sees, oldest first.
    func events(_ caller: Caller) async throws -> [JSONValue] {
        let response = try await send(caller, "GET", "/events?from_timestamp=2020-01-01T00:00:00Z&limit=100000")
        #expect(response.status == 200, "\(response.text)")
        return response.json?["events"]?.arrayValue ?? []
    }

    /// The trigger deliveries the receiver got, as (OMS, event kind), for the delivery ids not in `seen`.
    func triggers(after seen: Set<String>) async throws -> [(Caller, String, String)] {
        let requests = receiver.requests.compactMap { r -> (String, String)? in
            guard let id = r.header("X-OMS-Delivery-Id"), !seen.contains(id) else { return nil }
            return (id, r.path)
        }
        let uuids = requests.compactMap { UUID(uuidString: $0.0) }
        let kinds: [String: String] = try await demo.withDatabase { conn in
            var out: [String: String] = [:]
            for row in try await conn.query("""
                SELECT id, message->>'eventKind' AS kind FROM deliveries WHERE id = ANY(\(uuids)::uuid[])
                """) {
                out[try row.uuid("id").uuidString.lowercased()] = try row.optionalString("kind") ?? ""
            }
            return out
        }
        return requests.compactMap { id, path in
            guard let caller = Caller(rawValue: String(path.split(separator: "/").last ?? "")) else { return nil }
            return (caller, kinds[id.lowercased()] ?? "?", id)
        }
    }

    /// The delivery ids received so far.
    var deliveryIDs: Set<String> { Set(receiver.requests.compactMap { $0.header("X-OMS-Delivery-Id") }) }
}
