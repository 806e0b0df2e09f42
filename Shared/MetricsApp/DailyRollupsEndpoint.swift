import Domain
public import HTTPCore
public import PostgresClient
public import ServiceRuntime
import Wire

/// `GET /api/v1/metrics/daily`: the roll-up rows of one metric by day, for dashboards.
///
/// | parameter | required | value |
/// |---|---|---|
/// | `metric` | yes | `orders_created`, `status_changes`, `first_response_seconds`, `projects_created` |
/// | `from`, `to` | yes | UTC days `YYYY-MM-DD`, inclusive, `from <= to`, at most `maxDays` days |
/// | `provider_id`, `service_id`, `offer_id` | no | an id (0 selects rows without one) |
/// | `label` | no | a status type, `le=<bound>`, or empty for the count/sum rows |
///
/// Answers `200 {"metric":…,"from":…,"to":…,"days":[{"day","provider_id","service_id","offer_id","label","count","sum"}]}`
/// in (day, provider, service, offer, label) order; `400 {"error":{"<parameter>":["<problem>"]}}`
/// naming every bad parameter at once; `503` while the database is unavailable. Unknown
/// parameters are ignored, as dashboards add their own (cache busters).
public struct DailyRollupsEndpoint: Sendable {
    /// The route pattern.
    public static let path = "/api/v1/metrics/daily"

    let pool: PostgresPool
    let logger: Logger
    let maxDays: Int
    let timeout: Duration

    /// - Parameters:
    ///   - maxDays: the longest range one request may ask for, which bounds the answer's size.
    ///   - timeout: the statement timeout of the read.
    public init(pool: PostgresPool, logger: Logger, maxDays: Int = 366, timeout: Duration = .seconds(5)) {
        self.pool = pool
        self.logger = logger.with(["component": .string("daily-api")])
        self.maxDays = maxDays
        self.timeout = timeout
    }

    /// Adds the route to `router`.
    public func addRoutes(to router: inout Router) {
        router.add("GET", Self.path) { request, _ in await self.handle(request) }
    }

    /// The endpoint function.
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let filter: DailyRollupFilter
        switch Self.parse(request, maxDays: maxDays) {
        case .success(let parsed): filter = parsed
        case .failure(let problems): return .json(400, ErrorBody(error: problems.byParameter))
        }
        let timeout = self.timeout
        do {
            let rows = try await pool.transaction { conn in try conn.dailyRollups(filter, timeout: timeout) }
            return .json(200, DailyBody(metric: filter.metric.rawValue, from: filter.from.description,
                                        to: filter.to.description, days: rows))
        } catch let error as PostgresError where error.isTransient {
            logger.warning("daily roll-ups not readable", ["error": .string(error.description)])
            return .json(503, ["error": "The metrics database is unavailable; try again"], headers: ["Retry-After": "1"])
        } catch {
            logger.error("daily roll-ups query failed", ["error": .string(String(describing: error))])
            return .json(500, ["error": "Internal server error"])
        }
    }

    /// Every problem with the parameters, by parameter name.
    struct Problems: Error {
        var byParameter: [String: [String]] = [:]
        mutating func add(_ parameter: String, _ message: String) { byParameter[parameter, default: []].append(message) }
    }

    /// Validates the query string into a filter, or names every bad parameter.
    static func parse(_ request: HTTPRequest, maxDays: Int) -> Result<DailyRollupFilter, Problems> {
        var problems = Problems()
        func single(_ name: String, required: Bool) -> String? {
            let values = request.queryValues(name)
            if values.count > 1 { problems.add(name, "must be given once"); return nil }
            guard let value = values.first else {
                if required { problems.add(name, "is required") }
                return nil
            }
            return value
        }
        func day(_ name: String) -> CalendarDate? {
            guard let text = single(name, required: true) else { return nil }
            // The round trip refuses the DD-MM-YYYY form CalendarDate also reads, and any padding.
            guard let date = CalendarDate(parsing: text), date.description == text else {
                problems.add(name, "must be a date YYYY-MM-DD")
                return nil
            }
            return date
        }
        func id(_ name: String) -> Int64? {
            guard let text = single(name, required: false) else { return nil }
            guard let value = Int64(text), value >= 0, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                problems.add(name, "must be a non-negative integer")
                return nil
            }
            return value
        }
        var metric: RollupMetric?
        if let text = single("metric", required: true) {
            metric = RollupMetric(rawValue: text)
            if metric == nil {
                problems.add("metric", "must be one of " + RollupMetric.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        let from = day("from"), to = day("to")
        if let from, let to {
            if to < from {
                problems.add("to", "must not be before from")
            } else if let span = days(from, to), span + 1 > maxDays {
                problems.add("to", "must be at most \(maxDays) days from from, inclusive")
            }
        }
        let provider = id("provider_id"), service = id("service_id"), offer = id("offer_id")
        let label = single("label", required: false)
        if let label, label.utf8.count > 200 { problems.add("label", "must be at most 200 bytes") }
        guard problems.byParameter.isEmpty, let metric, let from, let to else { return .failure(problems) }
        return .success(DailyRollupFilter(metric: metric, from: from, to: to, providerID: provider, serviceID: service,
                                          offerID: offer, label: label))
    }

    /// Days from `a` to `b`.
    static func days(_ a: CalendarDate, _ b: CalendarDate) -> Int64? {
        guard let start = Timestamp(parsing: "\(a)T00:00:00Z"), let end = Timestamp(parsing: "\(b)T00:00:00Z") else { return nil }
        return (end.microseconds - start.microseconds) / 86_400_000_000
    }
}

/// The `200` body.
private struct DailyBody: Encodable {
    var metric: String
    var from: String
    var to: String
    var days: [DailyRollup]
}

/// The `400` body, the EOSC marketplace's field-error shape.
private struct ErrorBody: Encodable {
    var error: [String: [String]]
}
