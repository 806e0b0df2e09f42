import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// Changing a TMF622 order end to end: a characteristic change is a new order replacing the
    /// old one in the same EOSC project; header changes and item-only moves are attribute value
    /// changes; an administrator's delete closes the items the OMS handles.
    @Suite("TMF622 order changes end to end", .serialized)
    struct TMFRoundTripChangeTests {
        static func stateChange(_ state: String) -> String { "ProductOrderStateChangeEvent \(state) [state]" }

        /// The cpu value the OMS reads on an item.
        static func cpu(_ item: JSONValue) -> JSONValue? {
            item["attributes"]?["offer_properties"]?.arrayValue?.first { $0["id"] == "cpu" }?["value"]
        }

        @Test("a characteristic change needs a replacing order: same EOSC project; once the OMS takes it, the old order is closed and cancelled")
        func replacement() async throws {
            let listener = try TriggerReceiver()
            try await TMFFlow.run { w in
                _ = try await w.listen(w.customer, callback: listener.url)
                let a = try await w.placeOrder(w.orderBody("Small VM", items: [("vm", 2)]))
                let aID = try #require(a["id"]?.stringValue)
                let (projectA, itemA) = try #require(try await w.oms.newItems().first)
                try await w.oms.setStatus(projectA, itemA, "in_progress")

                // More CPUs on the same order is refused: it takes a new order.
                let characteristics = a["productOrderItem"]?.arrayValue?.first?["product"]?["productCharacteristic"]?.arrayValue ?? []
                let cpuIndex = try #require(characteristics.firstIndex { $0["name"] == "cpu" })
                let patch = try await TestHTTP.send("PATCH", w.tmf + "/productOrder/" + aID,
                                                    headers: w.customer.merging(["Content-Type": "application/json-patch+json"]) { $1 },
                                                    json: [["op": "replace", "path": .string("/productOrderItem/0/product/productCharacteristic/\(cpuIndex)/value"),
                                                            "value": 4]])
                #expect(patch.status == 409, "\(patch.text)")
                #expect(patch.json?["code"] == "newOrderRequired" && patch.json?["field"] == "productOrderItem", "\(patch.text)")

                // The replacing order: created beside A in A's EOSC project; A waits for it to be taken.
                let b = try await w.placeOrder(w.orderBody("Bigger VM", items: [("vm", 4)], replaces: aID))
                let bID = try #require(b["id"]?.stringValue)
                let replaces = b["orderRelationship"]?.arrayValue ?? []
                #expect(replaces.map { [$0["id"], $0["relationshipType"]] } == [[.string(aID), "replaces"]], "\(b)")
                let aNow = try await w.productOrder(aID)
                #expect(aNow["state"] == "inProgress")
                #expect((aNow["orderRelationship"]?.arrayValue ?? []).map { [$0["id"], $0["relationshipType"]] }
                        == [[.string(bID), "replacedBy"]], "\(aNow)")
                let (projectB, itemB) = try #require(try await w.oms.newItems().first)
                #expect(projectB == projectA)
                #expect(itemB != itemA)
                #expect(Self.cpu(try await w.oms.item(projectB, itemB)) == 4)
                #expect(try await w.oms.item(projectA, itemA)["status"]?["type"] == "in_progress")
                #expect(try await w.oms.projectItems(projectA).count == 2)
                var expected = ["ProductOrderCreateEvent acknowledged", Self.stateChange("inProgress"), "ProductOrderCreateEvent acknowledged"]
                try await Heard.expect(expected, from: listener.requests, "B created")

                // The OMS takes B: A's item is closed in EOSC (the OMS hears of it), and A is cancelled.
                try await w.oms.setStatus(projectB, itemB, "in_progress")
                #expect(try await w.oms.statusChanges(projectA, itemA, until: "closed").last == "closed")
                let closed = try await w.oms.item(projectA, itemA)
                #expect(closed["status"] == ["type": "closed", "value": .string("replaced by order \(bID)")], "\(closed)")
                #expect(try await w.states(aID) == "cancelled [vm: cancelled]")
                #expect(try await w.productOrder(aID)["cancellationDate"] != nil)
                #expect(try await w.states(bID) == "inProgress [vm: inProgress]")
                let customerView = try await TestHTTP.send("GET", w.demo.api + "/api/v1/projects/\(projectA)/project_items/\(itemA)",
                                                           headers: w.demo.user)
                #expect(customerView.json?["status"]?["type"] == "closed")
                // B starts; A walks from inProgress to cancelled through the cancellation states.
                expected += [Self.stateChange("inProgress"), Self.stateChange("assessingCancellation"),
                             Self.stateChange("pendingCancellation"), Self.stateChange("cancelled")]
                let heard = try await Heard.expect(expected, from: listener.requests, "B taken")
                let orders = heard.events.map { $0["event"]?["productOrder"]?["id"]?.stringValue ?? "" }
                #expect(orders == [aID, aID, bID, bID, aID, aID, aID])

                // A cancelled order is not replaced again; B is replaced at most once at a time.
                let again = try await TestHTTP.sendAwaitingOutcome("POST", w.tmf + "/productOrder", headers: w.customer,
                                                                   json: w.orderBody("Again", items: [("vm", 8)], replaces: aID))
                #expect(again.status == 409, "\(again.text)")
                _ = try await w.placeOrder(w.orderBody("Biggest VM", items: [("vm", 8)], replaces: bID))
                let twice = try await TestHTTP.sendAwaitingOutcome("POST", w.tmf + "/productOrder", headers: w.customer,
                                                                   json: w.orderBody("Twice", items: [("vm", 6)], replaces: bID))
                #expect(twice.status == 409, "\(twice.text)")
                #expect(twice.json?["reason"]?.stringValue?.contains("already replaced") == true, "\(twice.text)")
                #expect(try await w.oms.projectItems(projectA).count == 3)
                heard.checkEnvelopes(orderIDs: [aID, bID])
            }
            await listener.stop()
        }

        @Test("header patches and item-only moves are AttributeValueChange events naming the fields; an admin's DELETE is a DeleteEvent and closes the items")
        func attributeChangesAndDelete() async throws {
            let customerListener = try TriggerReceiver(), providerListener = try TriggerReceiver()
            try await TMFFlow.run { w in
                _ = try await w.listen(w.customer, callback: customerListener.url)
                _ = try await w.listen(w.provider, callback: providerListener.url)
                let id = try #require(try await w.placeOrder(w.orderBody("Two VMs", items: [("a", 2), ("b", 4)]))["id"]?.stringValue)
                let found = try await w.oms.newItems(count: 2)
                #expect(found.count == 2)
                var byCPU: [Int64: (project: Int64, item: Int64)] = [:]
                for (project, item) in found {
                    byCPU[Self.cpu(try await w.oms.item(project, item))?.intValue ?? 0] = (project, item)
                }
                let a = try #require(byCPU[2]), b = try #require(byCPU[4])
                var expected = ["ProductOrderCreateEvent acknowledged"]

                // A merge patch of header attributes, then a JSON patch adding a note.
                let merge = try await TestHTTP.send("PATCH", w.tmf + "/productOrder/" + id,
                                                    headers: w.customer.merging(["Content-Type": "application/merge-patch+json"]) { $1 },
                                                    json: ["description": "Two VMs for the lab", "priority": "1", "externalId": "LAB-42"])
                #expect(merge.status == 200, "\(merge.text)")
                #expect(merge.json?["description"] == "Two VMs for the lab" && merge.json?["externalId"] == "LAB-42")
                expected += ["ProductOrderAttributeValueChangeEvent acknowledged [description,externalId,priority]"]
                let note: JSONValue = [["text": "Please deploy in the EU region"]]
                let jsonPatch = try await TestHTTP.send("PATCH", w.tmf + "/productOrder/" + id,
                                                        headers: w.customer.merging(["Content-Type": "application/json-patch+json"]) { $1 },
                                                        json: [["op": "add", "path": "/note", "value": note]])
                #expect(jsonPatch.status == 200, "\(jsonPatch.text)")
                expected += ["ProductOrderAttributeValueChangeEvent acknowledged [note]"]
                let heard = try await Heard.expect(expected, from: customerListener.requests, "patched")
                #expect(heard.events.last?["event"]?["productOrder"]?["note"] == note)
                #expect(heard.events.last?["event"]?["productOrder"]?["priority"] == "1")

                // The OMS starts item a (the order starts), then b and finishes a: only items move.
                try await w.oms.setStatus(a.project, a.item, "in_progress")
                try await w.oms.setStatus(b.project, b.item, "in_progress")
                try await w.oms.setStatus(a.project, a.item, "ready")
                #expect(try await w.states(id) == "inProgress [a: completed, b: inProgress]")
                expected += [Self.stateChange("inProgress"), "ProductOrderAttributeValueChangeEvent inProgress [productOrderItem.state]",
                             "ProductOrderAttributeValueChangeEvent inProgress [productOrderItem.state]"]
                let moved = try await Heard.expect(expected, from: customerListener.requests, "items moved")
                let itemStates = moved.events.suffix(2).map { event in
                    (event["event"]?["productOrder"]?["productOrderItem"]?.arrayValue ?? []).map { $0["state"]?.stringValue ?? "" }
                }
                #expect(itemStates == [["inProgress", "inProgress"], ["completed", "inProgress"]])

                // Only an administrator deletes; the order leaves the TMF view and its items close in EOSC.
                let refused = try await TestHTTP.send("DELETE", w.tmf + "/productOrder/" + id, headers: w.customer)
                #expect(refused.status == 403, "\(refused.text)")
                let admin = try await w.newUser("support-admin", roles: ["admin"])
                let deleted = try await TestHTTP.sendAwaitingOutcome("DELETE", w.tmf + "/productOrder/" + id, headers: admin)
                #expect(deleted.status == 204, "\(deleted.text)")
                for headers in [w.customer, admin] {
                    #expect(try await TestHTTP.send("GET", w.tmf + "/productOrder/" + id, headers: headers).status == 404)
                }
                expected += ["ProductOrderDeleteEvent inProgress"]
                let all = try await Heard.expect(expected, from: customerListener.requests, "deleted")
                #expect(try await w.oms.statusChanges(b.project, b.item, until: "closed").last == "closed")
                for item in [a, b] {
                    let read = try await w.oms.item(item.project, item.item)
                    #expect(read["status"] == ["type": "closed", "value": "deleted by an administrator"], "\(read)")
                }

                // The provider's data administrator heard the same story about the order of its offer.
                try await Heard.expect(expected, from: providerListener.requests, "the provider's listener")
                all.checkEnvelopes(orderIDs: [id])
                #expect(Heard(providerListener.requests).events.map { $0["eventId"] } == all.events.map { $0["eventId"] })
            }
            await customerListener.stop()
            await providerListener.stop()
        }
    }
}
