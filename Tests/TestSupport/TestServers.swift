public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import PostgresClient

/// Where the servers started by `deploy/test.sh` listen, read from the environment.
public enum TestServers {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// An administrative database URL; tests create their own schemas in it.
    public static var databaseURL: String {
        environment["OMS_TEST_DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:55432/postgres"
    }

    /// The broker URL without a vhost path (tests add their own vhost).
    public static var amqpURL: String {
        environment["OMS_TEST_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/"
    }

    /// The RabbitMQ management API base URL, with credentials.
    public static var amqpManagementURL: String {
        environment["OMS_TEST_AMQP_MANAGEMENT_URL"] ?? "http://guest:guest@127.0.0.1:15672"
    }

    /// The folder holding the built executables (`swift build --show-bin-path`).
    public static var binDirectory: URL {
        if let dir = environment["OMS_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        // Fall back to the folder of the running test bundle: .build/<triple>/debug/
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.pathComponents.count > 1, !FileManager.default.fileExists(atPath: url.appendingPathComponent("oms-gateway").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// A short random name fragment: lower-case letters and digits.
    public static func uniqueSuffix() -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))
    }
}

/// A PostgreSQL schema of its own for one test, dropped afterwards.
public struct TestDatabase: Sendable {
    public let schema: String
    /// A configuration whose connections use this schema first on `search_path`.
    public let configuration: PostgresConfiguration

    /// Creates a fresh schema, runs `body`, then drops the schema whatever happened.
    public static func with<T: Sendable>(_ label: String = "t", _ body: (TestDatabase) async throws -> T) async throws -> T {
        let schema = "t_\(label)_\(TestServers.uniqueSuffix())"
        let admin = try await PostgresConnection.connect(PostgresConfiguration(url: TestServers.databaseURL, applicationName: "test-admin"))
        try await admin.executeSimple("CREATE SCHEMA \(PostgresConnection.quoteIdentifier(schema))")
        let db = TestDatabase(schema: schema, configuration: PostgresConfiguration(url: TestServers.databaseURL, schema: schema, applicationName: "test"))
        do {
            let value = try await body(db)
            try? await admin.executeSimple("DROP SCHEMA \(PostgresConnection.quoteIdentifier(schema)) CASCADE")
            return value
        } catch {
            try? await admin.executeSimple("DROP SCHEMA \(PostgresConnection.quoteIdentifier(schema)) CASCADE")
            throw error
        }
    }
}
