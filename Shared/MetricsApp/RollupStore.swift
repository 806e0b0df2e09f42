import Domain
import Foundation
import PostgresClient

/// One `metric_rollups` row as the JSON API answers it.
public struct DailyRollup: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`, the UTC day.
    public var day: String
    /// 0 for rows without a provider (projects).
    public var providerID: Int64
    public var serviceID: Int64
    public var offerID: Int64
    /// A status type, a bucket (`le=<bound>`), or `''`; see ``RollupMetric``.
    public var label: String
    /// Events (or observations) that day.
    public var count: Int64
    /// Seconds that day (first responses only).
    public var sum: Double

    public init(day: String, providerID: Int64, serviceID: Int64, offerID: Int64, label: String, count: Int64, sum: Double) {
        self.day = day
        self.providerID = providerID
        self.serviceID = serviceID
        self.offerID = offerID
        self.label = label
        self.count = count
        self.sum = sum
    }

    enum CodingKeys: String, CodingKey {
        case day, label, count, sum
        case providerID = "provider_id"
        case serviceID = "service_id"
        case offerID = "offer_id"
    }
}

/// A roll-up summed over every day, with the catalogue names of its ids (`nil` when the id is 0
/// or the row was deleted): what the scrape turns into series.
struct RollupTotal: Sendable, Equatable {
    var metric: String
    var providerID: Int64
    var serviceID: Int64
    var offerID: Int64
    var label: String
    var count: Int64
    var sum: Double
    var providerName: String?
    var serviceName: String?
    var offerName: String?
}

/// The filters of a daily read; `nil` matches every value.
struct DailyRollupFilter: Sendable, Equatable {
    var metric: RollupMetric
    var from: CalendarDate
    var to: CalendarDate
    var providerID: Int64?
    var serviceID: Int64?
    var offerID: Int64?
    var label: String?
}

extension PostgresConnection {
    /// Records `messageIDs` in the inbox of `consumer`, in the current transaction, in one
    /// statement (the bulk form of `markProcessed(consumer:messageID:)`).
    /// - Returns: the ids not seen before; the others are duplicates whose effect must be skipped.
    func claimMessages(consumer: String, messageIDs: [UUID]) throws -> Set<UUID> {
        guard !messageIDs.isEmpty else { return [] }
        let rows = try query("""
            INSERT INTO inbox (consumer, message_id)
            SELECT \(consumer), id FROM unnest(\(messageIDs)::uuid[]) AS m(id)
            ON CONFLICT DO NOTHING
            RETURNING message_id
            """)
        return Set(try rows.map { try $0.uuid("message_id") })
    }

    /// Adds the increments to their rows, creating missing rows, in the order given (primary-key
    /// order, see ``RollupKey``).
    func addRollups(_ rows: [(key: RollupKey, value: RollupValue)]) throws {
        guard !rows.isEmpty else { return }
        try query("""
            INSERT INTO metric_rollups (day, metric, provider_id, service_id, offer_id, label, count, sum)
            SELECT * FROM unnest(\(rows.map { $0.key.day.description })::date[], \(rows.map { $0.key.metric.rawValue })::text[],
                                 \(rows.map { $0.key.providerID })::int8[], \(rows.map { $0.key.serviceID })::int8[],
                                 \(rows.map { $0.key.offerID })::int8[], \(rows.map { $0.key.label })::text[],
                                 \(rows.map { $0.value.count })::int8[], \(rows.map { $0.value.sum })::float8[])
            ON CONFLICT (day, metric, provider_id, service_id, offer_id, label) DO UPDATE
            SET count = metric_rollups.count + EXCLUDED.count, sum = metric_rollups.sum + EXCLUDED.sum
            """)
    }

    /// Every roll-up summed over its days, with names. The cost is one scan of `metric_rollups`,
    /// whose size is the number of (day, offer) pairs with activity, bounded by `timeout`.
    func rollupTotals(timeout: Duration) throws -> [RollupTotal] {
        try query("SELECT set_config('statement_timeout', \(String(Self.milliseconds(timeout))), true)")
        let rows = try query("""
            SELECT r.metric, r.provider_id, r.service_id, r.offer_id, r.label, r.count, r.sum,
                   p.name AS provider_name, s.name AS service_name, o.name AS offer_name
            FROM (SELECT metric, provider_id, service_id, offer_id, label, sum(count)::int8 AS count, sum(sum) AS sum
                  FROM metric_rollups GROUP BY metric, provider_id, service_id, offer_id, label) r
            LEFT JOIN providers p ON p.id = r.provider_id
            LEFT JOIN services s ON s.id = r.service_id
            LEFT JOIN offers o ON o.id = r.offer_id
            """)
        return try rows.map { row in
            RollupTotal(metric: try row.string("metric"), providerID: try row.int("provider_id"),
                        serviceID: try row.int("service_id"), offerID: try row.int("offer_id"),
                        label: try row.string("label"), count: try row.int("count"), sum: try row.double("sum"),
                        providerName: try row.optionalString("provider_name"),
                        serviceName: try row.optionalString("service_name"),
                        offerName: try row.optionalString("offer_name"))
        }
    }

    /// The rows of one metric between two days (inclusive) in primary-key order, bounded by `timeout`.
    func dailyRollups(_ filter: DailyRollupFilter, timeout: Duration) throws -> [DailyRollup] {
        try query("SELECT set_config('statement_timeout', \(String(Self.milliseconds(timeout))), true)")
        let rows = try query("""
            SELECT to_char(day, 'YYYY-MM-DD') AS day, provider_id, service_id, offer_id, label, count, sum
            FROM metric_rollups
            WHERE metric = \(filter.metric.rawValue)
              AND day BETWEEN \(filter.from.description)::date AND \(filter.to.description)::date
              AND (\(filter.providerID)::int8 IS NULL OR provider_id = \(filter.providerID)::int8)
              AND (\(filter.serviceID)::int8 IS NULL OR service_id = \(filter.serviceID)::int8)
              AND (\(filter.offerID)::int8 IS NULL OR offer_id = \(filter.offerID)::int8)
              AND (\(filter.label)::text IS NULL OR label = \(filter.label)::text)
            ORDER BY day, provider_id, service_id, offer_id, label
            """)
        return try rows.map { row in
            DailyRollup(day: try row.string("day"), providerID: try row.int("provider_id"),
                        serviceID: try row.int("service_id"), offerID: try row.int("offer_id"),
                        label: try row.string("label"), count: try row.int("count"), sum: try row.double("sum"))
        }
    }

    /// A duration as whole milliseconds (at least 1), for `statement_timeout`.
    nonisolated static func milliseconds(_ d: Duration) -> Int64 {
        max(1, d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }
}
