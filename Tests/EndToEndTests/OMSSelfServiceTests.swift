import CryptoClient
import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// OMS self-service for data administrators: registration with a service user and a token
    /// shown once, configuration by the right people only, token rotation that takes effect at once.
    @Suite("OMS self-service end to end", .serialized)
    struct OMSSelfServiceTests {
        static let forbidden: JSONValue = errorBody("You are not authorized to perform this action.")
        static let signIn: JSONValue = errorBody("You need to sign in or sign up before continuing.")

        static let registration: JSONValue = [
            "name": "Helpdesk OMS", "type": "provider_group",
            "custom_params": ["queue": ["mandatory": true, "default": "main"], "note": ["mandatory": false]],
            "trigger": ["url": "https://helpdesk.example/trigger", "method": "put",
                        "authorization": ["type": "basic", "user": "mp", "password": "s3cret"]],
        ]

        @Test("POST /api/v1/oms: refusals name the field; a registration answers the OMS, its token once, and is usable at once")
        func register() async throws {
            try await OfferingWorld.run { w in
                func with(_ changes: [String: JSONValue]) -> JSONValue {
                    var o = Self.registration.objectValue!
                    for (k, v) in changes { if v == .null { o[k] = nil } else { o[k] = v } }
                    return .object(o)
                }
                #expect(try await w.send("POST", "/oms", [:], Self.registration).json == Self.signIn)
                let notAdmin = try await w.send("POST", "/oms", w.user, Self.registration)
                #expect(notAdmin.status == 403 && notAdmin.json == Self.forbidden, "\(notAdmin.text)")
                let invalid: [(JSONValue, JSONValue)] = [
                    (with(["name": nil]), ["name": ["can't be blank"]]),
                    (with(["name": "SOMBO"]), ["name": ["has already been taken"]]),
                    (with(["type": "global"]), ["type": ["must be provider_group or resource_dedicated"]]),
                    (with(["type": nil]), ["type": ["must be provider_group or resource_dedicated"]]),
                    (with(["provider_id": "other-provider"]), ["provider_id": ["must be a provider you administer"]]),
                    (with(["provider_id": "no-such-provider"]), ["provider_id": ["must be a provider you administer"]]),
                    (with(["resource_id": "demo-compute"]), ["resource_id": ["applies to resource_dedicated OMSes only"]]),
                    (with(["type": "resource_dedicated"]), ["resource_id": ["can't be blank"]]),
                    (with(["type": "resource_dedicated", "resource_id": "other-svc"]), ["resource_id": ["must be a resource you administer"]]),
                    (with(["custom_params": ["queue": ["mandatory": true]]]),
                     ["custom_params": ["custom_params values must be either {mandatory: false}, or {mandatory: true, default: 'value'}"]]),
                    (with(["trigger": ["url": "ftp://x", "method": "patch"]]),
                     ["trigger.url": ["must be an http:// or https:// URL"], "trigger.method": ["must be one of: get, post, put"]]),
                    (with(["default": true]), ["default": ["is not a known property"]]),
                ]
                for (body, error) in invalid {
                    let r = try await w.send("POST", "/oms", w.admin, body)
                    #expect(r.status == 400 && r.json == ["error": error], "\(body): \(r.status) \(r.text)")
                }
                #expect(try await w.demo.count("SELECT count(*) AS n FROM omses") == 6)

                // The registrant's own view is cached before, and must show the new OMS right after.
                let before = try await w.send("GET", "/oms", w.admin)
                #expect(before.json?["omses"]?.arrayValue?.map { $0["id"]?.intValue } == [w.demo.seed.omsID])
                let created = try await w.send("POST", "/oms", w.admin, Self.registration)
                #expect(created.status == 201, "\(created.text)")
                let oms = try #require(created.json?["oms"])
                let id = try #require(oms["id"]?.intValue)
                #expect(oms == ["id": .int(id), "name": "Helpdesk OMS", "type": "provider_group", "default": false,
                                "custom_params": ["queue": ["mandatory": true, "default": "main"], "note": ["mandatory": false]],
                                "trigger": ["url": "https://helpdesk.example/trigger", "method": "put",
                                            "authorization": ["type": "basic", "user": "mp", "password": "s3cret"]]], "\(oms)")
                #expect(created.json?["user"] == .string("oms-\(id)"))
                let token = try #require(created.json?["token"]?.stringValue)
                let omsHeaders = ["X-User-Token": token]
                // Its token works for the Ordering API, for this OMS only.
                #expect(try await w.send("GET", "/oms", omsHeaders).json == ["omses": [oms]])
                #expect(try await w.send("GET", "/oms/\(id)", omsHeaders).json == oms)
                #expect(try await w.send("GET", "/oms/\(w.demo.seed.omsID)", omsHeaders).json == Self.forbidden)
                // The registrant administers it too, at once.
                #expect(try await w.send("GET", "/oms", w.admin).json?["omses"]?.arrayValue?.map { $0["id"]?.intValue }
                        == [w.demo.seed.omsID, id])
                // The provider's resources may now use it; the other provider's may not.
                let compute = try await w.send("GET", "/resources/demo-compute", w.admin)
                #expect(compute.json?["available_omses"]?.arrayValue?.contains { $0["id"]?.intValue == id } == true)
                let other = try await w.send("GET", "/resources/other-svc", w.stranger)
                #expect(other.json?["available_omses"]?.arrayValue?.contains { $0["id"]?.intValue == id } == false)
                // The token is stored only as a hash.
                #expect(try await w.demo.count("SELECT count(*) AS n FROM api_tokens WHERE position(convert_to(\(token), 'UTF8') in token_hash) > 0") == 0)

                // Dedicated to one resource: available there only.
                let dedicated = try await w.send("POST", "/oms", w.admin, ["name": "Storage desk", "type": "resource_dedicated",
                                                                           "resource_id": "demo-storage"])
                #expect(dedicated.status == 201, "\(dedicated.text)")
                let dedicatedID = try #require(dedicated.json?["oms"]?["id"]?.intValue)
                #expect(dedicated.json?["oms"]?["trigger"] == nil && dedicated.json?["oms"]?["custom_params"] == nil)
                let storage = try await w.send("GET", "/resources/demo-storage", w.admin)
                #expect(storage.json?["available_omses"]?.arrayValue?.contains { $0["id"]?.intValue == dedicatedID } == true)
                #expect(try await w.send("GET", "/resources/demo-compute", w.admin).json?["available_omses"]?.arrayValue?
                    .contains { $0["id"]?.intValue == dedicatedID } == false)
            }
        }

        @Test("PATCH /api/v1/oms/{id} and token rotation: linked providers' data administrators, operators for global OMSes")
        func configure() async throws {
            try await OfferingWorld.run { w in
                let created = try await w.send("POST", "/oms", w.admin, Self.registration)
                let id = try #require(created.json?["oms"]?["id"]?.intValue, "\(created.text)")
                let omsHeaders = ["X-User-Token": try #require(created.json?["token"]?.stringValue)]
                let path = "/oms/\(id)"
                // A person whose uid looks like a service user's: never taken over by one.
                let lookalike = Crypto.randomToken(prefix: "test_")
                try await w.demo.withDatabase { conn in
                    _ = try await conn.query("""
                        WITH u AS (INSERT INTO users (uid, email) VALUES (\("oms-\(w.demo.seed.omsID)"), 'person@example.org') RETURNING id)
                        INSERT INTO api_tokens (user_id, token_hash) SELECT id, \(PostgresBytes(Crypto.sha256(Array(lookalike.utf8))))::bytea FROM u
                        """)
                }

                let renamed = try await w.send("PATCH", path, w.admin, ["name": "Helpdesk", "trigger": ["url": "http://h.example/t"]])
                #expect(renamed.status == 200, "\(renamed.text)")
                #expect(renamed.json?["name"] == "Helpdesk" && renamed.json?["trigger"] == ["url": "http://h.example/t", "method": "post"])
                #expect(renamed.json?["custom_params"] == Self.registration["custom_params"], "kept: \(renamed.text)")
                let noTrigger = try await w.send("PATCH", path, w.admin, ["trigger": nil, "custom_params": [:]])
                #expect(noTrigger.status == 200 && noTrigger.json?["trigger"] == nil && noTrigger.json?["custom_params"] == nil,
                        "\(noTrigger.text)")
                #expect(try await w.send("GET", path, omsHeaders).json == noTrigger.json)

                let invalid: [(JSONValue, JSONValue)] = [
                    (["name": "SOMBO"], ["name": ["has already been taken"]]),
                    (["name": " "], ["name": ["can't be blank"]]),
                    (["type": "global"], ["type": ["is not a known property"]]),
                    (["trigger": ["method": "get"]], ["trigger.url": ["can't be blank"]]),
                    (["custom_params": ["a": ["mandatory": false, "default": "x"]]],
                     ["custom_params": ["custom_params values must be either {mandatory: false}, or {mandatory: true, default: 'value'}"]]),
                ]
                for (body, error) in invalid {
                    let r = try await w.send("PATCH", path, w.admin, body)
                    #expect(r.status == 400 && r.json == ["error": error], "\(body): \(r.status) \(r.text)")
                }

                // Who may configure what (401, 404, then 403).
                let sombo = "/oms/\(w.demo.seed.defaultOMSID)"
                let access: [(String, [String: String], Int)] = [
                    (path, [:], 401), ("/oms/999999", w.admin, 404), ("/oms/abc", w.admin, 404),
                    (path, w.stranger, 403), (path, w.user, 403), (path, w.operatorHeaders, 403),
                    // The OMS's own service user runs the adapter; configuring it is for people.
                    (path, omsHeaders, 403),
                    (sombo, w.admin, 403), (sombo, w.stranger, 403), ("/oms/\(w.globalOMS)", w.admin, 403),
                    // The operator who administers the default OMS may; a global OMS it does not administer, not.
                    (sombo, w.operatorHeaders, 200), ("/oms/\(w.globalOMS)", w.operatorHeaders, 403),
                    // A data administrator of the provider of an OMS an operator registered may.
                    ("/oms/\(w.demo.seed.omsID)", w.admin, 200), ("/oms/\(w.storageOMS)", w.admin, 200),
                    ("/oms/\(w.otherProviderOMS)", w.admin, 403), ("/oms/\(w.otherProviderOMS)", w.stranger, 200),
                ]
                for (target, headers, status) in access {
                    let r = try await w.send("PATCH", target, headers, ["trigger": ["url": "https://changed.example/t"]])
                    #expect(r.status == status, "PATCH \(target) \(headers): \(r.status) \(r.text)")
                    let rotate = try await w.send("POST", target + "/token", headers)
                    #expect(rotate.status == (status == 200 ? 201 : status), "POST \(target)/token: \(rotate.status) \(rotate.text)")
                }
                // An OMS shared by two providers: the token sees both providers' orders, so a data
                // administrator of only one of them may neither reconfigure it nor take its token.
                try await w.demo.withDatabase { conn in
                    _ = try await conn.query("""
                        INSERT INTO oms_providers (oms_id, provider_id) VALUES (\(w.otherProviderOMS), \(w.demoProviderID))
                        """)
                }
                for headers in [w.admin, w.stranger] {
                    let r = try await w.send("PATCH", "/oms/\(w.otherProviderOMS)", headers, ["name": "Taken over"])
                    #expect(r.status == 403, "\(headers): \(r.status) \(r.text)")
                    #expect(try await w.send("POST", "/oms/\(w.otherProviderOMS)/token", headers).status == 403)
                }
                let defaultOMS = try await w.send("GET", sombo, w.operatorHeaders)
                #expect(defaultOMS.json?["trigger"]?["url"] == "https://changed.example/t", "\(defaultOMS.text)")

                // Rotation: the old token stops at once (it was just used, so it was cached), the new one works.
                let fresh = try await w.send("POST", path + "/token", w.admin)
                #expect(fresh.status == 201 && fresh.json?["user"] == .string("oms-\(id)"), "\(fresh.text)")
                let newHeaders = ["X-User-Token": try #require(fresh.json?["token"]?.stringValue)]
                #expect(try await w.send("GET", path, omsHeaders).json == Self.signIn)
                #expect(try await w.send("GET", path, newHeaders).status == 200)
                #expect(fresh.json?["revoked"] == 1)
                // An OMS an operator registered got a service user when first rotated (above); its human
                // administrators' own tokens are not touched.
                let first = try await w.send("POST", "/oms/\(w.demo.seed.omsID)/token", w.admin)
                #expect(first.status == 201 && first.json?["user"] == .string("oms-\(w.demo.seed.omsID)-1"), "\(first.text)")
                #expect(try await w.send("GET", "/tokens", ["X-User-Token": lookalike]).status == 200)
                let service = ["X-User-Token": try #require(first.json?["token"]?.stringValue)]
                #expect(try await w.send("GET", "/oms/\(w.demo.seed.omsID)", service).status == 200)
                #expect(try await w.send("GET", "/oms/\(w.demo.seed.omsID)", w.admin).status == 200)
            }
        }
    }
}
