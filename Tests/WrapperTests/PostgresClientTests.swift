import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("PostgresClient against a real server")
struct PostgresClientTests {
    @Test("a failing statement reports its SQLSTATE and the connection stays usable")
    func sqlStateOnFailure() async throws {
        try await TestDatabase.with("pg") { db in
            let conn = try await PostgresConnection.connect(db.configuration)
            try await conn.query("CREATE TABLE t (id int PRIMARY KEY)")
            try await conn.query("INSERT INTO t VALUES (\(1))")
            let error = await #expect(throws: PostgresError.self) { try await conn.query("INSERT INTO t VALUES (\(1))") }
            #expect(error?.sqlState == "23505")
            #expect(error?.isUniqueViolation == true)
            #expect(error?.constraint == "t_pkey")
            let divide = await #expect(throws: PostgresError.self) { try await conn.query("SELECT 1 / \(0)") }
            #expect(divide?.sqlState == "22012")
            let rows = try await conn.query("SELECT count(*) AS n FROM t")
            #expect(try rows[0].int("n") == 1)
        }
    }

    @Test("interpolated values are bound as parameters, never spliced into the SQL")
    func interpolationBinds() async throws {
        let hostile = "x'); DROP TABLE t; --"
        let query: PostgresQuery = "SELECT \(hostile)::text AS v, \(42) AS n, \(Optional<String>.none) AS z"
        #expect(query.sql == "SELECT $1::text AS v, $2 AS n, $3 AS z")
        #expect(query.binds == [hostile, "42", nil])
        try await TestDatabase.with("pg") { db in
            let conn = try await PostgresConnection.connect(db.configuration)
            let row = try await conn.query(query)[0]
            #expect(try row.string("v") == hostile)
            #expect(try row.optionalString("z") == nil)
        }
    }

    @Test("arrays, booleans, timestamps and bytea round-trip")
    func typedValues() async throws {
        try await TestDatabase.with("pg") { db in
            let conn = try await PostgresConnection.connect(db.configuration)
            let words = ["a", "b c", "quote\"d", "back\\slash", ""]
            let row = try await conn.query("""
                SELECT \(words)::text[] AS words, \([1, 2, 3])::int8[] AS ids, \(true)::bool AS yes,
                       '2026-11-25 14:37:21.123456+00'::timestamptz AS ts, \(PostgresBytes([0, 255, 16]))::bytea AS raw
                """)[0]
            #expect(try row.stringArray("words") == words)
            #expect(try row.intArray("ids") == [1, 2, 3])
            #expect(try row.bool("yes"))
            #expect(try row.string("ts") == "2026-11-25 14:37:21.123456+00")
            #expect(try row.bytes("raw") == [0, 255, 16])
        }
    }

