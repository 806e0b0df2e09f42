public import Observability
public import PostgresClient
public import ServiceRuntime
import Wire

/// Reads the roll-ups from PostgreSQL at every scrape and exposes them as Prometheus families.
///
/// The numbers live in the database, not in this process, so every replica answers the same and
/// a restart loses nothing; each family sums its rows over every day (a counter never goes down
/// unless rows are deleted). Families, with names from the catalogue (`unknown` for id 0 or a
/// deleted row) and ids beside them because names need not be unique:
///
/// | family | type | labels |
/// |---|---|---|
/// | `oms_orders_created_total` | counter | `provider`, `provider_id` |
/// | `oms_projects_created_total` | counter | none |
/// | `oms_status_changes_total` | counter | `status` |
/// | `oms_provider_status_changes_total` | counter | `provider`, `provider_id`, `status` |
/// | `oms_provider_first_response_seconds` | histogram | `provider`, `provider_id` |
/// | `oms_service_orders_created_total` | counter | `service`, `service_id`, `provider_id` (per-service option) |
/// | `oms_service_first_response_seconds` | histogram | `service`, `service_id`, `provider_id` (per-service option) |
/// | `oms_offer_orders_created_total` | counter | `offer`, `offer_id`, `service_id` (per-offer option) |
/// | `oms_offer_first_response_seconds` | histogram | `offer`, `offer_id`, `service_id` (per-offer option) |
/// | `oms_metrics_rollups_up` | gauge | none: 1 when this scrape read the roll-ups, else 0 |
///
/// Label values are bounded by the catalogue and the eight status types; per-offer series are off
/// by default because a large catalogue makes many (the JSON API has every offer by day).
public struct RollupCollector: Sendable {
    let pool: PostgresPool
    let logger: Logger
    let timeout: Duration
    let perService: Bool
    let perOffer: Bool
    let failures: Counter

    /// - Parameters:
    ///   - timeout: the statement timeout of the read, so a slow database cannot hang a scrape.
    ///   - perService, perOffer: whether to add the per-service and per-offer families.
    public init(pool: PostgresPool, logger: Logger, registry: MetricsRegistry, timeout: Duration = .seconds(5),
                perService: Bool = true, perOffer: Bool = false) {
        self.pool = pool
        self.logger = logger.with(["component": .string("rollup-collector")])
        self.timeout = timeout
        self.perService = perService
        self.perOffer = perOffer
        failures = registry.counter("oms_metrics_rollup_read_failures_total",
                                    help: "Scrapes that could not read the roll-ups from PostgreSQL.")
    }

    /// Adds this collector to `registry`, so its `/metrics` includes the roll-ups.
    public func register(in registry: MetricsRegistry) {
        registry.addCollector { await self.collect() }
    }

    /// The families at this moment; only the `up` gauge (at 0) when the database cannot answer.
    public func collect() async -> [MetricFamily] {
        let timeout = self.timeout
        do {
            let totals = try await pool.transaction { conn in try conn.rollupTotals(timeout: timeout) }
            return families(totals) + [up(1)]
        } catch {
            failures.increment()
            logger.warning("roll-ups not readable for this scrape", ["error": .string(String(describing: error))])
            return [up(0)]
        }
    }

    private func up(_ value: Double) -> MetricFamily {
        .gauge("oms_metrics_rollups_up", help: "1 when the last scrape read the roll-ups from PostgreSQL, else 0.",
               [MetricSeries(value: value)])
    }

    func families(_ totals: [RollupTotal]) -> [MetricFamily] {
        let provider: @Sendable (RollupTotal) -> [String: String] = {
            ["provider": $0.providerName ?? "unknown", "provider_id": String($0.providerID)]
        }
        let service: @Sendable (RollupTotal) -> [String: String] = {
            ["service": $0.serviceName ?? "unknown", "service_id": String($0.serviceID), "provider_id": String($0.providerID)]
        }
        let offer: @Sendable (RollupTotal) -> [String: String] = {
            ["offer": $0.offerName ?? "unknown", "offer_id": String($0.offerID), "service_id": String($0.serviceID)]
        }
        var out: [MetricFamily] = [
            .counter("oms_orders_created_total", help: "Project items ordered, by provider, since the roll-ups began.",
                     Self.counterSeries(totals, .ordersCreated, provider)),
            .counter("oms_projects_created_total", help: "Projects created.",
                     Self.counterSeries(totals, .projectsCreated) { _ in [:] }),
            .counter("oms_status_changes_total", help: "Project item status updates, by the new status type.",
                     Self.counterSeries(totals, .statusChanges) { ["status": $0.label] }),
            .counter("oms_provider_status_changes_total", help: "Project item status updates, by provider and new status type.",
                     Self.counterSeries(totals, .statusChanges) { provider($0).merging(["status": $0.label]) { a, _ in a } }),
            .histogram("oms_provider_first_response_seconds",
                       help: "Seconds from an order to its provider's first response, by provider.",
                       Self.histogramSeries(totals, provider)),
        ]
        if perService {
            out.append(.counter("oms_service_orders_created_total", help: "Project items ordered, by service.",
                                Self.counterSeries(totals, .ordersCreated, service)))
            out.append(.histogram("oms_service_first_response_seconds",
                                  help: "Seconds from an order to its provider's first response, by service.",
                                  Self.histogramSeries(totals, service)))
        }
        if perOffer {
            out.append(.counter("oms_offer_orders_created_total", help: "Project items ordered, by offer.",
                                Self.counterSeries(totals, .ordersCreated, offer)))
            out.append(.histogram("oms_offer_first_response_seconds",
                                  help: "Seconds from an order to its provider's first response, by offer.",
                                  Self.histogramSeries(totals, offer)))
        }
        return out
    }

    /// The counts of `metric`'s rows summed by the label set `labels` gives each row.
    static func counterSeries(_ totals: [RollupTotal], _ metric: RollupMetric,
                              _ labels: (RollupTotal) -> [String: String]) -> [MetricSeries] {
        var sums: [[String: String]: Double] = [:]
        for total in totals where total.metric == metric.rawValue {
            sums[labels(total), default: 0] += Double(total.count)
        }
        return sums.map { MetricSeries(labels: $0.key, value: $0.value) }
    }

    /// The first-response histograms by the label set `labels` gives each row: count and sum from
    /// the `''` rows, cumulative buckets from the `le=<bound>` rows (a bound with no row is 0).
    static func histogramSeries(_ totals: [RollupTotal], _ labels: (RollupTotal) -> [String: String]) -> [MetricSeries] {
        struct Accumulated {
            var count: Int64 = 0
            var sum: Double = 0
            var buckets: [Double: Int64] = [:]
        }
        var groups: [[String: String]: Accumulated] = [:]
        for total in totals where total.metric == RollupMetric.firstResponseSeconds.rawValue {
            let key = labels(total)
            if total.label.isEmpty {
                groups[key, default: Accumulated()].count += total.count
                groups[key, default: Accumulated()].sum += total.sum
            } else if let bound = FirstResponseBuckets.bound(ofLabel: total.label) {
                groups[key, default: Accumulated()].buckets[bound, default: 0] += total.count
            }
        }
        return groups.map { key, value in
            let buckets = FirstResponseBuckets.upperBounds.map { bound in
                HistogramSnapshot.Bucket(upperBound: bound, cumulativeCount: UInt64(max(0, value.buckets[bound] ?? 0)))
            }
            return MetricSeries(labels: key, histogram: HistogramSnapshot(buckets: buckets, count: UInt64(max(0, value.count)),
                                                                          sum: value.sum))
        }
    }
}
