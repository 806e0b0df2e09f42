import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// How the OMS decides a TMF622 cancellation through the Ordering API alone: refusing by a
    /// message or by another status, asking the customer first, and the cancellation that needs
    /// no decision because nobody started.
    @Suite("TMF622 cancellation decided by the OMS end to end", .serialized)
    struct TMFRoundTripCancelTests {
        static func stateChange(_ state: String) -> String { "ProductOrderStateChangeEvent \(state) [state]" }
        static let requested = ["CancelProductOrderCreateEvent inProgress", stateChange("assessingCancellation")]
        static let refused = "CancelProductOrderStateChangeEvent terminatedWithError [state]"

        @Test("the OMS refuses by a message, by another status, by ready: the task ends terminatedWithError saying why, the order goes back")
        func cancellationRefused() async throws {
            let listener = try TriggerReceiver()
            try await TMFFlow.run { w in
                _ = try await w.listen(w.customer, callback: listener.url)
                let id = try #require(try await w.placeOrder(w.orderBody("Keep it"))["id"]?.stringValue)
                let (project, iid) = try #require(try await w.oms.newItems().first)
                try await w.oms.setStatus(project, iid, "in_progress")
                var expected = ["ProductOrderCreateEvent acknowledged", Self.stateChange("inProgress")]

                /// The customer asks to cancel; the OMS reads the request on its item. - Returns: the task id.
                func request(_ reason: String) async throws -> String {
                    let response = try await w.cancel(id, reason: reason)
                    #expect(response.status == 201, "\(response.text)")
                    let taskID = try #require(response.json?["id"]?.stringValue)
                    #expect(try await w.states(id) == "assessingCancellation [1: assessingCancellation]")
                    let message = try await w.oms.newMessage(project, iid)
                    #expect(message["content"]?.stringValue?.contains(taskID) == true, "\(message)")
                    expected += Self.requested
                    return taskID
                }
                func expectHeard(_ label: String) async throws {
                    try await Heard.expect(expected, from: listener.requests, "\(label)")
                }

                // 1. Refused by a public answer on the item.
                let first = try await request("changed my mind")
                try await w.oms.answer(project, iid, "We have already shipped it")
                let task1 = try await w.cancellation(first)
                #expect(task1["state"] == "terminatedWithError", "\(task1)")
                #expect(task1["stateReason"] == "The provider answered: We have already shipped it", "\(task1)")
                #expect(task1["effectiveCancellationDate"] == nil)
                #expect(try await w.states(id) == "inProgress [1: inProgress]")
                expected += [Self.stateChange("inProgress"), Self.refused]
                try await expectHeard("refused by a message")

                // 2. The OMS asks the customer first (the task goes on), then refuses by going on working.
                let second = try await request("really")
                try await w.oms.setStatus(project, iid, "waiting_for_response", value: "Which data may we delete?")
                #expect(try await w.cancellation(second)["state"] == "inProgress")
                #expect(try await w.states(id) == "assessingCancellation [1: assessingCancellation]")
                expected += ["CancelProductOrderInformationRequiredEvent inProgress [productOrder]"]
                try await expectHeard("information required")
                try await w.oms.setStatus(project, iid, "in_progress", value: "Deploying")
                let task2 = try await w.cancellation(second)
                #expect(task2["state"] == "terminatedWithError", "\(task2)")
                #expect(task2["stateReason"] == "The provider set the item 1 to in_progress (Deploying) instead of closing it", "\(task2)")
                #expect(try await w.states(id) == "inProgress [1: inProgress]")
                expected += [Self.stateChange("inProgress"), Self.refused]
                try await expectHeard("refused by in_progress")

                // 3. The same status type with a new value is a status the OMS set: refused too.
                let third = try await request("please")
                try await w.oms.setStatus(project, iid, "in_progress", value: "Still deploying")
                let task3 = try await w.cancellation(third)
                #expect(task3["state"] == "terminatedWithError", "\(task3)")
                #expect(task3["stateReason"] == "The provider set the item 1 to in_progress (Still deploying) instead of closing it",
                        "\(task3)")
                #expect(try await w.states(id) == "inProgress [1: inProgress]")
                expected += [Self.stateChange("inProgress"), Self.refused]
                try await expectHeard("refused by in_progress again")

                // 4. Refused by delivering: the order completes.
                let fourth = try await request("last try")
                try await w.oms.setStatus(project, iid, "ready", value: "Delivered")
                let task4 = try await w.cancellation(fourth)
                #expect(task4["state"] == "terminatedWithError", "\(task4)")
                #expect(task4["stateReason"] == "The provider set the item 1 to ready (Delivered) instead of closing it", "\(task4)")
                let completed = try await w.productOrder(id)
                #expect(completed["state"] == "completed")
                #expect(completed["completionDate"] != nil && completed["cancellationDate"] == nil, "\(completed)")
                expected += [Self.stateChange("inProgress"), Self.stateChange("completed"), Self.refused]
                try await expectHeard("refused by ready")
                let final = try await w.cancel(id)
                #expect(final.status == 409 && final.json?["code"] == "orderIsFinal", "\(final.text)")

                // The tasks as the customer lists them, each with its outcome.
                let list = try await TestHTTP.send("GET", w.tmf + "/cancelProductOrder?productOrder.id=\(id)", headers: w.customer)
                #expect(list.status == 200, "\(list.text)")
                let tasks = list.json?.arrayValue ?? []
                #expect(Set(tasks.compactMap { $0["id"]?.stringValue }) == [first, second, third, fourth], "\(list.text)")
                #expect(tasks.allSatisfy { $0["state"] == "terminatedWithError" }, "\(list.text)")
                Heard(listener.requests).checkEnvelopes(orderIDs: [id])
            }
            await listener.stop()
        }

        @Test("waiting_for_response during the assessment asks the customer, closing then accepts; an untouched order is cancelled at once")
        func informationRequiredThenAcceptedAndAtOnce() async throws {
            let listener = try TriggerReceiver()
            try await TMFFlow.run { w in
                _ = try await w.listen(w.customer, callback: listener.url)

                // An order the OMS works on: it asks the customer, then accepts by closing.
                let id = try #require(try await w.placeOrder(w.orderBody("Started"))["id"]?.stringValue)
                let (project, iid) = try #require(try await w.oms.newItems().first)
                try await w.oms.setStatus(project, iid, "in_progress")
                let created = try await w.cancel(id, reason: "budget cut")
                let taskID = try #require(created.json?["id"]?.stringValue, "\(created.text)")
                #expect(try await w.oms.newMessage(project, iid)["content"]?.stringValue?.contains("budget cut") == true)
                try await w.oms.setStatus(project, iid, "waiting_for_response", value: "Shall we keep the data?")
                #expect(try await w.cancellation(taskID)["state"] == "inProgress")
                #expect(try await w.states(id) == "assessingCancellation [1: assessingCancellation]")
                var expected = ["ProductOrderCreateEvent acknowledged", Self.stateChange("inProgress")] + Self.requested
                    + ["CancelProductOrderInformationRequiredEvent inProgress [productOrder]"]
                try await Heard.expect(expected, from: listener.requests)
                let asked = Heard(listener.requests).events.last
                #expect(asked?["event"]?["cancelProductOrder"]?["id"]?.stringValue == taskID)
                try await w.oms.setStatus(project, iid, "closed", value: "Closed, data deleted")
                let done = try await w.cancellation(taskID)
                #expect(done["state"] == "done" && done["effectiveCancellationDate"] != nil, "\(done)")
                #expect(try await w.states(id) == "cancelled [1: cancelled]")
                expected += [Self.stateChange("pendingCancellation"), Self.stateChange("cancelled"),
                             "CancelProductOrderStateChangeEvent done [state]"]
                try await Heard.expect(expected, from: listener.requests)

                // An order nobody touched is cancelled at once, and the OMS learns its item is closed.
                let untouched = try #require(try await w.placeOrder(w.orderBody("Untouched"))["id"]?.stringValue)
                let (project2, iid2) = try #require(try await w.oms.newItems().first)
                let atOnce = try await w.cancel(untouched, reason: "ordered by mistake")
                #expect(atOnce.status == 201, "\(atOnce.text)")
                #expect(atOnce.json?["state"] == "done", "\(atOnce.text)")
                #expect(atOnce.json?["effectiveCancellationDate"] != nil, "\(atOnce.text)")
                let gone = try await w.productOrder(untouched)
                #expect(gone["state"] == "cancelled" && gone["cancellationDate"] != nil, "\(gone)")
                #expect(gone["productOrderItem"]?.arrayValue?.first?["state"] == "cancelled")
                expected += ["ProductOrderCreateEvent acknowledged", "CancelProductOrderCreateEvent inProgress",
                             Self.stateChange("assessingCancellation"), Self.stateChange("pendingCancellation"),
                             Self.stateChange("cancelled"), "CancelProductOrderStateChangeEvent done [state]"]
                try await Heard.expect(expected, from: listener.requests)
                #expect(try await w.oms.statusChanges(project2, iid2, until: "closed") == ["closed"])
                let item = try await w.oms.item(project2, iid2)
                #expect(item["status"] == ["type": "closed", "value": "cancelled by the customer"], "\(item)")
                // Nothing to decide, so no request on the item.
                let messages = try await TestHTTP.send("GET", w.oms.base + "/messages?project_id=\(project2)&project_item_id=\(iid2)",
                                                       headers: w.oms.headers)
                #expect(messages.json?["messages"]?.arrayValue?.isEmpty == true, "\(messages.text)")
                Heard(listener.requests).checkEnvelopes(orderIDs: [id, untouched])
            }
            await listener.stop()
        }
    }
}
