import Domain
import Storage
import Wire

/// Splits a productOrder list query into the conditions the database applies (state, id,
/// orderDate ranges, plain header strings such as category or priority, an item's state, id or
/// offering; sorting by orderDate) and the rest. When nothing is left over, only the requested
/// page is read; otherwise the database narrows the read and the gateway applies every
/// condition, the sort and the page in memory.
enum TMFListPushdown {
    /// Header attributes stored verbatim as strings in `orders.tmf`.
    static let headerStrings: Set<String> = ["category", "priority", "externalId", "description", "notificationContact"]

    /// Item attributes the database compares as the TMF view shows them.
    static let itemKeys: [[String]: String] = [
        ["productOrderItem", "state"]: "state", ["productOrderItem", "id"]: "id",
        ["productOrderItem", "productOffering", "id"]: "offering",
    ]

    /// The database's part of the query, and whether it is the whole query.
    static func split(_ query: TMFListQuery) -> (filter: OrderListFilter, complete: Bool) {
        var out = OrderListFilter()
        var complete = true
        if let sort = query.sort {
            if sort.keys.count == 1, sort.keys[0].path == ["orderDate"] {
                out.ascending = !sort.keys[0].descending
            } else {
                complete = false
            }
        }
        for condition in query.filter.conditions where !add(condition, to: &out) { complete = false }
        return (out, complete)
    }

    /// Adds a condition the database can apply exactly as the in-memory filter would. - Returns:
    /// false when it cannot (it is then left to memory).
    static func add(_ condition: TMFFilter.Condition, to out: inout OrderListFilter) -> Bool {
        if condition.op == .eq, let key = itemKeys[condition.path] {
            out.items.append(OrderListFilter.ItemCondition(key: key, values: condition.values))
            return true
        }
        guard condition.path.count == 1, let name = condition.path.first else { return false }
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
                  let time = Timestamp(parsing: condition.values[0]) else { return false }
            switch condition.op {
            case .gt: guard out.createdAfter == nil else { return false }; out.createdAfter = time
            case .gte: guard out.createdFrom == nil else { return false }; out.createdFrom = time
            case .lt: guard out.createdBefore == nil else { return false }; out.createdBefore = time
            default: guard out.createdUntil == nil else { return false }; out.createdUntil = time
            }
        case (let key, .eq) where headerStrings.contains(key):
            guard out.header[key] == nil else { return false }
            out.header[key] = condition.values
        default:
            return false
        }
        return true
    }
}
