import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// Offer writes through the Offering API: every model rule with the marketplace's messages,
    /// the OMS rules against available OMSes and custom params, per-resource ids, PATCH, DELETE.
    @Suite("Offering API writes end to end", .serialized)
    struct OfferWriteTests {
        typealias W = OfferingWorld

        /// (label, resource, body changes over a valid offer, expected `error` object). `nil`: a
        /// body `offer_write.json` refuses, whose message is the JSON schema's (only 400 is asserted).
        static func invalidCreates(_ w: OfferingWorld) -> [(String, String, [String: JSONValue], JSONValue?)] {
            let oms = w.demo.seed.omsID
            return [
                ("blank name", "demo-compute", ["name": "  "], ["name": ["can't be blank"]]),
                ("no description", "demo-compute", ["description": nil], nil),
                ("description not text", "demo-compute", ["description": 3], nil),
                ("no order type", "demo-compute", ["order_type": nil], nil),
                ("unknown order type", "demo-compute", ["order_type": "free"], nil),
                ("no category", "demo-compute", ["offer_category": nil], ["offer_category": ["must exist"]]),
                ("unknown category", "demo-compute", ["offer_category": "service_category-food"], nil),
                ("order_url not a URL", "demo-compute", ["order_url": "see our website"], ["order_url": ["is not a valid URL"]]),
                ("internal not boolean", "demo-compute", ["internal": "yes"], nil),
                ("primary OMS id not an integer", "demo-compute", ["internal": true, "primary_oms_id": "abc"], nil),
                ("oms_params not an object", "demo-compute", ["internal": true, "oms_params": ["a"]], nil),
                ("status is not writable", "demo-compute", ["status": "draft"], nil),
                ("primary OMS that does not exist", "demo-compute", ["internal": true, "primary_oms_id": 999_999],
                 ["primary_oms": ["doesn't exist"]]),
                ("another provider's OMS", "demo-compute", ["internal": true, "primary_oms_id": .int(w.otherProviderOMS)],
                 ["primary_oms": ["has to be available in the service scope"]]),
                ("an OMS dedicated to another resource", "demo-compute", ["internal": true, "primary_oms_id": .int(w.storageOMS)],
                 ["primary_oms": ["has to be available in the service scope"]]),
                ("mandatory custom param missing", "demo-compute", ["internal": true, "primary_oms_id": .int(w.globalOMS)],
                 ["oms_params": ["can't be blank"]]),
                ("mandatory custom param blank (stripped)", "demo-compute",
                 ["internal": true, "primary_oms_id": .int(w.globalOMS), "oms_params": ["ticket_queue": "  "]], ["oms_params": ["can't be blank"]]),
                ("a key the OMS does not define", "demo-compute",
                 ["internal": true, "primary_oms_id": .int(w.globalOMS), "oms_params": ["ticket_queue": "q", "x": "1"]],
                 ["oms_params": ["additional unspecified keys added"]]),
                ("a key the OMS does not define, no mandatory params", "demo-compute",
                 ["internal": true, "primary_oms_id": .int(w.computeOMS), "oms_params": ["zone": "a"]],
                 ["oms_params": ["additional unspecified keys added"]]),
                ("params for an OMS without custom params", "demo-compute",
                 ["internal": true, "primary_oms_id": .int(oms), "oms_params": ["a": "b"]],
                 ["oms_params": ["must be blank if primary OMS' custom params are blank"]]),
                ("params for the default OMS, which does not define them", "demo-compute",
                 ["internal": true, "oms_params": ["queue": "b"]], ["oms_params": ["additional unspecified keys added"]]),
                ("order type unlike the service's, no other offer has it", "demo-storage", ["order_type": "order_required"],
                 ["order_type": ["must be the same as in the service: open_access"]]),
                ("several problems at once", "demo-compute",
                 ["name": "", "order_url": "see our site", "offer_category": nil, "internal": true,
                  "primary_oms_id": .int(w.otherProviderOMS)],
                 ["name": ["can't be blank"], "order_url": ["is not a valid URL"], "offer_category": ["must exist"],
                  "primary_oms": ["has to be available in the service scope"]]),
                ("parameters not a list", "demo-compute", ["parameters": ["id": "x"]], nil),
                ("range bounds reversed", "demo-compute", ["parameters": [["id": "disk", "label": "Disk", "type": "range",
                    "value_type": "integer", "config": ["minimum": 100, "maximum": 10]]]],
                 ["parameters.disk": ["config.minimum: must not exceed config.maximum (100 > 10)"]]),
                ("two parameters with one id", "demo-compute", ["parameters": [
                    ["id": "a", "label": "A", "type": "date", "value_type": "string"],
                    ["id": "a", "label": "B", "type": "input", "value_type": "string"]]],
                 ["parameters.a": ["id: is used by more than one parameter"]]),
                ("select values not of the value type", "demo-compute", ["parameters": [["id": "s", "label": "S", "type": "select",
                    "value_type": "integer", "config": ["values": ["one", 2], "mode": "dropdown"]]]],
                 ["parameters.s": ["config.values[0]: must be an integer because value_type is integer (got string \"one\")"]]),
                ("multiselect asking for more than it offers", "demo-compute", ["parameters": [["id": "m", "label": "M",
                    "type": "multiselect", "value_type": "string", "config": ["values": ["a", "b"], "maxItems": 3]]]],
                 ["parameters.m": ["config.maxItems: must not exceed the number of values, 2 (got 3)"]]),
                ("negative price and no currency", "demo-compute", ["parameters": [["id": "q", "label": "Q", "type": "quantity_price",
                    "value_type": "integer", "config": ["start_price": -1, "step_price": 1, "currency": " "]]]],
                 ["parameters.q": ["config.start_price: must be 0 or more (got -1)", "config.currency: must not be empty"]]),
                ("integer constant that is not one", "demo-compute", ["parameters": [["id": "c", "label": "C", "type": "attribute",
                    "value_type": "integer", "value": "four"]]],
                 ["parameters.c": ["value: must be an integer because value_type is integer (got \"four\")"]]),
                ("unknown parameter type, no id", "demo-compute", ["parameters": [["label": "X", "type": "slider"]]], nil),
            ]
        }

        static func body(_ changes: [String: JSONValue]) -> JSONValue {
            var o = W.offerBody().objectValue!
            for (k, v) in changes { if v == .null { o[k] = nil } else { o[k] = v } }
            return .object(o)
        }

        @Test("POST offers: each model rule refuses with the marketplace's field error and creates nothing")
        func invalidCreates() async throws {
            try await OfferingWorld.run { w in
                for (label, resource, changes, expected) in Self.invalidCreates(w) {
                    let r = try await w.send("POST", "/resources/\(resource)/offers", w.admin, Self.body(changes))
                    #expect(r.status == 400, "\(label): \(r.status) \(r.text)")
                    if let expected {
                        #expect(r.json == ["error": expected], "\(label): \(r.text)")
                    } else {
                        #expect(r.json?["error"] != nil, "\(label): \(r.text)")
                    }
                }
                #expect(try await w.demo.count("SELECT count(*) AS n FROM offers") == 1)
                #expect(try await w.demo.count("SELECT offer_seq AS n FROM services WHERE slug = 'demo-compute'") == 1)
            }
        }

        @Test("POST offers: published, numbered per resource, OMS fields normalized and shown by the output rules")
        func creates() async throws {
            try await OfferingWorld.run { w in
                let seed = w.demo.seed
                func create(_ resource: String, _ changes: [String: JSONValue]) async throws -> JSONValue {
                    let r = try await w.send("POST", "/resources/\(resource)/offers", w.admin, Self.body(changes))
                    #expect(r.status == 201, "\(changes): \(r.text)")
                    return r.json ?? .null
                }
                // Internal with a dedicated OMS: blank params stripped, the rest kept; every parameter kind stored.
                let dedicated = try await create("demo-compute", ["internal": true, "primary_oms_id": .int(w.computeOMS),
                                                                  "oms_params": ["region": "eu-west", "unused": ""]])
                #expect(dedicated["id"] == 2 && dedicated["internal"] == true, "\(dedicated)")
                #expect(dedicated["primary_oms_id"]?.intValue == w.computeOMS && dedicated["oms_params"] == ["region": "eu-west"])
                #expect(dedicated["parameters"] == W.allParameterKinds, "\(dedicated)")
                #expect(dedicated["order_url"] == .null && dedicated["offer_category"] == "service_category-compute")
                // Internal without a primary OMS: the default OMS's id is shown; its custom params apply.
                let viaDefault = try await create("demo-compute", ["internal": true, "oms_params": ["order_target": "help@example.org"]])
                #expect(viaDefault["id"] == 3 && viaDefault["primary_oms_id"]?.intValue == seed.defaultOMSID, "\(viaDefault)")
                #expect(viaDefault["oms_params"] == ["order_target": "help@example.org"])
                // Not order_required: internal, primary OMS and params are dropped, and not shown.
                let open = try await create("demo-compute", ["order_type": "open_access", "internal": true,
                                                             "primary_oms_id": .int(w.otherProviderOMS), "oms_params": ["x": "y"],
                                                             "order_url": "https://example.org/access"])
                #expect(open["id"] == 4 && open["internal"] == nil && open["primary_oms_id"] == nil && open["oms_params"] == nil, "\(open)")
                #expect(open["order_url"] == "https://example.org/access")
                // order_required but external: internal false, no OMS fields.
                let external = try await create("demo-compute", ["internal": false, "primary_oms_id": .int(w.computeOMS)])
                #expect(external["internal"] == false && external["primary_oms_id"] == nil, "\(external)")
                // A global OMS with its mandatory param.
                let global = try await create("demo-compute", ["internal": true, "primary_oms_id": .int(w.globalOMS),
                                                               "oms_params": ["ticket_queue": "gpu"]])
                #expect(global["primary_oms_id"]?.intValue == w.globalOMS && global["oms_params"] == ["ticket_queue": "gpu"])
                // Another resource numbers its offers from 1; `id`, `bundled_offers` and unknown properties are ignored.
                let storage = try await create("demo-storage", ["order_type": "open_access", "id": 77, "bundled_offers": [],
                                                                "colour": "blue"])
                #expect(storage["id"] == 1, "\(storage)")

                let list = try await w.send("GET", "/resources/demo-compute/offers", w.admin)
                #expect(list.json?["offers"]?.arrayValue?.map { $0["id"] } == [1, 2, 3, 4, 5, 6], "\(list.text)")
                #expect(list.json?["offers"]?.arrayValue?[1] == dedicated)
                let stored = try await w.demo.withDatabase { conn in
                    try await conn.query("""
                        SELECT o.internal, o.primary_oms_id, o.oms_params::text AS p, o.status FROM offers o JOIN services s ON s.id = o.service_id
                        WHERE s.slug = 'demo-compute' AND o.iid = 4
                        """)[0]
                }
                #expect(try stored.bool("internal") == false && stored.optionalInt("primary_oms_id") == nil)
                #expect(try stored.string("p") == "{}" && stored.string("status") == "published")
            }
        }
    }
}
