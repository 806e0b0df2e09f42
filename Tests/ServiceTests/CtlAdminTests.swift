import CtlApp
import Foundation
import PostgresClient
import ServiceRuntime
import Storage
import Testing
import TestSupport
import Wire

@Suite("omsctl: users, tokens, OMS registration and governance against PostgreSQL")
struct CtlAdminTests {
    /// A migrated test schema with one user and one provider.
    private func withSchema(_ body: (CtlHarness) async throws -> Void) async throws {
        try await TestDatabase.with("ctl") { db in
            let ctl = CtlHarness(db)
            #expect(await ctl.run("migrate").status == 0)
            _ = try await ctl.withConnection { conn in
                try await conn.query("INSERT INTO providers (pid, name) VALUES ('p1', 'Provider One'), ('p2', 'Provider Two')")
            }
            try await body(ctl)
        }
    }

    @Test("a revoked token no longer authenticates; other users' tokens still do")
    func tokenRevoke() async throws {
        try await withSchema { ctl in
            let created = await ctl.run("user", "create", "--uid", "alice", "--email", "alice@example.org",
                                        "--first-name", "Alice", "--role", "user", "--role", "catalogue")
            #expect(created.status == 0, "\(created.errorText)")
            #expect(created.object["roles"] == ["catalogue", "user"])
            #expect(await ctl.run("user", "create", "--uid", "bob", "--email", "bob@example.org").status == 0)

            let issued = await ctl.run("token", "issue", "--user", "alice", "--label", "laptop")
            #expect(issued.status == 0, "\(issued.errorText)")
            let token = try #require(issued.object.string("token"))
            let second = try #require(await ctl.run("token", "issue", "--user", "alice").object.string("token"))
            let bobs = try #require(await ctl.run("token", "issue", "--user", "bob").object.string("token"))
            let alice = try #require(try await ctl.authenticate(token))
            #expect(alice.uid == "alice")
            #expect(alice.firstName == "Alice")
            #expect(alice.roles == ["catalogue", "user"])
            let count1 = try await ctl.count("SELECT count(*) AS n FROM api_tokens WHERE label = 'laptop'")
            #expect(count1 == 1)

            let revoked = await ctl.run("token", "revoke", "--user", "alice")
            #expect(revoked.status == 0, "\(revoked.errorText)")
            #expect(revoked.object.int("revoked") == 2)
            #expect(try await ctl.authenticate(token) == nil)
            #expect(try await ctl.authenticate(second) == nil)
            #expect(try await ctl.authenticate(bobs)?.uid == "bob")
            #expect(await ctl.run("token", "revoke", "--user", "alice").object.int("revoked") == 0)
        }
    }

    @Test("user and token commands fail clearly: unknown user, duplicate uid, unknown role")
    func accountErrors() async throws {
        try await withSchema { ctl in
            let unknown = await ctl.run("token", "issue", "--user", "nobody")
            #expect(unknown.status == 1)
            #expect(unknown.errorText.contains("no user with uid 'nobody'"))
            #expect(await ctl.run("user", "create", "--uid", "carol", "--email", "carol@example.org").status == 0)
            let duplicate = await ctl.run("user", "create", "--uid", "carol", "--email", "other@example.org")
            #expect(duplicate.status == 1)
            #expect(duplicate.errorText.contains("already exists"))
            let badRole = await ctl.run("user", "create", "--uid", "dave", "--email", "dave@example.org", "--role", "root")
            #expect(badRole.status == 2)
            #expect(badRole.errorText.contains("unknown role 'root'"))
            let count2 = try await ctl.count("SELECT count(*) AS n FROM users")
            #expect(count2 == 1)
        }
    }

    @Test("oms register rejects a bad type and method with usage errors, and registers nothing")
    func omsRegisterRejectsBadEnums() async throws {
        try await withSchema { ctl in
            let badType = await ctl.run("oms", "register", "--name", "X", "--type", "regional")
            #expect(badType.status == 2)
            #expect(badType.errorText.contains("--type must be one of global, provider_group, resource_dedicated"))
            let badMethod = await ctl.run("oms", "register", "--name", "X", "--type", "global",
                                          "--trigger-url", "http://x.example/t", "--trigger-method", "patch")
            #expect(badMethod.status == 2)
            #expect(badMethod.errorText.contains("--trigger-method"))
            let halfAuth = await ctl.run("oms", "register", "--name", "X", "--type", "global",
                                         "--trigger-url", "http://x.example/t", "--trigger-user", "u")
            #expect(halfAuth.status == 2)
            let typo = await ctl.run("oms", "register", "--name", "X", "--type", "global", "--defualt")
            #expect(typo.status == 2)
            #expect(typo.errorText.contains("unknown option --defualt"))
            let count3 = try await ctl.count("SELECT count(*) AS n FROM omses")
            #expect(count3 == 0)
        }
    }

