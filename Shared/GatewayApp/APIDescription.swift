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
    /// The document's bytes, read once from the target's resources (the
    /// `eosc-oms_GatewayApp.resources` folder next to the executable). The file is part of the
    /// build, so a missing one is a packaging error that stops the gateway at start.
    public static let document: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            fatalError("openapi.json is missing from the resource bundle \(Bundle.module.bundlePath)")
        }
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
        _ = APIDescription.document  // read now: a packaging error shows at start, not at the first request
        r.add("GET", "/openapi.json") { _, _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: APIDescription.document)
        }
    }
}
