import EOSCSpecs
import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The gateway's Ordering API representations against `specs/eosc`: every response below is
    /// validated by the test helpers (``SpecConformance``); this test makes sure each read is
    /// made with real content (an item with secrets, a status change, events) so the check bites.
    @Suite("EOSC specs: conforming answers and the served documents", .serialized)
    struct EOSCConformanceTests {
        @Test("every Ordering API read of a project with an updated item answers in the shape of specs/eosc")
        func orderingReadsConform() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                let ordered = try await demo.order(projectID)
                let iid = try #require(ordered.json?["id"]?.intValue, "\(ordered.text)")
                let patched = try await TestHTTP.send("PATCH", demo.omsItemPath(projectID, iid), headers: demo.oms, json: [
                    "status": ["value": "In the helpdesk", "type": "registered"], "user_secrets": ["password": "s3cr3t"]])
                #expect(patched.status == 200, "\(patched.text)")

                let oms = demo.api + "/api/v1/oms/\(demo.seed.omsID)"
                let reads: [(url: String, list: String?)] = [
                    (demo.api + "/api/v1/oms", "omses"), (oms, nil),
                    (oms + "/events?from_timestamp=2020-01-01T00:00:00Z", "events"),
                    (oms + "/projects", "projects"), (oms + "/projects/\(projectID)", nil),
                    (oms + "/projects/\(projectID)/project_items", "project_items"), (demo.omsItemPath(projectID, iid), nil),
                ]
                for read in reads {
                    let response = try await TestHTTP.send("GET", read.url, headers: demo.oms)
                    #expect(response.status == 200, "\(read.url): \(response.text)")
                    if let list = read.list {
                        #expect(response.json?[list]?.arrayValue?.isEmpty == false, "\(read.url): \(response.text)")
                    }
                }
                let events = try await demo.itemEvents(projectID, iid)
                #expect(events.contains { $0["type"] == "update" && $0["changes"]?.arrayValue?.isEmpty == false }, "\(events)")
            }
            await receiver.stop()
        }

        @Test("the original documents and every schema they refer to are served byte for byte; nothing else is; and /openapi.json")
        func documentsServed() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url, services: ["oms-gateway"]) { demo in
                let base = demo.api + "/api_docs/swagger/v1/"
                for path in EOSCSpecs.paths where path.hasSuffix(".json") {
                    let response = try await TestHTTP.send("GET", base + path)
                    #expect(response.status == 200, "\(path)")
                    #expect(response.header("Content-Type") == "application/json", "\(path)")
                    #expect(Array(response.body) == EOSCSpecs.document(path), "\(path)")
                }
                // Sent as written (URLSession would remove dot segments first).
                let port = try #require(URL(string: demo.api)?.port)
                for path in ["SOURCE.md", "nothing.json", "..%2Fspecs%2Feosc%2Ferror.json", "offer/../error.json",
                             "offer/%2e%2e/error.json", "../v1/error.json", "a/b/c/d.json"] {
                    let response = try RawHTTP.send(port: port, "GET", "/api_docs/swagger/v1/" + path)
                    #expect(response.status == 404, "\(path): \(response.status) \(response.text)")
                }
                // The gateway's own description, as shipped, without a token.
                let own = try await TestHTTP.send("GET", demo.api + "/openapi.json")
                let shipped = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("../../Shared/GatewayApp/Resources/openapi.json").standardized)
                #expect(own.status == 200 && own.header("Content-Type") == "application/json")
                #expect(Array(own.body) == Array(shipped))
            }
            await receiver.stop()
        }
    }
}
