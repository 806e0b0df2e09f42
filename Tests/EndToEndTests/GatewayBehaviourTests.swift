import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The gateway's contract as EOSC clients and OMS adapters see it, through the real
    /// executables: authentication, idempotent intake, ownership, request validation, the 202 path,
    /// the OMS-side PATCH rules and the marketplace's order of checks.
    @Suite("Gateway behaviour end to end", .serialized)
    struct GatewayBehaviourTests {
        static let signIn: JSONValue = errorBody("You need to sign in or sign up before continuing.")
        static let forbidden: JSONValue = errorBody("You are not authorized to perform this action.")

        @Test("no token or an unknown token gets 401 with the marketplace's JSON body, whatever the Accept header")
        func unauthenticated() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let port = demo.system.ports["oms-gateway"]!
                let targets: [(String, String, [UInt8])] = [
                    ("GET", "/api/v1/projects", []),
                    ("POST", "/api/v1/projects/1/project_items", Array(#"{"resource_id":"x","offer_id":1}"#.utf8)),
                    ("GET", "/api/v1/oms/\(demo.seed.omsID)/events?from_timestamp=2020-01-01T00:00:00Z", []),
                    ("GET", "/api/v1/oms/999999", []),  // authentication comes before "OMS not found"
                    ("PATCH", "/api/v1/oms/\(demo.seed.omsID)/projects/1/project_items/1", Array(#"{"status":{}}"#.utf8)),
                ]
                let credentials: [[(String, String)]] = [
                    [], [("X-User-Token", "not-a-token")], [("X-User-Token", "")], [("Authorization", "Bearer not-a-token")],
                ]
                let accepts: [[(String, String)]] = [[], [("Accept", "*/*")], [("Accept", "text/html")],
                                                     [("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")],
                                                     [("Accept", "application/json")]]
                for (method, target, body) in targets {
                    for credential in credentials {
                        for accept in accepts {
                            var headers = credential + accept
                            if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
                            let response = try RawHTTP.send(port: port, method, target, headers: headers, body: body)
                            let label = "\(method) \(target) \(headers)"
                            #expect(response.status == 401, "\(label): \(response.status) \(response.text)")
                            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true, "\(label)")
                            #expect((try? WireFormat.decode(JSONValue.self, from: response.body)) == Self.signIn,
                                    "\(label): \(response.text)")
                        }
                    }
                }
            }
            await receiver.stop()
        }

        @Test("the same Idempotency-Key gives the same item once; with another body 422; without a key two orders")
        func idempotencyKey() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                func items() async throws -> Int64 {
                    try await demo.count("SELECT count(*) AS n FROM project_items WHERE project_id = \(projectID)")
                }
                func orders() async throws -> Int64 {
                    try await demo.count("SELECT count(*) AS n FROM orders WHERE project_id = \(projectID)")
                }

                let first = try await demo.order(projectID, key: "retry-me")
                let second = try await demo.order(projectID, key: "retry-me")
                #expect(first.status == 201, "\(first.text)")
                #expect(second.status == 201, "\(second.text)")
                let iid = try #require(first.json?["id"]?.intValue)
                #expect(second.json?["id"]?.intValue == iid)
                #expect(second.json == first.json)
                #expect(second.header("Location") == first.header("Location"))
                #expect(try await items() == 1)
                #expect(try await orders() == 1)

                // The key with a different body is refused, and creates nothing.
                let other = try await demo.order(projectID, demo.orderBody(cpu: 3), key: "retry-me")
                #expect(other.status == 422, "\(other.text)")
                #expect(other.json?["error"]?.stringValue?.contains("Idempotency-Key") == true, "\(other.text)")
                #expect(try await items() == 1)
                #expect(try await orders() == 1)
                // And the original request still answers with its item.
                let again = try await demo.order(projectID, key: "retry-me")
                #expect(again.status == 201 && again.json?["id"]?.intValue == iid, "\(again.text)")

                // Without a key, the same body twice is two orders.
                let a = try await demo.order(projectID)
                let b = try await demo.order(projectID)
                #expect(a.status == 201 && b.status == 201, "\(a.text) \(b.text)")
                let ids = Set([iid, try #require(a.json?["id"]?.intValue), try #require(b.json?["id"]?.intValue)])
                #expect(ids.count == 3)
                #expect(try await items() == 3)
                #expect(try await orders() == 3)
            }
            await receiver.stop()
        }

        @Test("a user can neither read nor order into another user's project, nor read their requests")
        func foreignProject() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject("Mine")
                let ordered = try await demo.order(projectID, key: "k1")
                #expect(ordered.status == 201, "\(ordered.text)")
                let iid = try #require(ordered.json?["id"]?.intValue)

                _ = try await demo.system.ctl(["user", "create", "--uid", "other-researcher", "--email", "other@example.org"])
                let issued = try await demo.ctlJSON(["token", "issue", "--user", "other-researcher"])
                let other = ["X-User-Token": try #require(issued.last?["token"]?.stringValue)]
                let projectNotFound = errorBody("Project not found")

                let base = demo.api + "/api/v1/projects/\(projectID)"
                for path in [base, base + "/project_items", base + "/project_items/\(iid)"] {
                    let response = try await TestHTTP.send("GET", path, headers: other)
                    #expect(response.status == 404, "GET \(path): \(response.text)")
                    #expect(response.json == projectNotFound, "GET \(path): \(response.text)")
                }
                let foreignOrder = try await demo.order(projectID, headers: other)
                #expect(foreignOrder.status == 404, "\(foreignOrder.text)")
                #expect(foreignOrder.json == projectNotFound, "\(foreignOrder.text)")
                let list = try await TestHTTP.send("GET", demo.api + "/api/v1/projects", headers: other)
                #expect(list.status == 200)
                #expect(list.json?["projects"]?.arrayValue?.isEmpty == true, "\(list.text)")

                // The request behind the researcher's order is theirs only.
                let requestID = try await demo.withDatabase { conn in
                    try await conn.query("SELECT request_id FROM orders WHERE project_id = \(projectID)")[0].uuid("request_id")
                }
                let requestPath = demo.api + "/api/v1/requests/\(requestID.uuidString.lowercased())"
                let theirs = try await TestHTTP.send("GET", requestPath, headers: other)
                #expect(theirs.status == 404, "\(theirs.text)")
                let mine = try await TestHTTP.send("GET", requestPath, headers: demo.user)
                #expect(mine.status == 200 && mine.json?["id"]?.intValue == iid, "\(mine.text)")

                // Idempotency keys are the caller's own: the same key in the other user's project is
                // a new order there, not the researcher's answer.
                let otherProject = try await demo.createProject("Theirs", headers: other)
                let sameKey = try await demo.order(otherProject, key: "k1", headers: other)
                #expect(sameKey.status == 201, "\(sameKey.text)")
                #expect(sameKey.json?["project_id"]?.intValue == otherProject, "\(sameKey.text)")

                #expect(try await demo.count("SELECT count(*) AS n FROM project_items WHERE project_id = \(projectID)") == 1)
            }
            await receiver.stop()
        }

        @Test("bad order bodies get 415 or 400 naming the problem, unknown offers 404, and nothing is created")
        func badBodies() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                let path = demo.api + "/api/v1/projects/\(projectID)/project_items"
                let valid = Data(try WireFormat.encode(demo.orderBody()))

                let textPlain = try await TestHTTP.send("POST", path, headers: demo.user.merging(["Content-Type": "text/plain"]) { $1 },
                                                        body: valid)
                #expect(textPlain.status == 415, "\(textPlain.text)")
                #expect(textPlain.json?["error"]?.stringValue != nil, "\(textPlain.text)")

                let malformed = try await TestHTTP.send("POST", path, headers: demo.user.merging(["Content-Type": "application/json"]) { $1 },
                                                        body: Data(#"{"resource_id": "demo-compute", "offer_id": 1,"#.utf8))
                #expect(malformed.status == 400, "\(malformed.text)")
                #expect(malformed.json?["error"]?.stringValue != nil, "\(malformed.text)")

                var unknownProperty = demo.orderBody().objectValue!
                unknownProperty["colour"] = "red"
                let unknown = try await demo.order(projectID, .object(unknownProperty))
                #expect(unknown.status == 400, "\(unknown.text)")
                #expect(unknown.json?["error"]?["colour"] != nil, "\(unknown.text)")

                var noResource = demo.orderBody().objectValue!
                noResource["resource_id"] = nil
                let missing = try await demo.order(projectID, .object(noResource))
                #expect(missing.status == 400, "\(missing.text)")
                #expect(missing.json?["error"]?["resource_id"] != nil, "\(missing.text)")

                for (resource, offer) in [(demo.seed.resourceID, Int64(999)), ("no-such-service", demo.seed.offerID)] {
                    let response = try await demo.order(projectID, [
                        "resource_id": .string(resource), "offer_id": .int(offer), "parameters": ["cpu": 2, "flavour": "small"]])
                    #expect(response.status == 404, "\(resource)/\(offer): \(response.text)")
                    #expect(response.json == errorBody("Offer not found"), "\(resource)/\(offer): \(response.text)")
                }

                // Every bad value is named at once, each under parameters.<id>; a missing one too.
                let bothBad = try await demo.order(projectID, demo.orderBody(cpu: 64, flavour: "huge"))
                #expect(bothBad.status == 400, "\(bothBad.text)")
                #expect(Set(bothBad.json?["error"]?.objectValue?.keys.map { $0 } ?? []) == ["parameters.cpu", "parameters.flavour"],
                        "\(bothBad.text)")
                let oneMissing = try await demo.order(projectID, [
                    "resource_id": .string(demo.seed.resourceID), "offer_id": .int(demo.seed.offerID), "parameters": ["cpu": 0]])
                #expect(oneMissing.status == 400, "\(oneMissing.text)")
                #expect(Set(oneMissing.json?["error"]?.objectValue?.keys.map { $0 } ?? []) == ["parameters.cpu", "parameters.flavour"],
                        "\(oneMissing.text)")

                #expect(try await demo.count("SELECT count(*) AS n FROM project_items WHERE project_id = \(projectID)") == 0)
                #expect(try await demo.count("SELECT count(*) AS n FROM orders") == 0)
                #expect(try await demo.count("SELECT count(*) AS n FROM requests WHERE kind <> 'project.create'") == 0)
            }
            await receiver.stop()
        }

        @Test("with the processor down an order gets 202 and a Location that answers 200 with the item once it is back")
        func acceptedWhileProcessorDown() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url, environment: ["OMS_REPLY_TIMEOUT": "300ms"]) { demo in
                let projectID = try await demo.createProject()
                let processor = demo.system["oms-processor"]
                processor.signal(SIGTERM)
                #expect(await processor.waitForExit(timeout: .seconds(10)) == 0)

                let accepted = try await demo.order(projectID, key: "while-down")
                #expect(accepted.status == 202, "\(accepted.text)")
                let requestID = try #require(accepted.json?["request_id"]?.stringValue, "\(accepted.text)")
                #expect(UUID(uuidString: requestID) != nil)
                #expect(accepted.json?["status"]?.stringValue == "pending", "\(accepted.text)")
                let location = try #require(accepted.header("Location"))
                #expect(location == demo.api + "/api/v1/requests/\(requestID)")
                #expect(accepted.json?["location"]?.stringValue == location)

                // A client retrying meanwhile with the same key is told about the same request.
                let retried = try await demo.order(projectID, key: "while-down")
                #expect(retried.status == 202, "\(retried.text)")
                #expect(retried.json?["request_id"]?.stringValue == requestID)

                let pending = try await TestHTTP.send("GET", location, headers: demo.user)
                #expect(pending.status == 202, "\(pending.text)")
                #expect(pending.json?["status"]?.stringValue == "pending")

                try processor.start()
                try await demo.system.waitReady("oms-processor")
                var done: TestHTTP.Response?
                let answered = try await TestHTTP.eventually(timeout: .seconds(20)) {
                    done = try await TestHTTP.send("GET", location, headers: demo.user)
                    return done?.status == 200
                }
                #expect(answered, "\(done?.status ?? 0) \(done?.text ?? "")")
                let iid = try #require(done?.json?["id"]?.intValue, "\(done?.text ?? "")")
                #expect(done?.json?["project_id"]?.intValue == projectID)
                #expect(done?.json?["status"]?["type"]?.stringValue == "created")
                #expect(done?.header("Location")?.hasSuffix("/api/v1/projects/\(projectID)/project_items/\(iid)") == true)

                // It exists exactly once, although two commands were queued for it.
                #expect(try await demo.count("SELECT count(*) AS n FROM project_items WHERE project_id = \(projectID)") == 1)
                #expect(try await demo.count("SELECT count(*) AS n FROM orders WHERE request_id = \(UUID(uuidString: requestID)!)") == 1)
                let item = try await TestHTTP.send("GET", demo.api + "/api/v1/projects/\(projectID)/project_items/\(iid)", headers: demo.user)
                #expect(item.status == 200, "\(item.text)")
                // And the same key now answers with the item itself.
                let after = try await demo.order(projectID, key: "while-down")
                #expect(after.status == 201 && after.json?["id"]?.intValue == iid, "\(after.status) \(after.text)")
            }
            await receiver.stop()
        }

        @Test("OMS PATCH: schema message for created, no event for a no-op, secrets clear once then obfuscated, 409 once final")
        func omsPatchRules() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                let ordered = try await demo.order(projectID)
                let iid = try #require(ordered.json?["id"]?.intValue, "\(ordered.text)")
                let path = demo.omsItemPath(projectID, iid)
                func patch(_ body: JSONValue) async throws -> TestHTTP.Response {
                    try await TestHTTP.send("PATCH", path, headers: demo.oms, json: body)
                }
                func updates() async throws -> [JSONValue] {
                    try await demo.itemEvents(projectID, iid).filter { $0["type"]?.stringValue == "update" }
                }

                // `created` cannot be set: the json-schema message of the marketplace.
                let created = try await patch(["status": ["value": "again", "type": "created"]])
                #expect(created.status == 400)
                #expect(created.json == errorBody(.string(
                    "The property '#/status/type' value \"created\" did not match one of the following values: rejected, waiting_for_response, registered, in_progress, ready, closed, approved")),
                        "\(created.text)")

                let registered = try await patch(["status": ["value": "In the helpdesk", "type": "registered"]])
                #expect(registered.status == 200, "\(registered.text)")
                #expect(try await updates().count == 1)

                // The same status again: 200 with the item, and no new event.
                let same = try await patch(["status": ["value": "In the helpdesk", "type": "registered"]])
                #expect(same.status == 200, "\(same.text)")
                #expect(same.json?["status"]?["type"]?.stringValue == "registered")
                #expect(same.json?["status"]?["value"]?.stringValue == "In the helpdesk")
                // Nor in the reference adapter's shape, which always sends an empty `user_secrets`.
                let adapterShape = try await patch(["status": ["value": "In the helpdesk", "type": "registered"], "user_secrets": [:]])
                #expect(adapterShape.status == 200, "\(adapterShape.text)")

                // Secrets: in clear in the response that wrote them, obfuscated everywhere after.
                let secret = "s3cr3t-p4ssw0rd"
                let written = try await patch(["user_secrets": ["password": .string(secret)]])
                #expect(written.status == 200, "\(written.text)")
                #expect(written.json?["user_secrets"] == ["password": .string(secret)], "\(written.text)")
                let more = try await patch(["user_secrets": ["login": "researcher"]])
                #expect(more.json?["user_secrets"] == ["password": "<OBFUSCATED>", "login": "researcher"], "\(more.text)")
                let read = try await TestHTTP.send("GET", path, headers: demo.oms)
                #expect(read.json?["user_secrets"] == ["password": "<OBFUSCATED>", "login": "<OBFUSCATED>"], "\(read.text)")
                let mine = try await TestHTTP.send("GET", demo.api + "/api/v1/projects/\(projectID)/project_items/\(iid)", headers: demo.user)
                #expect(!mine.text.contains(secret), "\(mine.text)")

                let events = try await updates()
                // registered, password, login: the identical PATCHes added none.
                #expect(events.count == 3, "\(events)")
                let secretChanges = events.flatMap { $0["changes"]?.arrayValue ?? [] }.filter { $0["field"]?.stringValue == "user_secrets" }
                #expect(secretChanges.count == 2, "\(events)")
                #expect(secretChanges.allSatisfy { $0["before"] == "<OBFUSCATED>" && $0["after"] == "<OBFUSCATED>" }, "\(secretChanges)")
                let eventsText = try await TestHTTP.send(
                    "GET", demo.api + "/api/v1/oms/\(demo.seed.omsID)/events?from_timestamp=2020-01-01T00:00:00Z", headers: demo.oms).text
                #expect(!eventsText.contains(secret))

                let notString = try await patch(["user_secrets": ["pin": 1234]])
                #expect(notString.status == 400)
                #expect(notString.json == errorBody(["user_secrets": ["values must be strings"]]), "\(notString.text)")

                // Final: closed refuses any further change with 409 and a reason.
                let closed = try await patch(["status": ["value": "Done", "type": "closed"]])
                #expect(closed.status == 200, "\(closed.text)")
                let reopened = try await patch(["status": ["value": "Reopened", "type": "in_progress"]])
                #expect(reopened.status == 409, "\(reopened.text)")
                let reason = reopened.json?["error"]?.stringValue ?? ""
                #expect(!reason.isEmpty, "\(reopened.text)")
                let afterClose = try await TestHTTP.send("GET", path, headers: demo.oms)
                #expect(afterClose.json?["status"]?["type"]?.stringValue == "closed")
                #expect(try await updates().count == 4)
            }
            await receiver.stop()
        }

        @Test("/api/v1/oms/{id}/…: 401, then 404 OMS not found, then 403, then the query (400), then parents (404)")
        func omsOrderOfChecks() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                #expect(try await demo.order(projectID).status == 201)
                let oms = demo.api + "/api/v1/oms/\(demo.seed.omsID)"
                func get(_ url: String, _ headers: [String: String]) async throws -> TestHTTP.Response {
                    try await TestHTTP.send("GET", url, headers: headers)
                }

                // 401 comes first, even for an OMS that does not exist.
                #expect(try await get(demo.api + "/api/v1/oms/999999/events", [:]).status == 401)
                // Then the OMS must exist, whatever the query.
                for url in [demo.api + "/api/v1/oms/999999", demo.api + "/api/v1/oms/999999/events",
                            demo.api + "/api/v1/oms/999999/events?limit=0", demo.api + "/api/v1/oms/abc/projects"] {
                    let response = try await get(url, demo.oms)
                    #expect(response.status == 404 && response.json == errorBody("OMS not found"), "\(url): \(response.text)")
                }
                // Then the caller must administer it, before the query is looked at.
                let notAdministered: [(String, [String: String])] = [
                    (oms, demo.user), (oms + "/events?limit=0", demo.user),
                    (demo.api + "/api/v1/oms/\(demo.seed.defaultOMSID)", demo.oms),
                    (demo.api + "/api/v1/oms/\(demo.seed.defaultOMSID)/events", demo.oms),
                ]
                for (url, headers) in notAdministered {
                    let response = try await get(url, headers)
                    #expect(response.status == 403 && response.json == Self.forbidden, "\(url): \(response.text)")
                }
                // Then the query.
                let queryErrors: [(String, String)] = [
                    ("/events", "param is missing or the value is empty: from_timestamp"),
                    ("/events?from_timestamp=", "param is missing or the value is empty: from_timestamp"),
                    ("/events?from_timestamp=asd", "invalid date"),
                    ("/events?from_timestamp=100", "invalid date"),
                    ("/events?from_timestamp=2020-01-01T00:00:00Z&limit=0", "'limit' must be a positive integer"),
                    ("/events?from_timestamp=2020-01-01T00:00:00Z&limit=abc", "'limit' must be a positive integer"),
                    ("/projects?limit=0", "'limit' must be a positive integer"),
                    ("/projects?from_id=-1", "'from_id' must be a non-negative integer"),
                    // The query is checked before the project is looked up.
                    ("/projects/999999/project_items?limit=0", "'limit' must be a positive integer"),
                ]
                for (suffix, message) in queryErrors {
                    let response = try await get(oms + suffix, demo.oms)
                    #expect(response.status == 400 && response.json == errorBody(.string(message)), "\(suffix): \(response.text)")
                }
                let parent = try await get(oms + "/projects/999999/project_items", demo.oms)
                #expect(parent.status == 404 && parent.json == errorBody("Project not found"), "\(parent.text)")

                // Accepted timestamp forms: Z, a fraction, naive (read as UTC), +00:00; and they are read,
                // not ignored: the far future has no events.
                for stamp in ["2020-01-01T00:00:00Z", "2020-01-01T00:00:00.123456Z", "2020-01-01T00:00:00",
                              "2020-01-01T00:00:00%2B00:00"] {
                    let response = try await get(oms + "/events?from_timestamp=\(stamp)", demo.oms)
                    #expect(response.status == 200, "\(stamp): \(response.text)")
                    #expect(response.json?["events"]?.arrayValue?.isEmpty == false, "\(stamp): \(response.text)")
                }
                for stamp in ["2999-01-01T00:00:00", "2999-01-01T00:00:00%2B00:00"] {
                    let response = try await get(oms + "/events?from_timestamp=\(stamp)", demo.oms)
                    #expect(response.status == 200 && response.json?["events"]?.arrayValue?.isEmpty == true, "\(stamp): \(response.text)")
                }
                // Unknown query parameters are ignored; limit is applied.
                let plain = try await get(oms + "/events?from_timestamp=2020-01-01T00:00:00Z", demo.oms)
                // (`oms_id` is what the reference adapter adds.)
                let extra = try await get(oms + "/events?oms_id=\(demo.seed.omsID)&from_timestamp=2020-01-01T00:00:00Z&foo=bar&page=7", demo.oms)
                #expect(extra.status == 200 && extra.json == plain.json, "\(extra.text)")
                let limited = try await get(oms + "/events?from_timestamp=2020-01-01T00:00:00Z&limit=1&sort=desc", demo.oms)
                #expect(limited.status == 200 && limited.json?["events"]?.arrayValue?.count == 1, "\(limited.text)")
            }
            await receiver.stop()
        }
    }
}
