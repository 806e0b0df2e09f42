import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The user's message API: the owner of a project reads and writes its messages and its
    /// items'; others are told the project does not exist.
    @Suite("User messages end to end", .serialized)
    struct UserMessageTests {
        static let signIn = errorBody("You need to sign in or sign up before continuing.")
        static let projectNotFound = errorBody("Project not found")
        static let itemNotFound = errorBody("Project item not found")

        @Test("user messages: the owner reads public and user_direct (hidden), writes public as themself; others get 404")
        func userMessages() async throws {
            try await MessageWorld.run { w in
                let user = w.demo.user
                // OMS messages of every scope, on the project and on item A.
                var secrets: [String] = []
                for (caller, item, scope, role) in [(MessageWorld.Caller.d, Int64?.none, "public", "mediator"),
                                                    (.d, nil, "internal", "mediator"), (.d, nil, "user_direct", "mediator"),
                                                    (.p, w.itemA, "public", "provider"), (.p, w.itemA, "internal", "provider"),
                                                    (.p, w.itemA, "user_direct", "provider")] {
                    let content = "\(scope) on \(item == nil ? "project" : "item") pw-\(UUID().uuidString)"
                    let r = try await w.send(caller, "POST", "/messages", json: w.messageBody(item: item, scope: scope, role: role,
                                                                                            content: content))
                    #expect(r.status == 201, "\(r.text)")
                    if scope == "user_direct" { secrets.append(content) }
                }
                // The owner writes; the author comes from the account, the scope is public.
                let owner = try await TestHTTP.send("GET", w.api + "/api/v1/projects/\(w.projectID)", headers: user)
                let mine = try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(), headers: user,
                                                                  json: ["content": "Any news?", "scope": "public"])
                #expect(mine.status == 201, "\(mine.text)")
                #expect(mine.json?["author"] == ["uid": owner.json?["owner"]?["uid"] ?? .null, "email": "researcher@example.org",
                                                 "name": "Demo Researcher", "role": "user"], "\(mine.text)")
                #expect(mine.json?["scope"] == "public" && mine.json?["content"] == "Any news?")
                let onItem = try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(item: w.itemA), headers: user,
                                                                    json: ["content": "About item A"])
                #expect(onItem.status == 201, "\(onItem.text)")

                func read(_ url: String) async throws -> [JSONValue] {
                    let r = try await TestHTTP.send("GET", url, headers: user)
                    #expect(r.status == 200, "\(r.text)")
                    #expect(!secrets.contains { r.text.contains($0) }, "user_direct content in a user read")
                    return r.json?["messages"]?.arrayValue ?? []
                }
                let projectMessages = try await read(w.userMessages())
                #expect(projectMessages.map { $0["scope"]?.stringValue ?? "" } == ["public", "user_direct", "public"])
                #expect(projectMessages[1]["content"] == "<OBFUSCATED>")
                #expect(projectMessages[2]["id"] == mine.json?["id"])
                let itemMessages = try await read(w.userMessages(item: w.itemA))
                #expect(itemMessages.map { $0["scope"]?.stringValue ?? "" } == ["public", "user_direct", "public"])
                #expect(try await read(w.userMessages(item: w.itemB)).isEmpty)
                let paged = try await read(w.userMessages() + "?limit=1&from_id=\(projectMessages[0]["id"]?.intValue ?? 0)")
                #expect(paged.map { $0["id"] } == [projectMessages[1]["id"]])
                // And the OMSes read the user's message as role `user`.
                let seen = try await w.send(.p, "GET", "/messages/\(onItem.json?["id"]?.intValue ?? 0)")
                #expect(seen.json?["author"]?["role"] == "user" && seen.json?["content"] == "About item A", "\(seen.text)")

                // Refusals.
                let before = try await w.demo.count("SELECT count(*) AS n FROM messages")
                let badBodies: [(JSONValue, String)] = [
                    (["content": ""], "content"), (["content": "  "], "content"), ([:], "content"), (["content": 5], "content"),
                    (["content": "x", "scope": "internal"], "scope"), (["content": "x", "scope": "user_direct"], "scope"),
                    (["content": "x", "author": ["role": "provider"]], "author"),
                ]
                for (body, field) in badBodies {
                    let r = try await TestHTTP.send("POST", w.userMessages(), headers: user, json: body)
                    #expect(r.status == 400 && r.json?["error"]?[field] != nil, "\(body): \(r.text)")
                }
                #expect(try await TestHTTP.send("POST", w.userMessages(), headers: user, json: ["content": ""]).json
                        == errorBody(["content": ["can't be blank"]]))
                _ = try await w.demo.system.ctl(["user", "create", "--uid", "someone-else", "--email", "else@example.org"])
                let other = ["X-User-Token": try #require(try await w.demo.ctlJSON(["token", "issue", "--user", "someone-else"]).last?["token"]?.stringValue)]
                for url in [w.userMessages(), w.userMessages(item: w.itemA), w.api + "/api/v1/projects/999999/messages"] {
                    for method in ["GET", "POST"] {
                        let r = try await TestHTTP.send(method, url, headers: url.contains("999999") ? user : other,
                                                        json: method == "POST" ? ["content": "hi"] : nil)
                        #expect(r.status == 404 && r.json == Self.projectNotFound, "\(method) \(url): \(r.text)")
                        let anonymous = try await TestHTTP.send(method, url, json: method == "POST" ? ["content": "hi"] : nil)
                        #expect(anonymous.status == 401 && anonymous.json == Self.signIn, "\(method) \(url)")
                    }
                }
                for method in ["GET", "POST"] {
                    let r = try await TestHTTP.send(method, w.userMessages(item: 999), headers: user,
                                                    json: method == "POST" ? ["content": "hi"] : nil)
                    #expect(r.status == 404 && r.json == Self.itemNotFound, "\(method): \(r.text)")
                }
                let badLimit = try await TestHTTP.send("GET", w.userMessages() + "?limit=0", headers: user)
                #expect(badLimit.status == 400 && badLimit.json == errorBody("'limit' must be a positive integer"))
                #expect(try await w.demo.count("SELECT count(*) AS n FROM messages") == before)
            }
        }
    }
}
