import Foundation
import HTTPCore
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// Ordering through the user API beyond one orderable offer: a bundle becomes one item per
    /// offer, and offers not ordered through the system (open access) start `ready`, as in the
    /// marketplace.
    @Suite("Bundles and non-orderable offers end to end", .serialized)
    struct BundleOrderTests {
        /// Adds to the demo catalogue: `demo-storage/1` (open access), `demo-compute/2` (orderable,
        /// no parameters), `demo-compute/3` (draft), bundle `demo-compute` #1 = main `demo-compute/1`
        /// with `demo-storage/1` and `demo-compute/2`, and bundle #2 = #1 plus the draft offer.
        static func addCatalogue(_ demo: DemoSystem) async throws {
            try await demo.withDatabase { conn in
                try await conn.query("""
                    WITH p AS (SELECT provider_id FROM services WHERE slug = 'demo-compute'),
                    s AS (INSERT INTO services (slug, name, provider_id, order_type, offer_seq)
                          SELECT 'demo-storage', 'Demo Storage', provider_id, 'open_access', 1 FROM p RETURNING id)
                    INSERT INTO offers (service_id, iid, name, order_type, internal)
                    SELECT id, 1, 'Open bucket', 'open_access', false FROM s
                    """)
                try await conn.query("""
                    INSERT INTO offers (service_id, iid, name, order_type, internal, primary_oms_id, status)
                    SELECT s.id, n, 'Extra ' || n, 'order_required', true, o.primary_oms_id,
                           CASE WHEN n = 3 THEN 'draft' ELSE 'published' END
                    FROM services s, offers o, generate_series(2, 3) n
                    WHERE s.slug = 'demo-compute' AND o.service_id = s.id AND o.iid = 1
                    """)
                try await conn.query("""
                    INSERT INTO bundles (service_id, iid, name, main_offer_id)
                    SELECT s.id, n, 'Bundle ' || n, o.id FROM services s JOIN offers o ON o.service_id = s.id AND o.iid = 1,
                           generate_series(1, 2) n WHERE s.slug = 'demo-compute'
                    """)
                try await conn.query("""
                    INSERT INTO bundle_offers (bundle_id, offer_id, position)
                    SELECT b.id, o.id, row_number() OVER (PARTITION BY b.id ORDER BY s.slug DESC, o.iid)
                    FROM bundles b, offers o JOIN services s ON s.id = o.service_id
                    WHERE (s.slug = 'demo-storage' AND o.iid = 1) OR (s.slug = 'demo-compute' AND o.iid = 2)
                       OR (b.iid = 2 AND s.slug = 'demo-compute' AND o.iid = 3)
                    """)
            }
        }

        static let mainValues: JSONValue = ["demo-compute/1": ["cpu": 2, "flavour": "small"]]

        @Test("a bundle becomes one item per offer: main first, bundled items linked to it, open access ready")
        func bundleOrder() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                try await Self.addCatalogue(demo)
                let projectID = try await demo.createProject()
                let response = try await demo.order(projectID, [
                    "resource_id": "demo-compute", "bundle_id": 1, "parameters": Self.mainValues])
                #expect(response.status == 201, "\(response.text)")
                let items = try #require(response.json?["project_items"]?.arrayValue, "\(response.text)")
                #expect(items.map { $0["id"]?.intValue } == [1, 2, 3])
                #expect(items.map { $0["attributes"]?["offer"]?.stringValue } == ["Small VM", "Extra 2", "Open bucket"]
                        || items.map { $0["attributes"]?["offer"]?.stringValue } == ["Small VM", "Open bucket", "Extra 2"])
                for item in items {
                    let offer = item["attributes"]?["offer"]?.stringValue
                    let expected = offer == "Open bucket" ? "ready" : "created"
                    #expect(item["status"]?["type"]?.stringValue == expected, "\(item)")
                    #expect(item["status"]?["value"]?.stringValue == expected, "\(item)")
                }
                #expect(items[0]["attributes"]?["offer_properties"]?.arrayValue?.count == 2)

                // One order; the bundled items point at the main item; the open-access item has
                // no response deadline and belongs to the default OMS.
                let rows = try await demo.withDatabase { conn in
                    try await conn.query("""
                        SELECT i.iid, i.parent_item_id = m.id AS linked, i.bundle_id IS NOT NULL AS bundled,
                               i.order_id = m.order_id AS same_order, i.response_deadline IS NULL AS no_deadline,
                               i.oms_id, i.status_type
                        FROM project_items i JOIN project_items m ON m.project_id = i.project_id AND m.iid = 1
                        WHERE i.project_id = \(projectID) ORDER BY i.iid
                        """).map { row in
                        (try row.int("iid"), try row.optionalBool("linked"), try row.bool("bundled"),
                         try row.bool("same_order"), try row.bool("no_deadline"), try row.int("oms_id"),
                         try row.string("status_type"))
                    }
                }
                #expect(rows.count == 3)
                for (iid, linked, bundled, sameOrder, noDeadline, omsID, statusType) in rows {
                    #expect(bundled && sameOrder)
                    #expect(linked == (iid == 1 ? nil : true), "item \(iid)")
                    #expect(noDeadline == (statusType == "ready"), "item \(iid)")
                    #expect(omsID == (statusType == "ready" ? demo.seed.defaultOMSID : demo.seed.omsID), "item \(iid)")
                }
            }
            await receiver.stop()
        }

        @Test("bad bundle orders are refused, naming the field, and create nothing")
        func refusals() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                try await Self.addCatalogue(demo)
                let projectID = try await demo.createProject()
                let cases: [(String, JSONValue, Int, String)] = [
                    ("a bad value of the main offer", ["resource_id": "demo-compute", "bundle_id": 1,
                     "parameters": ["demo-compute/1": ["cpu": 99, "flavour": "small"]]], 400, "parameters.demo-compute/1.cpu"),
                    ("missing values of the main offer", ["resource_id": "demo-compute", "bundle_id": 1], 400,
                     "parameters.demo-compute/1.cpu"),
                    ("values for an offer outside the bundle", ["resource_id": "demo-compute", "bundle_id": 1,
                     "parameters": ["demo-compute/1": ["cpu": 2, "flavour": "small"], "other/9": [:]]], 400, "parameters.other/9"),
                    ("values not keyed by offer", ["resource_id": "demo-compute", "bundle_id": 1, "parameters": [1, 2]], 400,
                     "parameters"),
                    ("an offer and a bundle at once", ["resource_id": "demo-compute", "bundle_id": 1, "offer_id": 1,
                     "parameters": Self.mainValues], 400, "bundle_id"),
                    ("a bundle id that is not a number", ["resource_id": "demo-compute", "bundle_id": "x"], 400, "bundle_id"),
                    ("an unknown bundle", ["resource_id": "demo-compute", "bundle_id": 9, "parameters": Self.mainValues],
                     404, ""),
                    ("a bundle of another resource", ["resource_id": "demo-storage", "bundle_id": 1,
                     "parameters": Self.mainValues], 404, ""),
                    ("a bundle with an unpublished offer", ["resource_id": "demo-compute", "bundle_id": 2,
                     "parameters": Self.mainValues], 409, ""),
                ]
                for (label, body, status, field) in cases {
                    let response = try await demo.order(projectID, body)
                    #expect(response.status == status, "\(label): \(response.status) \(response.text)")
                    if field.isEmpty {
                        #expect(response.json?["error"]?.stringValue?.isEmpty == false, "\(label): \(response.text)")
                    } else {
                        #expect(response.json?["error"]?[field] != nil, "\(label): \(response.text)")
                    }
                }
                #expect(try await demo.count("SELECT count(*) AS n FROM project_items") == 0)
                #expect(try await demo.count("SELECT count(*) AS n FROM orders") == 0)
            }
            await receiver.stop()
        }

        @Test("an open-access offer ordered alone is ready at once, for the default OMS, with no trigger to the provider")
        func openAccess() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                try await Self.addCatalogue(demo)
                let projectID = try await demo.createProject()
                let response = try await demo.order(projectID, ["resource_id": "demo-storage", "offer_id": 1])
                #expect(response.status == 201, "\(response.text)")
                #expect(response.json?["status"] == ["value": "ready", "type": "ready"])
                #expect(response.json?["attributes"]?["order_type"]?.stringValue == "open_access")
                #expect(response.json?["attributes"]?["service_id"]?.stringValue == "demo-storage")
                #expect(response.json?["attributes"]?["offer_id"]?.intValue == 1)
                // The provider OMS cannot see it; the default OMS can.
                let provider = try await TestHTTP.send("GET", demo.omsItemPath(projectID, 1), headers: demo.oms)
                #expect(provider.status == 404, "\(provider.text)")
                // An orderable order afterwards does reach the provider's trigger: the open-access
                // one sent none before it.
                let orderable = try await demo.order(projectID)
                #expect(orderable.status == 201, "\(orderable.text)")
                #expect(try await TestHTTP.eventually { !receiver.requests.isEmpty })
                let items = try await demo.triggeredItems(deliveryIDs: receiver.requests.compactMap { $0.header("X-OMS-Delivery-Id") })
                let ids = try await demo.withDatabase { conn in
                    try await conn.query("SELECT id FROM project_items WHERE project_id = \(projectID) ORDER BY iid").map { try $0.int("id") }
                }
                #expect(items == [ids[1]])
            }
            await receiver.stop()
        }

        @Test("voucher rules: only a voucherable offer grants one, and a voucherable offer needs a request or a voucher id")
        func vouchers() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                try await Self.addCatalogue(demo)
                _ = try await demo.withDatabase { conn in
                    try await conn.query("UPDATE offers SET voucherable = (iid = 1) WHERE service_id = (SELECT id FROM services WHERE slug = 'demo-compute')")
                }
                let projectID = try await demo.createProject()
                func body(_ offer: Int64, _ extra: [String: JSONValue]) -> JSONValue {
                    var o: [String: JSONValue] = ["resource_id": "demo-compute", "offer_id": .int(offer)]
                    if offer == 1 { o["parameters"] = ["cpu": 2, "flavour": "small"] }
                    return .object(o.merging(extra) { $1 })
                }
                let refused: [(JSONValue, String)] = [
                    (body(2, ["request_voucher": true]), "request_voucher"),
                    (body(1, [:]), "voucher_id"),
                    (body(1, ["request_voucher": false, "voucher_id": " "]), "voucher_id"),
                    (["resource_id": "demo-compute", "bundle_id": 1, "parameters": Self.mainValues], "voucher_id"),
                ]
                for (request, field) in refused {
                    let response = try await demo.order(projectID, request)
                    #expect(response.status == 400 && response.json?["error"]?[field] != nil, "\(request): \(response.text)")
                }
                #expect(try await demo.count("SELECT count(*) AS n FROM project_items") == 0)

                let requested = try await demo.order(projectID, body(1, ["request_voucher": true]))
                #expect(requested.status == 201, "\(requested.text)")
                #expect(requested.json?["attributes"]?["request_voucher"] == .bool(true))
                #expect(requested.json?["attributes"]?["supplied_voucher_id"] == nil)
                let supplied = try await demo.order(projectID, body(1, ["voucher_id": "V-1"]))
                #expect(supplied.status == 201, "\(supplied.text)")
                #expect(supplied.json?["attributes"]?["request_voucher"] == .bool(false))
                #expect(supplied.json?["attributes"]?["supplied_voucher_id"]?.stringValue == "V-1")
                let plain = try await demo.order(projectID, body(2, [:]))
                #expect(plain.status == 201, "\(plain.text)")
            }
            await receiver.stop()
        }
    }
}
