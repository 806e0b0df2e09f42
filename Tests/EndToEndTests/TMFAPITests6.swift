import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The notification hub's registration: `POST /hub`, `DELETE /hub/{id}`.
    @Suite("TMF622 API: hub", .serialized)
    struct TMFAPIHubTests {
        @Test("hub: register 201 {id, callback, query} + Location; bad callback or query 400; unregister 204, then 404; owners only")
        func hub() async throws {
            try await TMFAPIWorld.run { w in
                func listeners() async throws -> Int64 { try await w.demo.count("SELECT count(*) AS n FROM hub_listeners") }
                let plain = try await w.send("POST", "/hub", w.customer, json: ["callback": "http://127.0.0.1:9/listener"])
                #expect(plain.status == 201, "\(plain.text)")
                let plainID = try #require(plain.json?["id"]?.stringValue)
                #expect(UUID(uuidString: plainID) != nil)
                #expect(plain.json == ["id": .string(plainID), "callback": "http://127.0.0.1:9/listener"], "\(plain.text)")
                #expect(plain.header("Location") == w.base + "/hub/\(plainID)")

                let query = "eventType=ProductOrderStateChangeEvent&event.productOrder.state=completed,cancelled"
                let filtered = try await w.send("POST", "/hub", w.customer, json: ["callback": "https://listener.example.org/tmf?x=1",
                                                                                  "query": .string(query)])
                #expect(filtered.status == 201, "\(filtered.text)")
                let filteredID = try #require(filtered.json?["id"]?.stringValue)
                #expect(filtered.json == ["id": .string(filteredID), "callback": "https://listener.example.org/tmf?x=1",
                                          "query": .string(query)], "\(filtered.text)")
                #expect(filteredID != plainID && filtered.header("Location") == w.base + "/hub/\(filteredID)")
                let theirs = try await w.send("POST", "/hub", w.otherToken, json: ["callback": "http://127.0.0.1:9/other"])
                let theirID = try #require(theirs.json?["id"]?.stringValue, "\(theirs.text)")
                #expect(try await listeners() == 3)

                let refusals: [(String, JSONValue, String?, String?)] = [
                    ("no callback", ["query": "eventType=ProductOrderCreateEvent"], nil, "'callback'"),
                    ("a callback that is not a string", ["callback": 5], "callback", nil),
                    ("a relative callback", ["callback": "/listener"], "callback", "absolute http or https URL"),
                    ("an ftp callback", ["callback": "ftp://listener.example.org/x"], "callback", "absolute http or https URL"),
                    ("a callback without host", ["callback": "http://"], "callback", nil),
                    ("a query with two values for gt", ["callback": "http://127.0.0.1:9/l", "query": "state.gt=a,b"], "query", "state"),
                    ("a query without attribute", ["callback": "http://127.0.0.1:9/l", "query": "=x"], "query", nil),
                    ("a query that is not a string", ["callback": "http://127.0.0.1:9/l", "query": ["state": "x"]], "query", nil),
                ]
                for (label, body, field, reason) in refusals {
                    expectTMFError(try await w.send("POST", "/hub", w.customer, json: body), 400, "invalidAttribute", field: field,
                                   reason: reason, label)
                }
                expectTMFError(try await w.send("POST", "/hub", w.customer, json: ["http://127.0.0.1:9/l"]), 400, "invalidBody", "an array")
                expectTMFError(try await w.send("POST", "/hub", w.customer, body: Data("{\"callback\": \"http://127.0.0.1:9/l\"}".utf8),
                                                headers: ["Content-Type": "text/plain"]), 415, "unsupportedMediaType", "text/plain")
                expectTMFError(try await w.send("POST", "/hub", nil, json: ["callback": "http://127.0.0.1:9/l"]), 401, "unauthorized",
                               "no token")
                #expect(try await listeners() == 3)

                // Unregister: only the owner's (or an admin's) listener; then it is gone.
                expectTMFError(try await w.send("DELETE", "/hub/\(plainID)", w.otherToken), 404, "notFound", "another user's")
                expectTMFError(try await w.send("DELETE", "/hub/\(plainID)", w.operatorToken), 404, "notFound", "the operator")
                expectTMFError(try await w.send("DELETE", "/hub/\(plainID)", nil), 401, "unauthorized", "no token")
                #expect(try await listeners() == 3)
                let removed = try await w.send("DELETE", "/hub/\(plainID)", w.customer)
                #expect(removed.status == 204 && removed.body.isEmpty, "\(removed.text)")
                expectTMFError(try await w.send("DELETE", "/hub/\(plainID)", w.customer), 404, "notFound", "deleted twice")
                expectTMFError(try await w.send("DELETE", "/hub/not-a-uuid", w.customer), 404, "notFound", "not a uuid")
                expectTMFError(try await w.send("DELETE", "/hub/\(UUID().uuidString)", w.customer), 404, "notFound", "unknown")
                #expect(try await listeners() == 2)
                let byAdmin = try await w.send("DELETE", "/hub/\(theirID)", w.adminToken)
                #expect(byAdmin.status == 204, "\(byAdmin.text)")
                let upper = try await w.send("DELETE", "/hub/\(filteredID.uppercased())", w.customer)
                #expect(upper.status == 204, "the id in capitals: \(upper.text)")
                #expect(try await listeners() == 0)
            }
        }
    }
}
