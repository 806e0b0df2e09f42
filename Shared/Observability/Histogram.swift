import Synchronization

/// A distribution of observations in fixed buckets: request latency, provider response time.
///
/// Buckets rather than quantiles, because bucket counts add up across replicas and quantiles do
/// not. Get it once from ``MetricsRegistry/histogram(_:help:buckets:labels:)`` and keep it; an
/// observation finds its bucket outside the lock, then takes the lock for one increment and one add.
public final class Histogram: Sendable {
    private struct State {
        /// Per-bucket (not cumulative) counts; the last slot is above every bound.
        var counts: [UInt64]
        var sum: Double
    }

    /// The finite, ascending, distinct upper bounds; `+Inf` is implicit.
    public let upperBounds: [Double]
    private let state: Mutex<State>

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        state = Mutex(State(counts: Array(repeating: 0, count: upperBounds.count + 1), sum: 0))
    }

    /// Records one observation. NaN is ignored: it would turn `_sum` into NaN for good.
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        var index = 0
        while index < upperBounds.count, value > upperBounds[index] { index += 1 }
        state.withLock { state in
            state.counts[index] += 1
            state.sum += value
        }
    }

    /// Records an elapsed time in seconds, the unit Prometheus expects for durations.
    public func observe(_ duration: Duration) {
        observe(duration.seconds)
    }

    /// The cumulative counts, sum and count, taken under the lock so they agree with each other.
    public var snapshot: HistogramSnapshot {
        let (counts, sum) = state.withLock { ($0.counts, $0.sum) }
        return HistogramSnapshot(upperBounds: upperBounds, counts: counts, sum: sum)
    }

    /// Sorts, de-duplicates and drops non-finite bounds, so a caller's `[1, 0.5, .infinity]` still
    /// yields a valid histogram (`+Inf` is always added by the exposition).
    static func normalized(_ bounds: [Double]) -> [Double] {
        var result: [Double] = []
        for bound in bounds.filter(\.isFinite).sorted() where result.last != bound {
            result.append(bound)
        }
        return result
    }
}

extension Duration {
    /// The duration in seconds as a `Double`, the unit of every Prometheus duration metric.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
