/// Exponential backoff with full jitter, for reconnecting to the broker or the database.
public struct Backoff: Sendable {
    public let initial: Duration
    public let maximum: Duration
    private var attempt = 0

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt; grows ×2 up to `maximum`, jittered between half and all of it.
    public mutating func next() -> Duration {
        let factor = Double(1 << min(attempt, 20))
        attempt += 1
        let ceiling = min(initial * factor, maximum)
        return ceiling * Double.random(in: 0.5...1.0)
    }

    /// Starts over after a success.
    public mutating func reset() { attempt = 0 }
}
