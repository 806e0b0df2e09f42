import Foundation
public import Contracts
public import PostgresClient
public import Wire

/// The productOrder list conditions the database applies itself, so a page of a large list
/// reads only that page (the gateway keeps in-memory filtering for anything else).
public struct OrderListFilter: Sendable, Hashable {
    public var states: [String]?
    public var notStates: [String]?
    public var publicIDs: [String]?
    public var createdAfter: Timestamp?
    public var createdFrom: Timestamp?
    public var createdBefore: Timestamp?
    public var createdUntil: Timestamp?
    /// Header attributes (strings kept verbatim in `orders.tmf`) that must equal one of the values.
    public var header: [String: [String]] = [:]
    /// Item attributes (`state`, `offering`, `id`) some item must have one of the values of;
    /// each condition may be met by another item, as TMF630 filters on arrays are.
    public var items: [ItemCondition] = []
    /// Oldest first instead of newest first.
    public var ascending = false

    public struct ItemCondition: Sendable, Hashable {
        public var key: String
        public var values: [String]

        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    public init() {}
}

extension PostgresConnection {
    /// One page of the orders a caller may read, with the number of all that match.
    public func ordersPage(scope: OrderScope, filter: OrderListFilter, offset: Int,
                           limit: Int) throws -> (total: Int, orders: [OrderRecord]) {
        let header: String? = filter.header.isEmpty ? nil
            : try WireFormat.encodeString(JSONValue.object(filter.header.mapValues { .array($0.map(JSONValue.string)) }))
        let items: String? = filter.items.isEmpty ? nil : try WireFormat.encodeString(JSONValue.array(filter.items.map {
            ["k": .string($0.key), "v": .array($0.values.map(JSONValue.string))]
        }))
        let rows = try query("""
            SELECT \(unsafeRaw: Self.orderColumns.replacingOccurrences(of: "FROM orders o", with: ", count(*) OVER () AS total_count FROM orders o"))
            WHERE o.deleted_at IS NULL
              AND (\(scope.all) OR o.user_id = \(scope.userID)
                   OR EXISTS (SELECT 1 FROM project_items pi WHERE pi.order_id = o.id
                              AND pi.provider_id = ANY(\(scope.providerIDs)::int8[])))
              AND (\(filter.states)::text[] IS NULL OR o.state = ANY(\(filter.states)::text[]))
              AND (\(filter.notStates)::text[] IS NULL OR NOT (o.state = ANY(\(filter.notStates)::text[])))
              AND (\(filter.publicIDs)::text[] IS NULL OR o.public_id = ANY(\(filter.publicIDs)::text[]))
              AND (\(filter.createdAfter?.rfc3339)::timestamptz IS NULL OR o.created_at > \(filter.createdAfter?.rfc3339)::timestamptz)
              AND (\(filter.createdFrom?.rfc3339)::timestamptz IS NULL OR o.created_at >= \(filter.createdFrom?.rfc3339)::timestamptz)
              AND (\(filter.createdBefore?.rfc3339)::timestamptz IS NULL OR o.created_at < \(filter.createdBefore?.rfc3339)::timestamptz)
              AND (\(filter.createdUntil?.rfc3339)::timestamptz IS NULL OR o.created_at <= \(filter.createdUntil?.rfc3339)::timestamptz)
              AND (\(header)::jsonb IS NULL OR NOT EXISTS (
                    SELECT 1 FROM jsonb_each(\(header)::jsonb) c
                    WHERE (o.tmf->>c.key) IS NULL
                       OR NOT ((o.tmf->>c.key) IN (SELECT jsonb_array_elements_text(c.value)))))
              AND NOT EXISTS (
                    SELECT 1 FROM jsonb_array_elements(\(items)::jsonb) c
                    WHERE NOT EXISTS (
                        SELECT 1 FROM project_items x WHERE x.order_id = o.id AND (CASE c->>'k'
                            -- As the TMF view shows it: open items share a cancellation's state.
                            WHEN 'state' THEN CASE WHEN o.state IN ('assessingCancellation', 'pendingCancellation')
                                                    AND x.tmf_state NOT IN ('completed', 'cancelled', 'rejected', 'failed')
                                                   THEN o.state ELSE x.tmf_state END
                            WHEN 'offering' THEN (x.attributes->>'service_id') || '/' || (x.attributes->>'offer_id')
                            ELSE x.line_id END) IN (SELECT jsonb_array_elements_text(c->'v'))))
            ORDER BY \(unsafeRaw: filter.ascending ? "o.created_at, o.id" : "o.created_at DESC, o.id DESC")
            LIMIT \(limit) OFFSET \(offset)
            """)
        var orders = try rows.map(OrderRecord.init(row:))
        var total = Int(try rows.first?.int("total_count") ?? 0)
        if orders.isEmpty, offset > 0 {
            // Past the end: the page has no row to carry the count.
            total = try ordersPage(scope: scope, filter: filter, offset: 0, limit: 1).total
        }
        guard !orders.isEmpty else { return (total, []) }
        var byOrder: [Int64: [ProjectItemRecord]] = [:]
        for item in try query("SELECT \(unsafeRaw: Self.itemColumns) WHERE i.order_id = ANY(\(orders.map(\.id))::int8[]) ORDER BY i.id")
            .map(ProjectItemRecord.init(row:)) {
            byOrder[item.orderID, default: []].append(item)
        }
        for index in orders.indices { orders[index].items = byOrder[orders[index].id] ?? [] }
        return (total, orders)
    }
}
