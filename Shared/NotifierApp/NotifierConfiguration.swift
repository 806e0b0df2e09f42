public import CurlClient
public import Messaging
public import ServiceRuntime

/// Settings of `oms-notifier`.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `OMS_SMTP_URL` | `smtp://127.0.0.1:2525` | SMTP server (`smtps://` for TLS from the start) |
/// | `OMS_SMTP_USER`, `OMS_SMTP_PASSWORD` | none | SMTP AUTH login |
/// | `OMS_SMTP_REQUIRE_TLS` | true unless the server is on loopback | refuse to send without STARTTLS |
/// | `OMS_MAIL_FROM` | `oms@localhost` | sender of notification mails |
/// | `OMS_RETRY_DELAYS` | `1s,5s,30s,2m,10m` | waits before attempts 2, 3…; after the last, the delivery is parked |
/// | `OMS_SIGNING_KEY` | none | HMAC-SHA256 key for the `X-OMS-Signature` header (no header when unset) |
/// | `OMS_DELIVERY_TIMEOUT` | `10s` | limit for one trigger or callback call |
/// | `OMS_NOTIFIER_CONCURRENCY` | 16 | HTTP deliveries (triggers, callbacks) attempted at once |
/// | `OMS_MAIL_CONCURRENCY` | 4 | e-mails sent at once (SMTP connections) |
/// plus the shared variables of ``InfrastructureConfiguration`` (HTTP port 9102).
public struct NotifierConfiguration: Sendable {
    public var infrastructure: InfrastructureConfiguration
    public var smtp: SMTPConfiguration
    public var mailFrom: String
    public var retryDelays: [Duration]
    public var signingKey: [UInt8]?
    public var deliveryTimeout: Duration
    public var concurrency: Int
    public var mailConcurrency: Int

    public init(environment: Environment) throws {
        infrastructure = try InfrastructureConfiguration(environment: environment, service: "oms-notifier", defaultPort: 9102)
        let url = environment.string("OMS_SMTP_URL", default: "smtp://127.0.0.1:2525")
        guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
            throw ConfigurationError(variable: "OMS_SMTP_URL", value: url, reason: "must start with smtp:// or smtps://")
        }
        let loopback = url.contains("://127.0.0.1") || url.contains("://localhost") || url.contains("://[::1]")
        smtp = SMTPConfiguration(url: url, username: environment.optionalString("OMS_SMTP_USER"),
                                 password: environment.optionalString("OMS_SMTP_PASSWORD"),
                                 requireTLS: try environment.bool("OMS_SMTP_REQUIRE_TLS", default: !loopback))
        mailFrom = environment.string("OMS_MAIL_FROM", default: "oms@localhost")
        retryDelays = try environment.durations("OMS_RETRY_DELAYS",
                                                default: [.seconds(1), .seconds(5), .seconds(30), .seconds(120), .seconds(600)])
        signingKey = environment.optionalString("OMS_SIGNING_KEY").map { Array($0.utf8) }
        deliveryTimeout = try environment.duration("OMS_DELIVERY_TIMEOUT", default: .seconds(10))
        concurrency = try environment.int("OMS_NOTIFIER_CONCURRENCY", default: 16, in: 1...256)
        mailConcurrency = try environment.int("OMS_MAIL_CONCURRENCY", default: 4, in: 1...64)
    }
}
