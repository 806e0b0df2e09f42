import Foundation
import PostgresClient

/// Faults injected into one running system, and only that one.
extension SystemUnderTest {
    /// The local ports of this system's service processes' connections to PostgreSQL (the
    /// processes are found by the unique `OMS_DATABASE_SCHEMA` in their environment, so other
    /// tests' systems are left alone).
    public func databaseClientPorts() -> Set<Int> {
        let pids = ProcessSockets.processIDs(withEnvironment: "OMS_DATABASE_SCHEMA", value: database.schema)
        let serverPort = URLComponents(string: TestServers.databaseURL)?.port ?? 5432
        return ProcessSockets.localTCPPorts(of: pids, remotePort: serverPort)
    }

    /// Terminates (`pg_terminate_backend`) every PostgreSQL backend serving this system's
    /// services, as a database restart or failover would. - Returns: the number terminated.
    @discardableResult
    public func terminateDatabaseConnections() async throws -> Int {
        let ports = databaseClientPorts().sorted()
        guard !ports.isEmpty else { return 0 }
        let admin = try await PostgresConnection.connect(PostgresConfiguration(url: TestServers.databaseURL, applicationName: "test-admin"))
        do {
            let rows = try await admin.query("""
                SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
                WHERE client_port = ANY(\(ports)::int[]) AND client_addr IS NOT NULL AND pid <> pg_backend_pid()
                """)
            let count = try rows.filter { try $0.bool("terminated") }.count
            await admin.close()
            return count
        } catch {
            await admin.close()
            throw error
        }
    }
}
