import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The EOSC Users API (`users_swagger.json`): a user's roles and providers, for themself or an
    /// admin; every answer is also checked against the spec's schemas by the test helpers.
    @Suite("Users API end to end", .serialized)
    struct UsersAPITests {
        @Test("GET /api/v1/users/{uid}: oneself or as admin; others 401 Not authorized; unknown 404; roles mapped")
        func users() async throws {
            let receiver = try TriggerReceiver()
            try await DemoSystem.run(triggerURL: receiver.url, services: ["oms-gateway"]) { demo in
                _ = try await demo.system.ctl(["user", "create", "--uid", "root", "--email", "root@example.org",
                                               "--role", "admin", "--role", "governance"])
                let admin = try #require(try await demo.ctlJSON(["token", "issue", "--user", "root"]).last?["token"]?.stringValue)
                func get(_ uid: String, _ token: String?) async throws -> TestHTTP.Response {
                    try await TestHTTP.send("GET", demo.api + "/api/v1/users/\(uid)",
                                            headers: token.map { ["X-User-Token": $0] } ?? [:])
                }
                let unauthenticated = try await get("demo-researcher", nil)
                #expect(unauthenticated.status == 401
                        && unauthenticated.json == errorBody("You need to sign in or sign up before continuing."))

                let own = try await get("demo-researcher", demo.seed.userToken)
                #expect(own.status == 200, "\(own.text)")
                #expect(own.json == ["uid": "demo-researcher", "roles": [], "providers": [], "catalogues": []], "\(own.text)")
                let provider = try await get("demo-oms-admin", demo.seed.omsToken)
                #expect(provider.json?["providers"] == ["demo-provider"], "\(provider.text)")

                // Someone else's: refused as the marketplace does, with 401 (not 403).
                for (uid, token) in [("demo-oms-admin", demo.seed.userToken), ("demo-researcher", demo.seed.operatorToken),
                                     ("nobody", demo.seed.userToken)] {
                    let response = try await get(uid, token)
                    #expect(response.status == 401 && response.json == errorBody("Not authorized"), "\(uid): \(response.text)")
                }

                // An admin reads anyone; the roles of this system map onto the spec's enum.
                let operatorRoles = try await get("demo-operator", admin)
                #expect(operatorRoles.status == 200 && operatorRoles.json?["roles"] == ["coordinator"], "\(operatorRoles.text)")
                let adminRoles = try await get("root", admin)
                #expect(adminRoles.json?["roles"] == ["admin", "executive"], "\(adminRoles.text)")
                let missing = try await get("nobody", admin)
                #expect(missing.status == 404, "\(missing.text)")
                #expect(missing.json == ["error": "User not found", "message": "User with uid 'nobody' does not exist"])
            }
            await receiver.stop()
        }
    }
}
