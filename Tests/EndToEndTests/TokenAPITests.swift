import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// Token management for any user: list without secrets, issue (shown once), revoke (stops
    /// working at once), regenerate (revoke and reissue in one call).
    @Suite("Token API end to end", .serialized)
    struct TokenAPITests {
        static let signIn: JSONValue = errorBody("You need to sign in or sign up before continuing.")
        static let notFound: JSONValue = errorBody("Token not found")

        @Test("tokens: list, issue, revoke, regenerate; a revoked token is refused at once; other users' tokens are not found")
        func tokens() async throws {
            try await OfferingWorld.run { w in
                let seedToken = try #require(w.user["X-User-Token"])
                let listed = try await w.send("GET", "/tokens", w.user)
                #expect(listed.status == 200, "\(listed.text)")
                let mine = try #require(listed.json?["tokens"]?.arrayValue)
                #expect(mine.count == 1 && mine[0]["current"] == true && mine[0]["label"] == "seed-demo", "\(listed.text)")
                #expect(mine[0]["revoked_at"] == .null && mine[0]["token"] == nil && !listed.text.contains(seedToken))
                #expect(Set(mine[0].objectValue?.keys.map { $0 } ?? []) == ["id", "label", "created_at", "last_used_at", "revoked_at", "current"])
                let seedID = try #require(mine[0]["id"]?.intValue)

                // Issue: the secret once; it works at once; listing never shows it.
                let issued = try await w.send("POST", "/tokens", w.user, ["label": "ci"])
                #expect(issued.status == 201 && issued.json?["label"] == "ci", "\(issued.text)")
                let secret = try #require(issued.json?["token"]?.stringValue)
                let newID = try #require(issued.json?["id"]?.intValue)
                let ci = ["X-User-Token": secret]
                let viaNew = try await w.send("GET", "/tokens", ci)
                #expect(viaNew.json?["tokens"]?.arrayValue?.map { $0["current"] } == [false, true], "\(viaNew.text)")
                #expect(!viaNew.text.contains(secret))
                let unlabelled = try await TestHTTP.send("POST", w.path("/tokens"), headers: w.user)
                #expect(unlabelled.status == 201 && unlabelled.json?["label"] == "api", "\(unlabelled.text)")
                for (body, error) in [(["colour": "red"], ["colour": ["is not a known property"]]),
                                      (["label": 5], ["label": ["must be a string"]]),
                                      (["label": .string(String(repeating: "x", count: 101))],
                                       ["label": ["is too long (maximum is 100 characters)"]])] as [(JSONValue, JSONValue)] {
                    let r = try await w.send("POST", "/tokens", w.user, body)
                    #expect(r.status == 400 && r.json == ["error": error], "\(body): \(r.text)")
                }

                // Revoke: refused at once by this gateway (the token was used a moment ago, so it was cached).
                let revoked = try await w.send("DELETE", "/tokens/\(newID)", w.user)
                #expect(revoked.status == 200 && revoked.json?["revoked_at"]?.stringValue != nil, "\(revoked.text)")
                #expect(try await w.send("GET", "/tokens", ci).json == Self.signIn)
                let twice = try await w.send("DELETE", "/tokens/\(newID)", w.user)
                #expect(twice.status == 200 && twice.json?["revoked_at"] == revoked.json?["revoked_at"], "\(twice.text)")
                // Someone else's token, or none: not found.
                for target in ["/tokens/\(seedID)", "/tokens/999999", "/tokens/abc"] {
                    let r = try await w.send("DELETE", target, w.stranger)
                    #expect(r.status == 404 && r.json == Self.notFound, "\(target): \(r.text)")
                    let g = try await w.send("POST", target + "/regenerate", w.stranger)
                    #expect(g.status == 404 && g.json == Self.notFound, "\(target): \(g.text)")
                }
                #expect(try await w.send("GET", "/tokens", w.user).status == 200)

                // Regenerate the token in use: a new secret with the same label, the old one refused at once.
                let regenerated = try await w.send("POST", "/tokens/\(seedID)/regenerate", w.user)
                #expect(regenerated.status == 201 && regenerated.json?["label"] == "seed-demo", "\(regenerated.text)")
                let replacement = ["X-User-Token": try #require(regenerated.json?["token"]?.stringValue)]
                #expect(try await w.send("GET", "/tokens", w.user).json == Self.signIn)
                let after = try await w.send("GET", "/tokens", replacement)
                let states = after.json?["tokens"]?.arrayValue?.map { ($0["id"]?.intValue ?? 0, $0["revoked_at"] != .null) }
                #expect(states?.map(\.0) == [seedID, newID, newID + 1, newID + 2], "\(after.text)")
                #expect(states?.map(\.1) == [true, true, false, false], "\(after.text)")
                let stale = try await w.send("POST", "/tokens/\(seedID)/regenerate", replacement)
                #expect(stale.status == 409 && stale.json?["error"]?.stringValue?.contains("already revoked") == true, "\(stale.text)")

                for (method, target) in [("GET", "/tokens"), ("POST", "/tokens"), ("DELETE", "/tokens/1"), ("POST", "/tokens/1/regenerate")] {
                    let r = try await w.send(method, target, [:])
                    #expect(r.status == 401 && r.json == Self.signIn, "\(method) \(target): \(r.text)")
                }
            }
        }
    }
}
