import Synchronization

/// Every metric of one process, and the collectors that add numbers kept elsewhere.
///
/// Handles are created or looked up by name and labels; keep the handle where it is used, so
/// the hot path takes only the handle's own lock, never the registry's. At scrape time
/// ``exposition()`` reads every handle, asks every collector, merges families by name and
/// renders them with ``PrometheusText``.
///
/// Asking for an existing name with another type, or a histogram with other buckets, is a bug in
/// the caller that would make the exposition unreadable to Prometheus, so it stops the process
/// the first time that code runs, as the Prometheus client libraries do.
public final class MetricsRegistry: Sendable {
    /// Produces families at scrape time; see ``addCollector(_:)``.
    public typealias Collector = @Sendable () async -> [MetricFamily]

    private enum Handle: Sendable {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
    }

    private struct Family: Sendable {
        var help: String
        var kind: MetricFamily.Kind
        var upperBounds: [Double]
        var series: [LabelSet: Handle] = [:]
    }

    private struct State: Sendable {
        var families: [String: Family] = [:]
        var collectors: [Collector] = []
    }

    private let state = Mutex(State())

    /// An empty registry; one per process, shared by every service in it.
    public init() {}

    /// The counter `name` with `labels`, created at zero on first use.
    public func counter(_ name: String, help: String, labels: [String: String] = [:]) -> Counter {
        let handle = lookup(name, help: help, kind: .counter, upperBounds: [], labels: labels) { .counter(Counter()) }
        guard case .counter(let counter) = handle else { preconditionFailure("metric \(name) is not a counter") }
        return counter
    }

    /// The gauge `name` with `labels`, created at zero on first use.
    public func gauge(_ name: String, help: String, labels: [String: String] = [:]) -> Gauge {
        let handle = lookup(name, help: help, kind: .gauge, upperBounds: [], labels: labels) { .gauge(Gauge()) }
        guard case .gauge(let gauge) = handle else { preconditionFailure("metric \(name) is not a gauge") }
        return gauge
    }

    /// The histogram `name` with `labels`, created empty on first use. `buckets` are the finite
    /// upper bounds (sorted and de-duplicated here; `+Inf` is implicit) and must be the same for
    /// every label set of the family, so series can be aggregated.
    public func histogram(_ name: String, help: String, buckets: [Double],
                          labels: [String: String] = [:]) -> Histogram {
        let bounds = Histogram.normalized(buckets)
        precondition(labels["le"] == nil, "histogram \(name) may not use the label name le")
        let handle = lookup(name, help: help, kind: .histogram, upperBounds: bounds, labels: labels) {
            .histogram(Histogram(upperBounds: bounds))
        }
        guard case .histogram(let histogram) = handle else { preconditionFailure("metric \(name) is not a histogram") }
        return histogram
    }

    /// Registers a callback asked for families at every scrape, after the registry's own metrics.
    ///
    /// A family with the name of an existing one is merged into it when the types agree (its
    /// series added, a label set already present keeping the first value) and left out when
    /// they do not. The callback should bound its own time (a statement timeout), as a scrape
    /// waits for every collector.
    public func addCollector(_ collector: @escaping Collector) {
        state.withLock { $0.collectors.append(collector) }
    }

    /// The registry's own metrics followed by every collector's, unmerged and unsorted.
    public func collect() async -> [MetricFamily] {
        var families = registeredFamilies()
        let collectors = state.withLock { $0.collectors }
        let collected = await withTaskGroup(of: (Int, [MetricFamily]).self) { group in
            for (index, collector) in collectors.enumerated() {
                group.addTask { (index, await collector()) }
            }
            var results: [(Int, [MetricFamily])] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        families.append(contentsOf: collected)
        return families
    }

    /// The text a Prometheus scrape receives; serve it with ``PrometheusText/contentType``.
    public func exposition() async -> String {
        PrometheusText.render(await collect())
    }

    /// The registry's own metrics only, with every handle read once.
    public func registeredFamilies() -> [MetricFamily] {
        // Copy the handles under the registry lock, then read each under its own lock, so a
        // scrape never holds the registry while the hot path increments.
        let snapshot = state.withLock { $0.families }
        return snapshot.map { name, family in
            let series = family.series.map { labels, handle -> MetricSeries in
                let dictionary = Dictionary(uniqueKeysWithValues: labels.labels.map { ($0.name, $0.value) })
                switch handle {
                case .counter(let counter): return MetricSeries(labels: dictionary, value: counter.value)
                case .gauge(let gauge): return MetricSeries(labels: dictionary, value: gauge.value)
                case .histogram(let histogram): return MetricSeries(labels: dictionary, histogram: histogram.snapshot)
                }
            }
            return MetricFamily(name: name, help: family.help, kind: family.kind, series: series)
        }
    }

    private func lookup(_ name: String, help: String, kind: MetricFamily.Kind, upperBounds: [Double],
                        labels: [String: String], make: () -> Handle) -> Handle {
        let key = LabelSet(labels)
        return state.withLock { state in
            if let family = state.families[name] {
                precondition(family.kind == kind,
                             "metric \(name) is a \(family.kind.rawValue), not a \(kind.rawValue)")
                precondition(family.upperBounds == upperBounds, "histogram \(name) was created with other buckets")
                if let handle = family.series[key] { return handle }
            } else {
                precondition(MetricNames.isValidMetricName(name), "invalid metric name \(name)")
                state.families[name] = Family(help: help, kind: kind, upperBounds: upperBounds)
            }
            precondition(labels.keys.allSatisfy(MetricNames.isValidLabelName), "invalid label name in \(labels) of \(name)")
            let handle = make()
            state.families[name]?.series[key] = handle
            return handle
        }
    }
}
