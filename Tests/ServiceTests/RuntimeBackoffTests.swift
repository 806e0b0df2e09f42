import Testing
import ServiceRuntime

@Suite("ServiceRuntime: Backoff")
struct RuntimeBackoffTests {
    @Test("delays double from the initial value up to the cap, jittered between half and all")
    func growthAndCap() {
        for _ in 0..<50 {
            var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1))
            let ceilings: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                                        .seconds(1), .seconds(1), .seconds(1)]
            for ceiling in ceilings {
                let delay = backoff.next()
                #expect(delay <= ceiling)
                #expect(delay >= ceiling / 2)
            }
        }
    }

    @Test("many attempts stay at the cap without overflowing")
    func manyAttempts() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        var last = Duration.zero
        for _ in 0..<200 { last = backoff.next() }
        #expect(last >= .milliseconds(2500) && last <= .seconds(5))
    }

    @Test("reset starts over from the initial delay")
    func reset() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        for _ in 0..<10 { _ = backoff.next() }
        backoff.reset()
        #expect(backoff.next() <= .milliseconds(100))
    }
}
