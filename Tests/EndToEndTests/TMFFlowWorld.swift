import CryptoClient
import Foundation
import HTTPCore
import Synchronization
import Testing
import TestSupport
import Wire

/// The cast of the TMF622 round-trip suites, on a running demo system: a TMF client (the
/// researcher, `Authorization: Bearer`), its hub listeners, and the provider's OMS as an EOSC
/// integrator writes it (``OMSAdapter``), which knows nothing of TMF622.
struct TMFFlow: Sendable {
    static let base = "/tmf-api/productOrderingManagement/v4"
    /// Callbacks go out one at a time, so a listener receives events in the order they were
    /// emitted (the notifier otherwise attempts deliveries concurrently, as TMF630 allows).
    static let environment = ["OMS_NOTIFIER_CONCURRENCY": "1"]

    let demo: DemoSystem
    let oms: OMSAdapter

    var tmf: String { demo.api + Self.base }
    /// The researcher as a TMF client.
    var customer: [String: String] { Self.bearer(demo.seed.userToken) }
    /// The provider OMS's administrator (a data administrator of the demo provider).
    var provider: [String: String] { Self.bearer(demo.seed.omsToken) }
    var operatorHeaders: [String: String] { Self.bearer(demo.seed.operatorToken) }

    static func bearer(_ token: String) -> [String: String] { ["Authorization": "Bearer \(token)"] }

    /// A fresh demo system whose provider OMS is an ``OMSAdapter`` woken by its own trigger receiver.
    static func run(environment: [String: String] = [:], _ body: (TMFFlow) async throws -> Void) async throws {
        let trigger = try TriggerReceiver()
        try await DemoSystem.run(triggerURL: trigger.url, environment: Self.environment.merging(environment) { $1 }) { demo in
            let oms = OMSAdapter(api: demo.api, omsID: demo.seed.omsID, token: demo.seed.omsToken, trigger: trigger)
            try await body(TMFFlow(demo: demo, oms: oms))
        }
        await trigger.stop()
    }

    /// A new user (`omsctl user create` + `token issue`). - Returns: the user's TMF headers.
    func newUser(_ uid: String, roles: [String] = ["user"]) async throws -> [String: String] {
        _ = try await demo.system.ctl(["user", "create", "--uid", uid, "--email", "\(uid)@example.org", "--first-name", uid]
                                      + roles.flatMap { ["--role", $0] })
        let token = try #require(try await demo.ctlJSON(["token", "issue", "--user", uid]).last?["token"]?.stringValue)
        return Self.bearer(token)
    }

    // MARK: TMF client

    /// `POST /hub` for the caller. - Returns: the listener id.
    func listen(_ headers: [String: String], callback: String, query: String? = nil) async throws -> String {
        var body: [String: JSONValue] = ["callback": .string(callback)]
        if let query { body["query"] = .string(query) }
        let response = try await TestHTTP.send("POST", tmf + "/hub", headers: headers, json: .object(body))
        #expect(response.status == 201, "\(response.text)")
        #expect(response.json?["callback"]?.stringValue == callback)
        #expect(response.json?["query"]?.stringValue == query)
        let id = try #require(response.json?["id"]?.stringValue, "\(response.text)")
        #expect(response.header("Location") == tmf + "/hub/" + id)
        return id
    }

    /// A ProductOrder_Create body: one item per `(line id, cpu)` of the demo offer.
    func orderBody(_ description: String, items: [(id: String, cpu: Int64)] = [("1", 2)], replaces: String? = nil) -> JSONValue {
        var body: [String: JSONValue] = [
            "description": .string(description), "category": "compute", "priority": "4",
            "productOrderItem": .array(items.map { item in
                ["id": .string(item.id), "action": "add", "quantity": 1,
                 "productOffering": ["id": .string("\(demo.seed.resourceID)/\(demo.seed.offerID)")],
                 "product": ["productCharacteristic": [["name": "cpu", "value": .int(item.cpu)],
                                                       ["name": "flavour", "value": "small"]]]]
            }),
        ]
        if let replaces { body["orderRelationship"] = [["id": .string(replaces), "relationshipType": "replaces"]] }
        return .object(body)
    }

