public import Wire

/// When a provider must first answer an order, set from the per-provider response time that
/// governance fixes (DESIGN.md "Provider response time").
///
/// Pure arithmetic on ``Timestamp``s: callers pass `now`, so reminders and escalation are tested
/// without a clock.
public struct ResponseDeadline: Hashable, Sendable {
    /// When the project item was created; the response time counts from here.
    public var createdAt: Timestamp
    /// The provider's allowed response time in seconds.
    public var responseTimeSeconds: Int64

    /// A deadline for an item created at `createdAt` whose provider has `responseTimeSeconds`.
    public init(createdAt: Timestamp, responseTimeSeconds: Int64) {
        self.createdAt = createdAt
        self.responseTimeSeconds = responseTimeSeconds
    }

    /// The moment the provider's first response is due.
    public var deadline: Timestamp { createdAt.adding(seconds: responseTimeSeconds) }

    /// Whether the item needs a reminder or escalation at `now`: no first response yet and `now`
    /// past the deadline (a response exactly at the deadline is in time).
    public func isOverdue(at now: Timestamp, firstResponseAt: Timestamp? = nil) -> Bool {
        firstResponseAt == nil && now > deadline
    }

    /// Whether a first response at `firstResponseAt` met the deadline.
    public func wasMet(by firstResponseAt: Timestamp) -> Bool { firstResponseAt <= deadline }

    /// Whole seconds from `createdAt` to the first provider response, rounded down, for the
    /// response-time histograms; 0 when the response is stamped earlier (clock skew between
    /// writers must not produce a negative duration).
    public static func responseSeconds(createdAt: Timestamp, firstResponseAt: Timestamp) -> Int64 {
        max(0, (firstResponseAt.microseconds - createdAt.microseconds) / 1_000_000)
    }
}
