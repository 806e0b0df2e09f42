import PostgresClient
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// The bundle write API (the marketplace has none): CRUD under a resource, composition rules,
    /// `bundled_offers` on the main offer, and what deleting a bundled offer does to bundles.
    @Suite("Bundle API end to end", .serialized)
    struct BundleAPITests {
        typealias W = OfferingWorld
        static let bundleNotFound: JSONValue = errorBody("Bundle not found")

        @Test("bundles: create, list, show, update, delete; every composition rule; 401, 404, 403 in the offers API's order")
        func crud() async throws {
            try await OfferingWorld.run { w in
                for (resource, type) in [("demo-compute", "order_required"), ("demo-compute", "order_required"), ("demo-storage", "open_access")] {
                    let r = try await w.send("POST", "/resources/\(resource)/offers", w.admin, W.offerBody(orderType: type))
                    #expect(r.status == 201, "\(r.text)")
                }
                let theirs = try await w.send("POST", "/resources/other-svc/offers", w.stranger, W.offerBody())
                #expect(theirs.status == 201, "\(theirs.text)")
                let base = "/resources/demo-compute/bundles"
                let valid: JSONValue = ["name": "Compute and storage", "description": "VM with object storage", "main_offer_id": 1,
                                        "offers": ["demo-compute/2", "demo-storage/1", "other-svc/1"]]

                // Rules: each refusal names the field and creates nothing.
                func with(_ changes: [String: JSONValue]) -> JSONValue {
                    var o = valid.objectValue!
                    for (k, v) in changes { if v == .null { o[k] = nil } else { o[k] = v } }
                    return .object(o)
                }
                let invalid: [(JSONValue, JSONValue)] = [
                    (with(["name": nil, "description": " "]), ["name": ["can't be blank"], "description": ["can't be blank"]]),
                    (with(["main_offer_id": nil]), ["main_offer_id": ["can't be blank"]]),
                    (with(["main_offer_id": 99]), ["main_offer_id": ["must be a published offer of this resource"]]),
                    (with(["main_offer_id": "first"]), ["main_offer_id": ["must be the id of an offer of this resource"]]),
                    (with(["offers": nil]), ["offers": ["are required. Please add at least one"]]),
                    (with(["offers": []]), ["offers": ["are required. Please add at least one"]]),
                    (with(["offers": [2]]), ["offers": ["must be an array of \"<resource id>/<offer id>\" strings"]]),
                    (with(["offers": ["demo-compute/1"]]), ["offers": ["\"demo-compute/1\" is the main offer; list only the offers bundled with it"]]),
                    (with(["offers": [.string("\(w.computeID)/1")]]),
                     ["offers": [.string("\"\(w.computeID)/1\" is the main offer; list only the offers bundled with it")]]),
                    (with(["offers": ["demo-compute/2", .string("\(w.computeID)/2")]]),
                     ["offers": [.string("\"\(w.computeID)/2\" is listed more than once")]]),
                    (with(["offers": ["demo-compute/2", "demo-compute/2"]]), ["offers": ["\"demo-compute/2\" is listed more than once"]]),
                    (with(["offers": ["demo-compute/9", "nope/1", "demo-compute"]]),
                     ["offers": ["\"demo-compute\" must be written \"<resource id>/<offer id>\"", "\"demo-compute/9\" is not a published offer",
                                 "\"nope/1\" is not a published offer"]]),
                    (with(["colour": "red"]), ["colour": ["is not a known property"]]),
                ]
                for (body, error) in invalid {
                    let r = try await w.send("POST", base, w.admin, body)
                    #expect(r.status == 400 && r.json == ["error": error], "\(body): \(r.status) \(r.text)")
                }
                #expect(try await w.demo.count("SELECT count(*) AS n FROM bundles") == 0)

                let created = try await w.send("POST", base, w.admin, valid)
                #expect(created.status == 201, "\(created.text)")
                let bundle: JSONValue = ["id": 1, "name": "Compute and storage", "description": "VM with object storage",
                                         "main_offer_id": 1, "offers": ["demo-compute/2", "demo-storage/1", "other-svc/1"]]
                #expect(created.json == bundle, "\(created.text)")
                #expect(try await w.send("GET", base, w.admin).json == ["bundles": [bundle]])
                #expect(try await w.send("GET", base + "/1", w.admin).json == bundle)
                // The main offer shows it as `bundled_offers`; bundled offers do not.
                let main = try await w.send("GET", "/resources/demo-compute/offers/1", w.admin)
                #expect(main.json?["bundled_offers"] == [["1": ["demo-compute/2", "demo-storage/1", "other-svc/1"]]], "\(main.text)")
                #expect(try await w.send("GET", "/resources/demo-compute/offers/2", w.admin).json?["bundled_offers"] == nil)

                // Order of checks, as for offers.
                let checks: [(String, String, [String: String], Int, JSONValue)] = [
                    ("GET", base, [:], 401, errorBody("You need to sign in or sign up before continuing.")),
                    ("POST", "/resources/nope/bundles", w.admin, 404, errorBody("Resource not found")),
                    ("GET", base, w.stranger, 403, errorBody("You are not authorized to perform this action.")),
                    ("POST", base, w.user, 403, errorBody("You are not authorized to perform this action.")),
                    ("PATCH", base + "/1", w.stranger, 403, errorBody("You are not authorized to perform this action.")),
                    ("DELETE", base + "/1", w.stranger, 403, errorBody("You are not authorized to perform this action.")),
                    ("GET", base + "/9", w.admin, 404, Self.bundleNotFound), ("PATCH", base + "/x", w.admin, 404, Self.bundleNotFound),
                    ("DELETE", base + "/9", w.admin, 404, Self.bundleNotFound),
                ]
                for (method, path, headers, status, body) in checks {
                    let r = try await w.send(method, path, headers, method == "PATCH" || method == "POST" ? ["name": 1] : nil)
                    #expect(r.status == status && r.json == body, "\(method) \(path): \(r.status) \(r.text)")
                }

                // PATCH replaces what it names, with the same rules.
                let renamed = try await w.send("PATCH", base + "/1", w.admin, ["name": "Renamed", "offers": ["demo-storage/1"]])
                #expect(renamed.status == 200, "\(renamed.text)")
                #expect(renamed.json?["name"] == "Renamed" && renamed.json?["offers"] == ["demo-storage/1"], "\(renamed.text)")
                let clash = try await w.send("PATCH", base + "/1", w.admin, ["main_offer_id": 2, "offers": ["demo-compute/2"]])
                #expect(clash.status == 400, "\(clash.text)")
                #expect(clash.json == ["error": ["offers": ["\"demo-compute/2\" is the main offer; list only the offers bundled with it"]]])
                let moved = try await w.send("PATCH", base + "/1", w.admin, ["main_offer_id": 2])
                #expect(moved.status == 200 && moved.json?["main_offer_id"] == 2, "\(moved.text)")
                #expect(try await w.send("GET", "/resources/demo-compute/offers/1", w.admin).json?["bundled_offers"] == nil)
                #expect(try await w.send("GET", "/resources/demo-compute/offers/2", w.admin).json?["bundled_offers"]
                        == [["1": ["demo-storage/1"]]])

                let deleted = try await w.send("DELETE", base + "/1", w.admin)
                #expect(deleted.status == 200 && deleted.body.isEmpty, "\(deleted.text)")
                #expect(try await w.send("GET", base + "/1", w.admin).json == Self.bundleNotFound)
                #expect(try await w.demo.count("SELECT count(*) AS n FROM bundles") == 0)
                // Bundle ids are never reused.
                let next = try await w.send("POST", base, w.admin, valid)
                #expect(next.json?["id"] == 2, "\(next.text)")
            }
        }

        @Test("deleting an offer drops it from bundles; a bundle left empty, or whose main offer it was, goes with it")
        func offerDeletion() async throws {
            try await OfferingWorld.run { w in
                for _ in 0..<3 {
                    #expect(try await w.send("POST", "/resources/demo-compute/offers", w.admin, W.offerBody()).status == 201)
                }
                #expect(try await w.send("POST", "/resources/demo-storage/offers", w.admin, W.offerBody(orderType: "open_access")).status == 201)
                let base = "/resources/demo-compute/bundles"
                func bundle(_ main: Int64, _ offers: [String]) async throws -> Int64 {
                    let r = try await w.send("POST", base, w.admin, ["name": "B", "description": "D", "main_offer_id": .int(main),
                                                                     "offers": .array(offers.map(JSONValue.string))])
                    #expect(r.status == 201, "\(r.text)")
                    return r.json?["id"]?.intValue ?? -1
                }
                let keeps = try await bundle(1, ["demo-compute/2", "demo-storage/1"])
                let empties = try await bundle(1, ["demo-storage/1"])
                let mainGone = try await bundle(3, ["demo-compute/4"])

                // demo-storage/1 leaves both bundles; the one it was alone in is withdrawn.
                #expect(try await w.send("DELETE", "/resources/demo-storage/offers/1", w.admin).status == 200)
                #expect(try await w.send("GET", base + "/\(keeps)", w.admin).json?["offers"] == ["demo-compute/2"])
                #expect(try await w.send("GET", base + "/\(empties)", w.admin).json == Self.bundleNotFound)
                // Deleting a main offer withdraws its bundle; the offer itself is removed (never ordered).
                #expect(try await w.send("DELETE", "/resources/demo-compute/offers/3", w.admin).status == 200)
                #expect(try await w.send("GET", base + "/\(mainGone)", w.admin).json == Self.bundleNotFound)
                #expect(try await w.demo.count("SELECT count(*) AS n FROM offers WHERE service_id = \(w.computeID) AND iid = 3") == 0)
                #expect(try await w.send("GET", "/resources/demo-compute/offers/1", w.admin).json?["bundled_offers"]
                        == [[String(keeps): ["demo-compute/2"]]])
                #expect(try await w.send("GET", base, w.admin).json?["bundles"]?.arrayValue?.map { $0["id"]?.intValue } == [keeps])
            }
        }
    }
}
