import Foundation
public import PostgresClient

/// A PostgreSQL database of its own for one test, dropped afterwards.
///
/// A schema (``TestDatabase``) isolates tables but not LISTEN/NOTIFY, whose channels are
/// database-wide: a test that must prove a NOTIFY woke something needs a database where no
/// other test can send one.
public struct TestIsolatedDatabase: Sendable {
    public let name: String
    /// The URL of this database.
    public let url: String

    /// A configuration for this database; `applicationName` lets a test find its sessions in
    /// `pg_stat_activity`.
    public func configuration(applicationName: String = "test") -> PostgresConfiguration {
        PostgresConfiguration(url: url, applicationName: applicationName)
    }

    /// Creates a database, runs `body`, then drops it (closing its sessions) whatever happened.
    public static func with<T: Sendable>(_ label: String = "t", _ body: (TestIsolatedDatabase) async throws -> T) async throws -> T {
        let name = "t_\(label)_\(TestServers.uniqueSuffix())"
        guard var components = URLComponents(string: TestServers.databaseURL) else {
            throw TestSupportError("bad OMS_TEST_DATABASE_URL")
        }
        components.path = "/" + name
        guard let url = components.string else { throw TestSupportError("cannot build a URL for database \(name)") }
        let admin = try await PostgresConnection.connect(PostgresConfiguration(url: TestServers.databaseURL, applicationName: "test-admin"))
        let quoted = PostgresConnection.quoteIdentifier(name)
        try await admin.executeSimple("CREATE DATABASE \(quoted)")
        let database = TestIsolatedDatabase(name: name, url: url)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(database))
        } catch {
            result = .failure(error)
        }
        try? await admin.executeSimple("DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)")
        await admin.close()
        return try result.get()
    }
}
