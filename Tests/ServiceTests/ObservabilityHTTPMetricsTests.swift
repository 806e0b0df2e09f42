import Testing
import HTTPCore
import Observability
import Wire

@Suite("Observability: HTTP metrics and access-log fields")
struct ObservabilityHTTPMetricsTests {
    @Test("instrument counts by method, route and status and times each request")
    func instrumentCounts() async {
        let registry = MetricsRegistry()
        let handler = instrument({ request in
            HTTPResponse(status: request.method == "POST" ? 201 : 404)
        }, registry: registry, routeLabel: { HTTPMetrics.collapsingIdentifiers($0.path) })
        _ = await handler(HTTPRequest(method: "POST", target: "/api/v1/projects/12/project_items"))
        _ = await handler(HTTPRequest(method: "POST", target: "/api/v1/projects/13/project_items"))
        _ = await handler(HTTPRequest(method: "GET", target: "/api/v1/projects/13"))
        _ = await handler(HTTPRequest(method: "BREW", target: "/api/v1/projects/13"))

        let created = registry.counter(HTTPMetrics.requestsTotal, help: "",
                                       labels: ["method": "POST", "route": "/api/v1/projects/:id/project_items", "status": "201"])
        #expect(created.value == 2)
        let notFound = registry.counter(HTTPMetrics.requestsTotal, help: "",
                                        labels: ["method": "GET", "route": "/api/v1/projects/:id", "status": "404"])
        #expect(notFound.value == 1)
        let other = registry.counter(HTTPMetrics.requestsTotal, help: "",
                                     labels: ["method": "other", "route": "/api/v1/projects/:id", "status": "404"])
        #expect(other.value == 1)
        let latency = registry.histogram(HTTPMetrics.requestDuration, help: "", buckets: HTTPMetrics.defaultDurationBuckets,
                                         labels: ["method": "POST", "route": "/api/v1/projects/:id/project_items"])
        #expect(latency.snapshot.count == 2)
        #expect(latency.upperBounds.first == 0.0005 && latency.upperBounds.last == 10)
    }

    @Test("the response passes through unchanged")
    func responseUnchanged() async {
        let handler = instrument({ _ in .json(202, ["a": "b"]) }, registry: MetricsRegistry(), routeLabel: { _ in "/x" })
        let response = await handler(HTTPRequest(method: "GET", target: "/x"))
        #expect(response.status == 202)
        #expect(response.bodyText == #"{"a":"b"}"#)
    }

    @Test("numeric and UUID segments collapse to :id", arguments: [
        ("/api/v1/oms/17/events", "/api/v1/oms/:id/events"),
        ("/api/v1/projects/3/project_items/4", "/api/v1/projects/:id/project_items/:id"),
        ("/tmf/productOrder/0b0c8a52-4c1e-4ad2-9f0e-6A4C2E5B7D11", "/tmf/productOrder/:id"),
        ("/tmf/productOrder/0b0c8a52-4c1e-4ad2-9f0e-6A4C2E5B7D1", "/tmf/productOrder/0b0c8a52-4c1e-4ad2-9f0e-6A4C2E5B7D1"),
        ("/tmf/productOrder/0b0c8a52x4c1e-4ad2-9f0e-6A4C2E5B7D11", "/tmf/productOrder/0b0c8a52x4c1e-4ad2-9f0e-6A4C2E5B7D11"),
        ("/api/v1/resources/12abc", "/api/v1/resources/12abc"),
        ("/healthz", "/healthz"),
        ("/", "/"),
    ])
    func collapse(path: String, expected: String) {
        #expect(HTTPMetrics.collapsingIdentifiers(path) == expected)
    }

    @Test("a pattern-based route label has bounded values whatever the path")
    func patternLabels() {
        let label = HTTPMetrics.routeLabel(patterns: ["/api/v1/oms/:oms_id/events", "/api/v1/oms/:oms_id", "/healthz"])
        #expect(label(HTTPRequest(method: "GET", target: "/api/v1/oms/5/events?from_timestamp=x")) == "/api/v1/oms/:oms_id/events")
        #expect(label(HTTPRequest(method: "GET", target: "/api/v1/oms/abc")) == "/api/v1/oms/:oms_id")
        #expect(label(HTTPRequest(method: "GET", target: "/healthz")) == "/healthz")
        #expect(label(HTTPRequest(method: "GET", target: "/wp-admin/setup.php")) == "unmatched")
        #expect(label(HTTPRequest(method: "GET", target: "/api/v1/oms/5/events/9")) == "unmatched")
    }

    @Test("access-log fields carry what an operator needs and no credential")
    func logFields() {
        let request = HTTPRequest(method: "post", path: "/api/v1/projects", query: [QueryItem(name: "token", value: "secret")],
                                  headers: ["X-User-Token": "secret", "User-Agent": "adapter/1.0", "X-Request-ID": "r-1"],
                                  body: Array("{}".utf8), remoteAddress: "10.0.0.7")
        let fields = requestLogFields(request, status: 201, duration: .microseconds(12_345))
        #expect(fields == [
            "method": "POST", "path": "/api/v1/projects", "status": 201, "duration_ms": 12.345, "bytes_in": 2,
            "remote": "10.0.0.7", "user_agent": "adapter/1.0", "request_id": "r-1",
        ])
        let minimal = requestLogFields(HTTPRequest(method: "GET", target: "/healthz"), status: 200, duration: .seconds(2))
        #expect(minimal == ["method": "GET", "path": "/healthz", "status": 200, "duration_ms": 2000.0, "bytes_in": 0])
    }
}
