import Testing
import HTTPCore
import Observability
import ServiceRuntime
import Synchronization

@Suite("Observability: /healthz, /readyz, /metrics")
struct ObservabilityHealthTests {
    private func router(_ health: HealthEndpoints) -> Router {
        var router = Router()
        health.addRoutes(to: &router)
        return router
    }

    @Test("/healthz answers 200 ok, also for HEAD")
    func liveness() async {
        let router = router(HealthEndpoints(checks: [ReadinessCheck("database") { false }]))
        let get = await router.handle(HTTPRequest(method: "GET", target: "/healthz"))
        #expect(get.status == 200)
        #expect(get.bodyText == #"{"status":"ok"}"#)
        #expect(await router.handle(HTTPRequest(method: "HEAD", target: "/healthz")).status == 200)
    }

    @Test("/readyz answers 200 with every check when all pass")
    func ready() async {
        let router = router(HealthEndpoints(checks: [
            ReadinessCheck("database") { true },
            ReadinessCheck("broker") { try? await Task.sleep(for: .milliseconds(20)); return true },
        ]))
        let response = await router.handle(HTTPRequest(method: "GET", target: "/readyz"))
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"checks":{"broker":"ok","database":"ok"},"status":"ready"}"#)
    }

    @Test("/readyz answers 503 naming a failing and a hanging check, without waiting for the hang")
    func notReady() async {
        let parked = Parked()
        let health = HealthEndpoints(checks: [
            ReadinessCheck("database") { false },
            ReadinessCheck("broker") { try? await Task.sleep(for: .seconds(3600)); return true },
            // Ignores cancellation entirely: the response must still come after the timeout.
            ReadinessCheck("cache") { await parked.park() },
            ReadinessCheck("disk") { true },
        ], timeout: .milliseconds(200))
        let clock = ContinuousClock()
        let start = clock.now
        let response = await router(health).handle(HTTPRequest(method: "GET", target: "/readyz"))
        let elapsed = clock.now - start
        parked.release()

        #expect(response.status == 503)
        #expect(response.bodyText == #"{"checks":{"broker":"timeout","cache":"timeout","database":"failing","disk":"ok"},"# +
            #""failing":["broker","cache","database"],"status":"not ready"}"#)
        #expect(elapsed >= .milliseconds(150))
        // The hangs last an hour; answering within a minute proves they were abandoned at the
        // timeout, with room for a machine loaded by parallel tests.
        #expect(elapsed < .seconds(60), "checks run concurrently and a hang is abandoned at the timeout")
    }

    @Test("/readyz fails once shutdown is triggered, so traffic drains")
    func shutdownDrains() async {
        let shutdown = ShutdownSignal()
        let health = HealthEndpoints(checks: [ReadinessCheck("database") { true }], shutdown: shutdown)
        #expect(await health.readiness().status == 200)
        shutdown.trigger()
        let response = await health.readiness()
        #expect(response.status == 503)
        #expect(response.bodyText.contains(#""failing":["shutdown"]"#))
    }

    @Test("/metrics serves the exposition with the Prometheus content type")
    func metrics() async {
        let registry = MetricsRegistry()
        registry.counter("oms_test_total", help: "A test counter.").increment(by: 4)
        let response = await router(HealthEndpoints(registry: registry)).handle(HTTPRequest(method: "GET", target: "/metrics"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.bodyText == "# HELP oms_test_total A test counter.\n# TYPE oms_test_total counter\noms_test_total 4\n")
    }

    @Test("without a registry there is no /metrics route")
    func noRegistryNoMetrics() async {
        let response = await router(HealthEndpoints()).handle(HTTPRequest(method: "GET", target: "/metrics"))
        #expect(response.status == 404)
    }

    @Test("a check that answers before its timeout is not reported as a timeout")
    func fastCheckOutcome() async {
        #expect(await ReadinessCheck("x") { true }.run(timeout: .seconds(5)) == .ok)
        #expect(await ReadinessCheck("x") { false }.run(timeout: .seconds(5)) == .failing)
        #expect(await ReadinessCheck("x") { try? await Task.sleep(for: .seconds(60)); return true }
            .run(timeout: .milliseconds(50)) == .timeout)
    }
}

/// Holds a check's continuation until the test releases it, to model a check that ignores cancellation.
private final class Parked: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Bool, Never>?, released: Bool)>((nil, false))

    func park() async -> Bool {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.released { return true }
                state.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume(returning: false) }
        }
    }

    func release() {
        let continuation = state.withLock { state in
            state.released = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: false)
    }
}
