import Foundation
import HTTPCore
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// Who is told about a message: one trigger per event for each concerned OMS (the subject's
    /// primary OMSes plus the default OMS), and the e-mails to the owner and the provider.
    @Suite("Message notifications end to end", .serialized)
    struct MessageNotificationTests {
        typealias Caller = MessageWorld.Caller

        @Test("triggers: project message → D, P, Q; item message → its primary OMS and D; never U; once each")
        func triggers() async throws {
            try await MessageWorld.run { w in
                // Let the triggers of the orders arrive first, so each step sees only its own.
                _ = try await TestHTTP.eventually { try await w.triggers(after: []).count >= 5 }
                try await Task.sleep(for: .milliseconds(500))
                var messageID: Int64 = 0
                let steps: [(String, String, Set<Caller>, () async throws -> TestHTTP.Response)] = [
                    ("P project message", "message.create", [.d, .p, .q], {
                        try await w.send(.p, "POST", "/messages", json: w.messageBody(item: nil, scope: "public", role: "provider", content: "1"))
                    }),
                    ("P item A message", "message.create", [.d, .p], {
                        try await w.send(.p, "POST", "/messages", json: w.messageBody(item: w.itemA, scope: "internal", role: "provider", content: "2"))
                    }),
                    ("Q item B message", "message.create", [.d, .q], {
                        try await w.send(.q, "POST", "/messages", json: w.messageBody(item: w.itemB, scope: "public", role: "provider", content: "3"))
                    }),
                    ("D project message", "message.create", [.d, .p, .q], {
                        try await w.send(.d, "POST", "/messages", json: w.messageBody(item: nil, scope: "user_direct", role: "mediator", content: "4"))
                    }),
                    ("user project message", "message.create", [.d, .p, .q], {
                        try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(), headers: w.demo.user, json: ["content": "5"])
                    }),
                    ("user item B message", "message.create", [.d, .q], {
                        try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(item: w.itemB), headers: w.demo.user, json: ["content": "6"])
                    }),
                    ("P item A message for editing", "message.create", [.d, .p], {
                        try await w.send(.p, "POST", "/messages", json: w.messageBody(item: w.itemA, scope: "public", role: "provider", content: "7"))
                    }),
                    ("P edits it", "message.update", [.d, .p], {
                        try await w.send(.p, "PATCH", "/messages/\(messageID)", json: ["content": "7, edited"])
                    }),
                    ("P edits it to the same content", "", [], {
                        try await w.send(.p, "PATCH", "/messages/\(messageID)", json: ["content": "7, edited"])
                    }),
                ]
                try await Self.expectTriggers(w, steps) { response in
                    if let id = response.json?["id"]?.intValue { messageID = id }
                }
            }
        }

        /// Runs each step and checks that exactly its expected OMSes got one trigger each, of `kind`.
        static func expectTriggers(_ w: MessageWorld,
                                   _ steps: [(String, String, Set<Caller>, () async throws -> TestHTTP.Response)],
                                   onResponse: (TestHTTP.Response) -> Void = { _ in }) async throws {
            for (label, kind, expected, action) in steps {
                let seen = w.deliveryIDs
                let response = try await action()
                #expect(response.status == 201 || response.status == 200, "\(label): \(response.text)")
                onResponse(response)
                var got: [(Caller, String, String)] = []
                let arrived = try await TestHTTP.eventually(timeout: .seconds(20)) {
                    got = try await w.triggers(after: seen)
                    return Set(got.map(\.0)) == expected && got.allSatisfy { $0.1 != "?" }
                }
                // Nothing more comes: no OMS gets two, U gets none.
                try await Task.sleep(for: .milliseconds(700))
                got = try await w.triggers(after: seen)
                #expect(arrived, "\(label): \(got)")
                #expect(got.map(\.0).sorted { $0.rawValue < $1.rawValue } == expected.sorted { $0.rawValue < $1.rawValue },
                        "\(label): \(got)")
                #expect(got.allSatisfy { $0.1 == kind }, "\(label): \(got)")
            }
        }

        @Test("triggers: project → D; an item → its primary OMS and D; its update likewise; none for a no-op; each OMS's method")
        func projectAndItemTriggers() async throws {
            try await MessageWorld.run { w in
                _ = try await TestHTTP.eventually { try await w.triggers(after: []).count >= 5 }
                try await Task.sleep(for: .milliseconds(500))
                try await w.demo.withDatabase { conn in
                    try await conn.query("UPDATE omses SET trigger_method = 'put' WHERE id = \(w.omsIDs[.q]!)")
                    try await conn.query("UPDATE omses SET trigger_method = 'get' WHERE id = \(w.omsIDs[.d]!)")
                }
                try await Task.sleep(for: .milliseconds(2500))  // the notifier's OMS cache lives 2 s
                var projectID: Int64 = 0
                var itemOfQ: Int64 = 0
                let items = { w.demo.api + "/api/v1/projects/\(projectID)/project_items" }
                let statusOfQ: JSONValue = ["status": ["value": "Taken", "type": "registered"]]
                let steps: [(String, String, Set<Caller>, () async throws -> TestHTTP.Response)] = [
                    ("a new project", "project.create", [.d], {
                        try await TestHTTP.sendAwaitingOutcome("POST", w.demo.api + "/api/v1/projects", headers: w.demo.user,
                                                               json: ["name": "Triggers"])
                    }),
                    ("an item of P", "project_item.create", [.d, .p], {
                        try await TestHTTP.sendAwaitingOutcome("POST", items(), headers: w.demo.user, json: w.demo.orderBody())
                    }),
                    ("an item of Q", "project_item.create", [.d, .q], {
                        try await TestHTTP.sendAwaitingOutcome("POST", items(), headers: w.demo.user,
                                                               json: ["resource_id": .string(w.demo.seed.resourceID), "offer_id": 2])
                    }),
                    ("Q updates its item", "project_item.update", [.d, .q], {
                        try await w.send(.q, "PATCH", "/projects/\(projectID)/project_items/\(itemOfQ)", json: statusOfQ)
                    }),
                    ("Q sends the same status again", "", [], {
                        try await w.send(.q, "PATCH", "/projects/\(projectID)/project_items/\(itemOfQ)", json: statusOfQ)
                    }),
                ]
                try await Self.expectTriggers(w, steps) { response in
                    guard let id = response.json?["id"]?.intValue else { return }
                    if response.json?["project_id"] == nil { projectID = id } else { itemOfQ = id }
                }
                let methods = Dictionary(grouping: w.receiver.requests, by: { String($0.path.split(separator: "/").last ?? "") })
                    .mapValues { Set($0.map(\.method)) }
                #expect(methods["q"]?.contains("PUT") == true && methods["d"]?.contains("GET") == true, "\(methods)")
                #expect(w.receiver.requests.allSatisfy { $0.header("Authorization") == nil || $0.header("Authorization")!.hasPrefix("Basic ") })
            }
        }

        @Test("mails: the owner about OMS messages unless internal (user_direct included); the provider about the user's item messages")
        func mails() async throws {
            try await MessageWorld.run { w in
                let mailbox = try #require(w.demo.mailbox)
                let token = UUID().uuidString.prefix(8)
                let posts: [(Caller?, Int64?, String, String)] = [
                    (.p, nil, "public", "public-project-\(token)"),
                    (.p, w.itemA, "internal", "internal-item-\(token)"),
                    (.p, w.itemA, "user_direct", "direct-item-\(token)"),
                    (.d, nil, "internal", "internal-project-\(token)"),
                    (nil, w.itemA, "public", "user-item-\(token)"),
                    (nil, nil, "public", "user-project-\(token)"),
                ]
                for (caller, item, scope, content) in posts {
                    let response: TestHTTP.Response
                    if let caller {
                        response = try await w.send(caller, "POST", "/messages", json: w.messageBody(
                            item: item, scope: scope, role: caller == .d ? "mediator" : "provider", content: content))
                    } else {
                        response = try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(item: item), headers: w.demo.user,
                                                                          json: ["content": .string(content)])
                    }
                    #expect(response.status == 201, "\(content): \(response.text)")
                }
                func mails(containing text: String) -> [CapturedMail] { mailbox.messages().filter { $0.body.contains(text) } }
                let arrived = try await TestHTTP.eventually(timeout: .seconds(20)) {
                    !mails(containing: "public-project-\(token)").isEmpty && !mails(containing: "direct-item-\(token)").isEmpty
                        && !mails(containing: "user-item-\(token)").isEmpty
                }
                #expect(arrived, "\(mailbox.messages().map(\.subject))")
                try await Task.sleep(for: .seconds(1))
                let owner = "researcher@example.org", provider = "provider@example.org"
                #expect(mails(containing: "public-project-\(token)").map(\.envelopeRecipients) == [[owner]])
                #expect(mails(containing: "direct-item-\(token)").map(\.envelopeRecipients) == [[owner]])
                #expect(mails(containing: "user-item-\(token)").map(\.envelopeRecipients) == [[provider]])
                #expect(mails(containing: "internal-item-\(token)").isEmpty)
                #expect(mails(containing: "internal-project-\(token)").isEmpty)
                #expect(mails(containing: "user-project-\(token)").isEmpty)
            }
        }
    }
}
