import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

/// A running system with the demo catalogue (`omsctl seed-demo`), for the end-to-end suites:
/// the tokens, the paths, and the few requests every test makes.
struct DemoSystem: Sendable {
    let system: SystemUnderTest
    let seed: DemoSeed
    /// The test's own mail server, unless the test chose `OMS_SMTP_URL` itself.
    let mailbox: TestMailbox?

    var api: String { system.gatewayURL }
    /// The researcher's headers.
    var user: [String: String] { ["X-User-Token": seed.userToken] }
    /// The headers of the provider OMS's administrator.
    var oms: [String: String] { ["X-User-Token": seed.omsToken] }

    /// Migrates a fresh schema, seeds the demo catalogue with its OMS trigger at `triggerURL`,
    /// starts `services`, and runs `body`. Mail goes to a catcher of the test's own unless
    /// `environment` names an `OMS_SMTP_URL` (never to the shared default port).
    static func run(triggerURL: String, environment: [String: String] = [:],
                    services: [String] = SystemUnderTest.serviceNames,
                    _ body: (DemoSystem) async throws -> Void) async throws {
        var environment = environment
        var catcher: TestMailbox?
        if environment["OMS_SMTP_URL"] == nil {
            let smtp = try await TestMailbox()
            catcher = smtp
            environment["OMS_SMTP_URL"] = smtp.url
        }
        defer { catcher?.stop() }
        let mailbox = catcher
        try await SystemUnderTest.with(environment: environment) { system in
            _ = try await system.ctl(["migrate"])
            let seed = try DemoSeed(output: try await system.ctl([
                "seed-demo", "--trigger-url", triggerURL, "--provider-email", "provider@example.org",
                "--user-email", "researcher@example.org"]).output)
            try await system.start(services)
            try await body(DemoSystem(system: system, seed: seed, mailbox: mailbox))
        }
    }

    /// Creates a project of the researcher's (or of the caller with `headers`) and returns its id.
    func createProject(_ name: String = "E2E project", headers: [String: String]? = nil) async throws -> Int64 {
        let response = try await TestHTTP.sendAwaitingOutcome("POST", api + "/api/v1/projects", headers: headers ?? user,
                                                               json: ["name": .string(name)])
        #expect(response.status == 201 || response.status == 200, "\(response.text)")
        return try #require(response.json?["id"]?.intValue, "\(response.text)")
    }

    /// A valid order of the demo offer.
    func orderBody(cpu: Int64 = 2, flavour: String = "small") -> JSONValue {
        ["resource_id": .string(seed.resourceID), "offer_id": .int(seed.offerID),
         "parameters": ["cpu": .int(cpu), "flavour": .string(flavour)]]
    }

    /// `POST /api/v1/projects/{id}/project_items`.
    func order(_ projectID: Int64, _ body: JSONValue? = nil, key: String? = nil,
               headers: [String: String]? = nil) async throws -> TestHTTP.Response {
        var headers = headers ?? user
        if let key { headers["Idempotency-Key"] = key }
        return try await TestHTTP.send("POST", api + "/api/v1/projects/\(projectID)/project_items", headers: headers,
                                       json: body ?? orderBody())
    }

    /// Orders with the same `Idempotency-Key` until the gateway accepts (201 or 202), as a client
    /// facing an outage would. - Returns: every status seen, the accepting one last.
    func orderUntilAccepted(_ projectID: Int64, key: String, timeout: Duration = .seconds(30)) async throws -> [Int] {
        var statuses: [Int] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let response = try? await order(projectID, key: key) {
                statuses.append(response.status)
                if response.status == 201 || response.status == 202 { return statuses }
            } else {
                statuses.append(0)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return statuses
    }

    /// The provider OMS's path of an item.
    func omsItemPath(_ projectID: Int64, _ iid: Int64) -> String {
        api + "/api/v1/oms/\(seed.omsID)/projects/\(projectID)/project_items/\(iid)"
    }

    /// The events the provider OMS sees about item `iid` of the project, oldest first.
    func itemEvents(_ projectID: Int64, _ iid: Int64) async throws -> [JSONValue] {
        let response = try await TestHTTP.send(
            "GET", api + "/api/v1/oms/\(seed.omsID)/events?from_timestamp=2020-01-01T00:00:00Z&limit=1000", headers: oms)
        #expect(response.status == 200, "\(response.text)")
        return (response.json?["events"]?.arrayValue ?? []).filter {
            $0["resource"]?.stringValue == "project_item" && $0["project_id"]?.intValue == projectID
                && $0["project_item_id"]?.intValue == iid
        }
    }

    /// Runs `body` with a connection to the test's schema, closed afterwards.
    func withDatabase<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let conn = try await PostgresConnection.connect(system.database.configuration)
        do {
            let value = try await body(conn)
            await conn.close()
            return value
        } catch {
            await conn.close()
            throw error
        }
    }

    /// The single integer `n` a query returns.
    func count(_ query: PostgresQuery) async throws -> Int64 {
        try await withDatabase { try await $0.query(query)[0].int("n") }
    }

    /// The project items whose trigger reached the receiver: the delivery ids it saw, mapped
    /// to items through the delivery log (`deliveries.message->>'projectItemID'`).
    func triggeredItems(deliveryIDs: [String]) async throws -> Set<Int64> {
        let ids = deliveryIDs.compactMap(UUID.init(uuidString:))
        return try await withDatabase { conn in
            Set(try await conn.query("""
                SELECT DISTINCT (message->>'projectItemID')::int8 AS item FROM deliveries
                WHERE id = ANY(\(ids)::uuid[]) AND message->>'projectItemID' IS NOT NULL
                """).map { try $0.int("item") })
        }
    }

    /// `/readyz` of every service answers 200.
    func allReady() async -> Bool {
        for name in SystemUnderTest.serviceNames {
            guard (try? await TestHTTP.send("GET", system.url(of: name) + "/readyz"))?.status == 200 else { return false }
        }
        return true
    }

    /// Runs `omsctl` and parses each line of its output as JSON.
    func ctlJSON(_ arguments: [String]) async throws -> [JSONValue] {
        try await system.ctl(arguments).output.split(separator: "\n").map { try WireFormat.decode(JSONValue.self, from: String($0)) }
    }
}

/// The EOSC error body `{"error": <value>}`.
func errorBody(_ value: JSONValue) -> JSONValue { ["error": value] }
