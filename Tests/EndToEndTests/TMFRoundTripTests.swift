import Foundation
import HTTPCore
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// TMF622 over the same orders, end to end: a TMF client orders and listens, the provider's
    /// OMS (an EOSC integrator that knows nothing of TMF622) is woken by its trigger and answers
    /// through the Ordering API, and the client sees each answer through GET and its hub listeners.
    @Suite("TMF622 round trip end to end", .serialized)
    struct TMFRoundTripTests {
        @Test("a TMF order travels to the OMS; each status it sets shows through GET and reaches the matching listeners, signed")
        func roundTrip() async throws {
            let all = try TriggerReceiver(), stateChanges = try TriggerReceiver(), stranger = try TriggerReceiver()
            try await TMFFlow.run { w in
                let second = try await w.newUser("second-customer")
                _ = try await w.listen(w.customer, callback: all.url)
                _ = try await w.listen(w.customer, callback: stateChanges.url, query: "eventType=ProductOrderStateChangeEvent")
                _ = try await w.listen(second, callback: stranger.url)

                // The TMF client orders; its unfiltered listener hears of it.
                let order = try await w.placeOrder(w.orderBody("Round trip"))
                let id = try #require(order["id"]?.stringValue)
                #expect(order["productOrderItem"]?.arrayValue?.first?["state"] == "acknowledged")
                var expectedAll = ["ProductOrderCreateEvent acknowledged"]
                var expectedStates: [String] = []
                try await Heard.expect(expectedAll, from: all.requests)

                // The OMS, woken by its trigger, finds the new item among its events and reads it.
                let (project, iid) = try #require(try await w.oms.newItems().first)
                let item = try await w.oms.item(project, iid)
                #expect(item["status"]?["type"] == "created")
                let properties = item["attributes"]?["offer_properties"]?.arrayValue ?? []
                #expect(properties.first { $0["id"] == "cpu" }?["value"] == 2, "\(item)")
                let projectRead = try await TestHTTP.send("GET", w.oms.base + "/projects/\(project)", headers: w.oms.headers)
                #expect(projectRead.json?["attributes"]?["name"] == "Round trip", "\(projectRead.text)")

                // It moves the item along; after each status the client sees the mapped states and
                // its listeners hear exactly the events that status causes.
                let stateChange = { (state: String) in "ProductOrderStateChangeEvent \(state) [state]" }
                let steps: [(eosc: String, shown: String, all: [String], states: [String])] = [
                    // registered is still acknowledged: nothing moved, nothing to tell.
                    ("registered", "acknowledged [1: acknowledged]", [], []),
                    ("in_progress", "inProgress [1: inProgress]", [stateChange("inProgress")], [stateChange("inProgress")]),
                    ("waiting_for_response", "pending [1: pending]",
                     [stateChange("pending"), "ProductOrderInformationRequiredEvent pending [productOrderItem.state]"],
                     [stateChange("pending")]),
                    ("in_progress", "inProgress [1: inProgress]", [stateChange("inProgress")], [stateChange("inProgress")]),
                    ("ready", "completed [1: completed]", [stateChange("completed")], [stateChange("completed")]),
                ]
                for step in steps {
                    try await w.oms.setStatus(project, iid, step.eosc)
                    #expect(try await w.states(id) == step.shown, "after \(step.eosc)")
                    expectedAll += step.all
                    expectedStates += step.states
                    try await Heard.expect(expectedAll, from: all.requests, "after \(step.eosc)")
                    try await Heard.expect(expectedStates, from: stateChanges.requests, "after \(step.eosc)")
                }
                let completed = try await w.productOrder(id)
                let orderDate = try #require(Timestamp(parsing: completed["orderDate"]?.stringValue ?? ""))
                let completionDate = try #require(Timestamp(parsing: completed["completionDate"]?.stringValue ?? ""), "\(completed)")
                #expect(completionDate >= orderDate)
                #expect(completed["cancellationDate"] == nil)

                // The same order in the EOSC view of the customer.
                let eosc = try await TestHTTP.send("GET", w.demo.api + "/api/v1/projects/\(project)/project_items/\(iid)",
                                                   headers: w.demo.user)
                #expect(eosc.json?["status"]?["type"] == "ready", "\(eosc.text)")

                // Fences: the second customer orders (its listener's first event is that order's, so it
                // heard nothing of the first customer's), then the first customer orders again (the
                // next thing its listener hears), so nothing else was on the way.
                let secondOrder = try await w.placeOrder(w.orderBody("Someone else's"), headers: second)
                let strangerHeard = try await Heard.waiting(for: 1, from: stranger.requests)
                #expect(strangerHeard.lines == ["ProductOrderCreateEvent acknowledged"])
                #expect(strangerHeard.events.first?["event"]?["productOrder"]?["id"] == secondOrder["id"])
                let again = try await w.placeOrder(w.orderBody("Again"))
                let heard = try await Heard.waiting(for: expectedAll.count + 1, from: all.requests)
                #expect(heard.lines == expectedAll + ["ProductOrderCreateEvent acknowledged"])
                #expect(heard.events.last?["event"]?["productOrder"]?["id"] == again["id"])
                #expect(Heard(stateChanges.requests).lines == expectedStates)
                #expect(Heard(stranger.requests).events.count == 1)

                // Every callback is signed and well formed, each delivery has its own id, and one event
                // heard by two listeners has one eventId.
                heard.checkEnvelopes(orderIDs: [id, again["id"]?.stringValue ?? ""])
                Heard(stateChanges.requests).checkEnvelopes(orderIDs: [id])
                strangerHeard.checkEnvelopes(orderIDs: [secondOrder["id"]?.stringValue ?? ""])
                let deliveryIDs = (all.requests + stateChanges.requests).compactMap { $0.header("X-OMS-Delivery-Id") }
                #expect(Set(deliveryIDs).count == deliveryIDs.count)
                let eventIDs = heard.events.compactMap { $0["eventId"]?.stringValue }
                for event in Heard(stateChanges.requests).events {
                    #expect(eventIDs.contains(event["eventId"]?.stringValue ?? ""), "\(event)")
                }
                #expect(heard.events.allSatisfy { $0["event"]?["productOrder"]?["productOrderItem"]?.arrayValue?.count == 1 })
            }
            for receiver in [all, stateChanges, stranger] { await receiver.stop() }
        }

        @Test("a cancellation reaches the OMS as a message on its item; the OMS closes the item and the order is cancelled")
        func cancellationAccepted() async throws {
            let listener = try TriggerReceiver()
            try await TMFFlow.run { w in
                _ = try await w.listen(w.customer, callback: listener.url)
                let id = try #require(try await w.placeOrder(w.orderBody("Cancel me"))["id"]?.stringValue)
                let (project, iid) = try #require(try await w.oms.newItems().first)
                try await w.oms.setStatus(project, iid, "in_progress")
                var expected = ["ProductOrderCreateEvent acknowledged", "ProductOrderStateChangeEvent inProgress [state]"]
                try await Heard.expect(expected, from: listener.requests)

                // The customer asks to cancel: the provider must assess it.
                let response = try await w.cancel(id, reason: "no longer needed")
                #expect(response.status == 201, "\(response.text)")
                let task = try #require(response.json)
                let taskID = try #require(task["id"]?.stringValue)
                #expect(task["state"] == "inProgress")
                #expect(task["cancellationReason"] == "no longer needed")
                #expect(task["productOrder"]?["id"]?.stringValue == id)
                #expect(task["effectiveCancellationDate"] == nil)
                #expect(response.header("Location") == w.tmf + "/cancelProductOrder/" + taskID)
                #expect(try await w.states(id) == "assessingCancellation [1: assessingCancellation]")
                expected += ["CancelProductOrderCreateEvent inProgress", "ProductOrderStateChangeEvent assessingCancellation [state]"]
                try await Heard.expect(expected, from: listener.requests)

                // The OMS is woken by the customer's message on its item, which says what to do.
                let message = try await w.oms.newMessage(project, iid)
                let content = message["content"]?.stringValue ?? ""
                #expect(message["author"]?["role"] == "user")
                #expect(message["scope"] == "public")
                #expect(content.contains(taskID) && content.contains("no longer needed"), "\(content)")
                #expect(content.contains("status type to closed"), "\(content)")
                #expect(try await w.oms.item(project, iid)["status"]?["type"] == "in_progress")

                // It accepts by closing the item.
                try await w.oms.setStatus(project, iid, "closed", value: "Cancelled at the customer's request")
                let done = try await w.cancellation(taskID)
                #expect(done["state"] == "done", "\(done)")
                #expect(Timestamp(parsing: done["effectiveCancellationDate"]?.stringValue ?? "") != nil, "\(done)")
                #expect(done["stateReason"] == nil)
                let cancelled = try await w.productOrder(id)
                #expect(cancelled["state"] == "cancelled")
                #expect(cancelled["productOrderItem"]?.arrayValue?.first?["state"] == "cancelled")
                #expect(Timestamp(parsing: cancelled["cancellationDate"]?.stringValue ?? "") != nil, "\(cancelled)")
                #expect(cancelled["completionDate"] == nil)
                expected += ["ProductOrderStateChangeEvent pendingCancellation [state]", "ProductOrderStateChangeEvent cancelled [state]",
                             "CancelProductOrderStateChangeEvent done [state]"]
                let heard = try await Heard.waiting(for: expected.count, from: listener.requests)
                #expect(heard.lines == expected)
                heard.checkEnvelopes(orderIDs: [id])
                #expect(heard.events.last?["event"]?["cancelProductOrder"]?["id"]?.stringValue == taskID)

                // The EOSC view agrees, and a cancelled order cannot be cancelled again.
                let eosc = try await TestHTTP.send("GET", w.demo.api + "/api/v1/projects/\(project)/project_items/\(iid)",
                                                   headers: w.demo.user)
                #expect(eosc.json?["status"]?["type"] == "closed", "\(eosc.text)")
                let again = try await w.cancel(id)
                #expect(again.status == 409, "\(again.text)")
                #expect(again.json?["code"] == "orderIsFinal", "\(again.text)")
            }
            await listener.stop()
        }
    }
}
