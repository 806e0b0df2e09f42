public import Messaging
public import ServiceRuntime

/// Settings of `oms-gateway`.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `OMS_REPLY_TIMEOUT` | `2s` | how long a write waits for the processor before answering 202 |
/// | `OMS_PUBLIC_URL` | `http://127.0.0.1:8080` | base of absolute links (`Location`) |
/// | `OMS_MAX_BODY_BYTES` | 1048576 | larger request bodies get 413 |
/// | `OMS_HTTP_THREADS` | 4 | libmicrohttpd worker threads |
/// | `OMS_TOKEN_CACHE_TTL` | `5s` | how long a token lookup is reused (a revoked token works this long) |
/// plus the shared variables of ``InfrastructureConfiguration`` (HTTP port 8080).
public struct GatewayConfiguration: Sendable {
    public var infrastructure: InfrastructureConfiguration
    public var replyTimeout: Duration
    public var publicURL: String
    public var maxBodyBytes: Int
    public var httpThreads: Int
    public var tokenCacheTTL: Duration

    public init(environment: Environment) throws {
        infrastructure = try InfrastructureConfiguration(environment: environment, service: "oms-gateway", defaultPort: 8080)
        replyTimeout = try environment.duration("OMS_REPLY_TIMEOUT", default: .seconds(2))
        var url = environment.string("OMS_PUBLIC_URL", default: "http://127.0.0.1:\(infrastructure.httpPort)")
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ConfigurationError(variable: "OMS_PUBLIC_URL", value: url, reason: "must start with http:// or https://")
        }
        publicURL = url
        maxBodyBytes = try environment.int("OMS_MAX_BODY_BYTES", default: 1 << 20, in: 1024...(64 << 20))
        httpThreads = try environment.int("OMS_HTTP_THREADS", default: 4, in: 1...64)
        tokenCacheTTL = try environment.duration("OMS_TOKEN_CACHE_TTL", default: .seconds(5))
    }
}
