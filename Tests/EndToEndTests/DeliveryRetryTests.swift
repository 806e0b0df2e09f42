import Foundation
import HTTPCore
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The notifier's at-least-once delivery through the real executables: retries with backoff
    /// and a stable delivery id, timeouts counted as failures, parking after the last attempt, and
    /// an operator's replay of what was parked.
    @Suite("Delivery retries and dead letters end to end", .serialized)
    struct DeliveryRetryTests {
        /// Three attempts in all: the first, then after 200 ms and after 400 ms. (The delivery
        /// timeout stays at its default but in the timeout test: a tight one makes a loaded machine's
        /// prompt answers time out too.)
        static let environment = ["OMS_RETRY_DELAYS": "200ms,400ms"]

        /// One row of the delivery log.
        struct LogRow: Sendable {
            let id: UUID
            let kind: String
            let target: String
            let status: String
            let attempts: Int64
            let lastError: String?
            let delivered: Bool
        }

        static func log(_ demo: DemoSystem, kind: String) async throws -> [LogRow] {
            try await demo.withDatabase { conn in
                try await conn.query("""
                    SELECT id, kind, target, status, attempts, last_error, delivered_at IS NOT NULL AS delivered
                    FROM deliveries WHERE kind = \(kind) ORDER BY target, id
                    """).map {
                    LogRow(id: try $0.uuid("id"), kind: try $0.string("kind"), target: try $0.string("target"),
                           status: try $0.string("status"), attempts: try $0.int("attempts"),
                           lastError: try $0.optionalString("last_error"), delivered: try $0.bool("delivered"))
                }
            }
        }

        /// Places one order and returns the project id.
        static func placeOrder(_ demo: DemoSystem) async throws -> Int64 {
            let projectID = try await demo.createProject()
            let order = try await demo.order(projectID)
            #expect(order.status == 201, "\(order.text)")
            return projectID
        }

        @Test("a trigger answered 503 twice is retried after the configured delays with the same delivery id, then delivered")
        func retriedThenDelivered() async throws {
            let receiver = try ScriptedReceiver(script: [.init(503), .init(503)], then: .init(204))
            try await DemoSystem.run(triggerURL: receiver.url, environment: Self.environment) { demo in
                _ = try await Self.placeOrder(demo)
                var rows: [LogRow] = []
                let delivered = try await TestHTTP.eventually(timeout: .seconds(15)) {
                    rows = try await Self.log(demo, kind: "trigger")
                    return rows.first?.status == "delivered"
                }
                #expect(delivered, "\(rows)")
                let received = receiver.received
                #expect(received.count == 3, "\(received.map(\.at))")
                let ids = Set(received.compactMap { $0.request.header("X-OMS-Delivery-Id") })
                #expect(ids.count == 1, "\(ids)")
                let row = try #require(rows.first)
                #expect(rows.count == 1)
                #expect(ids.first == row.id.uuidString.lowercased())
                #expect(row.attempts == 3)
                #expect(row.delivered)
                // The retry queues' TTLs space the attempts (a little slack for timer granularity).
                if received.count == 3 {
                    #expect(received[1].at - received[0].at >= .milliseconds(180), "\(received[1].at - received[0].at)")
                    #expect(received[2].at - received[1].at >= .milliseconds(360), "\(received[2].at - received[1].at)")
                }
                // Delivered means done: no further attempt comes.
                try await Task.sleep(for: .milliseconds(800))
                #expect(receiver.received.count == 3)
                #expect(try await demo.system.broker.readyMessages("oms.notifier.dead") == 0)
            }
            await receiver.stop()
        }

        @Test("a trigger that always fails is parked after its last attempt, listed by omsctl, and delivered when replayed")
        func parkedThenReplayed() async throws {
            let receiver = try ScriptedReceiver(then: .init(503))
            try await DemoSystem.run(triggerURL: receiver.url, environment: Self.environment) { demo in
                let broker = demo.system.broker
                _ = try await Self.placeOrder(demo)
                var rows: [LogRow] = []
                let parked = try await TestHTTP.eventually(timeout: .seconds(15)) {
                    rows = try await Self.log(demo, kind: "trigger")
                    return rows.first?.status == "dead"
                }
                #expect(parked, "\(rows)")
                let row = try #require(rows.first)
                let id = row.id.uuidString.lowercased()
                #expect(row.attempts == 3)
                #expect(row.lastError?.contains("503") == true, "\(row.lastError ?? "nil")")
                #expect(!row.delivered)
                #expect(receiver.requests.count == 3)
                #expect(receiver.requests.allSatisfy { $0.header("X-OMS-Delivery-Id") == id })
                // The parked message is in the dead queue. (Counted through AMQP: the management API's
                // `messages` is refreshed only every 5 s, which would add seconds to every check.)
                #expect(try await TestHTTP.eventually(timeout: .seconds(5)) { try await broker.readyMessages("oms.notifier.dead") == 1 })
                // No attempt after the last.
                try await Task.sleep(for: .milliseconds(600))
                #expect(receiver.requests.count == 3)

                let listed = try await demo.ctlJSON(["dead-letters", "list"])
                #expect(listed.count == 1, "\(listed)")
                let entry = try #require(listed.first)
                #expect(entry["id"]?.stringValue == id)
                #expect(entry["kind"]?.stringValue == "trigger")
                #expect(entry["oms_id"]?.intValue == demo.seed.omsID)
                #expect(entry["attempts"]?.intValue == 3)
                #expect(entry["last_error"]?.stringValue?.contains("503") == true, "\(entry)")

                // The OMS is fixed; the operator replays.
                receiver.answer(204)
                let replay = try await demo.ctlJSON(["dead-letters", "replay", "--all"])
                #expect(replay.last?["replayed"]?.intValue == 1, "\(replay)")
                #expect(replay.last?["ids"] == [.string(id)], "\(replay)")
                var after: [LogRow] = []
                let delivered = try await TestHTTP.eventually(timeout: .seconds(10)) {
                    after = try await Self.log(demo, kind: "trigger")
                    return after.first?.status == "delivered"
                }
                #expect(delivered, "\(after)")
                #expect(after.first?.delivered == true)
                #expect(receiver.requests.count == 4)
                #expect(receiver.requests.last?.header("X-OMS-Delivery-Id") == id)
                #expect(try await broker.readyMessages("oms.notifier.dead") == 0)
                #expect(try await demo.ctlJSON(["dead-letters", "list"]).isEmpty)
            }
            await receiver.stop()
        }

        @Test("an answer slower than OMS_DELIVERY_TIMEOUT counts as a failure, even a 204, and the trigger is retried")
        func timeoutIsAFailure() async throws {
            // The first answer is a success that comes too late (6 s against a 1 s timeout).
            let receiver = try ScriptedReceiver(script: [.init(204, after: .milliseconds(6000))], then: .init(204))
            var environment = Self.environment
            environment["OMS_DELIVERY_TIMEOUT"] = "1s"
            try await DemoSystem.run(triggerURL: receiver.url, environment: environment) { demo in
                _ = try await Self.placeOrder(demo)
                var rows: [LogRow] = []
                let delivered = try await TestHTTP.eventually(timeout: .seconds(15)) {
                    rows = try await Self.log(demo, kind: "trigger")
                    return rows.first?.status == "delivered"
                }
                #expect(delivered, "\(rows)")
                #expect(rows.first?.attempts == 2, "\(rows)")
                let received = receiver.received
                #expect(received.count == 2)
                #expect(Set(received.compactMap { $0.request.header("X-OMS-Delivery-Id") }).count == 1)
                if received.count == 2 {
                    // Retried after timeout + first delay, without waiting for the slow answer.
                    let gap = received[1].at - received[0].at
                    // (below the slow answer's 6 s, with room for a loaded machine)
                    #expect(gap >= .milliseconds(1150) && gap < .milliseconds(5000), "\(gap)")
                }
            }
            await receiver.stop()
        }

        @Test("mail to an SMTP server that is down is retried, parked with its error, and sent once replayed after it is back")
        func smtpDownThenReplayed() async throws {
            let receiver = try TriggerReceiver()
            let smtpPort = try LoopbackPort.unused()  // nothing listens here yet
            var environment = Self.environment
            environment["OMS_SMTP_URL"] = "smtp://127.0.0.1:\(smtpPort)"
            try await DemoSystem.run(triggerURL: receiver.url, environment: environment) { demo in
                let broker = demo.system.broker
                _ = try await Self.placeOrder(demo)
                var rows: [LogRow] = []
                let parked = try await TestHTTP.eventually(timeout: .seconds(15)) {
                    rows = try await Self.log(demo, kind: "email")
                    return rows.count == 2 && rows.allSatisfy { $0.status == "dead" }
                }
                #expect(parked, "\(rows)")
                #expect(rows.map(\.target) == ["provider@example.org", "researcher@example.org"], "\(rows)")
                for row in rows {
                    #expect(row.attempts == 3, "\(row)")
                    #expect(!row.delivered)
                    let error = row.lastError ?? ""
                    // A clear reason: the connection to the mail server failed, naming it.
                    #expect(error.lowercased().contains("connect") && error.contains(String(smtpPort)), "\(error)")
                }
                // The trigger is unaffected by the mail outage.
                #expect(try await Self.log(demo, kind: "trigger").first?.status == "delivered")
                #expect(try await TestHTTP.eventually(timeout: .seconds(5)) { try await broker.readyMessages("oms.notifier.dead") == 2 })
                let listed = try await demo.ctlJSON(["dead-letters", "list"])
                #expect(Set(listed.compactMap { $0["id"]?.stringValue }) == Set(rows.map { $0.id.uuidString.lowercased() }), "\(listed)")
                #expect(listed.allSatisfy { $0["kind"]?.stringValue == "email" })

                // The mail server comes back at the same address; the operator replays.
                let mailbox = try await TestMailbox(port: smtpPort)
                defer { mailbox.stop() }
                let replay = try await demo.ctlJSON(["dead-letters", "replay", "--all"])
                #expect(replay.last?["replayed"]?.intValue == 2, "\(replay)")
                let sent = try await TestHTTP.eventually(timeout: .seconds(10)) { mailbox.messages().count >= 2 }
                #expect(sent)
                var after: [LogRow] = []
                #expect(try await TestHTTP.eventually(timeout: .seconds(10)) {
                    after = try await Self.log(demo, kind: "email")
                    return after.allSatisfy { $0.status == "delivered" && $0.delivered }
                }, "\(after)")
                let mails = mailbox.messages()
                #expect(mails.count == 2)
                #expect(Set(mails.flatMap(\.envelopeRecipients)) == ["provider@example.org", "researcher@example.org"])
                // Each mail carries its delivery id, so a receiver could drop a duplicate.
                let messageIDs = Set(mails.compactMap { $0.header("Message-ID") })
                #expect(messageIDs == Set(rows.map { "<\($0.id.uuidString.lowercased())@oms>" }), "\(messageIDs)")
                #expect(try await broker.readyMessages("oms.notifier.dead") == 0)
            }
            await receiver.stop()
        }
    }
}
