import Foundation
import HTTPCore
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The TMF622 issue's "done when": a client generated from TM Forum's v4 swagger, knowing
    /// nothing of EOSC, orders, follows, changes, cancels and listens, while an OMS adapter
    /// generated from the marketplace's ordering_swagger.json, knowing nothing of TMF622, handles
    /// the same order (`Tests/GeneratedClient/tmf_round_trip.py`; both clients prepared by
    /// `deploy/generated-client.sh`). Their strict models check every answer of both APIs.
    @Suite("Generated TMF622 client and EOSC OMS adapter on one order", .serialized)
    struct TMFGeneratedClientTests {
        @Test("order, follow, change, cancel and listen through TMF622; the OMS handles it through the Ordering API")
        func roundTrip() async throws {
            let environment = ProcessInfo.processInfo.environment
            let python = try #require(environment["OMS_TEST_CLIENT_PYTHON"],
                                      "OMS_TEST_CLIENT_PYTHON is unset: run the tests with bash deploy/test.sh")
            let eoscClient = try #require(environment["OMS_TEST_CLIENT_DIR"], "OMS_TEST_CLIENT_DIR is unset")
            let tmfClient = try #require(environment["OMS_TEST_TMF_CLIENT_DIR"], "OMS_TEST_TMF_CLIENT_DIR is unset")
            let trigger = try TriggerReceiver()
            let listener = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: trigger.url) { demo in
                let environment = [
                    "PYTHONPATH": "\(eoscClient):\(tmfClient)", "OMS_API_URL": demo.api, "TMF_TOKEN": demo.seed.userToken,
                    "OMS_TOKEN": demo.seed.omsToken, "OMS_ID": String(demo.seed.omsID),
                    "LISTENER_URL": "http://127.0.0.1:\(listener.port)/listener",
                    "OFFERING_ID": "\(demo.seed.resourceID)/\(demo.seed.offerID)",
                ]
                let (status, text) = try runGeneratedClientScript("tmf_round_trip.py", python: python, environment: environment)
                #expect(status == 0, "\(text)")
                #expect(text.contains("checks passed"), "\(text)")
                let orderID = text.split(separator: "\n").first { $0.hasPrefix("ORDER ") }.map { String($0.dropFirst(6)) }

                // The listener heard the whole story about that order, each event once.
                let expected = [
                    "ProductOrderCreateEvent acknowledged", "ProductOrderStateChangeEvent inProgress",
                    "ProductOrderAttributeValueChangeEvent inProgress", "CancelProductOrderCreateEvent inProgress",
                    "ProductOrderStateChangeEvent assessingCancellation", "ProductOrderStateChangeEvent pendingCancellation",
                    "ProductOrderStateChangeEvent cancelled", "CancelProductOrderStateChangeEvent done",
                ]
                func heard() -> [String] {
                    listener.requests.compactMap { request -> String? in
                        guard let event = try? WireFormat.decode(JSONValue.self, from: request.body),
                              let type = event["eventType"]?.stringValue else { return nil }
                        let resource = event["event"]?["productOrder"] ?? event["event"]?["cancelProductOrder"]
                        let id = resource?["productOrder"]?["id"]?.stringValue ?? resource?["id"]?.stringValue
                        guard id == orderID else { return nil }
                        return "\(type) \(resource?["state"]?.stringValue ?? "")"
                    }
                }
                let complete = try await TestHTTP.eventually { heard().count >= expected.count }
                #expect(complete, "heard: \(heard())")
                // Deliveries run concurrently, so arrival order is not event order: each event once.
                #expect(heard().sorted() == expected.sorted(), "heard: \(heard())")
                #expect(listener.requests.allSatisfy { $0.header("X-OMS-Delivery-Id") != nil && $0.header("X-OMS-Signature") != nil })
                #expect(!trigger.requests.isEmpty, "the OMS was woken by its trigger")
            }
            await trigger.stop()
            await listener.stop()
        }
    }
}
