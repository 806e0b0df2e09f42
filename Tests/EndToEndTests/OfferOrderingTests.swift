import HTTPCore
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The Offering API and the ordering path together, through every service: an OMS registered
    /// by its provider, an offer created for it by API, ordered by a user, delivered to that OMS.
    @Suite("Offers created by API are ordered end to end", .serialized)
    struct OfferOrderingTests {
        @Test("an API-created offer is orderable at once, reaches its primary OMS with its oms_params, and follows edits and deletion")
        func orderAPIOffer() async throws {
            let desk = try TriggerReceiver()
            let demoTrigger = try TriggerReceiver()
            try await OfferingWorld.run(services: SystemUnderTest.serviceNames, triggerURL: demoTrigger.url) { w in
                // The provider registers its OMS, then an offer handled by it.
                let registered = try await w.send("POST", "/oms", w.admin, [
                    "name": "Helpdesk OMS", "type": "provider_group", "custom_params": ["queue": ["mandatory": true, "default": "main"]],
                    "trigger": ["url": .string(desk.url), "method": "put", "authorization": ["user": "mp", "password": "pw"]]])
                #expect(registered.status == 201, "\(registered.text)")
                let omsID = try #require(registered.json?["oms"]?["id"]?.intValue)
                let omsHeaders = ["X-User-Token": try #require(registered.json?["token"]?.stringValue)]
                let offer = try await w.send("POST", "/resources/demo-compute/offers", w.admin, [
                    "name": "GPU node", "description": "A GPU node", "order_type": "order_required",
                    "offer_category": "service_category-compute", "internal": true, "primary_oms_id": .int(omsID),
                    "oms_params": ["queue": "gpu"],
                    "parameters": [["id": "gpus", "label": "GPUs", "type": "range", "value_type": "integer",
                                    "config": ["minimum": 1, "maximum": 4]]]])
                #expect(offer.status == 201, "\(offer.text)")
                let offerID = try #require(offer.json?["id"]?.intValue)

                // The researcher orders it through the user API.
                let projectID = try await w.demo.createProject("GPU project")
                func order(_ gpus: Int64) async throws -> TestHTTP.Response {
                    try await w.demo.order(projectID, ["resource_id": "demo-compute", "offer_id": .int(offerID),
                                                       "parameters": ["gpus": .int(gpus)]])
                }
                let ordered = try await order(2)
                #expect(ordered.status == 201, "\(ordered.text)")
                let iid = try #require(ordered.json?["id"]?.intValue)
                #expect(ordered.json?["status"]?["type"] == "created" && ordered.json?["oms_params"] == ["queue": "gpu"], "\(ordered.text)")

                // It reaches its primary OMS: the trigger with the configured method and Basic auth,
                // and the item through the Ordering API with the OMS's own token.
                #expect(try await TestHTTP.eventually { desk.requests.contains { $0.method == "PUT" } }, "\(desk.requests.map(\.method))")
                #expect(desk.requests.first?.header("Authorization") == "Basic bXA6cHc=")
                let item = try await w.send("GET", "/oms/\(omsID)/projects/\(projectID)/project_items/\(iid)", omsHeaders)
                #expect(item.status == 200 && item.json?["oms_params"] == ["queue": "gpu"], "\(item.text)")
                #expect(item.json?["attributes"]?["offer"] == "GPU node")
                // The demo provider's other OMS does not handle it.
                let elsewhere = try await w.send("GET", "/oms/\(w.demo.seed.omsID)/projects/\(projectID)/project_items/\(iid)", w.admin)
                #expect(elsewhere.status == 404, "\(elsewhere.text)")

                // An edit applies to the very next order (the gateway's offer cache is refreshed).
                #expect(try await order(8).status == 400)
                let widened = try await w.send("PATCH", "/resources/demo-compute/offers/\(offerID)", w.admin, [
                    "parameters": [["id": "gpus", "label": "GPUs", "type": "range", "value_type": "integer",
                                    "config": ["minimum": 1, "maximum": 16]]]])
                #expect(widened.status == 200, "\(widened.text)")
                let bigger = try await order(8)
                #expect(bigger.status == 201, "\(bigger.text)")

                // Deleting an ordered offer keeps it for its items (status deleted); new orders are refused at once.
                let deleted = try await w.send("DELETE", "/resources/demo-compute/offers/\(offerID)", w.admin)
                #expect(deleted.status == 200 && deleted.body.isEmpty, "\(deleted.text)")
                #expect(try await w.demo.count("""
                    SELECT count(*) AS n FROM offers WHERE service_id = \(w.computeID) AND iid = \(offerID) AND status = 'deleted'
                    """) == 1)
                let refused = try await order(2)
                #expect(refused.status == 404 && refused.json == errorBody("Offer not found"), "\(refused.text)")
                let kept = try await w.send("GET", "/projects/\(projectID)/project_items/\(iid)", w.user)
                #expect(kept.status == 200 && kept.json?["attributes"]?["offer"] == "GPU node", "\(kept.text)")
                let gone = try await w.send("GET", "/resources/demo-compute/offers/\(offerID)", w.admin)
                #expect(gone.status == 404, "\(gone.text)")
            }
            await desk.stop()
            await demoTrigger.stop()
        }
    }
}
