import Foundation
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The `external_ref` extension of the OMS item PATCH: set, read back in
    /// `attributes.external_ref`, cleared; validated on its own; no event, no trigger.
    @Suite("Item external_ref end to end", .serialized)
    struct ItemExternalRefTests {
        @Test("the primary OMS sets, changes and clears external_ref; reads show it in attributes; no event; bad values 400")
        func externalRef() async throws {
            try await MessageWorld.run { w in
                let item = "/projects/\(w.projectID)/project_items/\(w.itemA)"
                func patch(_ body: JSONValue, as caller: MessageWorld.Caller = .p) async throws -> TestHTTP.Response {
                    try await w.send(caller, "PATCH", item, json: body)
                }
                func events() async throws -> [JSONValue] {
                    try await w.events(.d).filter { $0["resource"] == "project_item" && $0["project_item_id"]?.intValue == w.itemA }
                }
                func stored() async throws -> String? {
                    try await w.demo.withDatabase { conn in
                        try await conn.query("""
                            SELECT external_ref FROM project_items WHERE project_id = \(w.projectID) AND iid = \(w.itemA)
                            """)[0].optionalString("external_ref")
                    }
                }
                let eventsBefore = try await events()
                _ = try await TestHTTP.eventually { try await w.triggers(after: []).count >= 5 }
                let triggersBefore = w.deliveryIDs
                let before = try await w.send(.p, "GET", item)

                // Only external_ref: accepted although the spec's schema wants status or user_secrets.
                let set = try await patch(["external_ref": "HELP-123"])
                #expect(set.status == 200, "\(set.text)")
                #expect(set.json?["attributes"]?["external_ref"] == "HELP-123", "\(set.text)")
                #expect(set.json?["status"] == before.json?["status"])
                #expect(try await stored() == "HELP-123")
                // Every reader sees it: the primary OMS, the default OMS, the user.
                for (label, url, headers) in [("P", w.oms(.p, item), w.headers(.p)), ("D", w.oms(.d, item), w.headers(.d)),
                                              ("user", w.api + "/api/v1" + item, w.demo.user)] {
                    let r = try await TestHTTP.send("GET", url, headers: headers)
                    #expect(r.json?["attributes"]?["external_ref"] == "HELP-123", "\(label): \(r.text)")
                    #expect(r.json?["external_ref"] == nil, "\(label): not a top-level property (the read schema forbids it)")
                }
                // With a status change: both applied, and the event names only the status.
                let both = try await patch(["external_ref": "HELP-124", "status": ["value": "Working", "type": "in_progress"]])
                #expect(both.status == 200, "\(both.text)")
                #expect(both.json?["attributes"]?["external_ref"] == "HELP-124" && both.json?["status"]?["type"] == "in_progress")
                let withSecrets = try await patch(["external_ref": "HELP-124", "user_secrets": ["password": "pw"]])
                #expect(withSecrets.status == 200 && withSecrets.json?["user_secrets"]?["password"] == "pw", "\(withSecrets.text)")
                let newEvents = Array(try await events().dropFirst(eventsBefore.count))
                let fields = newEvents.flatMap { $0["changes"]?.arrayValue ?? [] }.compactMap { $0["field"]?.stringValue }
                #expect(newEvents.count == 2, "the external_ref-only PATCH made no event: \(newEvents)")
                #expect(Set(fields) == ["status.type", "status.value", "user_secrets"], "\(newEvents)")

                // Refusals change nothing.
                let refusals: [(JSONValue, String)] = [
                    (["external_ref": .string(String(repeating: "x", count: 256))], "is too long (maximum is 255 characters)"),
                    (["external_ref": 12], "must be a string or null"),
                    (["external_ref": ["id": "x"]], "must be a string or null"),
                    (["external_ref": "a\nb"], "must not contain control characters"),
                ]
                for (body, message) in refusals {
                    let r = try await patch(body)
                    #expect(r.status == 400 && r.json == errorBody(["external_ref": [.string(message)]]), "\(r.text)")
                }
                let extra = try await patch(["external_ref": "HELP-9", "colour": "red"])
                #expect(extra.status == 400, "the rest of the body still meets the schema: \(extra.text)")
                #expect(try await stored() == "HELP-124")
                // Only the primary OMS may set it.
                let byDefault = try await patch(["external_ref": "D-1"], as: .d)
                #expect(byDefault.status == 403, "\(byDefault.text)")
                let byQ = try await patch(["external_ref": "Q-1"], as: .q)
                #expect(byQ.status == 404 && byQ.json == errorBody("Project item not found"), "\(byQ.text)")
                #expect(try await stored() == "HELP-124")

                // 255 characters is fine; null clears, and reads then show no external_ref.
                let longest = String(repeating: "é", count: 255)
                #expect(try await patch(["external_ref": .string(longest)]).json?["attributes"]?["external_ref"] == .string(longest))
                let cleared = try await patch(["external_ref": .null])
                #expect(cleared.status == 200 && cleared.json?["attributes"]?["external_ref"] == nil, "\(cleared.text)")
                #expect(try await stored() == nil)
                #expect(try await events().count == eventsBefore.count + 2, "setting and clearing made no event")
                // Triggers follow events: two updates, each to P and D; none for external_ref alone.
                func updateTriggers() async throws -> [MessageWorld.Caller] {
                    try await w.triggers(after: triggersBefore).filter { $0.1 == "project_item.update" }.map(\.0)
                }
                _ = try await TestHTTP.eventually { try await updateTriggers().count >= 4 }
                try await Task.sleep(for: .milliseconds(700))
                #expect(try await updateTriggers().sorted { $0.rawValue < $1.rawValue } == [.d, .d, .p, .p])
            }
        }
    }
}
