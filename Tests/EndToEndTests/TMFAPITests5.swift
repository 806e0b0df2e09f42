import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// `cancelProductOrder`: at once when no provider started, otherwise decided by the OMS
    /// through the Ordering API; the refusals; list and retrieve.
    @Suite("TMF622 API: cancelProductOrder", .serialized)
    struct TMFAPICancelTests {
        @Test("cancel at once when no provider started: 201, done, order cancelled, EOSC item closed; refusals; list and retrieve")
        func cancelAtOnce() async throws {
            try await TMFAPIWorld.run { w in
                let order = try await w.created(TMFAPIWorld.order(["description": "cancel me"]))
                let id = try #require(order["id"]?.stringValue)
                let response = try await w.cancel(id, extra: ["cancellationReason": "Changed my mind",
                                                              "requestedCancellationDate": "2030-01-01T00:00:00Z", "x-ticket": "T-1"])
                #expect(response.status == 201, "\(response.text)")
                let task = try #require(response.json)
                let taskID = try #require(task["id"]?.stringValue)
                #expect(task["href"]?.stringValue == w.base + "/cancelProductOrder/\(taskID)")
                #expect(response.header("Location") == task["href"]?.stringValue)
                #expect(task["@type"] == "CancelProductOrder" && task["state"] == "done" && task["x-ticket"] == "T-1", "\(task)")
                #expect(task["productOrder"]?["id"]?.stringValue == id && task["productOrder"]?["href"] == order["href"], "\(task)")
                #expect(task["cancellationReason"] == "Changed my mind", "\(task)")
                #expect(task["requestedCancellationDate"]?.stringValue.flatMap { Timestamp(parsing: $0) }?.rfc3339Seconds
                        == "2030-01-01T00:00:00Z", "\(task)")
                #expect(task["effectiveCancellationDate"]?.stringValue.flatMap { Timestamp(parsing: $0) } != nil, "\(task)")

                let cancelled = try #require(try await w.read(id).json)
                #expect(cancelled["state"] == "cancelled" && cancelled["cancellationDate"]?.stringValue != nil, "\(cancelled)")
                #expect(cancelled["completionDate"] == nil)
                #expect(cancelled["productOrderItem"]?.arrayValue?.map { $0["state"] } == ["cancelled"], "\(cancelled)")
                for item in try await w.items(of: id) {
                    let oms = try await w.omsItem(projectID: item.projectID, iid: item.iid)
                    #expect(oms?["status"] == ["value": "cancelled by the customer", "type": "closed"], "\(String(describing: oms))")
                }

                // Refusals: nothing is written.
                let open = try #require(try await w.created(TMFAPIWorld.order(["description": "still open"]))["id"]?.stringValue)
                let theirs = try #require(try await w.created(TMFAPIWorld.order(), w.otherToken)["id"]?.stringValue)
                let completed = try #require(try await w.created(TMFAPIWorld.order(["description": "delivered"]))["id"]?.stringValue)
                try await w.omsSets(completed, "ready")
                let before = try await w.stored()
                let bad: [(String, JSONValue, Int, String, String?, String?)] = [
                    ("no productOrder", ["cancellationReason": "x"], 400, "invalidAttribute", nil, "'productOrder'"),
                    ("a productOrder without id", ["productOrder": ["href": "x"]], 400, "invalidAttribute", "productOrder", "'id'"),
                    ("a bad date", ["productOrder": ["id": .string(open)], "requestedCancellationDate": "soon"], 400, "invalidAttribute",
                     "requestedCancellationDate", nil),
                    ("a server-owned state", ["productOrder": ["id": .string(open)], "state": "done"], 400, "invalidAttribute", "state",
                     "set by the server"),
                    ("a server-owned effectiveCancellationDate", ["productOrder": ["id": .string(open)],
                     "effectiveCancellationDate": "2030-01-01T00:00:00Z"], 400, "invalidAttribute", "effectiveCancellationDate", nil),
                    ("an unknown order", ["productOrder": ["id": "no-such-order"]], 400, "invalidAttribute", "productOrder.id",
                     "no-such-order"),
                    ("another customer's order", ["productOrder": ["id": .string(theirs)]], 400, "invalidAttribute", "productOrder.id", nil),
                    ("a cancelled order", ["productOrder": ["id": .string(id)]], 409, "orderIsFinal", "productOrder.id",
                     "The order is cancelled, a final state"),
                    ("a completed order", ["productOrder": ["id": .string(completed)]], 409, "orderIsFinal", "productOrder.id",
                     "The order is completed, a final state: it can no longer be cancelled"),
                ]
                for (label, body, status, code, field, reason) in bad {
                    expectTMFError(try await w.send("POST", "/cancelProductOrder", w.customer, json: body), status, code, field: field,
                                   reason: reason, label)
                }
                let openBody: JSONValue = ["productOrder": ["id": .string(open)]]
                expectTMFError(try await w.cancel(open, w.provider), 403, "forbidden", "the provider, who only reads it")
                expectTMFError(try await w.cancel(open, w.otherToken), 400, "invalidAttribute", field: "productOrder.id", "a stranger")
                expectTMFError(try await w.send("POST", "/cancelProductOrder", nil, json: openBody), 401, "unauthorized", "no token")
                expectTMFError(try await w.send("POST", "/cancelProductOrder", w.customer, body: Data(try WireFormat.encode(openBody)),
                                                headers: ["Content-Type": "text/plain"]), 415, "unsupportedMediaType", "text/plain")
                expectTMFError(try await w.send("POST", "/cancelProductOrder", w.customer, body: Data("{".utf8),
                                                headers: ["Content-Type": "application/json"]), 400, "invalidBody", "not JSON")
                #expect(try await w.stored() == before)
                #expect(try await w.read(open).json?["state"] == "acknowledged")

                // An administrator may cancel a customer's order.
                let byAdmin = try await w.cancel(open, w.adminToken)
                #expect(byAdmin.status == 201 && byAdmin.json?["state"] == "done", "\(byAdmin.text)")
                #expect(try await w.read(open).json?["state"] == "cancelled")

                // List and retrieve, with fields and filters; others see none of it.
                let list = try await w.send("GET", "/cancelProductOrder", w.customer)
                #expect(list.status == 200 && list.header("X-Total-Count") == "2" && list.header("X-Result-Count") == "2", "\(list.text)")
                let listed = list.json?.arrayValue ?? []
                #expect(listed.compactMap { $0["productOrder"]?["id"]?.stringValue } == [open, id], "newest first: \(list.text)")
                #expect(listed.last == task, "\(list.text)")
                let slim = try await w.send("GET", "/cancelProductOrder?fields=state&state=done&limit=1", w.customer)
                #expect(slim.header("X-Total-Count") == "2" && slim.json?.arrayValue?.count == 1, "\(slim.text)")
                #expect(Set(slim.json?.arrayValue?.first?.objectValue?.keys.map { $0 } ?? []) == ["id", "href", "@type", "state"])
                #expect(try await w.send("GET", "/cancelProductOrder?state=inProgress", w.customer).json == [])
                #expect(try await w.send("GET", "/cancelProductOrder?productOrder.id=\(id)", w.customer).json?.arrayValue == [task])
                expectTMFError(try await w.send("GET", "/cancelProductOrder?colour=red", w.customer), 400, "invalidAttribute",
                               field: "colour", "unknown attribute")
                #expect(try await w.send("GET", "/cancelProductOrder", w.otherToken).json == [])
                #expect(try await w.send("GET", "/cancelProductOrder", w.operatorToken).header("X-Total-Count") == "2")
                let read = try await w.send("GET", "/cancelProductOrder/\(taskID)", w.customer)
                #expect(read.status == 200 && read.json == task, "\(read.text)")
                let fields = try await w.send("GET", "/cancelProductOrder/\(taskID)?fields=productOrder", w.provider)
                #expect(fields.json == ["id": .string(taskID), "href": task["href"]!, "@type": "CancelProductOrder",
                                        "productOrder": task["productOrder"]!], "\(fields.text)")
                expectTMFError(try await w.send("GET", "/cancelProductOrder/\(taskID)", w.otherToken), 404, "notFound", "a stranger")
                expectTMFError(try await w.send("GET", "/cancelProductOrder/nothing", w.customer), 404, "notFound", "unknown")

                // Idempotency-Key: a retry gets the same task, though the order is final by now.
                let retried = try #require(try await w.created(TMFAPIWorld.order(["description": "retried"]))["id"]?.stringValue)
                let key = ["Idempotency-Key": "cancel-1"]
                let retriedBody: JSONValue = ["productOrder": ["id": .string(retried)]]
                let firstTry = try await w.send("POST", "/cancelProductOrder", w.customer, json: retriedBody, headers: key)
                #expect(firstTry.status == 201 && firstTry.json?["state"] == "done", "\(firstTry.text)")
                let counted = try await w.stored()
                let secondTry = try await w.send("POST", "/cancelProductOrder", w.customer, json: retriedBody, headers: key)
                #expect(secondTry.status == 201 && secondTry.json == firstTry.json, "\(secondTry.text)")
                expectTMFError(try await w.send("POST", "/cancelProductOrder", w.customer, json: ["productOrder": ["id": .string(retried)],
                                                "cancellationReason": "other"], headers: key), 422, "idempotencyKeyReused",
                               reason: "Idempotency-Key", "the key with another body")
                expectTMFError(try await w.send("POST", "/cancelProductOrder", w.customer, json: retriedBody,
                                                headers: ["Idempotency-Key": "cancel-2"]), 409, "orderIsFinal", "a new key")
                #expect(try await w.stored() == counted)
            }
        }

        @Test("once a provider started, the OMS decides: close accepts, another status or a message refuses; one open at a time")
        func cancelDecidedByTheProvider() async throws {
            try await TMFAPIWorld.run { w in
                /// An order whose item the provider OMS started, with a cancellation opened on it.
                func assessing(_ name: String) async throws -> (order: String, task: String) {
                    let order = try #require(try await w.created(TMFAPIWorld.order(["description": .string(name)]))["id"]?.stringValue)
                    try await w.omsSets(order, "in_progress", value: "Deploying")
                    #expect(try await w.read(order).json?["state"] == "inProgress")
                    let response = try await w.cancel(order, extra: ["cancellationReason": "No budget"])
                    #expect(response.status == 201 && response.json?["state"] == "inProgress", "\(response.text)")
                    let read = try #require(try await w.read(order).json)
                    #expect(read["state"] == "assessingCancellation" && read["cancellationDate"] == nil, "\(read)")
                    #expect(read["productOrderItem"]?.arrayValue?.map { $0["state"] } == ["assessingCancellation"], "\(read)")
                    // Item filters see the item as shown, in the database and in memory alike.
                    for query in ["productOrderItem.state=assessingCancellation", "productOrderItem.state=assessingCancellation&productOrderItem.action=add"] {
                        #expect(try await w.ids(query + "&limit=1000").contains(order), "\(query)")
                    }
                    #expect(try await !w.ids("productOrderItem.state=inProgress&limit=1000").contains(order))
                    return (order, try #require(response.json?["id"]?.stringValue))
                }
                func task(_ id: String) async throws -> JSONValue? {
                    try await w.send("GET", "/cancelProductOrder/\(id)", w.customer).json
                }

                // Accepted: the OMS closes the item. Meanwhile a second cancellation is refused.
                let accepted = try await assessing("accepted")
                let before = try await w.stored()
                let second = try await w.cancel(accepted.order)
                expectTMFError(second, 409, "conflict", "a second cancellation")
                #expect(try await w.stored() == before)
                // The customer's request reached the item as a public message for the OMS.
                let item = try #require(try await w.items(of: accepted.order).first)
                let messages = try await TestHTTP.send(
                    "GET", w.demo.api + "/api/v1/oms/\(w.demo.seed.omsID)/messages?project_id=\(item.projectID)&project_item_id=\(item.iid)",
                    headers: w.demo.oms)
                let contents = messages.json?["messages"]?.arrayValue?.compactMap { $0["content"]?.stringValue } ?? []
                #expect(contents.contains { $0.contains("The customer asks to cancel this order (TMF622 cancelProductOrder \(accepted.task))")
                    && $0.contains("Reason: No budget") && $0.contains("set this item's status type to closed") }, "\(messages.text)")
                try await w.omsSets(accepted.order, "closed", value: "Cancelled as asked")
                let done = try await task(accepted.task)
                #expect(done?["state"] == "done" && done?["effectiveCancellationDate"]?.stringValue != nil, "\(String(describing: done))")
                let cancelled = try await w.read(accepted.order).json
                #expect(cancelled?["state"] == "cancelled" && cancelled?["cancellationDate"]?.stringValue != nil, "\(String(describing: cancelled))")

                // Refused by another status: the order follows its item (here to completed).
                let delivered = try await assessing("delivered anyway")
                try await w.omsSets(delivered.order, "ready", value: "Already delivered")
                let refused = try await task(delivered.task)
                #expect(refused?["state"] == "terminatedWithError" && refused?["effectiveCancellationDate"] == nil)
                #expect(refused?["stateReason"] == "The provider set the item 1 to ready (Already delivered) instead of closing it",
                        "\(String(describing: refused))")
                #expect(try await w.read(delivered.order).json?["state"] == "completed")

                // Refused by a message of the provider: the order goes back to where it was.
                let answered = try await assessing("answered")
                let answeredItem = try #require(try await w.items(of: answered.order).first)
                let message = try await TestHTTP.sendAwaitingOutcome(
                    "POST", w.demo.api + "/api/v1/oms/\(w.demo.seed.omsID)/messages", headers: w.demo.oms, json: [
                        "project_id": .int(answeredItem.projectID), "project_item_id": .int(answeredItem.iid), "scope": "public",
                        "content": "Too late: the VM holds your data",
                        "author": ["email": "provider@example.org", "name": "The provider", "role": "provider"]])
                #expect(message.status == 201, "\(message.text)")
                let answer = try await task(answered.task)
                #expect(answer?["state"] == "terminatedWithError"
                        && answer?["stateReason"] == "The provider answered: Too late: the VM holds your data", "\(String(describing: answer))")
                let back = try await w.read(answered.order).json
                #expect(back?["state"] == "inProgress" && back?["productOrderItem"]?.arrayValue?.first?["state"] == "inProgress",
                        "\(String(describing: back))")
                // Refused, it may be asked again.
                let again = try await w.cancel(answered.order)
                #expect(again.status == 201 && again.json?["state"] == "inProgress", "\(again.text)")

                // Asking the customer first keeps the cancellation open.
                let asked = try await assessing("asked")
                try await w.omsSets(asked.order, "waiting_for_response", value: "Keep the data?")
                #expect(try await task(asked.task)?["state"] == "inProgress")
                #expect(try await w.read(asked.order).json?["state"] == "assessingCancellation")
                let listed = try await w.send("GET", "/cancelProductOrder?state=terminatedWithError&fields=stateReason", w.customer)
                #expect(listed.header("X-Total-Count") == "2" && listed.json?.arrayValue?.count == 2, "\(listed.text)")
            }
        }
    }
}
