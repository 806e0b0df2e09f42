import Testing
import ServiceRuntime

@Suite("ServiceRuntime: ShutdownSignal")
struct RuntimeShutdownSignalTests {
    @Test("wait returns after trigger, for every waiter")
    func waitReturnsAfterTrigger() async {
        let signal = ShutdownSignal()
        let waiters = (0..<5).map { _ in Task { await signal.wait(); return signal.isTriggered } }
        try? await Task.sleep(for: .milliseconds(50))
        #expect(!signal.isTriggered)
        signal.trigger()
        for waiter in waiters { #expect(await waiter.value) }
    }

    @Test("wait returns at once when shutdown was already triggered")
    func waitAfterTrigger() async {
        let signal = ShutdownSignal()
        signal.trigger()
        await signal.wait()
        #expect(signal.isTriggered)
    }

    @Test("sleep is cut short by trigger and returns false")
    func sleepCutShort() async {
        let signal = ShutdownSignal()
        let clock = ContinuousClock()
        let start = clock.now
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            signal.trigger()
        }
        let completed = await signal.sleep(for: .seconds(30))
        #expect(!completed)
        #expect(clock.now - start < .seconds(5))
        #expect(await signal.sleep(for: .seconds(30)) == false, "sleeping after shutdown returns at once")
    }

    @Test("sleep returns true when the whole duration passes")
    func sleepCompletes() async {
        let signal = ShutdownSignal()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await signal.sleep(for: .milliseconds(30)))
        #expect(clock.now - start >= .milliseconds(30))
    }

    @Test("trigger is idempotent")
    func triggerTwice() async {
        let signal = ShutdownSignal()
        let waiter = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(20))
        signal.trigger()
        signal.trigger()
        await waiter.value
        #expect(signal.isTriggered)
        signal.trigger()
        #expect(signal.isTriggered)
    }

    @Test("a cancelled waiter returns without a trigger")
    func cancelledWaiter() async {
        let signal = ShutdownSignal()
        let waiter = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await waiter.value
        #expect(!signal.isTriggered)
    }
}
