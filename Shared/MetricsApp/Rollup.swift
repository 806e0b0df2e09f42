public import Contracts
public import Domain

/// The metrics `oms-metrics` keeps in `metric_rollups`, by the `metric` column's value.
///
/// Every row is one UTC day of one (provider, service, offer) with a `label`; `count` and `sum`
/// only ever grow, so totals over days are counters that survive restarts and agree across replicas.
public enum RollupMetric: String, CaseIterable, Sendable, Codable {
    /// +1 per `project_item.created`: one ordered item, i.e. one offer of an order.
    case ordersCreated = "orders_created"
    /// +1 per `project_item.updated` that set a status, with `label` = the new status type (also
    /// when only the free-text `status.value` changed and the type stayed: the OMS reported progress).
    case statusChanges = "status_changes"
    /// Provider first responses: the row with label `''` has their number in `count` and the
    /// seconds in `sum`; the rows labelled `le=<bound>` count those of at most `<bound>` seconds
    /// (cumulative, as Prometheus buckets are, so the scrape and the JSON API need no arithmetic).
    case firstResponseSeconds = "first_response_seconds"
    /// +1 per `project.created`; a project belongs to no provider, so its ids are all 0.
    case projectsCreated = "projects_created"
}

/// The buckets of the first-response histogram, in seconds: 1 min, 5 min, 15 min, 1 h, 4 h,
/// 12 h, 1 day, 2 days (the default response time), 1 week. Observations above the last bound
/// are only in the `+Inf` bucket, i.e. the total count.
///
/// Changing them changes what new rows mean: a bound added later has no rows for the days before
/// it, so its bucket undercounts those days. Add bounds only with a note on the dashboards.
public enum FirstResponseBuckets {
    /// The finite upper bounds, ascending.
    public static let upperBounds: [Double] = [60, 300, 900, 3600, 14400, 43200, 86400, 172800, 604800]

    /// The `label` of the roll-up row counting observations `<= bound`, e.g. `le=3600`.
    public static func label(_ bound: Double) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? "le=\(Int64(bound))" : "le=\(bound)"
    }

    /// The bound of a current bucket's label; `nil` for the count/sum row and any other text.
    public static func bound(ofLabel label: String) -> Double? {
        guard label.hasPrefix("le=") else { return nil }
        return upperBounds.first { self.label($0) == label }
    }
}

/// The identity of one `metric_rollups` row (its primary key).
public struct RollupKey: Hashable, Comparable, Sendable {
    /// The UTC day of the event's `occurredAt`.
    public var day: CalendarDate
    /// Which metric the row counts.
    public var metric: RollupMetric
    /// 0 when the event names no provider.
    public var providerID: Int64
    /// 0 when the event names no service.
    public var serviceID: Int64
    /// 0 when the event names no offer.
    public var offerID: Int64
    /// A status type, a bucket (`le=<bound>`), or `''`.
    public var label: String

    public init(day: CalendarDate, metric: RollupMetric, providerID: Int64 = 0, serviceID: Int64 = 0,
                offerID: Int64 = 0, label: String = "") {
        self.day = day
        self.metric = metric
        self.providerID = providerID
        self.serviceID = serviceID
        self.offerID = offerID
        self.label = label
    }

    /// Primary-key order. Upserts write rows in this order, so replicas upserting the same rows
    /// at once lock them in the same order and do not deadlock.
    public static func < (a: RollupKey, b: RollupKey) -> Bool {
        if a.day != b.day { return a.day < b.day }
        if a.metric != b.metric { return a.metric.rawValue < b.metric.rawValue }
        return (a.providerID, a.serviceID, a.offerID, a.label) < (b.providerID, b.serviceID, b.offerID, b.label)
    }
}

/// The amounts added to one row.
public struct RollupValue: Hashable, Sendable {
    /// Events (or observations) added.
    public var count: Int64
    /// Seconds added (first responses only; 0 elsewhere).
    public var sum: Double

    public init(count: Int64 = 0, sum: Double = 0) {
        self.count = count
        self.sum = sum
    }
}

/// The roll-up increments of a batch of events, aggregated in memory so that a batch is one
/// upsert of a few rows rather than a statement per event. Pure: no clock, no I/O.
public struct RollupBatch: Sendable {
    /// The increments by row.
    public private(set) var increments: [RollupKey: RollupValue] = [:]

    public init() {}

    /// The status types kept as labels; any other text (which the processor never sends) counts
    /// as `other`, so a bad message cannot add unbounded rows and series.
    static let knownStatuses = Set(StatusType.allCases.map(\.rawValue))

    /// Adds what `event` counts for; events of other kinds count for nothing.
    public mutating func add(_ event: DomainEvent) {
        let day = CalendarDate(utcDayOf: event.occurredAt)
        let provider = event.providerID ?? 0, service = event.serviceID ?? 0, offer = event.offerID ?? 0
        func bump(_ metric: RollupMetric, label: String = "", sum: Double = 0) {
            let key = RollupKey(day: day, metric: metric, providerID: provider, serviceID: service, offerID: offer,
                                label: label)
            increments[key, default: RollupValue()].count += 1
            increments[key, default: RollupValue()].sum += sum
        }
        switch event.kind {
        case DomainEvent.Kind.projectCreated:
            increments[RollupKey(day: day, metric: .projectsCreated), default: RollupValue()].count += 1
        case DomainEvent.Kind.itemCreated:
            bump(.ordersCreated)
        case DomainEvent.Kind.itemUpdated:
            if let status = event.statusType {
                bump(.statusChanges, label: Self.knownStatuses.contains(status) ? status : "other")
            }
            if let seconds = event.firstResponseSeconds, seconds.isFinite {
                // Clock skew between processor replicas can put a response a hair "before" its order.
                let seconds = max(0, seconds)
                bump(.firstResponseSeconds, sum: seconds)
                for bound in FirstResponseBuckets.upperBounds where seconds <= bound {
                    bump(.firstResponseSeconds, label: FirstResponseBuckets.label(bound))
                }
            }
        default:
            break
        }
    }

    /// The increments in primary-key order.
    public var rows: [(key: RollupKey, value: RollupValue)] {
        increments.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// Whether the batch changes nothing.
    public var isEmpty: Bool { increments.isEmpty }
}
