/// The Prometheus text exposition format, version 0.0.4: what `/metrics` answers.
///
/// Output is deterministic (families by name, series by labels, labels by name) so tests compare
/// it byte for byte and two scrapes of unchanged values are identical. Names a collector computed
/// are sanitised rather than trusted, because one bad line makes Prometheus reject the whole scrape.
public enum PrometheusText {
    /// The `Content-Type` of the exposition; Prometheus picks its parser from it.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Renders families, merging those that share a name (the first one's help and type win;
    /// a family of another type under that name is left out, as is a repeated label set).
    public static func render(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in merged(families) where !family.series.isEmpty {
            out += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for (labels, value) in family.series {
                switch value {
                case .number(let number):
                    out += "\(family.name)\(labelText(labels)) \(format(number))\n"
                case .histogram(let histogram):
                    // A collector's own +Inf (or NaN) bound would repeat the +Inf line below and
                    // make Prometheus reject the whole scrape.
                    for bucket in histogram.buckets where bucket.upperBound.isFinite {
                        let le = LabelSet.Label(name: "le", value: format(bucket.upperBound))
                        out += "\(family.name)_bucket\(labelText(labels, le)) \(bucket.cumulativeCount)\n"
                    }
                    let inf = LabelSet.Label(name: "le", value: "+Inf")
                    out += "\(family.name)_bucket\(labelText(labels, inf)) \(histogram.count)\n"
                    out += "\(family.name)_sum\(labelText(labels)) \(format(histogram.sum))\n"
                    out += "\(family.name)_count\(labelText(labels)) \(histogram.count)\n"
                }
            }
        }
        return out
    }

    /// A number as Prometheus parses it: integral values without a fraction, `+Inf`, `-Inf`, `NaN`,
    /// and otherwise Swift's shortest round-tripping form (`0.012`, `1e-05`), which Go accepts.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Escapes a label value: backslash, double quote and newline, as the format requires.
    public static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Escapes help text: backslash and newline (a quote needs no escape there).
    public static func escapeHelp(_ help: String) -> String {
        var out = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private struct Merged {
        var name: String
        var help: String
        var kind: MetricFamily.Kind
        var series: [(LabelSet, MetricSeries.Value)]
    }

    /// Families merged by (sanitised) name and sorted, each with its series de-duplicated and sorted.
    private static func merged(_ families: [MetricFamily]) -> [Merged] {
        var byName: [String: Merged] = [:]
        var seen: [String: Set<LabelSet>] = [:]
        for family in families {
            let name = MetricNames.sanitized(family.name, allowColon: true)
            var entry = byName[name] ?? Merged(name: name, help: family.help, kind: family.kind, series: [])
            guard entry.kind == family.kind else { continue }
            for series in family.series where fits(series.value, family.kind) {
                var labels: [String: String] = [:]
                for (key, value) in series.labels {
                    let key = MetricNames.sanitized(key, allowColon: false)
                    // `le` is the bucket label of a histogram; a series label of that name would clash.
                    if family.kind == .histogram, key == "le" { continue }
                    labels[key] = value
                }
                let set = LabelSet(labels)
                guard seen[name, default: []].insert(set).inserted else { continue }
                entry.series.append((set, series.value))
            }
            byName[name] = entry
        }
        return byName.values.sorted { $0.name < $1.name }.map { family in
            var family = family
            family.series.sort { $0.0 < $1.0 }
            return family
        }
    }

    private static func fits(_ value: MetricSeries.Value, _ kind: MetricFamily.Kind) -> Bool {
        switch value {
        case .number: return kind != .histogram
        case .histogram: return kind == .histogram
        }
    }

    private static func labelText(_ labels: LabelSet, _ extra: LabelSet.Label? = nil) -> String {
        let all = labels.labels + (extra.map { [$0] } ?? [])
        guard !all.isEmpty else { return "" }
        return "{" + all.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
    }
}
