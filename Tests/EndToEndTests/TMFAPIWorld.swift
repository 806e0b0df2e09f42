import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

/// The demo system seen through TMF622 (`/tmf-api/productOrderingManagement/v4`): its callers
/// as bearer tokens (the researcher, a second customer, an administrator, the demo provider's
/// data administrator and the operator), requests, the TMF error checks every refusal needs,
/// and the OMS's hand on the items behind an order.
struct TMFAPIWorld: Sendable {
    let demo: DemoSystem
    /// A second customer, with nothing of the researcher's to see.
    let otherToken: String
    /// A user with the `admin` role.
    let adminToken: String

    var customer: String { demo.seed.userToken }
    /// The demo provider's data administrator (and its OMS's administrator).
    var provider: String { demo.seed.omsToken }
    var operatorToken: String { demo.seed.operatorToken }
    var base: String { demo.api + "/tmf-api/productOrderingManagement/v4" }

    /// Runs `body` on the demo system (gateway and processor: what TMF622 requests need) with
    /// the second customer and the administrator created through `omsctl`.
    static func run(_ body: (TMFAPIWorld) async throws -> Void) async throws {
        try await DemoSystem.run(triggerURL: "http://127.0.0.1:9/trigger", services: ["oms-gateway", "oms-processor"]) { demo in
            func token(_ uid: String, _ roles: [String]) async throws -> String {
                _ = try await demo.system.ctl(["user", "create", "--uid", uid, "--email", "\(uid)@example.org",
                                               "--first-name", uid.capitalized, "--last-name", "Tester"]
                                              + roles.flatMap { ["--role", $0] })
                let issued = try await demo.ctlJSON(["token", "issue", "--user", uid])
                return try #require(issued.last?["token"]?.stringValue)
            }
            let other = try await token("other-customer", ["user"])
            let admin = try await token("tmf-admin", ["user", "admin"])
            try await body(TMFAPIWorld(demo: demo, otherToken: other, adminToken: admin))
        }
    }

    /// Sends a request to `base + suffix` as the holder of `token` (none: no `Authorization`).
    func send(_ method: String, _ suffix: String, _ token: String?, json: JSONValue? = nil, body: Data? = nil,
              headers extra: [String: String] = [:]) async throws -> TestHTTP.Response {
        var headers = extra
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try await TestHTTP.send(method, base + suffix, headers: headers, json: json, body: body)
    }

    /// `POST /productOrder` as `token` (the researcher by default).
    func create(_ body: JSONValue, _ token: String? = nil, key: String? = nil) async throws -> TestHTTP.Response {
        try await send("POST", "/productOrder", token ?? customer, json: body, headers: key.map { ["Idempotency-Key": $0] } ?? [:])
    }

    /// Creates an order that must be accepted, and returns it.
    func created(_ body: JSONValue, _ token: String? = nil) async throws -> JSONValue {
        let response = try await create(body, token)
        #expect(response.status == 201, "\(response.text)")
        let order = try #require(response.json, "\(response.text)")
        _ = try #require(order["id"]?.stringValue, "\(response.text)")
        return order
    }

    /// One item of the demo offer (`demo-compute/1`) with its two characteristics.
    static func item(_ id: String = "1", cpu: JSONValue = 2, flavour: JSONValue = "small",
                     offering: JSONValue = "demo-compute/1") -> JSONValue {
        ["id": .string(id), "action": "add", "productOffering": ["id": offering],
         "product": ["productCharacteristic": [["name": "cpu", "value": cpu], ["name": "flavour", "value": flavour]]]]
    }

    /// An order of one demo item with the header attributes given.
    static func order(_ header: [String: JSONValue] = [:], items: [JSONValue] = [item()]) -> JSONValue {
        var o = header
        o["productOrderItem"] = .array(items)
        return .object(o)
    }

