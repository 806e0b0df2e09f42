import Domain
import Storage
import Wire

/// Turns a productOrder list query into conditions the database applies, when every condition
/// and the sort can be (state, id, orderDate ranges, plain header strings such as category or
/// priority, an item's state, id or offering): then only the requested page is read. Otherwise `nil`, and the gateway filters in
/// memory (after narrowing by what can be pushed down).
enum TMFListPushdown {
    /// Header attributes stored verbatim as strings in `orders.tmf`.
    static let headerStrings: Set<String> = ["category", "priority", "externalId", "description", "notificationContact"]

    /// Item attributes the database compares as the TMF view shows them.
    static let itemKeys: [[String]: String] = [
        ["productOrderItem", "state"]: "state", ["productOrderItem", "id"]: "id",
        ["productOrderItem", "productOffering", "id"]: "offering",
    ]

    static func filter(_ query: TMFListQuery) -> OrderListFilter? {
        var out = OrderListFilter()
        if let sort = query.sort {
            guard sort.keys.count == 1, sort.keys[0].path == ["orderDate"] else { return nil }
            out.ascending = !sort.keys[0].descending
        }
        for condition in query.filter.conditions {
            if condition.op == .eq, let key = itemKeys[condition.path] {
                out.items.append(OrderListFilter.ItemCondition(key: key, values: condition.values))
                continue
            }
            guard condition.path.count == 1, let name = condition.path.first else { return nil }
            switch (name, condition.op) {
            case ("state", .eq):
                out.states = out.states.map { Array(Set($0).intersection(condition.values)) } ?? condition.values
            case ("state", .ne):
                out.notStates = (out.notStates ?? []) + condition.values
            case ("id", .eq):
                out.publicIDs = out.publicIDs.map { Array(Set($0).intersection(condition.values)) } ?? condition.values
            case ("orderDate", .gt), ("orderDate", .gte), ("orderDate", .lt), ("orderDate", .lte):
                // Only full date-times: a date alone keeps the in-memory rule.
                guard condition.values.count == 1, condition.values[0].contains("T"),
                      let time = Timestamp(parsing: condition.values[0]) else { return nil }
                switch condition.op {
                case .gt: guard out.createdAfter == nil else { return nil }; out.createdAfter = time
                case .gte: guard out.createdFrom == nil else { return nil }; out.createdFrom = time
                case .lt: guard out.createdBefore == nil else { return nil }; out.createdBefore = time
                default: guard out.createdUntil == nil else { return nil }; out.createdUntil = time
                }
            case (let key, .eq) where headerStrings.contains(key):
                guard out.header[key] == nil else { return nil }
                out.header[key] = condition.values
            default:
                return nil
            }
        }
        return out
    }

    /// What can narrow the read even when the rest is filtered in memory.
    static func narrowing(_ query: TMFListQuery) -> (states: [String]?, ids: [String]?) {
        (query.filter.conditions.first { $0.path == ["state"] && $0.op == .eq }?.values,
         query.filter.conditions.first { $0.path == ["id"] && $0.op == .eq }?.values)
    }
}
