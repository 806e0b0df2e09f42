import Foundation
import PostgresClient
import Storage
import Synchronization
import Testing
import TestSupport
import Wire

/// The events cursor: a poller that feeds back the last timestamp it saw must see every event,
/// in order, however the writers' transactions interleave and however late they commit.
@Suite("Events cursor")
struct EventCursorTests {
    @Test("concurrent writers with slow transactions: a poller feeding back its last timestamp sees every event in order")
    func pollerNeverSkipsALateCommit() async throws {
        try await TestDatabase.with("events") { db in
            let setup = try await PostgresConnection.connect(db.configuration)
            _ = try await Migrations.migrate(setup)
            let writers = 6, transactionsPerWriter = 25
            let written = IDSet()
            let done = Flag()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        let conn = try await PostgresConnection.connect(db.configuration)
                        for t in 0..<transactionsPerWriter {
                            let count = 1 + (w + t) % 3
                            let ids = try await conn.transaction { conn -> [Int64] in
                                // Work before the events (another writer may append meanwhile)…
                                try conn.query("SELECT pg_sleep(\(Double((w * 7 + t * 3) % 10) / 1000))")
                                let events = (0..<count).map { i in
                                    NewEvent(type: "create", resource: "project", projectID: Int64(w * 1000 + t * 10 + i))
                                }
                                let appended = try conn.appendEvents(events).map(\.id)
                                // …and a slow commit after them.
                                try conn.query("SELECT pg_sleep(\(Double((w + t) % 4) / 1000))")
                                return appended
                            }
                            written.insert(ids)
                        }
                    }
                }
                group.addTask {
                    // The poller: small pages, feeding back the last timestamp it saw.
                    let conn = try await PostgresConnection.connect(db.configuration)
                    var cursor = Timestamp(microseconds: 0)
                    var seen: [EventRecord] = []
                    var quietPolls = 0
                    while quietPolls < 3 {
                        let finished = done.isSet
                        let page = try await conn.events(visibleTo: 0, isDefault: true, after: cursor, limit: 7)
                        if let last = page.last {
                            // Longer than the limit only to finish the events sharing its last timestamp.
                            #expect(page.count <= 7 || page[6...].allSatisfy { $0.createdAt == last.createdAt })
                            seen += page
                            cursor = last.createdAt
                        }
                        quietPolls = finished && page.isEmpty ? quietPolls + 1 : 0
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    let order = seen.map { ($0.createdAt, $0.id) }
                    #expect(zip(order, order.dropFirst()).allSatisfy { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) },
                            "events came out of order")
                    PollResult.shared.store(Set(seen.map(\.id)), count: seen.count)
                }
                // Wait for the writers (all tasks but the poller), then let the poller drain.
                var finishedWriters = 0
                while finishedWriters < writers {
                    try await group.next()
                    finishedWriters += 1
                }
                done.set()
                try await group.waitForAll()
            }
            let (seenIDs, seenCount) = PollResult.shared.load()
            let all = written.all
            #expect(all.count == (0..<writers).reduce(0) { sum, w in sum + (0..<transactionsPerWriter).reduce(0) { $0 + 1 + (w + $1) % 3 } })
            #expect(all.isSubset(of: seenIDs), "the poller missed \(all.subtracting(seenIDs).count) events")
            #expect(seenCount == seenIDs.count, "a page repeated events although the cursor moved past them")
        }
    }

    @Test("a page is extended so it never ends between events that share a timestamp")
    func pageNeverSplitsATimestamp() async throws {
        try await TestDatabase.with("events") { db in
            let conn = try await PostgresConnection.connect(db.configuration)
            _ = try await Migrations.migrate(conn)
            let shared = "2026-01-01T00:00:00.000001Z"
            try await conn.query("""
                INSERT INTO events (created_at, type, resource, project_id)
                SELECT \(shared)::timestamptz, 'create', 'project', g FROM generate_series(1, 5) g
                """)
            try await conn.query("""
                INSERT INTO events (created_at, type, resource, project_id)
                VALUES ('2026-01-01T00:00:01Z', 'create', 'project', 6)
                """)
            let page = try await conn.events(visibleTo: 0, isDefault: true, after: Timestamp(microseconds: 0), limit: 2)
            #expect(page.map(\.projectID) == [1, 2, 3, 4, 5])
            let next = try await conn.events(visibleTo: 0, isDefault: true, after: page.last!.createdAt, limit: 2)
            #expect(next.map(\.projectID) == [6])
        }
    }
}

final class IDSet: Sendable {
    private let ids = Mutex(Set<Int64>())
    func insert(_ new: [Int64]) { ids.withLock { $0.formUnion(new) } }
    var all: Set<Int64> { ids.withLock { $0 } }
}

final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

final class PollResult: Sendable {
    static let shared = PollResult()
    private let value = Mutex<(Set<Int64>, Int)>(([], 0))
    func store(_ ids: Set<Int64>, count: Int) { value.withLock { $0 = (ids, count) } }
    func load() -> (Set<Int64>, Int) { value.withLock { $0 } }
}