    /// `GET /productOrder?<query>` as `token`: the page, `X-Total-Count` and `X-Result-Count`.
    func list(_ query: String, _ token: String? = nil, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> (page: [JSONValue], total: Int?, count: Int?) {
        let response = try await send("GET", "/productOrder" + (query.isEmpty ? "" : "?" + query), token ?? customer)
        #expect(response.status == 200, "\(query): \(response.text)", sourceLocation: sourceLocation)
        let page = response.json?.arrayValue ?? []
        return (page, response.header("X-Total-Count").flatMap { Int($0) }, response.header("X-Result-Count").flatMap { Int($0) })
    }

    /// The ids of a list, in its order.
    func ids(_ query: String, _ token: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        try await list(query, token, sourceLocation: sourceLocation).page.compactMap { $0["id"]?.stringValue }
    }

    /// `GET /productOrder/{id}` as `token`.
    func read(_ id: String, _ token: String? = nil, query: String = "") async throws -> TestHTTP.Response {
        try await send("GET", "/productOrder/\(id)" + (query.isEmpty ? "" : "?" + query), token ?? customer)
    }

    /// `PATCH /productOrder/{id}` with a body of `contentType`.
    func patch(_ id: String, _ patch: JSONValue, contentType: String = "application/merge-patch+json",
               _ token: String? = nil) async throws -> TestHTTP.Response {
        try await send("PATCH", "/productOrder/\(id)", token ?? customer, json: patch, headers: ["Content-Type": contentType])
    }

    /// `POST /cancelProductOrder` of order `id` as `token`.
    func cancel(_ id: String, _ token: String? = nil, extra: [String: JSONValue] = [:]) async throws -> TestHTTP.Response {
        var body = extra
        body["productOrder"] = ["id": .string(id)]
        return try await send("POST", "/cancelProductOrder", token ?? customer, json: .object(body))
    }

    /// The EOSC project and item ids behind an order, by line.
    func items(of orderID: String) async throws -> [(projectID: Int64, iid: Int64, line: String)] {
        try await demo.withDatabase { conn in
            try await conn.query("""
                SELECT i.project_id, i.iid, i.line_id FROM project_items i JOIN orders o ON o.id = i.order_id
                WHERE o.public_id = \(orderID) ORDER BY i.iid
                """).map { (try $0.int("project_id"), try $0.int("iid"), try $0.string("line_id")) }
        }
    }

    /// The ids of the orders of an EOSC project, oldest first.
    func orderIDs(ofProject projectID: Int64) async throws -> [String] {
        try await demo.withDatabase { conn in
            try await conn.query("SELECT public_id FROM orders WHERE project_id = \(projectID) ORDER BY id").map { try $0.string("public_id") }
        }
    }

    /// The provider OMS sets the status of every item of the order through the Ordering API.
    func omsSets(_ orderID: String, _ type: String, value: String? = nil) async throws {
        let items = try await items(of: orderID)
        #expect(!items.isEmpty, "order \(orderID) has no items")
        for item in items {
            let response = try await TestHTTP.send("PATCH", demo.omsItemPath(item.projectID, item.iid), headers: demo.oms,
                                                   json: ["status": ["value": .string(value ?? type), "type": .string(type)]])
            #expect(response.status == 200, "\(type): \(response.text)")
        }
    }

    /// The item as the provider OMS reads it through the Ordering API.
    func omsItem(projectID: Int64, iid: Int64) async throws -> JSONValue? {
        let response = try await TestHTTP.send("GET", demo.omsItemPath(projectID, iid), headers: demo.oms)
        #expect(response.status == 200, "\(response.text)")
        return response.json
    }

    /// How many orders, projects and project items exist: what a refused request must leave as it was.
    func stored() async throws -> [Int64] {
        try await demo.withDatabase { conn in
            let row = try await conn.query("""
                SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM projects) AS projects,
                       (SELECT count(*) FROM project_items) AS items, (SELECT count(*) FROM cancellations) AS cancellations
                """)[0]
            return [try row.int("orders"), try row.int("projects"), try row.int("items"), try row.int("cancellations")]
        }
    }
}

/// Checks a TMF622 `Error` body: the status (also as the body's string), `code`, `@type`, a
/// `reason` and `message`, the attribute in `field` (when given; a 400's reason names it too)
/// and words of the reason.
func expectTMFError(_ response: TestHTTP.Response, _ status: Int, _ code: String, field: String? = nil,
                    reason: String? = nil, _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    let body = response.json
    #expect(response.status == status, "\(label): \(response.status) \(response.text)", sourceLocation: sourceLocation)
    #expect(body?["code"]?.stringValue == code, "\(label): \(response.text)", sourceLocation: sourceLocation)
    #expect(body?["status"]?.stringValue == String(status), "\(label): \(response.text)", sourceLocation: sourceLocation)
    #expect(body?["@type"]?.stringValue == "Error", "\(label): \(response.text)", sourceLocation: sourceLocation)
    #expect(response.header("Content-Type")?.hasPrefix("application/json") == true, "\(label): \(response.headers)",
            sourceLocation: sourceLocation)
    #expect(body?["message"]?.stringValue?.isEmpty == false, "\(label): \(response.text)", sourceLocation: sourceLocation)
    let text = body?["reason"]?.stringValue ?? ""
    #expect(!text.isEmpty, "\(label): \(response.text)", sourceLocation: sourceLocation)
    if let field {
        #expect(body?["field"]?.stringValue == field, "\(label): \(response.text)", sourceLocation: sourceLocation)
        if status == 400 {
            #expect(text.contains(field.split(separator: ".").last.map(String.init) ?? field), "\(label): \(response.text)",
                    sourceLocation: sourceLocation)
        }
    }
    if let reason { #expect(text.contains(reason), "\(label): \(response.text)", sourceLocation: sourceLocation) }
}
