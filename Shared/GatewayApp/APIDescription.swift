import AMQPClient
import Foundation
import HTTPCore
import Messaging
import Observability
import PostgresClient
import ServiceRuntime

/// The gateway's own OpenAPI document (`Resources/openapi.json`, served at `/openapi.json`) and
/// the routes it must describe.
public enum APIDescription {
    /// The document's bytes, read once from the target's resources.
    public static let document: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return [] }
        return [UInt8](data)
    }()

    /// Every route the gateway serves, as method and pattern (`/api/v1/oms/:oms_id`). Builds the
    /// router without connecting anywhere.
    public static func routes() -> [(method: String, pattern: String)] {
        let logger = Logger(service: "oms-gateway", sink: .memory())
        let pool = PostgresPool(configuration: PostgresConfiguration(url: "postgresql://localhost/none"), size: 1)
        let publisher = Publisher(configuration: AMQPConfiguration(), topology: Topology(), logger: logger)
        let rpc = RPCClient(configuration: AMQPConfiguration(), publisher: publisher, logger: logger)
        let gateway = Gateway(pool: pool, auth: Authenticator(pool: pool),
                              commands: CommandGateway(rpc: rpc, timeout: .seconds(1), publicURL: "http://localhost"),
                              logger: logger)
        return gateway.router(health: HealthEndpoints(checks: [], registry: MetricsRegistry())).routeList
    }
}

extension Gateway {
    func addDocumentRoutes(to r: inout Router) {
        r.add("GET", "/openapi.json") { _, _ in
            guard !APIDescription.document.isEmpty else { throw APIError.message(404, "Not found") }
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: APIDescription.document)
        }
    }
}
