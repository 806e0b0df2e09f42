import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// Provider response deadlines are watched: an unanswered item gets one reminder to its
    /// provider when its deadline passes, and one escalation to the operations team when it is
    /// still unanswered as long again after; an answered item gets neither.
    @Suite("Response deadlines end to end", .serialized)
    struct DeadlineTests {
        @Test("past its deadline an unanswered item is reminded once, then escalated once; an answered one is left alone")
        func remindAndEscalate() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url, environment: [
                "OMS_DEADLINE_CHECK_INTERVAL": "200ms", "OMS_OPERATIONS_EMAIL": "ops@example.org",
            ]) { demo in
                let mailbox = try #require(demo.mailbox)
                _ = try await demo.system.ctl(["provider", "set-response-time", "--provider", "demo-provider", "--seconds", "4"])
                let projectID = try await demo.createProject()
                let answered = try #require(try await demo.order(projectID).json?["id"]?.intValue)
                let silent = try #require(try await demo.order(projectID).json?["id"]?.intValue)
                let patched = try await TestHTTP.send("PATCH", demo.omsItemPath(projectID, answered), headers: demo.oms,
                                                      json: ["status": ["value": "Seen", "type": "registered"]])
                #expect(patched.status == 200, "\(patched.text)")

                func mails(_ subject: String) -> [CapturedMail] {
                    mailbox.messages().filter { $0.raw.contains("Subject: \(subject)") }
                }
                #expect(try await TestHTTP.eventually(timeout: .seconds(15)) { !mails("Reminder:").isEmpty })
                #expect(try await TestHTTP.eventually(timeout: .seconds(15)) { !mails("Escalation:").isEmpty })
                try await Task.sleep(for: .seconds(1))  // several more passes: nothing is sent twice
                let reminders = mails("Reminder:"), escalations = mails("Escalation:")
                #expect(reminders.count == 1 && escalations.count == 1)
                #expect(reminders.first?.headers.contains { $0.name == "To" && $0.value.contains("provider@example.org") } == true)
                #expect(escalations.first?.headers.contains { $0.name == "To" && $0.value.contains("ops@example.org") } == true)

                let marks = try await demo.withDatabase { conn in
                    try await conn.query("""
                        SELECT iid, reminded_at IS NOT NULL AS reminded, escalated_at IS NOT NULL AS escalated
                        FROM project_items WHERE project_id = \(projectID) ORDER BY iid
                        """).map { (try $0.int("iid"), try $0.bool("reminded"), try $0.bool("escalated")) }
                }
                #expect(marks.map(\.0) == [answered, silent])
                #expect(marks.map(\.1) == [false, true] && marks.map(\.2) == [false, true], "\(marks)")
                let metrics = try await TestHTTP.send("GET", demo.system.url(of: "oms-processor") + "/metrics")
                #expect(metrics.text.contains("oms_deadline_reminders_total 1"), "\(metrics.text)")
                #expect(metrics.text.contains("oms_deadline_escalations_total 1"))
            }
            await receiver.stop()
        }
    }
}
