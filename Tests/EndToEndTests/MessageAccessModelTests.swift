import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The Ordering API's access model through the real API, table by table: every kind of
    /// caller (D default, P the item's primary, Q primary for another item of the project,
    /// U unrelated) against the project, item A, and project and item-A messages of every scope
    /// and author role: reads, item PATCH, message POST and PATCH, and obfuscation.
    @Suite("Access model end to end", .serialized)
    struct MessageAccessModelTests {
        typealias Caller = MessageWorld.Caller
        static let projectNotFound = errorBody("Project not found")
        static let itemNotFound = errorBody("Project item not found")
        static let forbidden = errorBody("You are not authorized to perform this action.")

        /// (target is item A?, scope, author role, the callers that may write it): the research's
        /// tables written out, not computed by the code under test.
        static let cells: [(Bool, String, String, Set<Caller>)] = [
            (false, "public", "provider", [.p, .q]), (false, "public", "mediator", [.d]),
            (false, "internal", "provider", [.p, .q]), (false, "internal", "mediator", [.d]),
            (false, "user_direct", "provider", []), (false, "user_direct", "mediator", [.d]),
            (true, "public", "provider", [.p]), (true, "public", "mediator", [.d]),
            (true, "internal", "provider", [.p]), (true, "internal", "mediator", [.d]),
            (true, "user_direct", "provider", [.p]), (true, "user_direct", "mediator", []),
        ]

        @Test("projects and items: who reads, who may PATCH, and 404 rather than 403 for what one cannot see")
        func projectsAndItems() async throws {
            try await MessageWorld.run { w in
                let project = "/projects/\(w.projectID)", itemA = project + "/project_items/\(w.itemA)"
                // (caller, project read, item A read, item A PATCH): status and body when refused.
                let rows: [(Caller, Int, Int, Int, JSONValue?)] = [
                    (.d, 200, 200, 403, Self.forbidden), (.p, 200, 200, 200, nil),
                    (.q, 200, 404, 404, Self.itemNotFound), (.u, 404, 404, 404, Self.projectNotFound),
                ]
                for (caller, projectStatus, itemStatus, patchStatus, refusal) in rows {
                    let readProject = try await w.send(caller, "GET", project)
                    #expect(readProject.status == projectStatus, "\(caller): \(readProject.text)")
                    if projectStatus == 404 { #expect(readProject.json == Self.projectNotFound, "\(caller)") }
                    let readItem = try await w.send(caller, "GET", itemA)
                    #expect(readItem.status == itemStatus, "\(caller): \(readItem.text)")
                    if caller == .q { #expect(readItem.json == Self.itemNotFound) }
                    if caller == .u { #expect(readItem.json == Self.projectNotFound) }
                    let list = try await w.send(caller, "GET", project + "/project_items")
                    let listed = Set(list.json?["project_items"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? [])
                    let expectedListed: Set<Int64> = [.d: [w.itemA, w.itemB], .p: [w.itemA], .q: [w.itemB], .u: []][caller]!
                    #expect(listed == expectedListed, "\(caller): \(list.text)")
                    let projects = try await w.send(caller, "GET", "/projects")
                    let ids = projects.json?["projects"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
                    #expect(ids.contains(w.projectID) == (caller != .u), "\(caller): \(projects.text)")

                    let patch = try await w.send(caller, "PATCH", itemA,
                                                 json: ["status": ["value": .string("by \(caller)"), "type": "in_progress"]])
                    #expect(patch.status == patchStatus, "\(caller): \(patch.text)")
                    if let refusal { #expect(patch.json == refusal, "\(caller): \(patch.text)") }
                }
                let after = try await w.send(.p, "GET", itemA)
                #expect(after.json?["status"]?["value"]?.stringValue == "by P", "only P's PATCH took effect: \(after.text)")
            }
        }

        @Test("messages: POST, read, PATCH and obfuscation for every caller × target × scope × author role")
        func messages() async throws {
            try await MessageWorld.run { w in
                /// The message each allowed caller wrote, with its cell.
                var written: [(id: Int64, item: Bool, scope: String, role: String, content: String, writers: Set<Caller>)] = []
                for (onItem, scope, role, writers) in Self.cells {
                    for caller in Caller.allCases {
                        let content = "secret \(onItem ? "item" : "project") \(scope) \(role) by \(caller)"
                        let body = w.messageBody(item: onItem ? w.itemA : nil, scope: scope, role: role, content: content)
                        let response = try await w.send(caller, "POST", "/messages", json: body)
                        let label = "\(caller) POST \(onItem ? "item" : "project") \(scope)/\(role)"
                        if writers.contains(caller) {
                            #expect(response.status == 201, "\(label): \(response.text)")
                            // Clear in the response that wrote it, whatever the scope.
                            #expect(response.json?["content"]?.stringValue == content, "\(label): \(response.text)")
                            #expect(response.json?["scope"]?.stringValue == scope)
                            #expect(response.json?["author"] == ["email": .string("\(role)@example.org"),
                                                                 "name": .string("The \(role)"), "role": .string(role)] as JSONValue)
                            let id = try #require(response.json?["id"]?.intValue)
                            written.append((id, onItem, scope, role, content, writers))
                        } else if caller == .u {
                            #expect(response.status == 404 && response.json == Self.projectNotFound, "\(label): \(response.text)")
                        } else if caller == .q && onItem {
                            #expect(response.status == 404 && response.json == Self.itemNotFound, "\(label): \(response.text)")
                        } else {
                            #expect(response.status == 403 && response.json == Self.forbidden, "\(label): \(response.text)")
                        }
                    }
                }
                // 12 cells; 12 allowed (caller, cell) pairs (two cells have two writers, two none).
                #expect(written.count == 12)

                // The user's own messages, on the project and on item A.
                let userProject = try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(), headers: w.demo.user,
                                                                         json: ["content": "user on the project"])
                let userItem = try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(item: w.itemA), headers: w.demo.user,
                                                                      json: ["content": "user on item A"])
                for (response, onItem) in [(userProject, false), (userItem, true)] {
                    #expect(response.status == 201, "\(response.text)")
                    written.append((try #require(response.json?["id"]?.intValue), onItem, "public", "user",
                                    response.json?["content"]?.stringValue ?? "", []))
                }

                // Reads: who sees which message, with user_direct content hidden everywhere.
                for caller in Caller.allCases {
                    let projectList = try await w.send(caller, "GET", "/messages?project_id=\(w.projectID)&limit=100")
                    let itemList = try await w.send(caller, "GET", "/messages?project_id=\(w.projectID)&project_item_id=\(w.itemA)&limit=100")
                    switch caller {
                    case .u:
                        #expect(projectList.status == 404 && projectList.json == Self.projectNotFound, "\(projectList.text)")
                        #expect(itemList.status == 404 && itemList.json == Self.projectNotFound, "\(itemList.text)")
                    case .q:
                        #expect(projectList.status == 200, "\(projectList.text)")
                        #expect(itemList.status == 404 && itemList.json == Self.itemNotFound, "\(itemList.text)")
                    case .d, .p:
                        #expect(projectList.status == 200 && itemList.status == 200, "\(projectList.text) \(itemList.text)")
                    }
                    let listed = (projectList.json?["messages"]?.arrayValue ?? []) + (itemList.json?["messages"]?.arrayValue ?? [])
                    let byID = Dictionary(listed.compactMap { m in m["id"]?.intValue.map { ($0, m) } }, uniquingKeysWith: { a, _ in a })
                    for m in written {
                        let readable = caller == .d || caller == .p || (caller == .q && !m.item)
                        let shown = try await w.send(caller, "GET", "/messages/\(m.id)")
                        let label = "\(caller) reads \(m.item ? "item" : "project") \(m.scope)/\(m.role) #\(m.id)"
                        #expect(shown.status == (readable ? 200 : 403), "\(label): \(shown.text)")
                        #expect((byID[m.id] != nil) == readable, "\(label): listed")
                        guard readable else {
                            #expect(shown.json == Self.forbidden, "\(label)")
                            continue
                        }
                        let expected = m.scope == "user_direct" ? "<OBFUSCATED>" : m.content
                        #expect(shown.json?["content"]?.stringValue == expected, "\(label): \(shown.text)")
                        #expect(byID[m.id]?["content"]?.stringValue == expected, "\(label): listed")
                        #expect(shown.json == byID[m.id], "\(label): show and list agree")
                    }
                    // Project-level and item lists never mix.
                    let projectIDs = Set(projectList.json?["messages"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? [])
                    #expect(projectIDs.isDisjoint(with: Set(written.filter(\.item).map(\.id))), "\(caller)")
                }

                // PATCH: allowed exactly for who could have written it; never for the user's messages.
                var states: [Int64: [String]] = [:]
                for m in written {
                    states[m.id] = [m.content]
                    for caller in Caller.allCases {
                        let content = "edited by \(caller): \(m.content)"
                        let response = try await w.send(caller, "PATCH", "/messages/\(m.id)", json: ["content": .string(content)])
                        let label = "\(caller) PATCH \(m.item ? "item" : "project") \(m.scope)/\(m.role) #\(m.id)"
                        if m.writers.contains(caller) {
                            #expect(response.status == 200, "\(label): \(response.text)")
                            #expect(response.json?["content"]?.stringValue == content, "\(label): clear in its own response")
                            states[m.id, default: []].append(content)
                        } else {
                            #expect(response.status == 403 && response.json == Self.forbidden, "\(label): \(response.text)")
                        }
                    }
                }
                // The user's messages are untouched.
                let userRead = try await w.send(.d, "GET", "/messages/\(written[written.count - 1].id)")
                #expect(userRead.json?["content"]?.stringValue == "user on item A", "\(userRead.text)")
                #expect(userRead.json?["author"]?["role"]?.stringValue == "user")

                // Events: each OMS sees the create/update events of exactly the messages it reads,
                // and no event carries user_direct content.
                for caller in Caller.allCases {
                    let events = try await w.events(caller).filter { $0["resource"]?.stringValue == "message" }
                    let seen = Set(events.compactMap { $0["message_id"]?.intValue })
                    let readable = Set(written.filter { caller == .d || caller == .p || (caller == .q && !$0.item) }.map(\.id))
                    #expect(seen == (caller == .u ? [] : readable), "\(caller)")
                    for m in written where seen.contains(m.id) {
                        let mine = events.filter { $0["message_id"]?.intValue == m.id }
                        #expect(mine.allSatisfy { $0["project_id"]?.intValue == w.projectID
                            && $0["project_item_id"]?.intValue == (m.item ? w.itemA : nil) }, "\(mine)")
                        #expect(mine.first?["type"] == "create" && mine.first?["changes"] == nil, "\(mine)")
                        // One update per edit, each from the previous content to the next (hidden if user_direct).
                        let chain = states[m.id] ?? [m.content]
                        let expected: [JSONValue] = zip(chain, chain.dropFirst()).map { before, after in
                            let hide = m.scope == "user_direct"
                            return [["field": "content", "before": .string(hide ? "<OBFUSCATED>" : before),
                                     "after": .string(hide ? "<OBFUSCATED>" : after)]]
                        }
                        #expect(mine.dropFirst().map { $0["changes"] ?? .null } == expected, "\(caller) #\(m.id): \(mine)")
                    }
                    let text = try await w.send(caller, "GET", "/events?from_timestamp=2020-01-01T00:00:00Z&limit=100000").text
                    for m in written where m.scope == "user_direct" {
                        #expect(!text.contains(m.content), "\(caller) events leak #\(m.id)")
                    }
                }
            }
        }
    }
}
