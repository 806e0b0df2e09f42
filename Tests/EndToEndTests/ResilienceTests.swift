import Foundation
import HTTPCore
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The services ride out infrastructure faults while running: the broker dropping every
    /// connection, PostgreSQL terminating every session, and the notifier crashing with deliveries
    /// in flight. Each fault hits only this test's own system.
    @Suite("Resilience to infrastructure faults end to end", .serialized)
    struct ResilienceTests {
        /// Orders one item per key (retrying each with its key until accepted), then checks that
        /// every order exists exactly once and that every item's trigger reached `receiver`.
        static func orderAndVerify(_ demo: DemoSystem, projectID: Int64, keys: [String],
                                   deliveryIDs: @escaping @Sendable () -> [String]) async throws {
            let before = try await demo.count("SELECT count(*) AS n FROM project_items WHERE project_id = \(projectID)")
            let expected = before + Int64(keys.count)
            for key in keys {
                let statuses = try await demo.orderUntilAccepted(projectID, key: key)
                #expect(statuses.last == 201 || statuses.last == 202, "\(key): \(statuses)")
                #expect(!statuses.contains(500), "\(key): a 500 during the outage: \(statuses)")
            }
            let all = try await TestHTTP.eventually(timeout: .seconds(20)) {
                try await demo.count("SELECT count(*) AS n FROM project_items WHERE project_id = \(projectID)") >= expected
            }
            #expect(all)
            #expect(try await demo.count("SELECT count(*) AS n FROM project_items WHERE project_id = \(projectID)") == expected)
            #expect(try await demo.count("SELECT count(*) AS n FROM orders WHERE project_id = \(projectID)") == expected)
            #expect(try await demo.count("SELECT count(DISTINCT request_id) AS n FROM orders WHERE project_id = \(projectID)") == expected)
            let items = Set(try await demo.withDatabase { conn in
                try await conn.query("SELECT id FROM project_items WHERE project_id = \(projectID)").map { try $0.int("id") }
            })
            var triggered = Set<Int64>()
            let allTriggered = try await TestHTTP.eventually(timeout: .seconds(20), every: .milliseconds(300)) {
                triggered = try await demo.triggeredItems(deliveryIDs: deliveryIDs())
                return items.isSubset(of: triggered)
            }
            #expect(allTriggered, "items never triggered: \(items.subtracting(triggered).sorted())")
        }

        @Test("after the broker closes every connection, the services reconnect, become ready, and orders flow to the trigger")
        func brokerConnectionsDropped() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let broker = demo.system.broker
                let projectID = try await demo.createProject()
                #expect(try await demo.order(projectID).status == 201)
                // Every service holds a connection to the broker (told apart by their client ports:
                // the services give no connection name the broker shows).
                let services = SystemUnderTest.serviceNames
                func connectedServices() async throws -> Set<String> {
                    let peers = Set(try await broker.connections().compactMap(\.peerPort))
                    return Set(services.filter { !demo.system.brokerClientPorts(of: $0).isDisjoint(with: peers) })
                }
                var connected = Set<String>()
                let allConnected = try await TestHTTP.eventually(timeout: .seconds(15), every: .milliseconds(250)) {
                    connected = try await connectedServices()
                    return connected.count == services.count
                }
                #expect(allConnected, "\(connected)")

                let closed = try await broker.closeAllConnections()
                #expect(closed.count >= services.count, "\(closed.map(\.name))")

                // An order right away: accepted (201, or 202 if the reply path is still down), then it exists.
                try await Self.orderAndVerify(demo, projectID: projectID, keys: ["after-drop-1", "after-drop-2"],
                                              deliveryIDs: { receiver.requests.compactMap { $0.header("X-OMS-Delivery-Id") } })

                // Every service is connected again and ready.
                let reconnected = try await TestHTTP.eventually(timeout: .seconds(15), every: .milliseconds(250)) {
                    connected = try await connectedServices()
                    return connected.count == services.count
                }
                #expect(reconnected, "\(connected)")
                #expect(try await TestHTTP.eventually(timeout: .seconds(15)) { await demo.allReady() })
                // oms-metrics consumes events again: it counts the orders placed after the drop.
                let counted = try await TestHTTP.eventually(timeout: .seconds(15)) {
                    let text = try await TestHTTP.send("GET", demo.system.url(of: "oms-metrics") + "/metrics").text
                    return Self.sum(of: "oms_orders_created_total", in: text) >= 3
                }
                #expect(counted)
            }
            await receiver.stop()
        }

        @Test("after PostgreSQL terminates every session of the services, orders still succeed and none is lost")
        func databaseConnectionsDropped() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                #expect(try await demo.order(projectID).status == 201)
                #expect(try await TestHTTP.eventually { receiver.requests.count >= 1 })

                let terminated = try await demo.system.terminateDatabaseConnections()
                // Each service has at least one session (its readiness check queries the database).
                #expect(terminated >= SystemUnderTest.serviceNames.count, "terminated \(terminated)")

                try await Self.orderAndVerify(demo, projectID: projectID, keys: (1...5).map { "after-terminate-\($0)" },
                                              deliveryIDs: { receiver.requests.compactMap { $0.header("X-OMS-Delivery-Id") } })
                #expect(try await TestHTTP.eventually(timeout: .seconds(15)) { await demo.allReady() })

                // A second cut, while the services are idle, is survived too.
                #expect(try await demo.system.terminateDatabaseConnections() >= 1)
                try await Self.orderAndVerify(demo, projectID: projectID, keys: (6...7).map { "after-terminate-\($0)" },
                                              deliveryIDs: { receiver.requests.compactMap { $0.header("X-OMS-Delivery-Id") } })
                // The OMS can read all of them (retrying a 503 as a client would: see
                // `gatewayReadsAfterSessionsTerminated` for why it may get one).
                var events = try await TestHTTP.send(
                    "GET", demo.api + "/api/v1/oms/\(demo.seed.omsID)/events?from_timestamp=2020-01-01T00:00:00Z&limit=100", headers: demo.oms)
                for _ in 0..<5 where events.status == 503 {
                    events = try await TestHTTP.send(
                        "GET", demo.api + "/api/v1/oms/\(demo.seed.omsID)/events?from_timestamp=2020-01-01T00:00:00Z&limit=100", headers: demo.oms)
                }
                let creates = events.json?["events"]?.arrayValue?.filter {
                    $0["resource"]?.stringValue == "project_item" && $0["type"]?.stringValue == "create"
                }
                #expect(events.status == 200 && creates?.count == 8, "\(events.text)")
            }
            await receiver.stop()
        }

        @Test("once PostgreSQL has terminated the gateway's idle sessions and is up again, requests are answered, not 503")
        func gatewayReadsAfterSessionsTerminated() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                // Open several pooled connections in the gateway with concurrent reads.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            let response = try await TestHTTP.send("GET", demo.api + "/api/v1/projects/\(projectID)", headers: demo.user)
                            #expect(response.status == 200)
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await demo.system.terminateDatabaseConnections() >= 1)
                // The database is up; nothing is wrong any more but the sessions the pool still holds.
                var statuses: [Int] = []
                for _ in 0..<8 {
                    statuses.append(try await TestHTTP.send("GET", demo.api + "/api/v1/projects/\(projectID)", headers: demo.user).status)
                }
                #expect(statuses.allSatisfy { $0 == 200 }, "statuses after the cut: \(statuses)")
            }
            await receiver.stop()
        }

        @Test("a notifier killed with SIGKILL while triggers are pending delivers every one after its restart")
        func notifierKilled() async throws {
            // A slow OMS and two delivery workers, so many triggers are queued or in flight at the kill.
            let receiver = try ScriptedReceiver(then: .init(204, after: .milliseconds(150)))
            try await DemoSystem.run(triggerURL: receiver.url, environment: ["OMS_NOTIFIER_CONCURRENCY": "2"]) { demo in
                let projectID = try await demo.createProject()
                let total = 20
                for n in 1...total {
                    let response = try await demo.order(projectID, key: "order-\(n)")
                    #expect(response.status == 201, "\(response.text)")
                }
                #expect(try await TestHTTP.eventually(timeout: .seconds(10), every: .milliseconds(20)) { receiver.requests.count >= 3 })
                let notifier = demo.system["oms-notifier"]
                notifier.signal(SIGKILL)
                #expect(await notifier.waitForExit(timeout: .seconds(5)) != nil)
                let deliveredAtKill = try await demo.count("""
                    SELECT count(*) AS n FROM deliveries WHERE kind = 'trigger' AND status = 'delivered'
                    """)
                #expect(deliveredAtKill < Int64(total), "the kill came too late to leave anything pending")

                try await Task.sleep(for: .milliseconds(300))
                try notifier.start()
                try await demo.system.waitReady("oms-notifier")

                let items = Set(try await demo.withDatabase { conn in
                    try await conn.query("SELECT id FROM project_items WHERE project_id = \(projectID)").map { try $0.int("id") }
                })
                #expect(items.count == total)
                var triggered = Set<Int64>()
                let allTriggered = try await TestHTTP.eventually(timeout: .seconds(30), every: .milliseconds(300)) {
                    triggered = try await demo.triggeredItems(deliveryIDs: receiver.requests.compactMap { $0.header("X-OMS-Delivery-Id") })
                    return items.isSubset(of: triggered)
                }
                #expect(allTriggered, "items never triggered: \(items.subtracting(triggered).sorted())")
                // And the delivery log agrees: every trigger ends delivered.
                #expect(try await TestHTTP.eventually(timeout: .seconds(10)) {
                    try await demo.count("SELECT count(*) AS n FROM deliveries WHERE kind = 'trigger' AND status = 'delivered'") == Int64(total)
                })
            }
            await receiver.stop()
        }

        /// The sum of every sample of `family` in a Prometheus text exposition.
        static func sum(of family: String, in text: String) -> Double {
            text.split(separator: "\n").filter { $0.hasPrefix(family + "{") || $0.hasPrefix(family + " ") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
    }
}
