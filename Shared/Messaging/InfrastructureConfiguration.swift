public import AMQPClient
public import PostgresClient
public import ServiceRuntime

/// The settings every service shares: database, broker, HTTP listener, logging.
///
/// | variable | default |
/// |---|---|
/// | `OMS_DATABASE_URL` | `postgresql://postgres@127.0.0.1:55432/oms` |
/// | `OMS_DATABASE_SCHEMA` | (none: the server's `search_path`) |
/// | `OMS_DATABASE_POOL_SIZE` | 8 |
/// | `OMS_AMQP_URL` | `amqp://guest:guest@127.0.0.1:5672/%2f` |
/// | `OMS_HTTP_HOST` | `127.0.0.1` |
/// | `OMS_HTTP_PORT` | per service |
/// | `OMS_LOG_LEVEL` | `info` |
public struct InfrastructureConfiguration: Sendable {
    public var service: String
    public var database: PostgresConfiguration
    public var databasePoolSize: Int
    public var amqp: AMQPConfiguration
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level

    /// Reads and validates the shared variables; errors name the variable.
    public init(environment: Environment, service: String, defaultPort: Int) throws {
        self.service = service
        database = PostgresConfiguration(
            url: environment.string("OMS_DATABASE_URL", default: "postgresql://postgres@127.0.0.1:55432/oms"),
            schema: environment.optionalString("OMS_DATABASE_SCHEMA"), applicationName: service)
        databasePoolSize = try environment.int("OMS_DATABASE_POOL_SIZE", default: 8, in: 1...64)
        let amqpURL = environment.string("OMS_AMQP_URL", default: "amqp://guest:guest@127.0.0.1:5672/%2f")
        do {
            amqp = try AMQPConfiguration(url: amqpURL, connectionName: service)
        } catch {
            throw ConfigurationError(variable: "OMS_AMQP_URL", value: amqpURL, reason: "must be amqp://user:password@host:port/vhost")
        }
        httpHost = environment.string("OMS_HTTP_HOST", default: "127.0.0.1")
        httpPort = try environment.int("OMS_HTTP_PORT", default: defaultPort, in: 0...65535)
        logLevel = try environment.logLevel()
    }

    /// A logger for this service at the configured level.
    public func makeLogger() -> Logger { Logger(service: service, minimumLevel: logLevel) }
}
