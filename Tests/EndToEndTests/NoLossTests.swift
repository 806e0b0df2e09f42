import Foundation
import HTTPCore
import PostgresClient
import Synchronization
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// Nothing accepted is ever lost: every order the gateway accepted (201 or 202) exists exactly
    /// once after the processor is killed with SIGKILL mid-stream and started again, and the OMS
    /// trigger fired at least once for each.
    @Suite("No loss across a processor crash", .serialized)
    struct NoLossTests {
        @Test("kill -9 of oms-processor while orders are created loses none and duplicates none")
        func processorCrash() async throws {
            let smtp = try await SMTPCatcher()
            defer { smtp.stop() }
            let receiver = try TriggerReceiver()
            try await SystemUnderTest.with(environment: ["OMS_SMTP_URL": smtp.url, "OMS_REPLY_TIMEOUT": "300ms"]) { system in
                _ = try await system.ctl(["migrate"])
                let seed = try DemoSeed(output: try await system.ctl([
                    "seed-demo", "--trigger-url", receiver.url, "--provider-email", "provider@example.org",
                    "--user-email", "researcher@example.org"]).output)
                try await system.start()
                let api = system.gatewayURL
                let project = try await TestHTTP.sendAwaitingOutcome("POST", api + "/api/v1/projects",
                                                                     headers: ["X-User-Token": seed.userToken],
                                                                     json: ["name": "Crash test"])
                let projectID = try #require(project.json?["id"]?.intValue)

                let total = 150
                let accepted = Shared<[String: Int]>([:])  // Idempotency-Key -> first accepting status
                let crashAfter = 40
                let crashed = Shared(false)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // The crash: once enough orders are accepted, kill -9 the processor, then restart it.
                    group.addTask {
                        while accepted.withLock({ $0.count }) < crashAfter { try await Task.sleep(for: .milliseconds(5)) }
                        system["oms-processor"].signal(SIGKILL)
                        _ = await system["oms-processor"].waitForExit(timeout: .seconds(5))
                        crashed.withLock { $0 = true }
                        try await Task.sleep(for: .seconds(1))
                        try system["oms-processor"].start()
                        try await system.waitReady("oms-processor")
                    }
                    // Clients: each order is retried with the same Idempotency-Key until accepted.
                    let next = Shared(0)
                    for _ in 0..<6 {
                        group.addTask {
                            while true {
                                let n = next.withLock { v -> Int in v += 1; return v }
                                guard n <= total else { return }
                                let key = "order-\(n)"
                                for attempt in 0..<40 {
                                    let response = try? await TestHTTP.send(
                                        "POST", api + "/api/v1/projects/\(projectID)/project_items",
                                        headers: ["X-User-Token": seed.userToken, "Idempotency-Key": key],
                                        json: ["resource_id": .string(seed.resourceID), "offer_id": .int(seed.offerID),
                                               "parameters": ["cpu": .int(Int64(1 + n % 8)), "flavour": "small"]])
                                    if let status = response?.status, status == 201 || status == 202 {
                                        accepted.withLock { $0[key] = $0[key] ?? status }
                                        break
                                    }
                                    try await Task.sleep(for: .milliseconds(100 * Int64(min(attempt + 1, 10))))
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(crashed.withLock { $0 })
                let acceptedKeys = accepted.withLock { $0 }
                #expect(acceptedKeys.count == total)
                #expect(acceptedKeys.values.contains(202), "some orders should have been accepted while the processor was down")

                // Every accepted order exists exactly once.
                let conn = try await PostgresConnection.connect(system.database.configuration)
                let allThere = try await TestHTTP.eventually(timeout: .seconds(60)) {
                    try await conn.query("SELECT count(*) AS n FROM project_items WHERE project_id = \(projectID)")[0].int("n") >= Int64(total)
                }
                #expect(allThere)
                let counts = try await conn.query("""
                    SELECT (SELECT count(*) FROM orders WHERE project_id = \(projectID)) AS orders,
                           (SELECT count(DISTINCT request_id) FROM orders WHERE project_id = \(projectID)) AS requests,
                           (SELECT count(*) FROM project_items WHERE project_id = \(projectID)) AS items,
                           (SELECT count(DISTINCT iid) FROM project_items WHERE project_id = \(projectID)) AS iids
                    """)[0]
                #expect(try counts.int("orders") == Int64(total))
                #expect(try counts.int("requests") == Int64(total))
                #expect(try counts.int("items") == Int64(total))
                #expect(try counts.int("iids") == Int64(total))

                // The trigger fired at least once for every item: map the delivery ids the receiver got
                // to the items they were about.
                let itemIDs = Set(try await conn.query("SELECT id FROM project_items WHERE project_id = \(projectID)").map { try $0.int("id") })
                var triggered = Set<Int64>()
                let allTriggered = try await TestHTTP.eventually(timeout: .seconds(60), every: .milliseconds(500)) {
                    let ids = receiver.requests.compactMap { $0.header("X-OMS-Delivery-Id") }.compactMap(UUID.init(uuidString:))
                    triggered = Set(try await conn.query("""
                        SELECT DISTINCT (message->>'projectItemID')::int8 AS item FROM deliveries
                        WHERE id = ANY(\(ids)::uuid[]) AND message->>'projectItemID' IS NOT NULL
                        """).map { try $0.int("item") })
                    return itemIDs.isSubset(of: triggered)
                }
                #expect(allTriggered, "items never triggered: \(itemIDs.subtracting(triggered).sorted())")
            }
            await receiver.stop()
        }
    }
}

/// A value shared between test tasks.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
