import CtlApp
import Foundation
import PostgresClient
import ServiceRuntime
import Storage
import TestSupport
import Wire

/// What one in-process `omsctl` run printed and returned.
struct CtlRun: Sendable {
    let status: Int32
    let output: [String]
    let errors: [String]

    /// The output lines that are JSON objects.
    var json: [[String: JSONValue]] {
        output.compactMap { try? WireFormat.decode(JSONValue.self, from: $0).objectValue }
    }

    /// The single JSON object a command printed, or an empty object.
    var object: [String: JSONValue] { json.first ?? [:] }

    var errorText: String { errors.joined(separator: "\n") }
}

/// Runs `omsctl` commands in-process against a test schema (and a test vhost when given).
struct CtlHarness: Sendable {
    let database: TestDatabase
    let broker: TestBroker?

    init(_ database: TestDatabase, broker: TestBroker? = nil) {
        self.database = database
        self.broker = broker
    }

    var environment: Environment {
        var values = ["OMS_DATABASE_URL": TestServers.databaseURL, "OMS_DATABASE_SCHEMA": database.schema]
        if let broker { values["OMS_AMQP_URL"] = broker.url }
        return Environment(values)
    }

    func run(_ arguments: String...) async -> CtlRun { await run(arguments) }

    func run(_ arguments: [String]) async -> CtlRun {
        let output = CtlOutput.memory(), errors = CtlOutput.memory()
        let status = await Ctl(environment: environment, output: output, errors: errors, logSink: .memory()).run(arguments)
        return CtlRun(status: status, output: output.lines, errors: errors.lines)
    }

    /// A connection to the test schema, closed after `body`.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(database.configuration)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The user a token belongs to, resolved the way the gateway does (by its SHA-256, which is
    /// computed here by PostgreSQL, independently of the code under test).
    func authenticate(_ token: String) async throws -> AuthContext? {
        try await withConnection { conn in
            let hash = try await conn.query("SELECT sha256(convert_to(\(token), 'UTF8')) AS h")[0].bytes("h")
            return try await conn.authenticate(tokenHash: hash)
        }
    }

    /// One integer from a query (counts).
    func count(_ query: PostgresQuery) async throws -> Int64 {
        try await withConnection { try await $0.query(query)[0].int("n") }
    }
}

extension [String: JSONValue] {
    func string(_ key: String) -> String? { self[key]?.stringValue }
    func int(_ key: String) -> Int64? { self[key]?.intValue }
}
