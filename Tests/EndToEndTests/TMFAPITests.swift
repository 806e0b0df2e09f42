import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// TMF622 productOrder creation and retrieval through the real services: what a created
    /// order shows, who reads it, an EOSC order in the TMF view, bundles.
    @Suite("TMF622 API: create and retrieve", .serialized)
    struct TMFAPICreateTests {
        static let header: [String: JSONValue] = [
            "description": "Protein folding VMs", "category": "research", "priority": "1", "externalId": "EXT-42",
            "note": [["text": "Please hurry", "author": "R. Searcher"]],
            "billingAccount": ["id": "BA-7", "name": "Lab budget", "@referredType": "BillingAccount"],
            "requestedStartDate": "2030-01-02T03:04:05Z", "x-lab": ["room": "B12", "shelves": [1, 2]],
        ]

        @Test("create: 201 + Location = href, server and client attributes, own project; idempotent retry; readers; fields")
        func createAndRetrieve() async throws {
            try await TMFAPIWorld.run { w in
                let response = try await w.create(TMFAPIWorld.order(Self.header))
                #expect(response.status == 201, "\(response.text)")
                let order = try #require(response.json)
                let id = try #require(order["id"]?.stringValue)
                #expect(UUID(uuidString: id) != nil, "\(id)")
                #expect(order["href"]?.stringValue == w.base + "/productOrder/\(id)")
                #expect(response.header("Location") == order["href"]?.stringValue)
                #expect(order["@type"] == "ProductOrder" && order["state"] == "acknowledged", "\(response.text)")
                let orderDate = try #require(order["orderDate"]?.stringValue.flatMap { Timestamp(parsing: $0) })
                #expect(abs(orderDate.microseconds - Timestamp.now().microseconds) < 60_000_000)
                for (key, value) in Self.header { #expect(order[key] == value, "\(key): \(response.text)") }
                #expect(order["completionDate"] == nil && order["cancellationDate"] == nil)
                #expect(order["relatedParty"] == [["id": "demo-researcher", "name": order["relatedParty"]?.arrayValue?.first?["name"] ?? .null,
                                                   "role": "customer", "@referredType": "Individual"]], "\(response.text)")
                let items = try #require(order["productOrderItem"]?.arrayValue)
                #expect(items.count == 1)
                let item = items[0]
                #expect(item["id"] == "1" && item["action"] == "add" && item["quantity"] == 1 && item["state"] == "acknowledged",
                        "\(item)")
                #expect(item["productOffering"]?["id"] == "demo-compute/1" && item["productOffering"]?["name"] == "Small VM", "\(item)")
                #expect(item["productOffering"]?["@referredType"] == "ProductOffering")
                #expect(item["product"]?["productSpecification"]?["id"] == "demo-compute")

                // The characteristics are the EOSC item's offer properties; the order has a project of its own.
                let behind = try await w.items(of: id)
                #expect(behind.map(\.line) == ["1"])
                let eosc = try await TestHTTP.send("GET", w.demo.api + "/api/v1/projects/\(behind[0].projectID)/project_items/\(behind[0].iid)",
                                                   headers: w.demo.user)
                #expect(eosc.status == 200, "\(eosc.text)")
                Self.expectSameCharacteristics(item, eosc.json, values: ["cpu": 2, "flavour": "small"])
                let project = try await TestHTTP.send("GET", w.demo.api + "/api/v1/projects/\(behind[0].projectID)", headers: w.demo.user)
                #expect(project.json?["attributes"]?["name"] == "Protein folding VMs", "\(project.text)")

                // Retrieve: the same document; `fields` keeps id, href and @type.
                let read = try await w.read(id)
                #expect(read.status == 200 && read.json == order, "\(read.text)")
                let some = try await w.read(id, query: "fields=state,category,productOrderItem.id")
                #expect(some.json == ["id": .string(id), "href": order["href"]!, "@type": "ProductOrder", "state": "acknowledged",
                                      "category": "research", "productOrderItem": [["id": "1"]]], "\(some.text)")
                // Who reads it: the provider's data administrator and the operator too; not another customer.
                #expect(try await w.read(id, w.provider).json == order)
                #expect(try await w.read(id, w.operatorToken).json == order)
                expectTMFError(try await w.read(id, w.otherToken), 404, "notFound", "another customer")
                expectTMFError(try await w.read(UUID().uuidString.lowercased()), 404, "notFound", "an unknown id")
                expectTMFError(try await w.read("not-an-id", w.adminToken), 404, "notFound", "not a uuid")
                expectTMFError(try await w.read(id, query: "fields=state,"), 400, "invalidAttribute", field: "fields", "bad fields")

                // Idempotency-Key: a retry is the same order, created once.
                let before = try await w.stored()
                let first = try await w.create(TMFAPIWorld.order(["description": "retried"]), key: "tmf-key-1")
                let retry = try await w.create(TMFAPIWorld.order(["description": "retried"]), key: "tmf-key-1")
                #expect(first.status == 201, "\(first.text)")
                #expect([200, 201].contains(retry.status), "\(retry.text)")
                #expect(first.json?["id"] != nil && retry.json?["id"] == first.json?["id"], "\(retry.text)")
                let after = try await w.stored()
                #expect(after[0] == before[0] + 1 && after[1] == before[1] + 1 && after[2] == before[2] + 1, "\(before) → \(after)")
                expectTMFError(try await w.create(TMFAPIWorld.order(["description": "changed"]), key: "tmf-key-1"), 422,
                               "idempotencyKeyReused", reason: "Idempotency-Key", "the key with another body")
                #expect(try await w.stored() == after)
                let other = try await w.create(TMFAPIWorld.order(["description": "retried"]), w.otherToken, key: "tmf-key-1")
                #expect(other.status == 201 && other.json?["id"] != first.json?["id"], "another caller's key: \(other.text)")

                // A client's relatedParty is kept instead of the default; `bearer` is the scheme in any case.
                let party: JSONValue = [["id": "lab-7", "name": "Lab 7", "role": "buyer", "@referredType": "Organization"]]
                let withParty = try await w.send("POST", "/productOrder", nil, json: TMFAPIWorld.order(["relatedParty": party]),
                                                 headers: ["Authorization": "bearer \(w.customer)"])
                #expect(withParty.status == 201 && withParty.json?["relatedParty"] == party, "\(withParty.text)")
            }
        }

        @Test("an EOSC order is a ProductOrder with one item per project item and the same characteristics")
        func eoscOrderInTMFView() async throws {
            try await TMFAPIWorld.run { w in
                let projectID = try await w.demo.createProject("EOSC side")
                let ordered = try await w.demo.order(projectID, w.demo.orderBody(cpu: 4, flavour: "medium"))
                #expect(ordered.status == 201, "\(ordered.text)")
                let publicID = try #require(try await w.orderIDs(ofProject: projectID).first)
                let list = try await w.list("")
                #expect(list.total == 1 && list.page.first?["id"]?.stringValue == publicID, "\(list.page)")
                let order = try #require(try await w.read(publicID).json)
                #expect(order["state"] == "acknowledged" && order["@type"] == "ProductOrder", "\(order)")
                #expect(order["relatedParty"]?.arrayValue?.first?["id"] == "demo-researcher" && order["relatedParty"]?.arrayValue?.first?["role"] == "customer")
                let items = order["productOrderItem"]?.arrayValue ?? []
                #expect(items.map { $0["id"] } == ["1"] && items.first?["productOffering"]?["id"] == "demo-compute/1", "\(order)")
                Self.expectSameCharacteristics(items.first, ordered.json, values: ["cpu": 4, "flavour": "medium"])
                // Two more items in the same project are orders of their own, each with its item "1".
                let second = try await w.demo.order(projectID, w.demo.orderBody(cpu: 1, flavour: "large"))
                #expect(second.status == 201, "\(second.text)")
                let both = try await w.list("")
                #expect(both.total == 2 && both.page.last?["id"]?.stringValue == publicID, "\(both.page)")
                let newest = both.page.first?["productOrderItem"]?.arrayValue ?? []
                #expect(newest.count == 1 && newest.first?["id"] == "1")
                Self.expectSameCharacteristics(newest.first, second.json, values: ["cpu": 1, "flavour": "large"])
                // The provider's data administrator sees them; the other customer does not.
                #expect(try await w.list("", w.provider).total == 2)
                #expect(try await w.list("", w.otherToken).total == 0)
            }
        }

        @Test("a bundle is one item per offer: the main one keeps the id, the others relate to it as bundled")
        func bundleOrder() async throws {
            try await TMFAPIWorld.run { w in
                try await EndToEnd.BundleOrderTests.addCatalogue(w.demo)
                func bundleItem(_ cpu: JSONValue, bundle: String = "demo-compute/bundles/1") -> JSONValue {
                    ["id": "b", "action": "add", "productOffering": ["id": .string(bundle)],
                     "product": ["productCharacteristic": [["name": "demo-compute/1/cpu", "value": cpu],
                                                           ["name": "demo-compute/1/flavour", "value": "small"]]]]
                }
                let before = try await w.stored()
                expectTMFError(try await w.create(TMFAPIWorld.order(items: [bundleItem(99)])), 400, "invalidAttribute",
                               field: "productOrderItem[0].product.productCharacteristic.demo-compute/1/cpu", "bad bundle value")
                expectTMFError(try await w.create(TMFAPIWorld.order(items: [bundleItem(2, bundle: "demo-compute/bundles/9")])), 400,
                               "invalidAttribute", field: "productOrderItem[0].productOffering.id", "unknown bundle")
                #expect(try await w.stored() == before)

                let order = try await w.created(TMFAPIWorld.order(["description": "bundle"], items: [bundleItem(2)]))
                let items = order["productOrderItem"]?.arrayValue ?? []
                #expect(items.map { $0["id"] } == ["b", "b.1", "b.2"], "\(order)")
                #expect(items.first?["productOffering"]?["id"] == "demo-compute/1")
                #expect(Set(items.dropFirst().compactMap { $0["productOffering"]?["id"]?.stringValue }) == ["demo-compute/2", "demo-storage/1"])
                #expect(items.first?["productOrderItemRelationship"] == nil)
                for item in items.dropFirst() {
                    #expect(item["productOrderItemRelationship"] == [["id": "b", "relationshipType": "bundled"]], "\(item)")
                    let open = item["productOffering"]?["id"] == "demo-storage/1"
                    #expect(item["state"]?.stringValue == (open ? "completed" : "acknowledged"), "\(item)")
                }
                let main = items.first?["product"]?["productCharacteristic"]?.arrayValue ?? []
                #expect(Dictionary(uniqueKeysWithValues: main.compactMap { c in c["name"]?.stringValue.map { ($0, c["value"]) } })
                        == ["cpu": 2, "flavour": "small"], "\(main)")
                #expect(try await w.items(of: order["id"]?.stringValue ?? "").map(\.line) == ["b", "b.1", "b.2"])
                #expect(try await w.read(order["id"]?.stringValue ?? "").json == order)
            }
        }

        @Test("orderRelationship replaces: same project, replacedBy shown, the old order closed once the new one is accepted; 409s")
        func replace() async throws {
            try await TMFAPIWorld.run { w in
                let old = try await w.created(TMFAPIWorld.order(["description": "small VM"]))
                let oldID = try #require(old["id"]?.stringValue)
                let projects = try await w.stored()[1]
                func replacing(_ id: String, cpu: JSONValue = 4) -> JSONValue {
                    TMFAPIWorld.order(["description": "bigger VM", "orderRelationship": [["id": .string(id), "relationshipType": "replaces"]]],
                                      items: [TMFAPIWorld.item(cpu: cpu)])
                }
                let new = try await w.created(replacing(oldID))
                let newID = try #require(new["id"]?.stringValue)
                #expect(new["orderRelationship"] == [["id": .string(oldID), "href": old["href"] ?? .null, "relationshipType": "replaces",
                                                      "@referredType": "ProductOrder"]], "\(new)")
                let oldNow = try #require(try await w.read(oldID).json)
                #expect(oldNow["orderRelationship"] == [["id": .string(newID), "href": new["href"] ?? .null,
                                                         "relationshipType": "replacedBy", "@referredType": "ProductOrder"]], "\(oldNow)")
                #expect(oldNow["state"] == "acknowledged")
                let oldItem = try #require(try await w.items(of: oldID).first)
                #expect(try await w.items(of: newID).map(\.projectID) == [oldItem.projectID])
                #expect(try await w.stored()[1] == projects, "a replacing order goes in the replaced order's project")

                // One replacement at a time; a stranger cannot replace it.
                let before = try await w.stored()
                expectTMFError(try await w.create(replacing(oldID)), 409, "conflict", reason: "already replaced by order \(newID)",
                               "a second replacement")
                expectTMFError(try await w.create(replacing(oldID), w.otherToken), 400, "invalidAttribute",
                               field: "orderRelationship[0].id", "another customer")
                #expect(try await w.stored() == before)

                // Once the provider accepts the new order, the old one is closed.
                try await w.omsSets(newID, "in_progress")
                let closed = try #require(try await w.read(oldID).json)
                #expect(closed["state"] == "cancelled" && closed["cancellationDate"]?.stringValue != nil, "\(closed)")
                let oms = try await w.omsItem(projectID: oldItem.projectID, iid: oldItem.iid)
                #expect(oms?["status"] == ["value": .string("replaced by order \(newID)"), "type": "closed"], "\(String(describing: oms))")
                expectTMFError(try await w.create(replacing(oldID)), 409, "conflict", reason: "cancelled", "a cancelled order")

                // An order being cancelled cannot be replaced.
                let cancelling = try #require(try await w.created(TMFAPIWorld.order())["id"]?.stringValue)
                try await w.omsSets(cancelling, "in_progress")
                #expect(try await w.cancel(cancelling).status == 201)
                expectTMFError(try await w.create(replacing(cancelling)), 409, "conflict", reason: "being cancelled", "being cancelled")
                // A bad characteristic of the replacing order is still a 400.
                expectTMFError(try await w.create(replacing(newID, cpu: 99)), 400, "invalidAttribute",
                               field: "productOrderItem[0].product.productCharacteristic.cpu", "bad value")
            }
        }

        /// The TMF item's characteristics are the EOSC item's offer properties: name = parameter
        /// id, the same value and type, description = its label; and the values are `values`.
        static func expectSameCharacteristics(_ item: JSONValue?, _ eoscItem: JSONValue?, values: [String: JSONValue],
                                              sourceLocation: SourceLocation = #_sourceLocation) {
            let characteristics = item?["product"]?["productCharacteristic"]?.arrayValue ?? []
            let properties = eoscItem?["attributes"]?["offer_properties"]?.arrayValue ?? []
            #expect(characteristics.count == properties.count && properties.count == values.count,
                    "\(characteristics) vs \(properties)", sourceLocation: sourceLocation)
            for property in properties {
                let id = property["id"]?.stringValue ?? ""
                let c = characteristics.first { $0["name"]?.stringValue == id }
                #expect(c?["value"] == property["value"] && c?["value"] == values[id], "\(id): \(String(describing: c))",
                        sourceLocation: sourceLocation)
                #expect(c?["description"] == property["label"] && c?["valueType"]?.stringValue?.isEmpty == false,
                        "\(id): \(String(describing: c)) vs \(property)", sourceLocation: sourceLocation)
            }
        }
    }
}
