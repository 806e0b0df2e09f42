import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The four Ordering API message endpoints and the user's message API: every error path, in
    /// the marketplace's order of checks, with its verbatim body; paging; the read shape.
    ///
    /// Body-schema refusals are checked by status only: their words come from the schema checker.
    @Suite("Message endpoints end to end", .serialized)
    struct MessageEndpointTests {
        static let signIn = errorBody("You need to sign in or sign up before continuing.")
        static let forbidden = errorBody("You are not authorized to perform this action.")
        static let projectNotFound = errorBody("Project not found")
        static let itemNotFound = errorBody("Project item not found")
        static let messageNotFound = errorBody("Message not found")
        static let blank = errorBody(["message": ["can't be blank"]])

        @Test("OMS messages: 401, OMS 404, 403, query 400, project and item 404, paging, and the read shape")
        func omsReads() async throws {
            try await MessageWorld.run { w in
                let p = w.projectID
                // Three project messages and one item message by P.
                var ids: [Int64] = []
                for n in 1...3 {
                    let r = try await w.send(.p, "POST", "/messages", json: w.messageBody(item: nil, scope: "public", role: "provider",
                                                                                        content: "project \(n)"))
                    #expect(r.status == 201, "\(r.text)")
                    ids.append(try #require(r.json?["id"]?.intValue))
                }
                let onItem = try await w.send(.p, "POST", "/messages", json: w.messageBody(item: w.itemA, scope: "internal",
                                                                                         role: "provider", content: "item"))
                let itemMessage = try #require(onItem.json?["id"]?.intValue, "\(onItem.text)")

                // The read shape: exactly the schema's properties, whole-second UTC timestamps.
                let shown = try await w.send(.p, "GET", "/messages/\(ids[0])")
                #expect(shown.status == 200, "\(shown.text)")
                #expect(Set(shown.json?.objectValue?.keys.map { $0 } ?? []) == ["id", "author", "content", "scope", "created_at", "updated_at"])
                #expect(shown.json?["author"] == ["email": "provider@example.org", "name": "The provider", "role": "provider"])
                let stamp = shown.json?["created_at"]?.stringValue ?? ""
                #expect(stamp.wholeMatch(of: /20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(stamp)")

                // 401 first, even for an unknown OMS.
                for (method, path) in [("GET", "/api/v1/oms/999999/messages?project_id=\(p)"), ("POST", "/api/v1/oms/999999/messages"),
                                       ("GET", "/api/v1/oms/\(w.omsIDs[.p]!)/messages/\(ids[0])"),
                                       ("PATCH", "/api/v1/oms/\(w.omsIDs[.p]!)/messages/\(ids[0])")] {
                    let r = try await TestHTTP.send(method, w.api + path, json: method == "GET" ? nil : ["content": "x"])
                    #expect(r.status == 401 && r.json == Self.signIn, "\(method) \(path): \(r.text)")
                }
                // Then the OMS, then the caller's right to it (before the query and the message).
                for (method, suffix) in [("GET", "/messages?project_id=\(p)"), ("POST", "/messages"), ("GET", "/messages/\(ids[0])"),
                                         ("PATCH", "/messages/\(ids[0])")] {
                    let body: JSONValue? = method == "GET" ? nil : ["content": "x"]
                    let missing = try await TestHTTP.send(method, w.api + "/api/v1/oms/999999" + suffix, headers: w.headers(.p), json: body)
                    #expect(missing.status == 404 && missing.json == errorBody("OMS not found"), "\(suffix): \(missing.text)")
                    let notMine = try await TestHTTP.send(method, w.oms(.p, suffix), headers: w.demo.user, json: body)
                    #expect(notMine.status == 403 && notMine.json == Self.forbidden, "\(suffix): \(notMine.text)")
                }
                // Another OMS's administrator: 403 before the query and before the message lookup.
                for suffix in ["/messages?limit=0", "/messages/999999"] {
                    let r = try await TestHTTP.send("GET", w.oms(.p, suffix), headers: w.headers(.u))
                    #expect(r.status == 403 && r.json == Self.forbidden, "U on P's OMS \(suffix): \(r.text)")
                }
                let foreign = try await TestHTTP.send("GET", w.oms(.p, "/messages/999999"), headers: w.headers(.q))
                #expect(foreign.status == 403 && foreign.json == Self.forbidden, "Q on P's OMS: \(foreign.text)")

                // The query, before the project.
                let queryErrors: [(String, String)] = [
                    ("/messages?limit=0", "'limit' must be a positive integer"),
                    ("/messages?project_id=999999&limit=abc", "'limit' must be a positive integer"),
                    ("/messages?project_id=\(p)&from_id=-1", "'from_id' must be a non-negative integer"),
                ]
                for (suffix, message) in queryErrors {
                    let r = try await w.send(.p, "GET", suffix)
                    #expect(r.status == 400 && r.json == errorBody(.string(message)), "\(suffix): \(r.text)")
                }
                // Then the project (required), then the item; another OMS's item is "not found", not 403.
                let lookups: [(MessageWorld.Caller, String, JSONValue)] = [
                    (.p, "/messages", Self.projectNotFound), (.p, "/messages?project_id=", Self.projectNotFound),
                    (.p, "/messages?project_id=999999", Self.projectNotFound), (.p, "/messages?project_id=abc", Self.projectNotFound),
                    (.u, "/messages?project_id=\(p)", Self.projectNotFound),
                    (.u, "/messages?project_id=\(p)&project_item_id=\(w.itemA)", Self.projectNotFound),
                    (.p, "/messages?project_id=\(p)&project_item_id=999", Self.itemNotFound),
                    (.p, "/messages?project_id=\(p)&project_item_id=abc", Self.itemNotFound),
                    (.p, "/messages?project_id=\(p)&project_item_id=\(w.itemB)", Self.itemNotFound),
                    (.d, "/messages?project_id=\(p)&project_item_id=999", Self.itemNotFound),
                ]
                for (caller, suffix, body) in lookups {
                    let r = try await w.send(caller, "GET", suffix)
                    #expect(r.status == 404 && r.json == body, "\(caller) \(suffix): \(r.text)")
                }
                // Paging by id; project-level and item lists are separate; unknown parameters ignored.
                func listed(_ suffix: String) async throws -> [Int64] {
                    let r = try await w.send(.p, "GET", suffix)
                    #expect(r.status == 200, "\(suffix): \(r.text)")
                    return r.json?["messages"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
                }
                #expect(try await listed("/messages?project_id=\(p)") == ids)
                #expect(try await listed("/messages?project_id=\(p)&limit=2") == Array(ids[0..<2]))
                #expect(try await listed("/messages?project_id=\(p)&limit=2&from_id=\(ids[1])") == [ids[2]])
                #expect(try await listed("/messages?project_id=\(p)&from_id=abc&oms_id=7") == ids)
                #expect(try await listed("/messages?project_id=\(p)&project_item_id=\(w.itemA)") == [itemMessage])
                #expect(try await listed("/messages?project_id=\(p)&project_item_id=\(w.itemA)&from_id=\(itemMessage)") == [])

                // Show: unknown ids are "Message not found".
                for id in ["999999", "abc", "0", "-1"] {
                    let r = try await w.send(.p, "GET", "/messages/\(id)")
                    #expect(r.status == 404 && r.json == Self.messageNotFound, "\(id): \(r.text)")
                }
            }
        }

        @Test("OMS message writes: body (400) before project and item (404), then the table (403), then blank content (400)")
        func omsWrites() async throws {
            try await MessageWorld.run { w in
                func count() async throws -> Int64 { try await w.demo.count("SELECT count(*) AS n FROM messages") }
                func post(_ body: JSONValue, as caller: MessageWorld.Caller = .p) async throws -> TestHTTP.Response {
                    try await w.send(caller, "POST", "/messages", json: body)
                }
                let good = w.messageBody(item: w.itemA, scope: "public", role: "provider", content: "hello").objectValue!
                func with(_ changes: [String: JSONValue?]) -> JSONValue {
                    var body = good
                    for (key, value) in changes { body[key] = value }
                    return .object(body)
                }
                // Bodies the schema refuses: 400, even when the project does not exist.
                let badBodies: [JSONValue] = [
                    with(["author": nil]), with(["content": nil]), with(["scope": nil]), with(["project_id": nil]),
                    with(["author": ["email": "a@b.c", "name": "A", "role": "user"]]),
                    with(["author": ["email": "a@b.c", "role": "provider"]]),
                    with(["scope": "secret"]), with(["project_item_id": .null]), with(["project_item_id": "x"]),
                    with(["colour": "red"]), with(["content": 5]), with(["project_id": "x"]),
                    with(["project_id": 999999, "scope": "secret"]),
                ]
                for body in badBodies {
                    let r = try await post(body)
                    #expect(r.status == 400, "\(body): \(r.text)")
                    #expect(r.json?["error"] != nil, "\(r.text)")
                }
                let plain = try await TestHTTP.send("POST", w.oms(.p, "/messages"),
                                                    headers: w.headers(.p).merging(["Content-Type": "text/plain"]) { $1 },
                                                    body: Data(try WireFormat.encode(with([:]))))
                #expect(plain.status == 415, "\(plain.text)")
                let malformed = try await TestHTTP.send("POST", w.oms(.p, "/messages"),
                                                        headers: w.headers(.p).merging(["Content-Type": "application/json"]) { $1 },
                                                        body: Data(#"{"project_id": 1,"#.utf8))
                #expect(malformed.status == 400, "\(malformed.text)")

                // Parents: the project, then the item (another OMS's item reads as missing).
                let lookups: [(MessageWorld.Caller, JSONValue, JSONValue)] = [
                    (.p, with(["project_id": 999999]), Self.projectNotFound),
                    (.u, with([:]), Self.projectNotFound),
                    (.p, with(["project_item_id": 999]), Self.itemNotFound),
                    (.p, with(["project_item_id": .int(w.itemB)]), Self.itemNotFound),
                    (.d, with(["project_item_id": 999, "author": ["email": "m@x.org", "name": "M", "role": "mediator"]]), Self.itemNotFound),
                    // 404 before 403: Q may not write this cell, but does not even see the item.
                    (.q, with(["scope": "user_direct"]), Self.itemNotFound),
                ]
                for (caller, body, expected) in lookups {
                    let r = try await post(body, as: caller)
                    #expect(r.status == 404 && r.json == expected, "\(caller) \(body): \(r.text)")
                }
                // The table, before the content: a forbidden cell with blank content is 403.
                let forbiddenCells: [(MessageWorld.Caller, JSONValue)] = [
                    (.p, w.messageBody(item: nil, scope: "user_direct", role: "provider", content: "x")),
                    (.p, w.messageBody(item: w.itemA, scope: "public", role: "mediator", content: " ")),
                    (.d, w.messageBody(item: w.itemA, scope: "public", role: "provider", content: "x")),
                ]
                for (caller, body) in forbiddenCells {
                    let r = try await post(body, as: caller)
                    #expect(r.status == 403 && r.json == Self.forbidden, "\(caller) \(body): \(r.text)")
                }
                for content in ["", "   ", "\n\t"] {
                    let r = try await post(with(["content": .string(content)]))
                    #expect(r.status == 400 && r.json == Self.blank, "\(content.debugDescription): \(r.text)")
                }
                #expect(try await count() == 0, "no refused request wrote a message")

                // PATCH: message 404, then the right to edit (403, before the body), then the body.
                let created = try await post(with(["content": "first"]))
                #expect(created.status == 201, "\(created.text)")
                let id = try #require(created.json?["id"]?.intValue)
                let userMessage = try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(item: w.itemA), headers: w.demo.user,
                                                                         json: ["content": "from the user"])
                let userID = try #require(userMessage.json?["id"]?.intValue, "\(userMessage.text)")
                func patch(_ caller: MessageWorld.Caller, _ target: String, _ body: JSONValue) async throws -> TestHTTP.Response {
                    try await w.send(caller, "PATCH", "/messages/\(target)", json: body)
                }
                for target in ["999999", "abc"] {
                    let r = try await patch(.p, target, ["content": "x"])
                    #expect(r.status == 404 && r.json == Self.messageNotFound, "\(target): \(r.text)")
                }
                let refusals: [(MessageWorld.Caller, String, JSONValue)] = [
                    (.p, "\(userID)", ["content": "x"]), (.d, "\(userID)", ["content": "x"]), (.q, "\(id)", ["nonsense": 1]),
                    (.d, "\(id)", ["content": "x"]),
                ]
                for (caller, target, body) in refusals {
                    let r = try await patch(caller, target, body)
                    #expect(r.status == 403 && r.json == Self.forbidden, "\(caller) \(target): \(r.text)")
                }
                for body: JSONValue in [[:], ["content": 5], ["content": "x", "scope": "public"], ["content": .null]] {
                    let r = try await patch(.p, "\(id)", body)
                    #expect(r.status == 400, "\(body): \(r.text)")
                }
                let blankPatch = try await patch(.p, "\(id)", ["content": "  "])
                #expect(blankPatch.status == 400 && blankPatch.json == Self.blank, "\(blankPatch.text)")

                func updates() async throws -> [JSONValue] {
                    try await w.events(.p).filter { $0["message_id"]?.intValue == id && $0["type"] == "update" }
                }
                let same = try await patch(.p, "\(id)", ["content": "first"])
                #expect(same.status == 200 && same.json?["content"] == "first", "\(same.text)")
                #expect(try await updates().isEmpty, "the same content is no change")
                let edited = try await patch(.p, "\(id)", ["content": "second"])
                #expect(edited.status == 200 && edited.json?["content"] == "second", "\(edited.text)")
                #expect(edited.json?["id"]?.intValue == id && edited.json?["created_at"] == created.json?["created_at"])
                #expect(try await updates().map { $0["changes"] ?? .null } == [[["field": "content", "before": "first", "after": "second"]]])
                #expect(try await w.demo.count("SELECT count(*) AS n FROM messages WHERE id = \(id) AND edited") == 1)
                let stored = try await w.demo.count("SELECT count(*) AS n FROM messages WHERE id = \(userID) AND content = 'from the user'")
                #expect(stored == 1, "the user's message is unchanged")
            }
        }
        @Test("a message POST answered 202 while the processor is down answers 200 with the message (in clear) once done")
        func acceptedMessage() async throws {
            try await MessageWorld.run(environment: ["OMS_REPLY_TIMEOUT": "300ms"]) { w in
                let processor = w.demo.system["oms-processor"]
                processor.signal(SIGTERM)
                #expect(await processor.waitForExit(timeout: .seconds(10)) == 0)
                let body = w.messageBody(item: w.itemA, scope: "user_direct", role: "provider", content: "pw: 1234")
                let accepted = try await TestHTTP.send("POST", w.oms(.p, "/messages"), headers: w.headers(.p), json: body)
                #expect(accepted.status == 202, "\(accepted.text)")
                let location = try #require(accepted.header("Location"))
                try processor.start()
                try await w.demo.system.waitReady("oms-processor")
                var done: TestHTTP.Response?
                let answered = try await TestHTTP.eventually(timeout: .seconds(20)) {
                    done = try await TestHTTP.send("GET", location, headers: w.headers(.p))
                    return done?.status == 200
                }
                #expect(answered, "\(done?.text ?? "")")
                #expect(done?.json?["content"] == "pw: 1234" && done?.json?["scope"] == "user_direct", "\(done?.text ?? "")")
                let id = try #require(done?.json?["id"]?.intValue)
                let read = try await w.send(.p, "GET", "/messages/\(id)")
                #expect(read.json?["content"] == "<OBFUSCATED>", "\(read.text)")
                // Someone else's request is not theirs to read.
                let other = try await TestHTTP.send("GET", location, headers: w.headers(.d))
                #expect(other.status == 404, "\(other.text)")
            }
        }
    }
}
