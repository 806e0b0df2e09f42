import Foundation
import Messaging
import PostgresClient
import Storage
import TestSupport
import Testing

/// The inbox (`markProcessed`) against real PostgreSQL: the de-duplication every consumer relies on.
@Suite("Messaging: inbox de-duplication per consumer")
struct MessagingInboxTests {
    private func withMigrated(_ body: @Sendable (PostgresConnection) async throws -> Void) async throws {
        try await TestDatabase.with("inbox") { db in
            let conn = try await PostgresConnection.connect(db.configuration)
            _ = try await Migrations.migrate(conn)
            try await body(conn)
            await conn.close()
        }
    }

    /// `markProcessed` in a transaction of its own, as a consumer calls it with its effect.
    private func mark(_ conn: PostgresConnection, _ consumer: String, _ id: UUID) async throws -> Bool {
        try await conn.transaction { c in try c.markProcessed(consumer: consumer, messageID: id) }
    }

    @Test("markProcessed answers true the first time a consumer sees a message id and false after")
    func firstTimeOnly() async throws {
        try await withMigrated { (conn: PostgresConnection) async throws in
            let id = UUID()
            #expect(try await mark(conn, "processor", id) == true)
            #expect(try await mark(conn, "processor", id) == false)
            #expect(try await mark(conn, "processor", id) == false)
            // Another message id for the same consumer is new.
            #expect(try await mark(conn, "processor", UUID()) == true)
        }
    }

    @Test("two consumer names de-duplicate independently: one handling a message does not hide it from the other")
    func consumersAreIndependent() async throws {
        try await withMigrated { (conn: PostgresConnection) async throws in
            let id = UUID()
            #expect(try await mark(conn, "metrics", id) == true)
            #expect(try await mark(conn, "notifier", id) == true)
            #expect(try await mark(conn, "metrics", id) == false)
            #expect(try await mark(conn, "notifier", id) == false)
        }
    }

    @Test("a mark made in a transaction that rolled back does not count: the redelivery is handled")
    func rolledBackMarkDoesNotCount() async throws {
        struct EffectFailed: Error {}
        try await withMigrated { (conn: PostgresConnection) async throws in
            let id = UUID()
            await #expect(throws: EffectFailed.self) {
                try await conn.transaction { c in
                    let first = try c.markProcessed(consumer: "processor", messageID: id)
                    #expect(first)
                    throw EffectFailed()  // the effect failed after the mark: all of it rolls back
                }
            }
            #expect(try await mark(conn, "processor", id) == true)
        }
    }

    @Test("concurrent redeliveries of one message on two connections: exactly one is told to apply the effect")
    func concurrentMarksOneWins() async throws {
        try await TestDatabase.with("inbox") { db in
            let setup = try await PostgresConnection.connect(db.configuration)
            _ = try await Migrations.migrate(setup)
            let pool = PostgresPool(configuration: db.configuration, size: 8)
            for _ in 0..<20 {
                let id = UUID()
                let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<8 {
                        group.addTask { try await pool.transaction { c in try c.markProcessed(consumer: "processor", messageID: id) } }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(wins == 1, "message \(id): \(wins) winners")
            }
            await pool.close()
            await setup.close()
        }
    }
}