    @Test("a pipeline is one atomic transaction: a failing statement undoes the earlier ones")
    func pipelineIsAtomic() async throws {
        try await TestDatabase.with("pg") { db in
            let conn = try await PostgresConnection.connect(db.configuration)
            try await conn.query("CREATE TABLE t (id int PRIMARY KEY)")
            let results = try await conn.pipeline(["INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2) RETURNING id"])
            #expect(try results[1][0].int("id") == 2)
            let error = await #expect(throws: PostgresError.self) {
                try await conn.pipeline(["INSERT INTO t VALUES (3)", "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (4)"])
            }
            #expect(error?.sqlState == "23505")
            let ids = try await conn.query("SELECT array_agg(id ORDER BY id) AS ids FROM t")[0].intArray("ids")
            #expect(ids == [1, 2])
            // The connection is usable afterwards, not stuck in an aborted transaction.
            try await conn.query("INSERT INTO t VALUES (5)")
        }
    }

    @Test("a transaction that throws is rolled back")
    func transactionRollsBack() async throws {
        struct Boom: Error {}
        try await TestDatabase.with("pg") { db in
            let pool = PostgresPool(configuration: db.configuration, size: 2)
            try await pool.query("CREATE TABLE t (id int)")
            await #expect(throws: Boom.self) {
                try await pool.transaction { conn in
                    try conn.query("INSERT INTO t VALUES (1)")
                    throw Boom()
                }
            }
            try await pool.transaction { conn in _ = try conn.query("INSERT INTO t VALUES (2)") }
            let n = try await pool.query("SELECT array_agg(id) AS ids FROM t")[0].intArray("ids")
            #expect(n == [2])
            await pool.close()
        }
    }

    @Test("LISTEN receives a NOTIFY sent by another connection")
    func listenNotify() async throws {
        try await TestDatabase.with("pg") { db in
            let listener = try await PostgresConnection.connect(db.configuration)
            let channel = "ch_\(db.schema)"
            try await listener.listen(channel)
            let empty = try await listener.waitForNotifications(timeout: .milliseconds(50))
            #expect(empty.isEmpty)
            let other = try await PostgresConnection.connect(db.configuration)
            try await other.query("SELECT pg_notify(\(channel), 'hello')")
            var got: [PostgresNotification] = []
            for _ in 0..<20 where got.isEmpty {
                got = try await listener.waitForNotifications(timeout: .milliseconds(250))
            }
            #expect(got == [PostgresNotification(channel: channel, payload: "hello")])
        }
    }

    @Test("a listening connection killed by the server reports the loss instead of reconnecting without its LISTEN")
    func listeningConnectionReportsLoss() async throws {
        try await TestDatabase.with("pg") { db in
            let listener = try await PostgresConnection.connect(db.configuration)
            try await listener.listen("ch_\(db.schema)")
            let pid = try await listener.query("SELECT pg_backend_pid() AS pid")[0].int("pid")
            let killer = try await PostgresConnection.connect(db.configuration)
            try await killer.query("SELECT pg_terminate_backend(\(pid))")
            try await Task.sleep(for: .milliseconds(200))  // let the server's goodbye arrive
            let error = await #expect(throws: PostgresError.self) {
                for _ in 0..<10 { _ = try await listener.waitForNotifications(timeout: .milliseconds(100)) }
            }
            #expect(error?.code == .connectionClosed)
            // After reporting it, the connection reconnects (as a plain session) on the next call.
            #expect(try await listener.query("SELECT pg_backend_pid() AS pid")[0].int("pid") != pid)
        }
    }

    @Test("a connection killed by the server reports connectionClosed, then reconnects")
    func reconnectsAfterTermination() async throws {
        try await TestDatabase.with("pg") { db in
            let conn = try await PostgresConnection.connect(db.configuration)
            let pid = try await conn.query("SELECT pg_backend_pid() AS pid")[0].int("pid")
            let killer = try await PostgresConnection.connect(db.configuration)
            try await killer.query("SELECT pg_terminate_backend(\(pid))")
            let error = await #expect(throws: PostgresError.self) { try await conn.query("SELECT 1") }
            #expect(error?.isTransient == true)
            let again = try await conn.query("SELECT pg_backend_pid() AS pid")[0].int("pid")
            #expect(again != pid)
        }
    }

    @Test("a pool serves more concurrent tasks than it has connections")
    func poolQueuesWaiters() async throws {
        try await TestDatabase.with("pg") { db in
            let pool = PostgresPool(configuration: db.configuration, size: 3)
            let pids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        try await pool.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.01)")[0].int("pid")
                    }
                }
                var all = Set<Int64>()
                for try await pid in group { all.insert(pid) }
                return all
            }
            #expect(pids.count <= 3)
            #expect(pids.count >= 1)
            await pool.close()
        }
    }

    @Test("connecting to a closed port fails with connectionFailed")
    func connectFailure() async throws {
        let error = await #expect(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(PostgresConfiguration(url: "postgresql://postgres@127.0.0.1:1/x", connectTimeoutSeconds: 2))
        }
        #expect(error?.code == .connectionFailed)
    }
}