    /// `POST /productOrder`, expecting 201. - Returns: the order as answered.
    func placeOrder(_ body: JSONValue, headers: [String: String]? = nil) async throws -> JSONValue {
        let response = try await TestHTTP.sendAwaitingOutcome("POST", tmf + "/productOrder", headers: headers ?? customer, json: body)
        #expect(response.status == 201, "\(response.text)")
        let order = try #require(response.json, "\(response.text)")
        #expect(order["state"]?.stringValue == "acknowledged", "\(response.text)")
        return order
    }

    /// `GET /productOrder/{id}`, expecting 200.
    func productOrder(_ id: String, headers: [String: String]? = nil) async throws -> JSONValue {
        let response = try await TestHTTP.send("GET", tmf + "/productOrder/" + id, headers: headers ?? customer)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json, "\(response.text)")
    }

    /// The order's state and its items' states as `GET` shows them, e.g. `inProgress [1: inProgress]`.
    func states(_ id: String) async throws -> String {
        let order = try await productOrder(id)
        let items = (order["productOrderItem"]?.arrayValue ?? []).map {
            "\($0["id"]?.stringValue ?? "?"): \($0["state"]?.stringValue ?? "?")"
        }
        return "\(order["state"]?.stringValue ?? "?") [\(items.joined(separator: ", "))]"
    }

    /// `POST /cancelProductOrder` by the customer. - Returns: the response (201 expected by callers).
    func cancel(_ orderID: String, reason: String? = nil, headers: [String: String]? = nil) async throws -> TestHTTP.Response {
        var body: [String: JSONValue] = ["productOrder": ["id": .string(orderID), "@referredType": "ProductOrder"]]
        if let reason { body["cancellationReason"] = .string(reason) }
        return try await TestHTTP.sendAwaitingOutcome("POST", tmf + "/cancelProductOrder", headers: headers ?? customer,
                                                      json: .object(body))
    }

    /// `GET /cancelProductOrder/{id}`, expecting 200.
    func cancellation(_ id: String) async throws -> JSONValue {
        let response = try await TestHTTP.send("GET", tmf + "/cancelProductOrder/" + id, headers: customer)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json, "\(response.text)")
    }
}

/// What a listener heard: the callbacks its receiver got, each delivery once (a retried
/// delivery counts once, by its `X-OMS-Delivery-Id`), in the order they arrived.
struct Heard: Sendable {
    let requests: [HTTPRequest]

    init(_ requests: [HTTPRequest]) {
        var seen: Set<String> = []
        self.requests = requests.filter { seen.insert($0.header("X-OMS-Delivery-Id") ?? UUID().uuidString).inserted }
    }

    var events: [JSONValue] { requests.compactMap { try? WireFormat.decode(JSONValue.self, from: $0.body) } }

    /// One line per event: its type, the state of the resource it carries and its fieldPath,
    /// e.g. `ProductOrderStateChangeEvent inProgress [state]`.
    var lines: [String] { events.map(Self.line) }

    static func line(_ event: JSONValue) -> String {
        let resource = event["event"]?["productOrder"] ?? event["event"]?["cancelProductOrder"]
        let path = event["fieldPath"]?.stringValue.map { " [\($0)]" } ?? ""
        return "\(event["eventType"]?.stringValue ?? "?") \(resource?["state"]?.stringValue ?? "?")\(path)"
    }

    /// Waits until `receiver` heard at least `count` events. - Returns: what it heard then.
    static func waiting(for count: Int, from receiver: @autoclosure () -> [HTTPRequest],
                        timeout: Duration = .seconds(20)) async throws -> Heard {
        _ = try await TestHTTP.eventually(timeout: timeout) { Heard(receiver()).events.count >= count }
        return Heard(receiver())
    }

