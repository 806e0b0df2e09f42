import Testing
import ServiceRuntime

@Suite("ServiceRuntime: ServiceGroup", .serialized)
struct RuntimeServiceGroupTests {
    struct WaitsForShutdown: Service {
        let name = "waits"
        func run(_ shutdown: ShutdownSignal) async throws { await shutdown.wait() }
    }

    struct Fails: Service {
        struct Broken: Error {}
        let name = "fails"
        func run(_ shutdown: ShutdownSignal) async throws {
            try await Task.sleep(for: .milliseconds(20))
            throw Broken()
        }
    }

    @Test("a clean shutdown returns 0 and does not wait for the grace period")
    func cleanShutdown() async {
        let shutdown = ShutdownSignal()
        let sink = LogSink.memory()
        let group = ServiceGroup(services: [WaitsForShutdown(), WaitsForShutdown()], logger: Logger(service: "t", sink: sink),
                                 shutdown: shutdown, gracePeriod: .seconds(30))
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            shutdown.trigger()
        }
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await group.run() == 0)
        #expect(clock.now - start < .seconds(10))
        #expect(sink.lines.contains { $0.contains(#""clean":true"#) })
        #expect(!sink.lines.contains { $0.contains("grace period over") })
    }

    @Test("a failing service shuts the others down and the group returns 1")
    func failingService() async {
        let shutdown = ShutdownSignal()
        let sink = LogSink.memory()
        let group = ServiceGroup(services: [WaitsForShutdown(), Fails()], logger: Logger(service: "t", sink: sink),
                                 shutdown: shutdown, gracePeriod: .seconds(30))
        #expect(await group.run() == 1)
        #expect(shutdown.isTriggered)
        #expect(sink.lines.contains { $0.contains(#""msg":"service failed""#) && $0.contains(#""component":"fails""#) },
                "the line names the failing service: \(sink.lines)")
    }
}
