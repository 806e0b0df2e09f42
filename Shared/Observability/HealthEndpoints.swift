public import HTTPCore
public import ServiceRuntime

/// `/healthz`, `/readyz` and `/metrics`: what an orchestrator and Prometheus ask every service.
///
/// Liveness and readiness are separate on purpose: `/healthz` answers while the process runs, so
/// a database outage does not get every replica restarted; `/readyz` fails while a dependency is
/// down or shutdown has begun, so load balancers stop sending traffic without killing anything.
public struct HealthEndpoints: Sendable {
    /// The checks `/readyz` runs concurrently.
    public var checks: [ReadinessCheck]
    /// How long each check may take before it counts as failing.
    public var timeout: Duration
    /// The registry `/metrics` exposes; without one, no `/metrics` route is added.
    public var registry: MetricsRegistry?
    /// When set and triggered, `/readyz` fails with `shutdown`, so traffic drains during the grace period.
    public var shutdown: ShutdownSignal?

    /// - Parameters:
    ///   - checks: named readiness checks, e.g. `database` and `broker`.
    ///   - timeout: per check; one second by default, well under a Kubernetes probe's own timeout.
    ///   - registry: the process's metrics, served at `/metrics`.
    ///   - shutdown: the process's shutdown signal, so readiness fails once it is triggered.
    public init(checks: [ReadinessCheck] = [], timeout: Duration = .seconds(1), registry: MetricsRegistry? = nil,
                shutdown: ShutdownSignal? = nil) {
        self.checks = checks
        self.timeout = timeout
        self.registry = registry
        self.shutdown = shutdown
    }

    /// Adds `GET /healthz`, `GET /readyz` and (with a registry) `GET /metrics`; `HEAD` works too
    /// through the router.
    public func addRoutes(to router: inout Router) {
        router.add("GET", "/healthz") { _, _ in self.liveness() }
        router.add("GET", "/readyz") { _, _ in await self.readiness() }
        if registry != nil {
            router.add("GET", "/metrics") { _, _ in await self.metrics() }
        }
    }

    /// `200 {"status":"ok"}`: the process is up and its HTTP server answers.
    public func liveness() -> HTTPResponse {
        .json(200, ["status": "ok"])
    }

    /// `200 {"status":"ready","checks":{...}}` when every check passes, else
    /// `503 {"status":"not ready","checks":{...},"failing":[...]}` naming the failing checks.
    public func readiness() async -> HTTPResponse {
        let timeout = self.timeout
        var outcomes = await withTaskGroup(of: (String, ReadinessCheck.Outcome).self) { group in
            for check in checks {
                group.addTask { (check.name, await check.run(timeout: timeout)) }
            }
            var outcomes: [String: String] = [:]
            for await (name, outcome) in group { outcomes[name] = outcome.rawValue }
            return outcomes
        }
        if let shutdown, shutdown.isTriggered { outcomes["shutdown"] = "shutting down" }
        let failing = outcomes.filter { $0.value != ReadinessCheck.Outcome.ok.rawValue }.keys.sorted()
        if failing.isEmpty {
            return .json(200, ReadinessBody(status: "ready", checks: outcomes, failing: nil))
        }
        return .json(503, ReadinessBody(status: "not ready", checks: outcomes, failing: failing))
    }

    /// The registry's exposition with the Prometheus content type (404 without a registry).
    public func metrics() async -> HTTPResponse {
        guard let registry else { return .json(404, ["error": "Not found"]) }
        return .text(200, await registry.exposition(), contentType: PrometheusText.contentType)
    }
}

/// The `/readyz` body.
private struct ReadinessBody: Encodable {
    var status: String
    var checks: [String: String]
    var failing: [String]?
}
