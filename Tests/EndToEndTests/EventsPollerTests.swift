import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The events guarantee through the whole system: writers change items and write messages
    /// concurrently through the API (each change a command the processor commits in its own
    /// time), while OMS pollers call `GET /events` with small pages, feeding back the last
    /// timestamp they saw. At the end each has seen every event the database holds for its OMS,
    /// in non-decreasing timestamp order. (`ServiceTests/EventCursorTests` proves the same of the
    /// storage query alone, with slow transactions.)
    @Suite("Events poller end to end", .serialized)
    struct EventsPollerTests {
        @Test("four concurrent writers; pollers of a provider OMS and the default OMS see every event, in order")
        func pollersSeeEverything() async throws {
            // Four consumers in the processor: that many command transactions commit in any order.
            try await MessageWorld.run(environment: ["OMS_PROCESSOR_CONSUMERS": "4", "OMS_PROCESSOR_BATCH": "2"]) { w in
                let rounds = 16
                let state = PollState()
                try await withThrowingTaskGroup(of: (MessageWorld.Caller, [JSONValue], Int)?.self) { group in
                    group.addTask {  // P moves item A along.
                        for n in 1...rounds {
                            state.expectWritten(try await w.send(.p, "PATCH", "/projects/\(w.projectID)/project_items/\(w.itemA)",
                                                           json: ["status": ["value": .string("a-\(n)"), "type": "in_progress"]]), "A \(n)")
                        }
                        return nil
                    }
                    group.addTask {  // Q moves item B along, and sets secrets.
                        for n in 1...rounds {
                            state.expectWritten(try await w.send(.q, "PATCH", "/projects/\(w.projectID)/project_items/\(w.itemB)", json: [
                                "status": ["value": .string("b-\(n)"), "type": "in_progress"],
                                "user_secrets": ["token": .string("t-\(n)")]]), "B \(n)")
                        }
                        return nil
                    }
                    group.addTask {  // P writes on item A and edits what it wrote.
                        var last: Int64?
                        for n in 1...rounds {
                            if n % 4 == 0, let id = last {
                                state.expectWritten(try await w.send(.p, "PATCH", "/messages/\(id)", json: ["content": .string("edit \(n)")]), "edit \(n)")
                            } else {
                                let r = try await w.send(.p, "POST", "/messages", json: w.messageBody(
                                    item: w.itemA, scope: n % 3 == 0 ? "user_direct" : "public", role: "provider", content: "m \(n)"))
                                state.expectWritten(r, "message \(n)")
                                last = r.json?["id"]?.intValue
                            }
                        }
                        return nil
                    }
                    group.addTask {  // The mediator and the user write on the project; the user orders more.
                        for n in 1...rounds {
                            let r: TestHTTP.Response
                            switch n % 3 {
                            case 0:
                                r = try await TestHTTP.sendAwaitingOutcome("POST", w.api + "/api/v1/projects/\(w.projectID)/project_items",
                                                                           headers: w.demo.user, json: w.demo.orderBody())
                            case 1:
                                r = try await w.send(.d, "POST", "/messages", json: w.messageBody(
                                    item: nil, scope: "internal", role: "mediator", content: "d \(n)"))
                            default:
                                r = try await TestHTTP.sendAwaitingOutcome("POST", w.userMessages(), headers: w.demo.user,
                                                                           json: ["content": .string("u \(n)")])
                            }
                            state.expectWritten(r, "project \(n)")
                        }
                        return nil
                    }
                    for caller in [MessageWorld.Caller.p, .d] {
                        group.addTask {
                            var cursor = "2020-01-01T00:00:00Z"
                            var seen: [JSONValue] = []
                            var seenWhileWriting = 0
                            var emptyAfterWriters = 0
                            while emptyAfterWriters < 2 {
                                let stillWriting = state.writing.withLock { $0 }
                                let page = try await w.send(caller, "GET", "/events?from_timestamp=\(cursor)&limit=5")
                                guard page.status == 200, let events = page.json?["events"]?.arrayValue else {
                                    state.failures.withLock { $0.append("\(caller) poll: \(page.status) \(page.text)") }
                                    return (caller, seen, seenWhileWriting)
                                }
                                seen += events
                                if stillWriting { seenWhileWriting += events.count }
                                if let last = events.last?["timestamp"]?.stringValue { cursor = last }
                                emptyAfterWriters = !stillWriting && events.isEmpty ? emptyAfterWriters + 1 : 0
                                try await Task.sleep(for: .milliseconds(20))
                            }
                            return (caller, seen, seenWhileWriting)
                        }
                    }
                    // The writers end first (they return nil); then the pollers drain.
                    var writersDone = 0
                    var polls: [(MessageWorld.Caller, [JSONValue], Int)] = []
                    while let result = try await group.next() {
                        if let result { polls.append(result) } else { writersDone += 1 }
                        if writersDone == 4 { state.writing.withLock { $0 = false } }
                    }
                    #expect(state.failures.withLock { $0 }.isEmpty, "\(state.failures.withLock { $0 })")
                    #expect(polls.count == 2)
                    for (caller, seen, whileWriting) in polls {
                        let stored = try await Self.storedEvents(w, visibleTo: caller)
                        // P: the project, item A (1 + 16), its 12 messages and 4 edits, 5 new items of P's offer,
                        // 11 project messages; D also item B (1 + 16).
                        #expect(stored.count == (caller == .p ? 50 : 67), "\(caller): \(stored.count)")
                        #expect(whileWriting > 0, "\(caller) polled while the writers wrote")
                        let missed = Set(stored).subtracting(seen)
                        #expect(missed.isEmpty, "\(caller) missed \(missed.count) of \(stored.count): \(missed.prefix(3))")
                        #expect(Set(seen).isSubset(of: Set(stored)), "\(caller) saw events the database does not hold for it")
                        let stamps = seen.compactMap { $0["timestamp"]?.stringValue }
                        #expect(stamps.count == seen.count && zip(stamps, stamps.dropFirst()).allSatisfy { $0 <= $1 },
                                "\(caller): timestamps went backwards")
                    }
                }
            }
        }

        /// The events the database holds for `caller`'s OMS, by the rules of research §6 (the
        /// default OMS: all; another OMS: events of its items and project-level events of projects
        /// with one of its items), rendered as `event_read.json` renders them.
        static func storedEvents(_ w: MessageWorld, visibleTo caller: MessageWorld.Caller) async throws -> [JSONValue] {
            let oms = w.omsIDs[caller]!
            let isDefault = caller == .d
            return try await w.demo.withDatabase { conn in
                try await conn.query("""
                    SELECT to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts, e.type, e.resource,
                           e.project_id, e.project_item_iid, e.message_id, e.changes::text AS changes
                    FROM events e
                    WHERE \(isDefault)
                       OR EXISTS (SELECT 1 FROM project_items i WHERE i.oms_id = \(oms)
                                  AND (i.id = e.project_item_id OR (e.project_item_id IS NULL AND i.project_id = e.project_id)))
                    ORDER BY e.created_at, e.id
                    """).map { row -> JSONValue in
                    var o: [String: JSONValue] = [
                        "timestamp": .string(try row.string("ts")), "type": .string(try row.string("type")),
                        "resource": .string(try row.string("resource")), "project_id": .int(try row.int("project_id")),
                    ]
                    if let iid = try row.optionalInt("project_item_iid") { o["project_item_id"] = .int(iid) }
                    if let m = try row.optionalInt("message_id") { o["message_id"] = .int(m) }
                    if o["type"] == "update" { o["changes"] = try WireFormat.decode(JSONValue.self, from: try row.string("changes")) }
                    return .object(o)
                }
            }
        }
    }
}

/// What the writers and pollers of ``EndToEnd/EventsPollerTests`` share.
final class PollState: Sendable {
    /// Whether any writer is still writing.
    let writing = Mutex(true)
    let failures = Mutex<[String]>([])

    func expectWritten(_ response: TestHTTP.Response, _ label: String) {
        if response.status != 200 && response.status != 201 {
            failures.withLock { $0.append("\(label): \(response.status) \(response.text)") }
        }
    }
}
