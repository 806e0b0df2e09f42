/// The state of one histogram series at scrape time, in Prometheus's own cumulative shape.
///
/// Cumulative counts are what the exposition writes (`_bucket{le="0.5"}` counts every observation
/// up to 0.5) and what SQL produces naturally with `count(*) FILTER (WHERE x <= 0.5)`, so a
/// collector can fill this in without arithmetic. ``init(upperBounds:counts:sum:)`` takes
/// per-bucket counts instead, for sources that bin (`width_bucket`).
public struct HistogramSnapshot: Sendable, Equatable {
    /// One finite bucket: how many observations were at most `upperBound`.
    public struct Bucket: Sendable, Equatable {
        /// The bucket's inclusive upper bound, the `le` label.
        public var upperBound: Double
        /// Observations less than or equal to `upperBound`, including those of smaller buckets.
        public var cumulativeCount: UInt64

        /// A bucket as written in the exposition.
        public init(upperBound: Double, cumulativeCount: UInt64) {
            self.upperBound = upperBound
            self.cumulativeCount = cumulativeCount
        }
    }

    /// Finite buckets in ascending order of `upperBound`; the `+Inf` bucket is ``count``.
    public var buckets: [Bucket]
    /// Every observation, which is also the `+Inf` bucket.
    public var count: UInt64
    /// The sum of every observation, so rates of `_sum / _count` give a mean.
    public var sum: Double

    /// A snapshot from cumulative counts, as a collector reads them.
    public init(buckets: [Bucket], count: UInt64, sum: Double) {
        self.buckets = buckets
        self.count = count
        self.sum = sum
    }

    /// A snapshot from per-bucket counts: `counts[i]` observations fell in bucket `i`, and the
    /// one extra trailing count (if present) fell above the last bound.
    public init(upperBounds: [Double], counts: [UInt64], sum: Double) {
        var running: UInt64 = 0
        var buckets: [Bucket] = []
        buckets.reserveCapacity(upperBounds.count)
        for (index, bound) in upperBounds.enumerated() {
            running += index < counts.count ? counts[index] : 0
            buckets.append(Bucket(upperBound: bound, cumulativeCount: running))
        }
        for extra in counts.dropFirst(upperBounds.count) { running += extra }
        self.init(buckets: buckets, count: running, sum: sum)
    }
}
