import CryptoClient
import Foundation
import HTTPCore
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The walking skeleton's flow, through the real executables, PostgreSQL, RabbitMQ, an HTTP
    /// receiver for the trigger and an SMTP server for the mail.
    @Suite("One order end to end", .serialized)
    struct OrderFlowTests {
        @Test("an order travels from the user to the OMS trigger and the provider's mailbox, and back")
        func orderEndToEnd() async throws {
            let smtp = try await SMTPCatcher()
            defer { smtp.stop() }
            let receiver = try TriggerReceiver()
            try await SystemUnderTest.with(environment: ["OMS_SMTP_URL": smtp.url]) { system in
                _ = try await system.ctl(["migrate"])
                let seed = try DemoSeed(output: try await system.ctl([
                    "seed-demo", "--trigger-url", receiver.url, "--provider-email", "provider@example.org",
                    "--user-email", "researcher@example.org"]).output)
                try await system.start()
                let api = system.gatewayURL
                let user = ["X-User-Token": seed.userToken]
                let oms = ["X-User-Token": seed.omsToken]

                // The user creates a project.
                let project = try await TestHTTP.send("POST", api + "/api/v1/projects", headers: user, json: [
                    "name": "Protein folding", "customer_typology": "research", "organization": "Example University"])
                #expect(project.status == 201, "\(project.text)")
                let projectID = try #require(project.json?["id"]?.intValue)

                // A bad parameter value is refused with 400 naming the parameter, and nothing is created.
                let bad = try await TestHTTP.send("POST", api + "/api/v1/projects/\(projectID)/project_items", headers: user, json: [
                    "resource_id": .string(seed.resourceID), "offer_id": .int(seed.offerID),
                    "parameters": ["cpu": 64, "flavour": "medium"]])
                #expect(bad.status == 400)
                #expect(bad.json?["error"]?["parameters.cpu"] != nil, "\(bad.text)")
                let noItems = try await TestHTTP.send("GET", api + "/api/v1/projects/\(projectID)/project_items", headers: user)
                #expect(noItems.json?["project_items"]?.arrayValue?.isEmpty == true)

                // A good order is created: 201 with the item in status `created`.
                let order = try await TestHTTP.send("POST", api + "/api/v1/projects/\(projectID)/project_items", headers: user, json: [
                    "resource_id": .string(seed.resourceID), "offer_id": .int(seed.offerID),
                    "parameters": ["cpu": 4, "flavour": "medium"]])
                #expect(order.status == 201, "\(order.text)")
                let iid = try #require(order.json?["id"]?.intValue)
                #expect(order.json?["status"]?["type"]?.stringValue == "created")
                #expect(order.header("Location")?.hasSuffix("/api/v1/projects/\(projectID)/project_items/\(iid)") == true)

                // The OMS trigger fires: the configured method, Basic auth, a delivery id and a valid signature.
                #expect(try await TestHTTP.eventually { receiver.requests.contains { $0.method == "POST" } })
                let trigger = try #require(receiver.requests.first)
                #expect(trigger.header("Authorization") == "Basic " + Data("demo:demo-secret".utf8).base64EncodedString())
                #expect(trigger.body.isEmpty)
                let deliveryID = try #require(trigger.header("X-OMS-Delivery-Id"))
                let timestamp = try #require(trigger.header("X-OMS-Timestamp"))
                let expected = "sha256=" + Crypto.hex(Crypto.hmacSHA256(key: Array("test-signing-key".utf8),
                                                                       message: Array("\(timestamp).\(deliveryID).".utf8)))
                #expect(trigger.header("X-OMS-Signature") == expected)

                // The provider's contact gets an e-mail about the order.
                let mails = try await smtp.waitForMessages(count: 1, timeout: .seconds(20))
                let providerMail = try #require(mails.first { $0.envelopeRecipients.contains("provider@example.org") })
                #expect(providerMail.body.contains("cpu") || providerMail.body.contains("CPUs"))

                // The OMS reads its events, then the item, and registers it.
                let events = try await TestHTTP.send("GET", api + "/api/v1/oms/\(seed.omsID)/events?from_timestamp=2020-01-01T00:00:00Z",
                                                     headers: oms)
                #expect(events.status == 200, "\(events.text)")
                let itemEvents = events.json?["events"]?.arrayValue?.filter { $0["resource"]?.stringValue == "project_item" } ?? []
                #expect(itemEvents.contains { $0["type"]?.stringValue == "create" && $0["project_item_id"]?.intValue == iid })
                let itemPath = api + "/api/v1/oms/\(seed.omsID)/projects/\(projectID)/project_items/\(iid)"
                let read = try await TestHTTP.send("GET", itemPath, headers: oms)
                #expect(read.status == 200)
                #expect(read.json?["attributes"]?["offer_properties"]?.arrayValue?.count == 2)
                let patch = try await TestHTTP.send("PATCH", itemPath, headers: oms,
                                                    json: ["status": ["value": "Registered in helpdesk", "type": "registered"]])
                #expect(patch.status == 200, "\(patch.text)")
                #expect(patch.json?["status"]?["type"]?.stringValue == "registered")

                // The user sees the new status.
                let mine = try await TestHTTP.send("GET", api + "/api/v1/projects/\(projectID)/project_items/\(iid)", headers: user)
                #expect(mine.json?["status"]?["value"]?.stringValue == "Registered in helpdesk")

                // The update is an event too, and triggers the OMS again.
                let later = try await TestHTTP.send("GET", api + "/api/v1/oms/\(seed.omsID)/events?from_timestamp=2020-01-01T00:00:00Z",
                                                    headers: oms)
                let update = later.json?["events"]?.arrayValue?.first { $0["type"]?.stringValue == "update" }
                #expect(update?["changes"]?.arrayValue?.contains {
                    $0["field"]?.stringValue == "status.type" && $0["before"]?.stringValue == "created" && $0["after"]?.stringValue == "registered"
                } == true)

                // oms-metrics counts the order for its provider and the status change.
                let counted = try await TestHTTP.eventually {
                    let text = try await TestHTTP.send("GET", system.url(of: "oms-metrics") + "/metrics").text
                    return text.contains("oms_orders_created_total{") && text.contains("Demo Provider")
                        && text.contains("oms_status_changes_total{status=\"registered\"} 1")
                }
                let metricsText = try await TestHTTP.send("GET", system.url(of: "oms-metrics") + "/metrics").text
                #expect(counted, "\(metricsText)")

                // SIGTERM: every service stops taking work, finishes and exits 0.
                let statuses = await system.stopAll()
                for (name, status) in statuses { #expect(status == 0, "\(name) exited \(String(describing: status))") }
            }
            await receiver.stop()
        }
    }
}
