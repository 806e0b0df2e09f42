import Testing
import Observability

@Suite("Observability: registry and exposition")
struct ObservabilityRegistryTests {
    @Test("a counter with escaped labels, a gauge and a histogram render exactly")
    func exactExposition() async {
        let registry = MetricsRegistry()
        registry.counter("oms_http_requests_total", help: "Requests.\nSecond line \\ \"quoted\"",
                         labels: ["status": "201", "route": "/a\"b\\c\nd"]).increment(by: 2)
        registry.counter("oms_http_requests_total", help: "ignored: the first help wins",
                         labels: ["route": "/x", "status": "500"]).increment()
        registry.gauge("oms_connections", help: "Open connections.").set(3)
        let histogram = registry.histogram("oms_latency_seconds", help: "Latency.", buckets: [0.5, 0.125, 1, 0.5],
                                           labels: ["route": "/r"])
        for value in [0.0625, 0.125, 0.75, 3] { histogram.observe(value) }

        let text = await registry.exposition()
        #expect(text == #"""
            # HELP oms_connections Open connections.
            # TYPE oms_connections gauge
            oms_connections 3
            # HELP oms_http_requests_total Requests.\nSecond line \\ "quoted"
            # TYPE oms_http_requests_total counter
            oms_http_requests_total{route="/a\"b\\c\nd",status="201"} 2
            oms_http_requests_total{route="/x",status="500"} 1
            # HELP oms_latency_seconds Latency.
            # TYPE oms_latency_seconds histogram
            oms_latency_seconds_bucket{route="/r",le="0.125"} 2
            oms_latency_seconds_bucket{route="/r",le="0.5"} 2
            oms_latency_seconds_bucket{route="/r",le="1"} 3
            oms_latency_seconds_bucket{route="/r",le="+Inf"} 4
            oms_latency_seconds_sum{route="/r"} 3.9375
            oms_latency_seconds_count{route="/r"} 4

            """#)
    }

    @Test("collector families merge with registered ones, first series and type winning")
    func collectorsMerge() async {
        let registry = MetricsRegistry()
        registry.counter("oms_orders_created_total", help: "Orders created.", labels: ["provider": "b"]).increment(by: 5)
        registry.addCollector {
            [
                .counter("oms_orders_created_total", help: "other help", [
                    MetricSeries(labels: ["provider": "a"], value: 7),
                    MetricSeries(labels: ["provider": "b"], value: 99),  // already registered: dropped
                ]),
                .gauge("oms_orders_created_total", help: "wrong type", [MetricSeries(value: 1)]),  // dropped
                .histogram("oms_provider_response_seconds", help: "Provider response time.", [
                    MetricSeries(labels: ["provider": "a", "le": "clash"], histogram: HistogramSnapshot(
                        buckets: [.init(upperBound: 60, cumulativeCount: 1), .init(upperBound: 3600, cumulativeCount: 4),
                                  .init(upperBound: .infinity, cumulativeCount: 5)],
                        count: 5, sum: 9000.5)),
                ]),
                .counter("oms_empty_total", help: "No series, no lines.", []),
            ]
        }
        registry.addCollector {
            [.gauge("oms-open items", help: "Sanitised name.", [MetricSeries(labels: ["state name": "new"], value: -2.5)])]
        }

        let text = await registry.exposition()
        #expect(text == #"""
            # HELP oms_open_items Sanitised name.
            # TYPE oms_open_items gauge
            oms_open_items{state_name="new"} -2.5
            # HELP oms_orders_created_total Orders created.
            # TYPE oms_orders_created_total counter
            oms_orders_created_total{provider="a"} 7
            oms_orders_created_total{provider="b"} 5
            # HELP oms_provider_response_seconds Provider response time.
            # TYPE oms_provider_response_seconds histogram
            oms_provider_response_seconds_bucket{provider="a",le="60"} 1
            oms_provider_response_seconds_bucket{provider="a",le="3600"} 4
            oms_provider_response_seconds_bucket{provider="a",le="+Inf"} 5
            oms_provider_response_seconds_sum{provider="a"} 9000.5
            oms_provider_response_seconds_count{provider="a"} 5

            """#)
    }

    @Test("the same name and labels in any order give the same handle")
    func handlesAreShared() {
        let registry = MetricsRegistry()
        let a = registry.counter("c_total", help: "h", labels: ["x": "1", "y": "2"])
        let b = registry.counter("c_total", help: "h", labels: ["y": "2", "x": "1"])
        let other = registry.counter("c_total", help: "h", labels: ["x": "1", "y": "3"])
        #expect(a === b)
        #expect(a !== other)
        let g1 = registry.gauge("g", help: "h")
        #expect(g1 === registry.gauge("g", help: "h"))
    }

    @Test("a counter ignores negative and NaN increments; a gauge goes both ways")
    func counterOnlyGoesUp() {
        let registry = MetricsRegistry()
        let counter = registry.counter("c_total", help: "h")
        counter.increment(by: 3)
        counter.increment(by: -1)
        counter.increment(by: Double.nan)
        counter.increment(by: 0.5)
        #expect(counter.value == 3.5)
        let gauge = registry.gauge("g", help: "h")
        gauge.set(3)
        gauge.add(-1)
        gauge.increment()
        gauge.decrement()
        gauge.decrement()
        #expect(gauge.value == 1)
    }

    @Test("a histogram counts a value equal to a bound in that bound's bucket and ignores NaN")
    func histogramBounds() {
        let histogram = MetricsRegistry().histogram("h_seconds", help: "h", buckets: [1, .infinity, 2, 1])
        #expect(histogram.upperBounds == [1, 2])
        histogram.observe(1)
        histogram.observe(.nan)
        histogram.observe(.milliseconds(1500))
        histogram.observe(7)
        let snapshot = histogram.snapshot
        #expect(snapshot.buckets.map(\.cumulativeCount) == [1, 2])
        #expect(snapshot.count == 3)
        #expect(snapshot.sum == 9.5)
    }

    @Test("per-bucket counts become cumulative, with a trailing count above the last bound")
    func snapshotFromBinnedCounts() {
        let snapshot = HistogramSnapshot(upperBounds: [1, 5, 10], counts: [2, 0, 3, 4], sum: 50)
        #expect(snapshot.buckets == [.init(upperBound: 1, cumulativeCount: 2), .init(upperBound: 5, cumulativeCount: 2),
                                     .init(upperBound: 10, cumulativeCount: 5)])
        #expect(snapshot.count == 9)
    }

    @Test("concurrent increments from many tasks give the exact total")
    func concurrentIncrements() async {
        let registry = MetricsRegistry()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    // Half the tasks keep their handle, half look it up every time: both must be exact.
                    let kept = registry.counter("hits_total", help: "h", labels: ["k": "v"])
                    let histogram = registry.histogram("obs_seconds", help: "h", buckets: [0.5])
                    for _ in 0..<1000 {
                        if task.isMultiple(of: 2) { kept.increment() }
                        else { registry.counter("hits_total", help: "h", labels: ["k": "v"]).increment() }
                        histogram.observe(0.25)
                    }
                }
            }
        }
        #expect(registry.counter("hits_total", help: "h", labels: ["k": "v"]).value == 64_000)
        let snapshot = registry.histogram("obs_seconds", help: "h", buckets: [0.5]).snapshot
        #expect(snapshot.count == 64_000)
        #expect(snapshot.sum == 16_000)
    }

    @Test("numbers are written as Prometheus parses them", arguments: [
        (3.0, "3"), (-2.0, "-2"), (0.0, "0"), (0.25, "0.25"), (0.012, "0.012"), (1e-05, "1e-05"),
        (1e20, "1e+20"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
    ])
    func numberFormat(value: Double, expected: String) {
        #expect(PrometheusText.format(value) == expected)
    }

    @Test("an empty registry renders nothing; the content type is version 0.0.4")
    func emptyRegistry() async {
        #expect(await MetricsRegistry().exposition() == "")
        #expect(PrometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }
}
