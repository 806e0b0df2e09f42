public import HTTPCore
import HTTPServer
public import Messaging
public import Observability
public import PostgresClient
public import ServiceRuntime

/// `oms-metrics`: consumes every domain event into daily roll-ups in PostgreSQL and serves them
/// as Prometheus metrics (`/metrics`) and as JSON for dashboards (`/api/v1/metrics/daily`), beside
/// `/healthz` and `/readyz` (database, and every consumer's broker connection).
public enum MetricsApp {
    /// Builds the services from the environment and runs them until SIGTERM. - Returns: the exit code.
    public static func main(environment: Environment = .process) async -> Int32 {
        let configuration: MetricsConfiguration
        do {
            configuration = try MetricsConfiguration(environment: environment)
        } catch {
            ProcessEnvironment.fail("oms-metrics: configuration error: \(error)")
        }
        let logger = configuration.infrastructure.makeLogger()
        return await ServiceGroup(services: assemble(configuration, logger: logger).services, logger: logger).run()
    }

    /// The service's parts, wired: the event consumers and the HTTP server, plus what tests reach
    /// into (the handler the HTTP server runs, without a socket).
    public static func assemble(_ configuration: MetricsConfiguration, logger: Logger,
                                shutdown: ShutdownSignal? = nil,
                                onHTTPStart: @escaping @Sendable (Int) -> Void = { _ in }) -> MetricsAssembly {
        let infra = configuration.infrastructure
        let registry = MetricsRegistry()
        // Each consumer holds one connection per batch; scrapes and API reads take the rest.
        let pool = PostgresPool(configuration: infra.database, size: max(infra.databasePoolSize, configuration.consumers + 2))
        let topology = Topology()
        let recorder = EventRecorder(pool: pool, logger: logger, registry: registry)
        RollupCollector(pool: pool, logger: logger, registry: registry, timeout: configuration.queryTimeout,
                        perService: configuration.perService, perOffer: configuration.perOffer)
            .register(in: registry)
        var consumers: [ConsumerService] = []
        var consumerHealth: [ConnectionHealth] = []
        for n in 0..<configuration.consumers {
            let health = ConnectionHealth()
            consumerHealth.append(health)
            consumers.append(ConsumerService(name: "events-\(n)", configuration: infra.amqp, topology: topology,
                                             queue: Topology.metricsQueue, prefetch: configuration.prefetch,
                                             batchSize: configuration.batchSize, logger: logger, health: health,
                                             handler: recorder.handle))
        }
        let health = HealthEndpoints(checks: [
            ReadinessCheck("database") { await pool.isHealthy() },
            ReadinessCheck("broker") { [consumerHealth] in consumerHealth.allSatisfy(\.isUp) },
        ], registry: registry, shutdown: shutdown)
        var router = Router()
        health.addRoutes(to: &router)
        DailyRollupsEndpoint(pool: pool, logger: logger, maxDays: configuration.apiMaxDays, timeout: configuration.queryTimeout)
            .addRoutes(to: &router)
        let handler = instrument(router.handler, registry: registry,
                                 routeLabel: HTTPMetrics.routeLabel(patterns: router.patterns))
        let http = HTTPService(configuration: HTTPServerConfiguration(host: infra.httpHost, port: infra.httpPort),
                               logger: logger, onStart: onHTTPStart, handler: handler)
        return MetricsAssembly(pool: pool, registry: registry, recorder: recorder, consumers: consumers,
                               handler: handler, http: http)
    }
}

/// The wired parts of `oms-metrics` (see ``MetricsApp/assemble(_:logger:shutdown:onHTTPStart:)``).
public struct MetricsAssembly: Sendable {
    /// The database pool every part shares.
    public let pool: PostgresPool
    /// The process's metrics, with the roll-up collector registered.
    public let registry: MetricsRegistry
    /// The handler of the consumers' batches.
    public let recorder: EventRecorder
    /// One consumer of `oms.metrics.events` per configured consumer.
    public let consumers: [ConsumerService]
    /// Every HTTP route, instrumented: what the HTTP server runs, callable without a socket.
    public let handler: HTTPHandler
    /// The HTTP server.
    public let http: HTTPService

    /// What `main` runs: the consumers and the HTTP server.
    public var services: [any Service] { consumers + [http] }
}
