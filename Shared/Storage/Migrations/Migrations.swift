public import PostgresClient

/// One versioned schema change: plain SQL, applied once, in order.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    /// A hash of the SQL (FNV-1a, 64 bits), recorded when applied, so an edited migration is
    /// noticed. It guards against mistakes, not attackers, so it needs no cryptographic hash.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Applies the project's migrations.
///
/// Idempotent (applied versions are recorded in `schema_migrations` and skipped) and safe when
/// several processes run it at once: a session advisory lock, keyed by the current schema,
/// serialises runners, and each migration commits in its own transaction with its record.
public enum Migrations {
    /// Every migration, in version order.
    public static let all: [Migration] = [m0001, m0002, m0003]

    /// The outcome of a run.
    public struct Report: Sendable {
        /// Versions applied by this run.
        public let applied: [Int]
        /// Versions that were already there.
        public let skipped: [Int]
    }

    /// Brings the schema up to date on `connection`.
    public static func migrate(_ connection: PostgresConnection, migrations: [Migration] = all) async throws -> Report {
        try await connection.migrate(migrations)
    }
}

extension PostgresConnection {
    func migrate(_ migrations: [Migration]) throws -> Report {
        try query("SELECT pg_advisory_lock(hashtext(current_schema() || '.oms.migrations'))")
        defer { _ = try? query("SELECT pg_advisory_unlock(hashtext(current_schema() || '.oms.migrations'))") }
        try executeSimple("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var recorded: [Int: String] = [:]
        for row in try query("SELECT version, checksum FROM schema_migrations") {
            recorded[Int(try row.int("version"))] = try row.string("checksum")
        }
        var applied: [Int] = [], skipped: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            if let checksum = recorded[migration.version] {
                guard checksum == migration.checksum else {
                    throw PostgresError(code: .server, message: "migration \(migration.version) (\(migration.name)) was changed after it was applied")
                }
                skipped.append(migration.version)
                continue
            }
            try transaction { conn in
                try conn.executeSimple(migration.sql)
                try conn.query("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """)
            }
            applied.append(migration.version)
        }
        return Migrations.Report(applied: applied, skipped: skipped)
    }

    typealias Report = Migrations.Report
}

extension PostgresPool {
    /// Whether the database answers and its schema has every migration this build knows:
    /// a service is not ready to work on an older schema.
    public func schemaIsCurrent() async -> Bool {
        let latest = Migrations.all.map(\.version).max() ?? 0
        let rows = try? await query("SELECT count(*) AS n FROM schema_migrations WHERE version = \(latest)")
        return (try? rows?.first?.int("n")) == 1
    }
}
