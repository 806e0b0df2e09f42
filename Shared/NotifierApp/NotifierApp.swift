import CurlClient
import HTTPCore
import HTTPServer
import Messaging
import Observability
import PostgresClient
import Storage
public import ServiceRuntime

/// `oms-notifier`: delivers triggers, e-mails and callbacks, with retries and dead letters.
public enum NotifierApp {
    /// Builds the services from the environment and runs them until SIGTERM. - Returns: the exit code.
    public static func main(environment: Environment = .process) async -> Int32 {
        let configuration: NotifierConfiguration
        do {
            configuration = try NotifierConfiguration(environment: environment)
        } catch {
            ProcessEnvironment.fail("oms-notifier: configuration error: \(error)")
        }
        let logger = configuration.infrastructure.makeLogger()
        return await ServiceGroup(services: services(configuration, logger: logger), logger: logger).run()
    }

    /// The notifier's services: the delivery consumer, the publisher, and the health/metrics server.
    public static func services(_ configuration: NotifierConfiguration, logger: Logger,
                                onHTTPStart: @escaping @Sendable (Int) -> Void = { _ in }) -> [any Service] {
        let infra = configuration.infrastructure
        let registry = MetricsRegistry()
        let pool = PostgresPool(configuration: infra.database, size: infra.databasePoolSize)
        let topology = Topology(retryDelays: configuration.retryDelays)
        let publisher = Publisher(configuration: infra.amqp, topology: topology, logger: logger)
        let deliverer = Deliverer(http: HTTPClient(workers: configuration.concurrency),
                                  smtp: SMTPClient(configuration: configuration.smtp, workers: configuration.mailConcurrency),
                                  pool: pool, configuration: configuration, omses: OMSDirectory(pool: pool))
        let handler = DeliveryHandler(deliverer: deliverer, publisher: publisher, pool: pool,
                                      retryDelays: configuration.retryDelays, logger: logger, registry: registry)
        // One consumer per lane, so mail never holds back triggers.
        let httpHealth = ConnectionHealth(), emailHealth = ConnectionHealth()
        let httpBatches = max(1, min(4, configuration.concurrency))
        let httpConsumer = ConsumerService(name: "http-deliveries", configuration: infra.amqp, topology: topology,
                                           queue: DeliveryLane.http.queue, prefetch: configuration.concurrency * 4,
                                           // Up to four smaller batches at once: a slow OMS holds back only
                                           // its own batch (one batch of `concurrency` waited for its slowest call).
                                           batchSize: max(1, configuration.concurrency / httpBatches),
                                           batchesInFlight: httpBatches,
                                           logger: logger, health: httpHealth, handler: handler.handle)
        let emailConsumer = ConsumerService(name: "email-deliveries", configuration: infra.amqp, topology: topology,
                                            queue: DeliveryLane.email.queue, prefetch: configuration.mailConcurrency * 4,
                                            batchSize: configuration.mailConcurrency, logger: logger, health: emailHealth,
                                            handler: handler.handle)
        let health = HealthEndpoints(checks: [
            ReadinessCheck("database") { await pool.schemaIsCurrent() },
            ReadinessCheck("broker") { httpHealth.isUp && emailHealth.isUp },
        ], registry: registry)
        var router = Router()
        health.addRoutes(to: &router)
        return [httpConsumer, emailConsumer, PublisherConnector(publisher: publisher, logger: logger),
                HTTPService(configuration: HTTPServerConfiguration(host: infra.httpHost, port: infra.httpPort),
                            logger: logger, onStart: onHTTPStart, handler: router.handler)]
    }
}
