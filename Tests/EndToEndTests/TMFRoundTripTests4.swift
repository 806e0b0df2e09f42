import Foundation
import HTTPCore
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The TMF622 hub end to end: at-least-once callbacks with the notifier's retries,
    /// unregistering, and who hears about which orders.
    @Suite("TMF622 hub listeners end to end", .serialized)
    struct TMFRoundTripHubTests {
        static func stateChange(_ state: String) -> String { "ProductOrderStateChangeEvent \(state) [state]" }

        @Test("a listener answering 500 twice gets the event on the third attempt, one delivery id; once unregistered it hears nothing")
        func retriesAndUnregister() async throws {
            let flaky = try ScriptedReceiver(script: [.init(500), .init(500)], then: .init(204))
            let steady = try TriggerReceiver()
            try await TMFFlow.run { w in
                let flakyID = try await w.listen(w.customer, callback: flaky.url)
                _ = try await w.listen(w.customer, callback: steady.url)
                let id = try #require(try await w.placeOrder(w.orderBody("Flaky listener"))["id"]?.stringValue)

                // The create event: two 500s, then delivered, every attempt the same delivery and event.
                #expect(try await TestHTTP.eventually { flaky.received.count >= 3 })
                let attempts = flaky.received
                #expect(attempts.count == 3)
                #expect(Set(attempts.compactMap { $0.request.header("X-OMS-Delivery-Id") }).count == 1)
                #expect(Set(attempts.map(\.request.body)).count == 1, "the same event document on every attempt")
                if attempts.count == 3 {
                    // OMS_RETRY_DELAYS of the test system: 200 ms, then 500 ms.
                    #expect(attempts[1].at - attempts[0].at >= .milliseconds(180), "\(attempts[1].at - attempts[0].at)")
                    #expect(attempts[2].at - attempts[1].at >= .milliseconds(450), "\(attempts[2].at - attempts[1].at)")
                }
                var logged: [(status: String, attempts: Int64)] = []
                #expect(try await TestHTTP.eventually {
                    logged = try await w.demo.withDatabase { conn in
                        try await conn.query("""
                            SELECT status, attempts FROM deliveries WHERE kind = 'callback' AND target = \(flaky.url)
                            """).map { (try $0.string("status"), try $0.int("attempts")) }
                    }
                    return logged.first?.status == "delivered"
                }, "\(logged)")
                #expect(logged.count == 1 && logged.first?.attempts == 3, "\(logged)")
                try await Heard.expect(["ProductOrderCreateEvent acknowledged"], from: steady.requests)

                // Later events reach it at once.
                let (project, iid) = try #require(try await w.oms.newItems().first)
                try await w.oms.setStatus(project, iid, "in_progress")
                let expected = ["ProductOrderCreateEvent acknowledged", Self.stateChange("inProgress")]
                try await Heard.expect(expected, from: flaky.requests)
                try await Heard.expect(expected, from: steady.requests)
                #expect(flaky.received.count == 4)

                // Only its owner removes it.
                let stranger = try await w.newUser("stranger")
                #expect(try await TestHTTP.send("DELETE", w.tmf + "/hub/" + flakyID, headers: stranger).status == 404)
                #expect(try await TestHTTP.send("DELETE", w.tmf + "/hub/" + flakyID, headers: w.customer).status == 204)
                #expect(try await TestHTTP.send("DELETE", w.tmf + "/hub/" + flakyID, headers: w.customer).status == 404)

                // The order completes: the remaining listener hears it, the removed one nothing.
                try await w.oms.setStatus(project, iid, "ready")
                try await Heard.expect(expected + [Self.stateChange("completed")], from: steady.requests)
                #expect(flaky.received.count == 4)
                Heard(steady.requests).checkEnvelopes(orderIDs: [id])
            }
            await flaky.stop()
            await steady.stop()
        }

        @Test("a provider's data administrator hears about orders of its offers only; the operator about all; another customer about none")
        func providerVisibility() async throws {
            let demoProvider = try TriggerReceiver(), otherProvider = try TriggerReceiver()
            let operatorListener = try TriggerReceiver(), otherCustomer = try TriggerReceiver()
            try await TMFFlow.run { w in
                // A second provider with an offer of its own (handled by the default OMS) and its administrator.
                let otherAdmin = try await w.newUser("other-provider-admin", roles: ["data_administrator"])
                let customer2 = try await w.newUser("other-customer")
                try await w.demo.withDatabase { conn in
                    let provider = try await conn.query("""
                        INSERT INTO providers (pid, name, contact_emails) VALUES ('other-provider', 'Other Provider', '{other@example.org}')
                        RETURNING id
                        """)[0].int("id")
                    let service = try await conn.query("""
                        INSERT INTO services (slug, pid, name, provider_id, order_type, categories, status, offer_seq)
                        VALUES ('other-storage', 'other.storage', 'Other storage', \(provider), 'order_required', '{Storage}', 'published', 1)
                        RETURNING id
                        """)[0].int("id")
                    try await conn.query("""
                        INSERT INTO offers (service_id, iid, name, order_type, internal, parameters, status)
                        VALUES (\(service), 1, 'Bucket', 'order_required', true, '[]'::jsonb, 'published')
                        """)
                    try await conn.query("""
                        INSERT INTO provider_administrators (provider_id, user_id)
                        SELECT \(provider), id FROM users WHERE uid = 'other-provider-admin'
                        """)
                }
                _ = try await w.listen(w.provider, callback: demoProvider.url)
                _ = try await w.listen(otherAdmin, callback: otherProvider.url)
                _ = try await w.listen(w.operatorHeaders, callback: operatorListener.url)
                _ = try await w.listen(customer2, callback: otherCustomer.url)

                let demoItem: JSONValue = ["id": "vm", "action": "add",
                                           "productOffering": ["id": .string("\(w.demo.seed.resourceID)/\(w.demo.seed.offerID)")],
                                           "product": ["productCharacteristic": [["name": "cpu", "value": 1], ["name": "flavour", "value": "large"]]]]
                let otherItem: JSONValue = ["id": "bucket", "action": "add", "productOffering": ["id": "other-storage/1"]]
                func order(_ items: [JSONValue], headers: [String: String]? = nil) async throws -> String {
                    try #require(try await w.placeOrder(["description": "Visibility", "productOrderItem": .array(items)],
                                                        headers: headers)["id"]?.stringValue)
                }
                let demoOrder = try await order([demoItem])
                let otherOrder = try await order([otherItem])
                let mixed = try await order([demoItem, otherItem])
                // Last, the other customer's own order: once the operator heard it, every earlier callback went out.
                let own = try await order([otherItem], headers: customer2)

                func heardOrders(_ receiver: TriggerReceiver, count: Int) async throws -> [String] {
                    let heard = try await Heard.waiting(for: count, from: receiver.requests)
                    #expect(heard.lines.allSatisfy { $0 == "ProductOrderCreateEvent acknowledged" }, "\(heard.lines)")
                    return heard.events.map { $0["event"]?["productOrder"]?["id"]?.stringValue ?? "" }
                }
                #expect(try await heardOrders(operatorListener, count: 4) == [demoOrder, otherOrder, mixed, own])
                #expect(try await heardOrders(demoProvider, count: 2) == [demoOrder, mixed])
                #expect(try await heardOrders(otherProvider, count: 3) == [otherOrder, mixed, own])
                #expect(try await heardOrders(otherCustomer, count: 1) == [own])

                // GET agrees with what each heard.
                func visible(_ headers: [String: String]) async throws -> Set<String> {
                    let list = try await TestHTTP.send("GET", w.tmf + "/productOrder?fields=id", headers: headers)
                    #expect(list.status == 200, "\(list.text)")
                    return Set((list.json?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
                }
                #expect(try await visible(w.provider) == [demoOrder, mixed])
                #expect(try await visible(otherAdmin) == [otherOrder, mixed, own])
                #expect(try await visible(customer2) == [own])
                #expect(try await TestHTTP.send("GET", w.tmf + "/productOrder/" + otherOrder, headers: w.provider).status == 404)
                #expect(try await TestHTTP.send("GET", w.tmf + "/productOrder/" + demoOrder, headers: otherAdmin).status == 404)
                // Reading is not changing: a provider does not cancel the customer's order.
                #expect(try await w.cancel(mixed, headers: w.provider).status == 403)

                // The demo OMS handles its item of the mixed order only, and the other items never reach it.
                let found = try await w.oms.newItems(count: 2)
                #expect(found.count == 2, "the demo order's item and the mixed order's")
                if let (project, _) = found.last {
                    let items = try await w.oms.projectItems(project)
                    #expect(items.count == 1 && items.first?["attributes"]?["service"] == "Demo Compute", "\(items)")
                }
            }
            for receiver in [demoProvider, otherProvider, operatorListener, otherCustomer] { await receiver.stop() }
        }
    }
}
