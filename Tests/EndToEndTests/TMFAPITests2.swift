import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// TMF622 refusals: every bad productOrder request is answered in TMF's Error shape, names
    /// the attribute at fault, and creates nothing; undefined methods and paths too.
    @Suite("TMF622 API: refusals", .serialized)
    struct TMFAPIRefusalTests {
        typealias Case = (label: String, body: JSONValue, status: Int, code: String, field: String?, reason: String?)

        static func item(_ changes: [String: JSONValue]) -> JSONValue {
            var item = TMFAPIWorld.item().objectValue ?? [:]
            for (key, value) in changes { item[key] = value }
            return .object(item.filter { $0.value != .null })
        }

        static func characteristics(_ list: JSONValue) -> JSONValue {
            item(["product": ["productCharacteristic": list]])
        }

        static let characteristic = "productOrderItem[0].product.productCharacteristic"

        static let cases: [Case] = [
            ("no productOrderItem", ["description": "x"], 400, "invalidAttribute", nil, "'productOrderItem'"),
            ("no items", ["productOrderItem": []], 400, "invalidAttribute", "productOrderItem", "minimum number of items"),
            ("an action outside the enum", TMFAPIWorld.order(items: [item(["action": "x"])]), 400, "invalidAttribute",
             "productOrderItem.0.action", "did not match one of the following values"),
            ("an item without id", TMFAPIWorld.order(items: [item(["id": .null])]), 400, "invalidAttribute", "productOrderItem.0",
             "'id'"),
            ("a blank item id", TMFAPIWorld.order(items: [item(["id": " "])]), 400, "invalidAttribute", "productOrderItem[0].id",
             "can't be blank"),
            ("action modify", TMFAPIWorld.order(items: [item(["action": "modify"])]), 400, "invalidAttribute",
             "productOrderItem[0].action", "only \"add\""),
            ("an item state", TMFAPIWorld.order(items: [item(["state": "acknowledged"])]), 400, "invalidAttribute",
             "productOrderItem[0].state", "set by the server"),
            ("quantity 2", TMFAPIWorld.order(items: [item(["quantity": 2])]), 400, "invalidAttribute",
             "productOrderItem[0].quantity", "must be 1"),
            ("no productOffering", TMFAPIWorld.order(items: [item(["productOffering": .null])]), 400, "invalidAttribute",
             "productOrderItem[0].productOffering", "required"),
            ("a malformed offering id", TMFAPIWorld.order(items: [item(["productOffering": ["id": "demo-compute"]])]), 400,
             "invalidAttribute", "productOrderItem[0].productOffering.id", "<resource>/<offer id>"),
            ("an unknown offering", TMFAPIWorld.order(items: [item(["productOffering": ["id": "demo-compute/99"]])]), 400,
             "invalidAttribute", "productOrderItem[0].productOffering.id", "demo-compute/99"),
            ("an unknown resource", TMFAPIWorld.order(items: [item(["productOffering": ["id": "nothing/1"]])]), 400,
             "invalidAttribute", "productOrderItem[0].productOffering.id", "nothing/1"),
            ("a characteristic of the wrong type", TMFAPIWorld.order(items: [TMFAPIWorld.item(cpu: "two")]), 400, "invalidAttribute",
             characteristic + ".cpu", nil),
            ("a value out of range", TMFAPIWorld.order(items: [TMFAPIWorld.item(cpu: 64)]), 400, "invalidAttribute",
             characteristic + ".cpu", nil),
            ("a value not offered", TMFAPIWorld.order(items: [TMFAPIWorld.item(flavour: "huge")]), 400, "invalidAttribute",
             characteristic + ".flavour", nil),
            ("an unknown characteristic", TMFAPIWorld.order(items: [characteristics([
                ["name": "cpu", "value": 2], ["name": "flavour", "value": "small"], ["name": "colour", "value": "red"]])]),
             400, "invalidAttribute", characteristic + ".colour", "is not a parameter of this offer"),
            ("a missing required characteristic", TMFAPIWorld.order(items: [characteristics([["name": "cpu", "value": 2]])]),
             400, "invalidAttribute", characteristic + ".flavour", nil),
            ("a characteristic given twice", TMFAPIWorld.order(items: [characteristics([
                ["name": "cpu", "value": 2], ["name": "cpu", "value": 3], ["name": "flavour", "value": "small"]])]),
             400, "invalidAttribute", characteristic + "[1].name", "given twice"),
            ("duplicate item ids", TMFAPIWorld.order(items: [TMFAPIWorld.item("7"), TMFAPIWorld.item("7")]), 400,
             "invalidAttribute", "productOrderItem[1].id", "used by another item"),
            ("relatedParty without @referredType", TMFAPIWorld.order(["relatedParty": [["id": "someone", "role": "customer"]]]),
             400, "invalidAttribute", "relatedParty.0", "'@referredType'"),
            ("a bad date-time", TMFAPIWorld.order(["requestedStartDate": "tomorrow"]), 400, "invalidAttribute", "requestedStartDate",
             nil),
            ("a relationship other than replaces", TMFAPIWorld.order(["orderRelationship": [["id": "x", "relationshipType": "bundled"]]]),
             400, "invalidAttribute", "orderRelationship[0].relationshipType", "replaces"),
            ("replacing an unknown order", TMFAPIWorld.order(["orderRelationship": [["id": "nope", "relationshipType": "replaces"]]]),
             400, "invalidAttribute", "orderRelationship[0].id", "nope"),
        ] + serverOwned.map { (key: String, value: JSONValue) -> Case in
            ("server-owned \(key)", TMFAPIWorld.order([key: value]), 400, "invalidAttribute", key, "set by the server")
        }

        static let serverOwned: [(String, JSONValue)] = [
            ("id", "x"), ("href", "http://x/y"), ("orderDate", "2020-01-01T00:00:00Z"), ("state", "completed"),
            ("completionDate", "2020-01-01T00:00:00Z"), ("cancellationDate", "2020-01-01T00:00:00Z"),
            ("expectedCompletionDate", "2020-01-01T00:00:00Z"),
        ]

        @Test("bad productOrder requests: status, code, the attribute named, and nothing created")
        func createRefusals() async throws {
            try await TMFAPIWorld.run { w in
                let kept = try await w.created(TMFAPIWorld.order(["description": "the one order"]))
                let keptID = try #require(kept["id"]?.stringValue)
                let others = try await w.created(TMFAPIWorld.order(["description": "another customer's"]), w.otherToken)
                let before = try await w.stored()
                #expect(before == [2, 2, 2, 0], "\(before)")

                for c in Self.cases {
                    expectTMFError(try await w.create(c.body), c.status, c.code, field: c.field, reason: c.reason, c.label)
                }
                // Replacing another customer's order: as if it did not exist.
                expectTMFError(try await w.create(TMFAPIWorld.order(["orderRelationship": [
                    ["id": others["id"] ?? .null, "relationshipType": "replaces"]]])), 400, "invalidAttribute",
                               field: "orderRelationship[0].id", "replacing another's order")

                // The body itself: not JSON, not an object, not JSON at all by its type.
                let json = ["Content-Type": "application/json"]
                expectTMFError(try await w.send("POST", "/productOrder", w.customer, body: Data("{\"productOrderItem\": [".utf8),
                                                headers: json), 400, "invalidBody", reason: "not valid JSON", "not JSON")
                expectTMFError(try await w.send("POST", "/productOrder", w.customer, json: [TMFAPIWorld.order()]), 400, "invalidBody",
                               reason: "JSON object", "an array")
                expectTMFError(try await w.send("POST", "/productOrder", w.customer, body: Data("\"order\"".utf8), headers: json),
                               400, "invalidBody", reason: "JSON object", "a string")
                let valid = Data(try WireFormat.encode(TMFAPIWorld.order()))
                expectTMFError(try await w.send("POST", "/productOrder", w.customer, body: valid, headers: ["Content-Type": "text/plain"]),
                               415, "unsupportedMediaType", reason: "application/json", "text/plain")
                // No token, a wrong one: 401 in TMF's shape, for reads as well as writes.
                for token in [nil, "oms_not-a-token"] as [String?] {
                    expectTMFError(try await w.create(TMFAPIWorld.order(), token ?? ""), 401, "unauthorized", "token \(token ?? "none")")
                    expectTMFError(try await w.send("POST", "/productOrder", token, json: TMFAPIWorld.order()), 401, "unauthorized")
                    expectTMFError(try await w.send("GET", "/productOrder", token), 401, "unauthorized")
                    expectTMFError(try await w.send("GET", "/productOrder/\(keptID)", token), 401, "unauthorized")
                }
                expectTMFError(try await w.send("GET", "/productOrder", nil, headers: ["X-User-Token": "oms_not-a-token"]),
                               401, "unauthorized", "a bad X-User-Token")

                #expect(try await w.stored() == before)
                let list = try await w.list("")
                #expect(list.total == 1 && list.page.map { $0["id"] } == [kept["id"]], "\(list)")
                #expect(try await w.read(keptID).json == kept)
            }
        }

        @Test("undefined methods: 405 with TMF's body and Allow; unknown paths: 404 with TMF's body")
        func methodsAndPaths() async throws {
            try await TMFAPIWorld.run { w in
                let id = try #require(try await w.created(TMFAPIWorld.order())["id"]?.stringValue)
                let undefined: [(String, String, Set<String>)] = [
                    ("PUT", "/productOrder/\(id)", ["GET", "PATCH", "DELETE"]),
                    ("POST", "/productOrder/\(id)", ["GET", "PATCH", "DELETE"]),
                    ("DELETE", "/productOrder", ["GET", "POST"]),
                    ("PATCH", "/cancelProductOrder/\(id)", ["GET"]),
                    ("DELETE", "/cancelProductOrder/\(id)", ["GET"]),
                    ("GET", "/hub/\(id)", ["DELETE"]),
                    ("GET", "/hub", ["POST"]),
                ]
                for (method, path, allowed) in undefined {
                    let response = try await w.send(method, path, w.customer, json: method == "GET" || method == "DELETE" ? nil : [:])
                    expectTMFError(response, 405, "methodNotAllowed", reason: method, "\(method) \(path)")
                    let allow = Set((response.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                    #expect(allow.isSuperset(of: allowed) && !allow.contains(method), "\(method) \(path): Allow \(allow)")
                }
                for path in ["/nothing", "/productOrder/\(id)/items", "", "/productorder"] {
                    expectTMFError(try await w.send("GET", path, w.customer), 404, "notFound", "GET \(path)")
                }
                // The order is untouched by all of it.
                #expect(try await w.read(id).json?["state"] == "acknowledged")
                #expect(try await w.stored() == [1, 1, 1, 0])
            }
        }
    }
}
