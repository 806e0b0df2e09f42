import CtlApp
import Domain
import Foundation
import PostgresClient
import Storage
import Testing
import TestSupport
import Wire

@Suite("omsctl: migrate and seed-demo against PostgreSQL")
struct CtlMigrateSeedTests {
    static let seedArguments = ["seed-demo", "--trigger-url", "http://127.0.0.1:8099/trigger",
                                "--provider-email", "provider@example.org", "--user-email", "researcher@example.org"]

    @Test("migrate applies every migration once, then reports them skipped")
    func migrateTwice() async throws {
        try await TestDatabase.with("ctl") { db in
            let ctl = CtlHarness(db)
            let first = await ctl.run("migrate")
            #expect(first.status == 0, "\(first.errorText)")
            #expect(first.object["applied"] == .array(Migrations.all.map { .int(Int64($0.version)) }))
            #expect(first.object["skipped"] == .array([]))
            let second = await ctl.run("migrate")
            #expect(second.status == 0, "\(second.errorText)")
            #expect(second.object["applied"] == .array([]))
            #expect(second.object["skipped"] == .array(Migrations.all.map { .int(Int64($0.version)) }))
            let count1 = try await ctl.count("SELECT count(*) AS n FROM schema_migrations")
            #expect(count1 == Int64(Migrations.all.count))
        }
    }

    @Test("two concurrent migrate runs both succeed and the schema is applied once")
    func migrateConcurrently() async throws {
        try await TestDatabase.with("ctl") { db in
            let ctl = CtlHarness(db)
            async let a = ctl.run("migrate")
            async let b = ctl.run("migrate")
            let runs = await [a, b]
            for run in runs { #expect(run.status == 0, "\(run.errorText)") }
            let applied = runs.flatMap { $0.object["applied"]?.arrayValue ?? [] }
            let skipped = runs.flatMap { $0.object["skipped"]?.arrayValue ?? [] }
            #expect(applied.count == Migrations.all.count, "each migration applied by exactly one run")
            #expect(skipped.count == Migrations.all.count, "and skipped by the other")
            let count2 = try await ctl.count("SELECT count(*) AS n FROM schema_migrations")
            #expect(count2 == Int64(Migrations.all.count))
        }
    }

    @Test("seed-demo twice: one of each row, stable ids, and every token authenticates to its user")
    func seedTwice() async throws {
        try await TestDatabase.with("ctl") { db in
            let ctl = CtlHarness(db)
            #expect(await ctl.run("migrate").status == 0)
            let first = await ctl.run(Self.seedArguments)
            #expect(first.status == 0, "\(first.errorText)")
            #expect(first.output.count == 1, "exactly one line of output, the JSON object")
            let second = await ctl.run(Self.seedArguments)
            #expect(second.status == 0, "\(second.errorText)")
            let a = first.object, b = second.object

            for key in ["oms_id", "default_oms_id", "provider_id"] {
                #expect(a.int(key) != nil && a.int(key) == b.int(key), "\(key) is stable across runs")
            }
            #expect(a.string("resource_id") == "demo-compute")
            #expect(a.int("offer_id") == 1)
            #expect(a.string("trigger_url") == "http://127.0.0.1:8099/trigger")
            #expect(a.string("user_token") != b.string("user_token"), "each run issues new tokens")

            for (table, expected) in [("providers", 1), ("services", 1), ("offers", 1), ("omses", 2), ("users", 3),
                                      ("oms_providers", 1), ("oms_administrators", 2), ("provider_administrators", 1),
                                      ("api_tokens", 6)] {
                let n = try await ctl.count(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))
                #expect(n == Int64(expected), "\(table)")
            }

            let omsID = try #require(a.int("oms_id")), defaultID = try #require(a.int("default_oms_id"))
            let providerID = try #require(a.int("provider_id"))
            for run in [a, b] {
                let user = try #require(try await ctl.authenticate(run.string("user_token") ?? ""))
                #expect(user.uid == "demo-researcher")
                #expect(user.email == "researcher@example.org")
                #expect(user.roles == ["user"])
                let oms = try #require(try await ctl.authenticate(run.string("oms_token") ?? ""))
                #expect(oms.omsIDs == [omsID])
                #expect(oms.providerIDs == [providerID], "the OMS user is the provider's data administrator")
                #expect(oms.email == "provider@example.org")
                let op = try #require(try await ctl.authenticate(run.string("operator_token") ?? ""))
                #expect(op.roles.contains("operator"))
                #expect(op.omsIDs == [defaultID])
            }
            #expect(try await ctl.authenticate("oms_not-a-token") == nil)

            try await ctl.withConnection { conn in
                let offer = try #require(try await conn.findOffer(service: "demo-compute", iid: 1))
                #expect(offer.isOrderable)
                #expect(offer.primaryOMSID == omsID)
                #expect(offer.offerCategory == "service_category-compute")
                #expect(offer.service.categories == ["Compute"])
                #expect(offer.provider.pid == "demo-provider")
                #expect(offer.provider.contactEmails == ["provider@example.org"])
                #expect(offer.provider.responseTimeSeconds == 172_800)
                let parameters = try OfferParameter.parseDefinitions(offer.parameters)
                let cpu = try #require(parameters.first { $0.id == "cpu" })
                #expect(cpu.label == "CPUs")
                #expect(cpu.kind == .range(.init(minimum: 1, maximum: 8, unit: "CPU")))
                let flavour = try #require(parameters.first { $0.id == "flavour" })
                #expect(flavour.label == "Flavour")
                #expect(flavour.kind == .select(.init(values: ["small", "medium", "large"], mode: .dropdown, valueType: .string)))

                let sombo = try #require(try await conn.defaultOMS())
                #expect(sombo.id == defaultID)
                #expect(sombo.name == "SOMBO")
                let demo = try await conn.query("""
                    SELECT type, is_default, trigger_url, trigger_method, trigger_user, trigger_password FROM omses WHERE id = \(omsID)
                    """)[0]
                #expect(try demo.string("type") == "provider_group")
                #expect(try demo.bool("is_default") == false)
                #expect(try demo.string("trigger_method") == "post")
                #expect(try demo.optionalString("trigger_user") == "demo")
                #expect(try demo.optionalString("trigger_password") == "demo-secret")
                let params = try await conn.query("SELECT custom_params::text AS p FROM omses WHERE id = \(defaultID)")[0].string("p")
                #expect(try WireFormat.decode(JSONValue.self, from: params) == ["order_target": ["mandatory": false]])
            }
        }
    }

    @Test("seed-demo refuses a trigger URL that is not http(s), with exit status 2 and nothing written")
    func seedRejectsBadURL() async throws {
        try await TestDatabase.with("ctl") { db in
            let ctl = CtlHarness(db)
            #expect(await ctl.run("migrate").status == 0)
            var arguments = Self.seedArguments
            arguments[2] = "ftp://example.org/trigger"
            let run = await ctl.run(arguments)
            #expect(run.status == 2)
            #expect(run.errorText.contains("--trigger-url"))
            let count3 = try await ctl.count("SELECT count(*) AS n FROM providers")
            #expect(count3 == 0)
        }
    }
}