    /// Waits until `receiver` heard as many events as `expected` lists, then expects exactly
    /// those (see ``lines``). - Returns: what it heard.
    @discardableResult
    static func expect(_ expected: [String], from receiver: @autoclosure () -> [HTTPRequest], _ comment: String = "",
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> Heard {
        let heard = try await waiting(for: expected.count, from: receiver())
        let lines = heard.lines
        #expect(lines == expected, "\(comment)", sourceLocation: sourceLocation)
        return heard
    }

    /// Whether every callback is a signed JSON POST (`X-OMS-Signature` = HMAC-SHA256 with the
    /// test signing key over `<timestamp>.<delivery id>.<body>`) carrying a well-formed TMF event.
    func checkEnvelopes(orderIDs: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) {
        for request in requests {
            let id = request.header("X-OMS-Delivery-Id") ?? ""
            let timestamp = request.header("X-OMS-Timestamp") ?? ""
            let signature = "sha256=" + Crypto.hex(Crypto.hmacSHA256(key: Array("test-signing-key".utf8),
                                                                     message: Array("\(timestamp).\(id).".utf8) + request.body))
            #expect(request.method == "POST", sourceLocation: sourceLocation)
            #expect(UUID(uuidString: id) != nil, "X-OMS-Delivery-Id \(id)", sourceLocation: sourceLocation)
            #expect(request.header("X-OMS-Signature") == signature, sourceLocation: sourceLocation)
            #expect(request.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
            let event = (try? WireFormat.decode(JSONValue.self, from: request.body)) ?? .null
            let type = event["eventType"]?.stringValue ?? ""
            let key = type.hasPrefix("Cancel") ? "cancelProductOrder" : "productOrder"
            let resource = event["event"]?[key]
            #expect(UUID(uuidString: event["eventId"]?.stringValue ?? "") != nil, "\(event)", sourceLocation: sourceLocation)
            #expect(Timestamp(parsing: event["eventTime"]?.stringValue ?? "") != nil, "\(event)", sourceLocation: sourceLocation)
            #expect(resource?["id"] != nil && event["id"] == resource?["id"] && event["href"] == resource?["href"],
                    "\(event)", sourceLocation: sourceLocation)
            let orderID = key == "productOrder" ? resource?["id"]?.stringValue : resource?["productOrder"]?["id"]?.stringValue
            #expect(orderIDs.contains(orderID ?? ""), "\(event)", sourceLocation: sourceLocation)
        }
    }
}

/// The provider's OMS as an EOSC integrator writes it, knowing nothing of TMF622 (the loop of
/// research/eosc-api.md §11): woken by its trigger, it lists the events after the last timestamp
/// it read, reads the project items and messages they name, and answers through the Ordering
/// API (`PATCH …/project_items/{id}`, `POST …/messages`) with its `X-User-Token`.
final class OMSAdapter: Sendable {
    let api: String
    let omsID: Int64
    let headers: [String: String]
    let trigger: TriggerReceiver
    /// The last event timestamp read, how many trigger calls were answered by a read, and the
    /// messages this OMS wrote (whose events it ignores, as an adapter ignores its own echo).
    private let state = Mutex<(cursor: String, triggers: Int, posted: Set<Int64>)>(("2020-01-01T00:00:00Z", 0, []))

    init(api: String, omsID: Int64, token: String, trigger: TriggerReceiver) {
        self.api = api
        self.omsID = omsID
        headers = ["X-User-Token": token]
        self.trigger = trigger
    }

    var base: String { api + "/api/v1/oms/\(omsID)" }

