import Synchronization

/// A value that goes up and down: connections open, messages in flight, a last-success time.
///
/// Get it once from ``MetricsRegistry/gauge(_:help:labels:)`` and keep it; each update is one
/// lock and a store or add.
public final class Gauge: Sendable {
    private let storage = Mutex<Double>(0)

    init() {}

    /// Replaces the value, for levels read from elsewhere (pool size, queue depth).
    public func set(_ value: Double) {
        storage.withLock { $0 = value }
    }

    /// Replaces the value with an integer, so call sites need no conversion.
    public func set(_ value: Int) {
        set(Double(value))
    }

    /// Adds `delta` (negative to decrease), for levels tracked by the code that changes them.
    public func add(_ delta: Double) {
        storage.withLock { $0 += delta }
    }

    /// Adds an integer `delta`, e.g. `add(-1)` when a connection closes.
    public func add(_ delta: Int) {
        add(Double(delta))
    }

    /// Adds one.
    public func increment() {
        add(1.0)
    }

    /// Subtracts one.
    public func decrement() {
        add(-1.0)
    }

    /// The current value, for tests and for code that reports it elsewhere.
    public var value: Double {
        storage.withLock { $0 }
    }
}
