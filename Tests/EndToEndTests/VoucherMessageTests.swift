import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// As in the marketplace, an OMS that sets `user_secrets.voucher_id` makes the system tell the
    /// user, in a `user_direct` message from the provider on the item.
    @Suite("Voucher messages end to end", .serialized)
    struct VoucherMessageTests {
        @Test("granting, changing and revoking a voucher id each post one user_direct provider message")
        func voucherMessages() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url) { demo in
                let projectID = try await demo.createProject()
                let iid = try #require(try await demo.order(projectID).json?["id"]?.intValue)
                func patch(_ voucher: String) async throws {
                    let response = try await TestHTTP.send("PATCH", demo.omsItemPath(projectID, iid), headers: demo.oms,
                                                           json: ["user_secrets": ["voucher_id": .string(voucher)]])
                    #expect(response.status == 200, "\(response.text)")
                }
                func contents() async throws -> [String] {
                    try await demo.withDatabase { conn in
                        try await conn.query("""
                            SELECT content FROM messages WHERE project_id = \(projectID) AND scope = 'user_direct'
                              AND author_role = 'provider' ORDER BY id
                            """).map { try $0.string("content") }
                    }
                }
                try await patch("V-1")
                try await patch("V-1")  // unchanged: nothing more to tell
                try await patch("V-2")
                try await patch("")
                #expect(try await contents() == ["Voucher has been granted to you, ID: V-1",
                                                 "Voucher ID has been updated: V-2", "Voucher has been revoked"])

                // The OMS sees them on the item, obfuscated like every user_direct message, with events.
                let listed = try await TestHTTP.send(
                    "GET", demo.api + "/api/v1/oms/\(demo.seed.omsID)/messages?project_id=\(projectID)&project_item_id=\(iid)",
                    headers: demo.oms)
                let messages = try #require(listed.json?["messages"]?.arrayValue, "\(listed.text)")
                #expect(messages.count == 3)
                #expect(messages.allSatisfy { $0["content"] == "<OBFUSCATED>" && $0["scope"] == "user_direct"
                    && $0["author"]?["role"] == "provider" }, "\(listed.text)")
                let events = try await TestHTTP.send(
                    "GET", demo.api + "/api/v1/oms/\(demo.seed.omsID)/events?from_timestamp=2020-01-01T00:00:00Z&limit=100",
                    headers: demo.oms)
                let created = (events.json?["events"]?.arrayValue ?? []).filter {
                    $0["resource"] == "message" && $0["type"] == "create" && $0["project_item_id"]?.intValue == iid
                }
                #expect(created.count == 3, "\(events.text)")
                // The user is mailed each one.
                let mailbox = try #require(demo.mailbox)
                #expect(try await TestHTTP.eventually {
                    mailbox.messages().filter { $0.raw.contains("Subject: New message about") }.count == 3
                })
            }
            await receiver.stop()
        }
    }
}