    /// Waits for trigger calls, reading the events after the cursor on each, until `done` holds
    /// for the events read since this call began. - Returns: those events, oldest first.
    func wake(timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation,
              until done: ([JSONValue]) -> Bool) async throws -> [JSONValue] {
        var read: [JSONValue] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let calls = trigger.requests.count
            if calls > state.withLock({ $0.triggers }) {
                state.withLock { $0.triggers = calls }
                read += try await readEvents()
                if done(read) { return read }
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        Issue.record("the OMS was not woken to the events it expected; it read \(read)", sourceLocation: sourceLocation)
        return read
    }

    /// `GET /events?from_timestamp=<cursor>`; moves the cursor to the last event read.
    func readEvents() async throws -> [JSONValue] {
        let cursor = state.withLock { $0.cursor }
        let response = try await TestHTTP.send("GET", base + "/events?from_timestamp=\(cursor)&limit=1000", headers: headers)
        #expect(response.status == 200, "\(response.text)")
        let events = response.json?["events"]?.arrayValue ?? []
        if let last = events.last?["timestamp"]?.stringValue { state.withLock { $0.cursor = last } }
        return events
    }

    /// Woken by a new order, the items it must handle: (project id, item iid) of each item created.
    func newItems(count: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [(project: Int64, item: Int64)] {
        let events = try await wake(sourceLocation: sourceLocation) { Self.created($0).count >= count }
        return Self.created(events)
    }

    private static func created(_ events: [JSONValue]) -> [(project: Int64, item: Int64)] {
        events.filter { $0["resource"]?.stringValue == "project_item" && $0["type"]?.stringValue == "create" }
            .compactMap { e in e["project_id"]?.intValue.flatMap { p in e["project_item_id"]?.intValue.map { (p, $0) } } }
    }

    /// Woken by a message on an item (not one of its own), reads it (`GET /messages/{id}`).
    func newMessage(_ projectID: Int64, _ iid: Int64, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let posted = state.withLock { $0.posted }
        let isMessage: (JSONValue) -> Bool = {
            $0["resource"]?.stringValue == "message" && $0["type"]?.stringValue == "create"
                && $0["project_id"]?.intValue == projectID && $0["project_item_id"]?.intValue == iid
                && !posted.contains($0["message_id"]?.intValue ?? 0)
        }
        let events = try await wake(sourceLocation: sourceLocation) { $0.contains(where: isMessage) }
        let id = try #require(events.first(where: isMessage)?["message_id"]?.intValue, sourceLocation: sourceLocation)
        let response = try await TestHTTP.send("GET", base + "/messages/\(id)", headers: headers)
        #expect(response.status == 200, "\(response.text)", sourceLocation: sourceLocation)
        return try #require(response.json, sourceLocation: sourceLocation)
    }

    /// Woken by a change of an item's status, the `status.type` changes the events show, in order.
    func statusChanges(_ projectID: Int64, _ iid: Int64, until last: String,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        let changes: ([JSONValue]) -> [String] = { events in
            events.filter { $0["resource"]?.stringValue == "project_item" && $0["type"]?.stringValue == "update"
                && $0["project_id"]?.intValue == projectID && $0["project_item_id"]?.intValue == iid }
                .flatMap { $0["changes"]?.arrayValue ?? [] }
                .filter { $0["field"]?.stringValue == "status.type" }.compactMap { $0["after"]?.stringValue }
        }
        return changes(try await wake(sourceLocation: sourceLocation) { changes($0).last == last })
    }

    func itemPath(_ projectID: Int64, _ iid: Int64) -> String { base + "/projects/\(projectID)/project_items/\(iid)" }

    /// `GET …/project_items/{iid}`.
    func item(_ projectID: Int64, _ iid: Int64) async throws -> JSONValue {
        let response = try await TestHTTP.send("GET", itemPath(projectID, iid), headers: headers)
        #expect(response.status == 200, "\(response.text)")
        return response.json ?? .null
    }

    /// `PATCH …/project_items/{iid}` with a new status (the value defaults to the type), expecting 200.
    @discardableResult
    func setStatus(_ projectID: Int64, _ iid: Int64, _ type: String, value: String? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let response = try await TestHTTP.sendAwaitingOutcome("PATCH", itemPath(projectID, iid), headers: headers,
                                                              json: ["status": ["value": .string(value ?? type), "type": .string(type)]])
        #expect(response.status == 200, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json?["status"]?["type"]?.stringValue == type, sourceLocation: sourceLocation)
        return response.json ?? .null
    }

    /// `POST /messages`: a public answer from the provider on an item.
    func answer(_ projectID: Int64, _ iid: Int64, _ content: String) async throws {
        let response = try await TestHTTP.sendAwaitingOutcome("POST", base + "/messages", headers: headers, json: [
            "project_id": .int(projectID), "project_item_id": .int(iid), "content": .string(content), "scope": "public",
            "author": ["email": "helpdesk@provider.example.org", "name": "Provider helpdesk", "role": "provider"],
        ])
        #expect(response.status == 201, "\(response.text)")
        if let id = response.json?["id"]?.intValue { state.withLock { _ = $0.posted.insert(id) } }
    }

    /// `GET /projects/{id}`: whether this OMS sees the project, and its items' iids.
    func projectItems(_ projectID: Int64) async throws -> [JSONValue] {
        let response = try await TestHTTP.send("GET", base + "/projects/\(projectID)/project_items", headers: headers)
        #expect(response.status == 200, "\(response.text)")
        return response.json?["project_items"]?.arrayValue ?? []
    }
}