    @Test("oms register links admins and providers; oms list shows it with its health")
    func omsRegisterAndList() async throws {
        try await withSchema { ctl in
            #expect(await ctl.run("user", "create", "--uid", "adm", "--email", "adm@example.org").status == 0)
            let registered = await ctl.run("oms", "register", "--name", "Provider OMS", "--type", "provider_group",
                                           "--trigger-url", "https://oms.example/trigger", "--trigger-method", "PUT",
                                           "--trigger-user", "u", "--trigger-password", "p", "--admin", "adm",
                                           "--provider", "p1", "--provider", "p2")
            #expect(registered.status == 0, "\(registered.errorText)")
            let id = try #require(registered.object.int("id"))
            let sombo = await ctl.run("oms", "register", "--name", "SOMBO", "--type", "global", "--default",
                                      "--custom-params", #"{"order_target":{"mandatory":false}}"#)
            #expect(sombo.status == 0, "\(sombo.errorText)")
            let second = await ctl.run("oms", "register", "--name", "Other", "--type", "global", "--default")
            #expect(second.status == 1)
            #expect(second.errorText.contains("already the default"))
            let duplicate = await ctl.run("oms", "register", "--name", "SOMBO", "--type", "global")
            #expect(duplicate.status == 1)
            let unknownAdmin = await ctl.run("oms", "register", "--name", "Y", "--type", "global", "--admin", "ghost")
            #expect(unknownAdmin.status == 1)
            #expect(unknownAdmin.errorText.contains("'ghost'"))

            try await ctl.withConnection { conn in
                try await conn.recordTrigger(omsID: id, error: "HTTP 503")
                try await conn.recordEventsPoll(omsID: id)
            }
            let list = await ctl.run("oms", "list")
            #expect(list.status == 0, "\(list.errorText)")
            #expect(list.json.count == 2)
            let line = try #require(list.json.first { $0.int("id") == id })
            #expect(line.string("name") == "Provider OMS")
            #expect(line.string("type") == "provider_group")
            #expect(line["default"] == .bool(false))
            #expect(line.string("trigger_url") == "https://oms.example/trigger")
            #expect(line.string("trigger_method") == "put")
            #expect(line["administrators"] == ["adm"])
            #expect(line["providers"] == ["p1", "p2"])
            #expect(line.string("last_trigger_error") == "HTTP 503")
            #expect(line.string("last_trigger_error_at").flatMap { Timestamp(parsing: $0) } != nil)
            #expect(line.string("last_events_poll_at").flatMap { Timestamp(parsing: $0) } != nil)
            #expect(line["last_trigger_ok_at"] == .null)
            let global = try #require(list.json.first { $0.string("name") == "SOMBO" })
            #expect(global["default"] == .bool(true))
            #expect(global["trigger_url"] == .null)
            let admin = try await ctl.withConnection { try await $0.query("SELECT roles FROM users WHERE uid = 'adm'")[0].stringArray("roles") }
            #expect(admin.contains("oms"), "an OMS administrator gets the oms role")
        }
    }

    @Test("provider set-response-time updates the provider; bad values and unknown providers fail")
    func providerResponseTime() async throws {
        try await withSchema { ctl in
            let set = await ctl.run("provider", "set-response-time", "--provider", "p2", "--seconds", "3600")
            #expect(set.status == 0, "\(set.errorText)")
            #expect(set.object.int("response_time_seconds") == 3600)
            let count4 = try await ctl.count("SELECT response_time_seconds AS n FROM providers WHERE pid = 'p2'")
            #expect(count4 == 3600)
            let count5 = try await ctl.count("SELECT response_time_seconds AS n FROM providers WHERE pid = 'p1'")
            #expect(count5 == 172_800)
            #expect(await ctl.run("provider", "set-response-time", "--provider", "p2", "--seconds", "0").status == 2)
            #expect(await ctl.run("provider", "set-response-time", "--provider", "p2", "--seconds", "2d").status == 2)
            let unknown = await ctl.run("provider", "set-response-time", "--provider", "p9", "--seconds", "60")
            #expect(unknown.status == 1)
            #expect(unknown.errorText.contains("no provider 'p9'"))
        }
    }

    @Test("help succeeds; no command, an unknown command or a stray argument is a usage error (exit 2)")
    func usage() async throws {
        let ctl = Ctl(environment: Environment([:]), output: .memory(), errors: .memory())
        #expect(await ctl.run(["help"]) == 0)
        #expect(ctl.output.lines.joined().contains("omsctl dead-letters replay"))
        #expect(await ctl.run([]) == 2)
        #expect(await ctl.run(["frobnicate"]) == 2)
        #expect(await ctl.run(["migrate", "now"]) == 2)
        #expect(await ctl.run(["token", "issue", "--user"]) == 2)
        #expect(ctl.errors.lines.contains("omsctl: --user needs a value"))
    }

    @Test("an unreachable database is a failure (exit 1) with a message naming it")
    func databaseDown() async throws {
        let errors = CtlOutput.memory()
        let ctl = Ctl(environment: Environment(["OMS_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"]),
                      output: .memory(), errors: errors)
        #expect(await ctl.run(["migrate"]) == 1)
        #expect(errors.lines.first?.contains("cannot connect to the database") == true)
    }
}
