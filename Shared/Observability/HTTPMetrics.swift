public import HTTPCore

/// Names, buckets and route labelling for the HTTP metrics every service exposes.
///
/// A label value per distinct path (`/api/v1/oms/17/events`, `/api/v1/oms/18/events`...) would
/// create a time series per resource and exhaust Prometheus; routes are therefore labelled by
/// pattern, either from the router's own patterns (``routeLabel(patterns:unmatched:)``, bounded
/// for any input) or by collapsing identifiers (``collapsingIdentifiers(_:)``, for internal ports).
public enum HTTPMetrics {
    /// Counter of requests by `method`, `route` and `status`.
    public static let requestsTotal = "oms_http_requests_total"
    /// Histogram of request latency in seconds by `method` and `route` (status left out to keep
    /// the bucket series count at routes × methods × buckets).
    public static let requestDuration = "oms_http_request_duration_seconds"

    /// Latency buckets from 0.5 ms (a cached read) to 10 s (a request waiting on a reply timeout).
    public static let defaultDurationBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// The methods labelled as themselves; anything else is `other`, so junk methods cannot add series.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// `/api/v1/oms/17/events` → `/api/v1/oms/:id/events`: replaces every purely numeric segment
    /// and every UUID segment with `:id`.
    public static func collapsingIdentifiers(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { isIdentifier($0) ? ":id" : String($0) }
            .joined(separator: "/")
    }

    /// A route labeller that answers the first of `patterns` (router syntax, `:name` captures)
    /// matching the path, else `unmatched`. Cardinality is at most `patterns.count + 1` whatever
    /// clients send, so use it on public ports where scanners probe random paths.
    public static func routeLabel(patterns: [String], unmatched: String = "unmatched")
        -> @Sendable (HTTPRequest) -> String
    {
        let compiled = patterns.map { pattern in
            (pattern, pattern.split(separator: "/").map { $0.hasPrefix(":") ? nil : String($0) })
        }
        return { request in
            let parts = request.path.split(separator: "/")
            for (pattern, segments) in compiled where segments.count == parts.count {
                if zip(segments, parts).allSatisfy({ segment, part in segment.map { $0 == part } ?? true }) {
                    return pattern
                }
            }
            return unmatched
        }
    }

    static func methodLabel(_ method: String) -> String {
        knownMethods.contains(method) ? method : "other"
    }

    static func isIdentifier(_ segment: Substring) -> Bool {
        let bytes = Array(segment.utf8)
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return true }
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == 45 else { return false }
            } else {
                guard (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte) else {
                    return false
                }
            }
        }
        return true
    }
}

/// Wraps `handler` so every request is counted in ``HTTPMetrics/requestsTotal`` by method, route and
/// status, and timed in ``HTTPMetrics/requestDuration`` by method and route.
///
/// Wrap the outermost handler (the router's), so 404s and 405s are counted too. `routeLabel`
/// must map a request to a bounded set of values, and has no default so each server chooses:
/// ``HTTPMetrics/routeLabel(patterns:unmatched:)`` on public ports,
/// `{ HTTPMetrics.collapsingIdentifiers($0.path) }` where only known clients call.
public func instrument(
    _ handler: @escaping HTTPHandler,
    registry: MetricsRegistry,
    routeLabel: @escaping @Sendable (HTTPRequest) -> String,
    buckets: [Double] = HTTPMetrics.defaultDurationBuckets
) -> HTTPHandler {
    return { request in
        let clock = ContinuousClock()
        let start = clock.now
        let response = await handler(request)
        let elapsed = clock.now - start
        let method = HTTPMetrics.methodLabel(request.method)
        let route = routeLabel(request)
        registry.counter(HTTPMetrics.requestsTotal, help: "HTTP requests answered, by method, route pattern and status.",
                         labels: ["method": method, "route": route, "status": String(response.status)])
            .increment()
        registry.histogram(HTTPMetrics.requestDuration, help: "Time to answer an HTTP request, in seconds.",
                           buckets: buckets, labels: ["method": method, "route": route])
            .observe(elapsed)
        return response
    }
}
