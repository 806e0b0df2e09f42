public import Messaging
public import ServiceRuntime

/// Settings of `oms-processor`.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `OMS_PROCESSOR_CONSUMERS` | 2 | concurrent command consumers (each its own connection and batches) |
/// | `OMS_PROCESSOR_BATCH` | 64 | most commands handled in one transaction |
/// | `OMS_PROCESSOR_PREFETCH` | 256 | unacked commands per consumer |
/// | `OMS_DEADLINE_CHECK_INTERVAL` | 60s | how often passed response deadlines are looked for |
/// | `OMS_OPERATIONS_EMAIL` | none (the users with role `operator`) | comma-separated escalation recipients |
/// | `OMS_PUBLIC_URL` | `http://127.0.0.1:8080` | the gateway's public base, for the hrefs in TMF622 hub events |
/// plus the shared variables of ``InfrastructureConfiguration`` (HTTP port 9101).
public struct ProcessorConfiguration: Sendable {
    public var infrastructure: InfrastructureConfiguration
    public var consumers: Int
    public var batchSize: Int
    public var prefetch: Int
    public var deadlineCheckInterval: Duration
    public var operationsEmails: [String]
    public var publicURL: String

    public init(environment: Environment) throws {
        infrastructure = try InfrastructureConfiguration(environment: environment, service: "oms-processor", defaultPort: 9101)
        consumers = try environment.int("OMS_PROCESSOR_CONSUMERS", default: 2, in: 1...32)
        batchSize = try environment.int("OMS_PROCESSOR_BATCH", default: 64, in: 1...1000)
        prefetch = try environment.int("OMS_PROCESSOR_PREFETCH", default: 256, in: 1...10_000)
        deadlineCheckInterval = try environment.duration("OMS_DEADLINE_CHECK_INTERVAL", default: .seconds(60))
        guard deadlineCheckInterval >= .milliseconds(10) else {
            throw ConfigurationError(variable: "OMS_DEADLINE_CHECK_INTERVAL", value: "\(deadlineCheckInterval)",
                                     reason: "must be at least 10ms")
        }
        var url = environment.string("OMS_PUBLIC_URL", default: "http://127.0.0.1:8080")
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ConfigurationError(variable: "OMS_PUBLIC_URL", value: url, reason: "must start with http:// or https://")
        }
        publicURL = url
        operationsEmails = (environment.optionalString("OMS_OPERATIONS_EMAIL") ?? "")
            .split(separator: ",").map { $0.filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
    }
}
