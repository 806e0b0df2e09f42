import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// `PATCH /productOrder/{id}` (merge and JSON patch of header attributes, refusals) and
    /// `DELETE /productOrder/{id}` (administrators only).
    @Suite("TMF622 API: patch and delete", .serialized)
    struct TMFAPIPatchTests {
        typealias Refusal = (label: String, body: JSONValue, type: String, status: Int, code: String, field: String?, reason: String?)
        static let jsonPatch = "application/json-patch+json"
        static let mergePatch = "application/merge-patch+json"
        static let serverOwned: [String] = ["id", "href", "orderDate", "completionDate", "cancellationDate", "expectedCompletionDate",
                                            "orderRelationship"]
        static let failedTest: JSONValue = [["op": "test", "path": "/category", "value": "nope"],
                                            ["op": "replace", "path": "/description", "value": "x"]]
        static let characteristicChange: JSONValue = [
            ["op": "replace", "path": "/productOrderItem/0/product/productCharacteristic/0/value", "value": 8]]

        /// PATCH requests refused, each with what the error must say.
        static let refusals: [Refusal] = [
            ("a failed test", failedTest, jsonPatch, 400, "invalidPatch", "/category", "operation 0"),
            ("a path that is not there", [["op": "replace", "path": "/nothing/deeper", "value": 1]], jsonPatch, 400, "invalidPatch",
             nil, nil),
            ("a JSON patch that is not an array", ["op": "add"], jsonPatch, 400, "invalidPatch", nil, nil),
            ("a merge patch that is not an object", [["description": "x"]], mergePatch, 400, "invalidBody", nil, nil),
            ("text/plain", ["description": "x"], "text/plain", 415, "unsupportedMediaType", nil, "text/plain"),
            ("json-patch-query", ["description": "x"], "application/json-patch-query+json", 415, "unsupportedMediaType", nil,
             "application/json-patch-query+json"),
            ("state to a machine move", ["state": "inProgress"], mergePatch, 400, "invalidAttribute", "state", "cancelProductOrder"),
            ("state to a forbidden move", ["state": "completed"], mergePatch, 409, "invalidTransition", "state",
             "acknowledged to completed"),
            ("the items", ["productOrderItem": []], mergePatch, 409, "newOrderRequired", "productOrderItem", "replaces"),
            ("a characteristic", characteristicChange, jsonPatch, 409, "newOrderRequired", "productOrderItem", nil),
            ("a bad date-time", ["requestedStartDate": "soon"], mergePatch, 400, "invalidAttribute", "requestedStartDate", nil),
            ("a related party without type", ["relatedParty": [["id": "x"]]], mergePatch, 400, "invalidAttribute", "relatedParty.0",
             "@referredType"),
        ]

        @Test("PATCH: merge and JSON patch change header attributes; server attributes, state, items and final orders refused")
        func patch() async throws {
            try await TMFAPIWorld.run { w in
                let order = try await w.created(TMFAPIWorld.order([
                    "description": "first", "category": "c1", "externalId": "E-1", "note": [["text": "n1"]]]))
                let id = try #require(order["id"]?.stringValue)

                // Merge patch, as merge-patch+json and as plain JSON (null removes).
                let merged = try await w.patch(id, ["description": "second", "category": "c2", "note": [["text": "n2"]]])
                #expect(merged.status == 200, "\(merged.text)")
                #expect(merged.json?["description"] == "second" && merged.json?["category"] == "c2"
                        && merged.json?["note"] == [["text": "n2"]] && merged.json?["externalId"] == "E-1", "\(merged.text)")
                #expect(merged.json?["id"] == order["id"] && merged.json?["orderDate"] == order["orderDate"]
                        && merged.json?["productOrderItem"] == order["productOrderItem"], "\(merged.text)")
                #expect(try await w.read(id).json == merged.json)
                let plain = try await w.patch(id, ["priority": "3", "externalId": .null], contentType: "application/json")
                #expect(plain.status == 200 && plain.json?["priority"] == "3" && plain.json?["externalId"] == nil, "\(plain.text)")
                #expect(try await w.read(id).json == plain.json)

                // JSON patch: add, replace and a test that holds.
                let ops: JSONValue = [["op": "test", "path": "/category", "value": "c2"],
                                      ["op": "add", "path": "/note/-", "value": ["text": "n3"]],
                                      ["op": "replace", "path": "/description", "value": "third"],
                                      ["op": "add", "path": "/channel", "value": [["id": "web", "name": "Portal"]]]]
                let patched = try await w.patch(id, ops, contentType: "application/json-patch+json")
                #expect(patched.status == 200, "\(patched.text)")
                #expect(patched.json?["note"] == [["text": "n2"], ["text": "n3"]] && patched.json?["description"] == "third"
                        && patched.json?["channel"] == [["id": "web", "name": "Portal"]], "\(patched.text)")
                let current = try #require(try await w.read(id).json)
                #expect(current == patched.json)

                // Refusals, each leaving the order as it was.
                let jsonPatch = Self.jsonPatch
                let refusals = Self.refusals + Self.serverOwned.map { (key: String) -> Refusal in
                    Refusal("server-owned \(key)", [key: "2020-01-01T00:00:00Z"], Self.mergePatch, 400, "invalidAttribute", key,
                            "set by the server")
                }
                for (label, body, type, status, code, field, reason) in refusals {
                    expectTMFError(try await w.patch(id, body, contentType: type), status, code, field: field, reason: reason, label)
                }
                expectTMFError(try await w.send("PATCH", "/productOrder/\(id)", w.customer, body: Data("{".utf8),
                                                headers: ["Content-Type": "application/merge-patch+json"]), 400, "invalidBody", "not JSON")
                #expect(try await w.read(id).json == current)

                // Nothing to change: 200 with the order as it is.
                for body in [[:], ["description": "third"], ["category": "c2", "priority": "3"]] as [JSONValue] {
                    let same = try await w.patch(id, body)
                    #expect(same.status == 200 && same.json == current, "\(body): \(same.text)")
                }
                // Who may: not another customer (404), not the provider who only reads (403); an admin may.
                expectTMFError(try await w.patch(id, ["description": "theirs"], w.otherToken), 404, "notFound", "another customer")
                expectTMFError(try await w.patch(id, ["description": "provider"], w.provider), 403, "forbidden", "the provider")
                expectTMFError(try await w.patch(UUID().uuidString.lowercased(), ["description": "x"]), 404, "notFound", "unknown")
                #expect(try await w.read(id).json == current)
                let byAdmin = try await w.patch(id, ["description": "support fixed it"], w.adminToken)
                #expect(byAdmin.status == 200 && byAdmin.json?["description"] == "support fixed it", "\(byAdmin.text)")

                // A completed order is final.
                try await w.omsSets(id, "ready", value: "Your VM is running")
                let done = try #require(try await w.read(id).json)
                #expect(done["state"] == "completed" && done["completionDate"]?.stringValue != nil, "\(done)")
                #expect(done["productOrderItem"]?.arrayValue?.first?["state"] == "completed")
                let late: JSONValue = ["description": "late"]
                let lateNote: JSONValue = [["op": "add", "path": "/note/-", "value": ["text": "late"]]]
                for (body, type) in [(late, Self.mergePatch), (lateNote, jsonPatch)] {
                    expectTMFError(try await w.patch(id, body, contentType: type), 409, "orderIsFinal",
                                   reason: "The order is completed, a final state: it can no longer be changed", type)
                }
                #expect(try await w.read(id).json == done)
            }
        }

        @Test("DELETE: administrators only; the order leaves the TMF view and its EOSC item is closed")
        func delete() async throws {
            try await TMFAPIWorld.run { w in
                let order = try await w.created(TMFAPIWorld.order(["description": "to delete"]))
                let id = try #require(order["id"]?.stringValue)
                let kept = try #require(try await w.created(TMFAPIWorld.order(["description": "kept"]))["id"]?.stringValue)
                expectTMFError(try await w.send("DELETE", "/productOrder/\(id)", w.customer), 403, "forbidden", reason: "administrators",
                               "the customer")
                expectTMFError(try await w.send("DELETE", "/productOrder/\(id)", w.operatorToken), 403, "forbidden", "the operator")
                expectTMFError(try await w.send("DELETE", "/productOrder/\(id)", w.otherToken), 404, "notFound", "another customer")
                expectTMFError(try await w.send("DELETE", "/productOrder/\(id)", nil), 401, "unauthorized", "no token")
                #expect(try await w.read(id).json == order)

                let deleted = try await w.send("DELETE", "/productOrder/\(id)", w.adminToken)
                #expect(deleted.status == 204 && deleted.body.isEmpty, "\(deleted.text)")
                for token in [w.customer, w.adminToken, w.operatorToken] {
                    expectTMFError(try await w.read(id, token), 404, "notFound", "read after delete")
                }
                #expect(try await w.ids("limit=1000", w.adminToken) == [kept])
                #expect(try await w.list("id=\(id)").total == 0)
                expectTMFError(try await w.send("DELETE", "/productOrder/\(id)", w.adminToken), 404, "notFound", "deleted twice")
                expectTMFError(try await w.send("DELETE", "/productOrder/\(UUID().uuidString.lowercased())", w.adminToken), 404,
                               "notFound", "unknown")
                expectTMFError(try await w.patch(id, ["description": "x"]), 404, "notFound", "patch after delete")
                expectTMFError(try await w.cancel(id), 400, "invalidAttribute", field: "productOrder.id", "cancel after delete")

                // The EOSC item behind it is closed, for the provider OMS and the customer alike.
                let items = try await w.items(of: id)
                #expect(items.count == 1)
                for item in items {
                    let oms = try await w.omsItem(projectID: item.projectID, iid: item.iid)
                    #expect(oms?["status"] == ["value": "deleted by an administrator", "type": "closed"], "\(String(describing: oms))")
                    let mine = try await TestHTTP.send("GET", w.demo.api + "/api/v1/projects/\(item.projectID)/project_items/\(item.iid)",
                                                       headers: w.demo.user)
                    #expect(mine.json?["status"]?["type"] == "closed", "\(mine.text)")
                }
                #expect(try await w.read(kept).json?["state"] == "acknowledged")
            }
        }
    }
}
