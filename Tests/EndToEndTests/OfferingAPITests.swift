import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The EOSC Offering API for data administrators: resources, offers, the marketplace's order
    /// of checks, its output rules and every model rule of an offer write.
    @Suite("Offering API end to end", .serialized)
    struct OfferingAPITests {
        static let signIn: JSONValue = errorBody("You need to sign in or sign up before continuing.")
        static let forbidden: JSONValue = errorBody("You are not authorized to perform this action.")
        static let resourceNotFound: JSONValue = errorBody("Resource not found")
        static let offerNotFound: JSONValue = errorBody("Offer not found")

        @Test("resources: the caller's own by id, found by slug, id or PID, with the OMSes each may use; 401, 404, 403")
        func resources() async throws {
            try await OfferingWorld.run { w in
                let seed = w.demo.seed
                let list = try await w.send("GET", "/resources", w.admin)
                #expect(list.status == 200, "\(list.text)")
                let resources = try #require(list.json?["resources"]?.arrayValue, "\(list.text)")
                #expect(resources.map { $0["id"] } == ["demo-compute", "demo-storage"])
                let compute = resources[0]
                #expect(compute["name"] == "Demo Compute" && compute["eid"] == "demo-provider.demo-compute", "\(compute)")
                #expect(compute["status"] == "published" && compute["description"]?.stringValue?.isEmpty == false)
                #expect(Set(compute.objectValue?.keys.map { $0 } ?? []) == ["id", "eid", "name", "description", "status", "available_omses"])
                // Default first, then by id: the provider's group OMS, the global one, the one dedicated to it.
                let computeOMSes = try #require(compute["available_omses"]?.arrayValue)
                #expect(computeOMSes.map { $0["id"]?.intValue } == [seed.defaultOMSID, seed.omsID, w.globalOMS, w.computeOMS])
                // custom_params reduced to {mandatory}: the global OMS's default stays hidden; none when empty.
                #expect(computeOMSes[0] == ["id": .int(seed.defaultOMSID), "name": "SOMBO", "type": "global",
                                            "custom_params": ["order_target": ["mandatory": false]]])
                #expect(computeOMSes[1] == ["id": .int(seed.omsID), "name": "Demo Provider OMS", "type": "provider_group"])
                #expect(computeOMSes[2]["custom_params"] == ["ticket_queue": ["mandatory": true]])
                #expect(computeOMSes[3]["type"] == "resource_dedicated" && computeOMSes[3]["custom_params"] == ["region": ["mandatory": false]])
                #expect(resources[1]["available_omses"]?.arrayValue?.map { $0["id"]?.intValue }
                        == [seed.defaultOMSID, seed.omsID, w.globalOMS, w.storageOMS])

                let theirs = try await w.send("GET", "/resources", w.stranger)
                #expect(theirs.json?["resources"]?.arrayValue?.map { $0["id"] } == ["other-svc"], "\(theirs.text)")
                let theirOMSes = theirs.json?["resources"]?.arrayValue?.first?["available_omses"]?.arrayValue?.map { $0["id"]?.intValue }
                #expect(theirOMSes == [seed.defaultOMSID, w.globalOMS, w.otherProviderOMS])
                let nobody = try await w.send("GET", "/resources", w.user)
                #expect(nobody.status == 200 && nobody.json == ["resources": []], "\(nobody.text)")

                // Show: by slug, numeric id or PID, all the same resource.
                for id in ["demo-compute", String(w.computeID), "demo-provider.demo-compute"] {
                    let shown = try await w.send("GET", "/resources/\(id)", w.admin)
                    #expect(shown.status == 200 && shown.json == compute, "\(id): \(shown.text)")
                }
                // 401 before 404, 404 before 403.
                let checks: [(String, [String: String], Int, JSONValue)] = [
                    ("/resources/no-such", [:], 401, Self.signIn), ("/resources/no-such", w.admin, 404, Self.resourceNotFound),
                    ("/resources/999999", w.admin, 404, Self.resourceNotFound), ("/resources/other-svc", w.admin, 403, Self.forbidden),
                    ("/resources/demo-compute", w.stranger, 403, Self.forbidden), ("/resources/demo-compute", w.user, 403, Self.forbidden),
                ]
                for (path, headers, status, body) in checks {
                    let r = try await w.send("GET", path, headers)
                    #expect(r.status == status && r.json == body, "\(path) \(headers): \(r.status) \(r.text)")
                }
                // A deleted resource is gone from the list and not found.
                try await w.demo.withDatabase { conn in _ = try await conn.query("UPDATE services SET status = 'deleted' WHERE slug = 'demo-storage'") }
                #expect(try await w.send("GET", "/resources", w.admin).json?["resources"]?.arrayValue?.map { $0["id"] } == ["demo-compute"])
                let deleted = try await w.send("GET", "/resources/demo-storage", w.admin)
                #expect(deleted.status == 404 && deleted.json == Self.resourceNotFound, "\(deleted.text)")
            }
        }

        /// Every endpoint of the Offering, bundle, OMS self-service and token APIs.
        static let endpoints: [(String, String)] = [
            ("GET", "/resources"), ("GET", "/resources/demo-compute"), ("GET", "/resources/demo-compute/offers"),
            ("POST", "/resources/demo-compute/offers"), ("GET", "/resources/demo-compute/offers/1"),
            ("PATCH", "/resources/demo-compute/offers/1"), ("DELETE", "/resources/demo-compute/offers/1"),
            ("GET", "/resources/demo-compute/bundles"), ("POST", "/resources/demo-compute/bundles"),
            ("GET", "/resources/demo-compute/bundles/1"), ("PATCH", "/resources/demo-compute/bundles/1"),
            ("DELETE", "/resources/demo-compute/bundles/1"), ("POST", "/oms"), ("PATCH", "/oms/1"), ("POST", "/oms/1/token"),
            ("GET", "/tokens"), ("POST", "/tokens"), ("DELETE", "/tokens/1"), ("POST", "/tokens/1/regenerate"),
        ]

        @Test("every endpoint answers 401 with the marketplace's JSON body without a valid token, and changes nothing")
        func unauthenticated() async throws {
            try await OfferingWorld.run { w in
                for (method, path) in Self.endpoints {
                    for headers in [[:], ["X-User-Token": "not-a-token"], ["Authorization": "Bearer not-a-token"]] {
                        let body: JSONValue? = method == "GET" || method == "DELETE" ? nil : ["name": "x"]
                        let r = try await w.send(method, path, headers, body)
                        #expect(r.status == 401 && r.json == Self.signIn, "\(method) \(path) \(headers): \(r.status) \(r.text)")
                    }
                }
                #expect(try await w.demo.count("SELECT count(*) AS n FROM offers") == 1)
                #expect(try await w.demo.count("SELECT count(*) AS n FROM api_tokens WHERE revoked_at IS NOT NULL") == 0)
            }
        }

        @Test("offers: published ones by id with the output rules; foreign lists are empty; 401, 404, 403 in that order")
        func readOffers() async throws {
            try await OfferingWorld.run { w in
                let list = try await w.send("GET", "/resources/demo-compute/offers", w.admin)
                #expect(list.status == 200, "\(list.text)")
                let offers = try #require(list.json?["offers"]?.arrayValue)
                #expect(offers.count == 1)
                let demo = offers[0]
                #expect(demo["id"] == 1 && demo["name"] == "Small VM" && demo["order_type"] == "order_required")
                #expect(demo["internal"] == true && demo["primary_oms_id"]?.intValue == w.demo.seed.omsID, "\(demo)")
                #expect(demo["order_url"] == .null && demo["offer_category"] == "service_category-compute")
                #expect(demo["oms_params"] == nil && demo["bundled_offers"] == nil, "\(demo)")
                #expect(demo["parameters"]?.arrayValue?.map { $0["id"] } == ["cpu", "flavour"])
                for id in ["1", "demo-provider.demo-compute", String(w.computeID)] {
                    let shown = try await w.send("GET", "/resources/\(id)/offers/1", w.admin)
                    #expect(shown.status == 200 && shown.json == demo, "\(id): \(shown.text)")
                }

                // A resource the caller does not administer lists no offers (the marketplace's policy scope).
                let foreign = try await w.send("GET", "/resources/demo-compute/offers", w.stranger)
                #expect(foreign.status == 200 && foreign.json == ["offers": []], "\(foreign.text)")
                let checks: [(String, [String: String], Int, JSONValue)] = [
                    ("/resources/nope/offers", [:], 401, Self.signIn), ("/resources/nope/offers", w.admin, 404, Self.resourceNotFound),
                    ("/resources/nope/offers/1", w.admin, 404, Self.resourceNotFound),
                    ("/resources/demo-compute/offers/1", w.stranger, 403, Self.forbidden),
                    ("/resources/demo-compute/offers/99", w.stranger, 403, Self.forbidden),
                    ("/resources/demo-compute/offers/99", w.admin, 404, Self.offerNotFound),
                    ("/resources/demo-compute/offers/abc", w.admin, 404, Self.offerNotFound),
                    ("/resources/demo-compute/offers/0", w.admin, 404, Self.offerNotFound),
                ]
                for (path, headers, status, body) in checks {
                    let r = try await w.send("GET", path, headers)
                    #expect(r.status == status && r.json == body, "\(path): \(r.status) \(r.text)")
                }
                // Writes check the same way, before looking at the body.
                let garbage: JSONValue = ["name": 5]
                let writes: [(String, String, [String: String], Int, JSONValue)] = [
                    ("POST", "/resources/nope/offers", [:], 401, Self.signIn),
                    ("POST", "/resources/nope/offers", w.admin, 404, Self.resourceNotFound),
                    ("POST", "/resources/demo-compute/offers", w.stranger, 403, Self.forbidden),
                    ("POST", "/resources/demo-compute/offers", w.user, 403, Self.forbidden),
                    ("PATCH", "/resources/demo-compute/offers/1", [:], 401, Self.signIn),
                    ("PATCH", "/resources/nope/offers/1", w.admin, 404, Self.resourceNotFound),
                    ("PATCH", "/resources/demo-compute/offers/1", w.stranger, 403, Self.forbidden),
                    ("PATCH", "/resources/demo-compute/offers/7", w.admin, 404, Self.offerNotFound),
                    ("DELETE", "/resources/demo-compute/offers/1", [:], 401, Self.signIn),
                    ("DELETE", "/resources/nope/offers/1", w.admin, 404, Self.resourceNotFound),
                    ("DELETE", "/resources/demo-compute/offers/1", w.stranger, 403, Self.forbidden),
                    ("DELETE", "/resources/demo-compute/offers/7", w.admin, 404, Self.offerNotFound),
                ]
                for (method, path, headers, status, body) in writes {
                    let r = try await w.send(method, path, headers, method == "DELETE" ? nil : garbage)
                    #expect(r.status == status && r.json == body, "\(method) \(path): \(r.status) \(r.text)")
                }
                let badJSON = try await TestHTTP.send("POST", w.path("/resources/demo-compute/offers"),
                                                      headers: w.admin.merging(["Content-Type": "application/json"]) { $1 },
                                                      body: Data("{\"name\":".utf8))
                #expect(badJSON.status == 400, "\(badJSON.text)")
                // Nothing above changed the catalogue.
                #expect(try await w.demo.count("SELECT count(*) AS n FROM offers") == 1)
                #expect(try await w.send("GET", "/resources/demo-compute/offers/1", w.admin).json == demo)
            }
        }
    }
}
