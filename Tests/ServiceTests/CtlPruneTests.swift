import CtlApp
import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

@Suite("omsctl prune against PostgreSQL")
struct CtlPruneTests {
    @Test("removes only old inbox rows, old delivered log rows and old request outcomes; keeps dead deliveries and all else")
    func prune() async throws {
        try await TestDatabase.with("prune") { db in
            let ctl = CtlHarness(db)
            #expect(await ctl.run("migrate").status == 0)
            try await ctl.withConnection { conn in
                let user = try await conn.query("INSERT INTO users (uid, email) VALUES ('u', 'u@example.org') RETURNING id")[0].int("id")
                for (age, n) in [("40 days", 3), ("1 day", 2)] {
                    for _ in 0..<n {
                        try await conn.query("""
                            INSERT INTO inbox (consumer, message_id, processed_at) VALUES ('c', \(UUID())::uuid, now() - \(age)::interval)
                            """)
                        try await conn.query("""
                            INSERT INTO requests (request_id, user_id, kind, body_hash, status, result, created_at)
                            VALUES (\(UUID())::uuid, \(user), 'order.create', 'h', 201, '{}', now() - \(age)::interval)
                            """)
                        for status in ["delivered", "dead"] {
                            try await conn.query("""
                                INSERT INTO deliveries (id, kind, target, status, message, first_attempt_at, last_attempt_at, delivered_at)
                                VALUES (\(UUID())::uuid, 'trigger', 'x', \(status), '{}', now() - \(age)::interval,
                                        now() - \(age)::interval, CASE WHEN \(status) = 'delivered' THEN now() - \(age)::interval END)
                                """)
                        }
                    }
                }
            }
            let run = await ctl.run("prune", "--older-than-days", "30")
            #expect(run.status == 0, "\(run.errorText)")
            #expect(run.object == ["inbox": 3, "deliveries": 3, "requests": 3], "\(run.output)")
            let left = try await ctl.withConnection { conn in
                try await conn.query("""
                    SELECT (SELECT count(*) FROM inbox) AS inbox, (SELECT count(*) FROM requests) AS requests,
                           (SELECT count(*) FROM deliveries WHERE status = 'delivered') AS delivered,
                           (SELECT count(*) FROM deliveries WHERE status = 'dead') AS dead
                    """)[0]
            }
            #expect(try left.int("inbox") == 2 && left.int("requests") == 2)
            #expect(try left.int("delivered") == 2 && left.int("dead") == 5)
            // Nothing more is old enough; a bad argument is a usage error that deletes nothing.
            #expect(await ctl.run("prune").object == ["inbox": 0, "deliveries": 0, "requests": 0])
            #expect(await ctl.run("prune", "--older-than-days", "0").status != 0)
        }
    }
}
