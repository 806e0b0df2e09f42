public import Messaging
public import ServiceRuntime

/// Settings of `oms-metrics`.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `OMS_METRICS_CONSUMERS` | 1 | concurrent event consumers (each its own connection and batches) |
/// | `OMS_METRICS_BATCH` | 200 | most events rolled up in one transaction |
/// | `OMS_METRICS_PREFETCH` | 1000 | unacked events per consumer |
/// | `OMS_METRICS_QUERY_TIMEOUT` | `5s` | statement timeout of a scrape's and an API request's read |
/// | `OMS_METRICS_PER_SERVICE` | `true` | expose the per-service families on `/metrics` |
/// | `OMS_METRICS_PER_OFFER` | `false` | expose the per-offer families on `/metrics` (one series set per offer) |
/// | `OMS_METRICS_API_MAX_DAYS` | 366 | the longest `from`…`to` range of `/api/v1/metrics/daily` |
/// plus the shared variables of ``InfrastructureConfiguration`` (HTTP port 9103).
public struct MetricsConfiguration: Sendable {
    public var infrastructure: InfrastructureConfiguration
    public var consumers: Int
    public var batchSize: Int
    public var prefetch: Int
    public var queryTimeout: Duration
    public var perService: Bool
    public var perOffer: Bool
    public var apiMaxDays: Int

    /// Reads and validates the variables; errors name the variable.
    public init(environment: Environment) throws {
        infrastructure = try InfrastructureConfiguration(environment: environment, service: "oms-metrics", defaultPort: 9103)
        consumers = try environment.int("OMS_METRICS_CONSUMERS", default: 1, in: 1...16)
        batchSize = try environment.int("OMS_METRICS_BATCH", default: 200, in: 1...5000)
        prefetch = try environment.int("OMS_METRICS_PREFETCH", default: 1000, in: 1...50_000)
        queryTimeout = try environment.duration("OMS_METRICS_QUERY_TIMEOUT", default: .seconds(5))
        guard queryTimeout >= .milliseconds(1) else {
            throw ConfigurationError(variable: "OMS_METRICS_QUERY_TIMEOUT", value: environment.optionalString("OMS_METRICS_QUERY_TIMEOUT"),
                                     reason: "must be at least 1ms")
        }
        perService = try environment.bool("OMS_METRICS_PER_SERVICE", default: true)
        perOffer = try environment.bool("OMS_METRICS_PER_OFFER", default: false)
        apiMaxDays = try environment.int("OMS_METRICS_API_MAX_DAYS", default: 366, in: 1...36_600)
    }
}
