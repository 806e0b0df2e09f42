import Synchronization

/// A value that only goes up: requests served, orders created, deliveries failed.
///
/// Get it once from ``MetricsRegistry/counter(_:help:labels:)`` and keep it: each increment is
/// then one uncontended lock and an add, with no lookup by name on the hot path.
public final class Counter: Sendable {
    private let storage = Mutex<Double>(0)

    init() {}

    /// Adds one.
    public func increment() {
        storage.withLock { $0 += 1 }
    }

    /// Adds `amount`. A negative or NaN amount is ignored: Prometheus treats any decrease as a
    /// process restart, so a caller's bug must not fabricate resets in `rate()`.
    public func increment(by amount: Double) {
        guard amount > 0 else { return }
        storage.withLock { $0 += amount }
    }

    /// Adds `amount`; integer call sites (`increment(by: 3)`) need no conversion.
    public func increment(by amount: Int) {
        increment(by: Double(amount))
    }

    /// The current total, for tests and for code that reports it elsewhere.
    public var value: Double {
        storage.withLock { $0 }
    }
}
