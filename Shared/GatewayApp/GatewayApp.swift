import HTTPCore
import HTTPServer
import Messaging
import Observability
import PostgresClient
import Storage
public import ServiceRuntime

/// `oms-gateway`: every HTTP API.
public enum GatewayApp {
    /// Builds the services from the environment and runs them until SIGTERM. - Returns: the exit code.
    public static func main(environment: Environment = .process) async -> Int32 {
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration(environment: environment)
        } catch {
            ProcessEnvironment.fail("oms-gateway: configuration error: \(error)")
        }
        let logger = configuration.infrastructure.makeLogger()
        return await ServiceGroup(services: services(configuration, logger: logger), logger: logger).run()
    }

    /// The gateway's services: the HTTP server, the reply consumer, and the publisher's connection.
    public static func services(_ configuration: GatewayConfiguration, logger: Logger,
                                onHTTPStart: @escaping @Sendable (Int) -> Void = { _ in }) -> [any Service] {
        let infra = configuration.infrastructure
        let registry = MetricsRegistry()
        let pool = PostgresPool(configuration: infra.database, size: infra.databasePoolSize)
        // A client waits for the broker at most a few seconds, then gets 503 (a retry with the same
        // Idempotency-Key is safe whether or not the command got through).
        let publisher = Publisher(configuration: infra.amqp, topology: Topology(), logger: logger, timeout: .seconds(5))
        let rpc = RPCClient(configuration: infra.amqp, publisher: publisher, logger: logger)
        let gateway = Gateway(pool: pool, auth: Authenticator(pool: pool, cacheTTL: configuration.tokenCacheTTL),
                              commands: CommandGateway(rpc: rpc, timeout: configuration.replyTimeout,
                                                       publicURL: configuration.publicURL),
                              logger: logger)
        let health = HealthEndpoints(checks: [
            ReadinessCheck("database") { await pool.schemaIsCurrent() },
            ReadinessCheck("broker") { rpc.isReady },
        ], registry: registry)
        let router = gateway.router(health: health)
        let patterns = router.patterns
        let handler = instrument(router.handler, registry: registry,
                                 routeLabel: HTTPMetrics.routeLabel(patterns: patterns))
        let http = HTTPService(configuration: HTTPServerConfiguration(
            host: infra.httpHost, port: infra.httpPort, threadPoolSize: configuration.httpThreads,
            maxBodyBytes: configuration.maxBodyBytes), logger: logger, onStart: onHTTPStart) { request in
            await handler(request)
        }
        return [rpc, PublisherConnector(publisher: publisher, logger: logger), http]
    }
}
