import Foundation
import PostgresClient

/// Faults injected into one running system, and only that one.
extension SystemUnderTest {
    /// The process ids of `service` of this system (by its schema and its HTTP port, which only
    /// it has), or of all its services.
    public func processIDs(of service: String? = nil) -> [Int32] {
        let mine = ProcessSockets.processIDs(withEnvironment: "OMS_DATABASE_SCHEMA", value: database.schema)
        guard let service, let port = ports[service] else { return mine }
        let withPort = Set(ProcessSockets.processIDs(withEnvironment: "OMS_HTTP_PORT", value: String(port)))
        return mine.filter(withPort.contains)
    }

    /// The local ports of `service`'s connections to the broker.
    public func brokerClientPorts(of service: String) -> Set<Int> {
        let brokerPort = URLComponents(string: broker.url)?.port ?? 5672
        return ProcessSockets.localTCPPorts(of: processIDs(of: service), remotePort: brokerPort)
    }

    /// The local ports of this system's service processes' connections to PostgreSQL (the
    /// processes are found by the unique `OMS_DATABASE_SCHEMA` in their environment, so other
    /// tests' systems are left alone).
    public func databaseClientPorts() -> Set<Int> {
        let pids = processIDs()
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
