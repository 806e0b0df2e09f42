/// One metric family as exposed at scrape time: the common currency between the registry's own
/// metrics and collectors whose numbers live elsewhere.
///
/// `oms-metrics` keeps its order counts in PostgreSQL, not in process memory, so several replicas
/// agree and a restart loses nothing. Its collector reads them at scrape time and returns them as
/// families, which the registry renders exactly like its own counters, gauges and histograms.
public struct MetricFamily: Sendable, Equatable {
    /// The Prometheus metric types this project uses; summaries are left out because their
    /// quantiles cannot be aggregated across replicas.
    public enum Kind: String, Sendable, Equatable {
        /// Only goes up; Prometheus reads a decrease as a restart.
        case counter
        /// Any current level.
        case gauge
        /// Cumulative buckets with a sum and a count.
        case histogram
    }

    /// The metric name, e.g. `oms_orders_created_total`.
    public var name: String
    /// The `# HELP` text, so a dashboard author knows what the number means without the code.
    public var help: String
    /// The `# TYPE`; a series whose value does not fit it is left out of the exposition.
    public var kind: Kind
    /// One entry per label set.
    public var series: [MetricSeries]

    /// Builds a family from its parts; the static helpers below read better at call sites.
    public init(name: String, help: String, kind: Kind, series: [MetricSeries]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.series = series
    }

    /// A counter family, for totals a collector reads from storage.
    public static func counter(_ name: String, help: String, _ series: [MetricSeries]) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: .counter, series: series)
    }

    /// A gauge family, for levels a collector reads at scrape time (queue depth, open items).
    public static func gauge(_ name: String, help: String, _ series: [MetricSeries]) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: .gauge, series: series)
    }

    /// A histogram family, for distributions a collector aggregates in SQL (response times).
    public static func histogram(_ name: String, help: String, _ series: [MetricSeries]) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: .histogram, series: series)
    }
}

/// One labelled time series of a family, with its current value.
public struct MetricSeries: Sendable, Equatable {
    /// What a series holds: a single number for counters and gauges, buckets for histograms.
    public enum Value: Sendable, Equatable {
        /// The value of a counter or gauge series.
        case number(Double)
        /// The buckets, sum and count of a histogram series.
        case histogram(HistogramSnapshot)
    }

    /// Label names to values; order does not matter, the exposition sorts them.
    public var labels: [String: String]
    /// The value at scrape time.
    public var value: Value

    /// A counter or gauge series.
    public init(labels: [String: String] = [:], value: Double) {
        self.labels = labels
        self.value = .number(value)
    }

    /// A histogram series.
    public init(labels: [String: String] = [:], histogram: HistogramSnapshot) {
        self.labels = labels
        self.value = .histogram(histogram)
    }
}
