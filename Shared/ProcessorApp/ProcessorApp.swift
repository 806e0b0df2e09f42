import HTTPCore
import HTTPServer
import Messaging
import Observability
import PostgresClient
import Storage
public import ServiceRuntime

/// `oms-processor`: the only writer of the order lifecycle.
public enum ProcessorApp {
    /// Builds the services from the environment and runs them until SIGTERM. - Returns: the exit code.
    public static func main(environment: Environment = .process) async -> Int32 {
        let configuration: ProcessorConfiguration
        do {
            configuration = try ProcessorConfiguration(environment: environment)
        } catch {
            ProcessEnvironment.fail("oms-processor: configuration error: \(error)")
        }
        let logger = configuration.infrastructure.makeLogger()
        return await ServiceGroup(services: services(configuration, logger: logger), logger: logger).run()
    }

    /// The processor's services: consumers, the outbox relay, the deadline watcher, and the
    /// health/metrics server.
    public static func services(_ configuration: ProcessorConfiguration, logger: Logger,
                                onHTTPStart: @escaping @Sendable (Int) -> Void = { _ in }) -> [any Service] {
        let infra = configuration.infrastructure
        let registry = MetricsRegistry()
        let pool = PostgresPool(configuration: infra.database, size: max(infra.databasePoolSize, configuration.consumers + 2))
        let topology = Topology()
        let publisher = Publisher(configuration: infra.amqp, topology: topology, logger: logger)
        let relay = OutboxRelay(pool: pool, publisher: publisher, logger: logger)
        let processor = CommandProcessor(pool: pool, publisher: publisher, logger: logger, registry: registry,
                                         publicURL: configuration.publicURL)
        var services: [any Service] = []
        var consumerHealth: [ConnectionHealth] = []
        for n in 0..<configuration.consumers {
            let health = ConnectionHealth()
            consumerHealth.append(health)
            services.append(ConsumerService(name: "commands-\(n)", configuration: infra.amqp, topology: topology,
                                            queue: Topology.processorQueue, prefetch: configuration.prefetch,
                                            batchSize: configuration.batchSize, logger: logger, health: health,
                                            handler: processor.handle))
        }
        services.append(relay)
        services.append(DeadlineWatcher(pool: pool, interval: configuration.deadlineCheckInterval,
                                        operationsEmails: configuration.operationsEmails, logger: logger, registry: registry))
        let health = HealthEndpoints(checks: [
            ReadinessCheck("database") { await pool.schemaIsCurrent() },
            ReadinessCheck("broker") { [consumerHealth] in consumerHealth.allSatisfy(\.isUp) },
        ], registry: registry)
        var router = Router()
        health.addRoutes(to: &router)
        services.append(HTTPService(configuration: HTTPServerConfiguration(host: infra.httpHost, port: infra.httpPort),
                                    logger: logger, onStart: onHTTPStart, handler: router.handler))
        return services
    }
}
