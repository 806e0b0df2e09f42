import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The "done when": a client generated from the marketplace's `ordering_swagger.json`
    /// (OpenAPI Generator, Python; prepared by `deploy/generated-client.sh`, which `deploy/test.sh`
    /// runs) does everything that document describes against this system, its strict response
    /// models checking every answer (`Tests/GeneratedClient/ordering_client_check.py`).
    @Suite("A client generated from ordering_swagger.json", .serialized)
    struct GeneratedClientTests {
        @Test("drives every operation of the Ordering API, as an OMS adapter would")
        func everyOperation() async throws {
            let environment = ProcessInfo.processInfo.environment
            let python = try #require(environment["OMS_TEST_CLIENT_PYTHON"],
                                      "OMS_TEST_CLIENT_PYTHON is unset: run the tests with bash deploy/test.sh")
            let clientDir = try #require(environment["OMS_TEST_CLIENT_DIR"], "OMS_TEST_CLIENT_DIR is unset")
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                let ordered = try await demo.order(projectID)
                #expect(ordered.status == 201, "\(ordered.text)")
                let iid = try #require(ordered.json?["id"]?.intValue)

                let environment = [
                    "PYTHONPATH": clientDir, "OMS_API_URL": demo.api, "OMS_TOKEN": demo.seed.omsToken,
                    "OMS_ID": String(demo.seed.omsID), "DEFAULT_OMS_TOKEN": demo.seed.operatorToken,
                    "DEFAULT_OMS_ID": String(demo.seed.defaultOMSID), "PROJECT_ID": String(projectID),
                    "ITEM_ID": String(iid),
                ]
                let (status, text) = try runGeneratedClientScript("ordering_client_check.py", python: python, environment: environment)
                #expect(status == 0, "\(text)")
                #expect(text.contains("checks passed"), "\(text)")
            }
            await receiver.stop()
        }
    }
}
