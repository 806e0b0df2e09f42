import Foundation
public import Wire

/// A TMF630 attribute filter: what `GET /productOrder?state=inProgress&orderDate.gt=…` and a hub
/// listener's `query` ask for, read once and then applied to JSON documents.
///
/// It works on the JSON a client would see (the TMF representation), not on database rows, so a
/// list and a hub notification filter by exactly the same rules; callers that push some
/// conditions down to SQL look at ``rootAttributes`` and ``conditions``. Conditions are AND-ed;
/// the values of one condition are OR-ed.
public struct TMFFilter: Sendable, Hashable {
    /// Every condition must hold for a document to match (AND).
    public var conditions: [Condition]

    /// A filter of these conditions; an empty list matches every document.
    public init(conditions: [Condition] = []) {
        self.conditions = conditions
    }

    /// One attribute, one operator and the values it is compared with.
    public struct Condition: Sendable, Hashable {
        /// The attribute's dotted path split at the dots (`productOrderItem.state` → two elements).
        public var path: [String]
        /// How the document's value is compared with ``values``.
        public var op: Op
        /// Compared values; the condition holds when any of them matches (OR).
        public var values: [String]

        /// A condition as written; ``TMFFilter/parse(_:reserved:knownRoots:)`` validates them.
        public init(path: [String], op: Op, values: [String]) {
            self.path = path
            self.op = op
            self.values = values
        }
    }

    /// The TMF630 comparison operators, named as their dotted query forms (`orderDate.gte=`).
    public enum Op: String, Sendable, Hashable, CaseIterable {
        case eq, ne, gt, gte, lt, lte, regex
    }

    /// The first-level attributes the filter looks at, so a caller can tell which conditions it
    /// can translate into SQL and whether the rest can be checked on the JSON afterwards.
    public var rootAttributes: Set<String> {
        Set(conditions.compactMap(\.path.first))
    }

    /// Whether every condition holds for `document` (the TMF JSON of one resource or event).
    ///
    /// A condition holds when any value its path reaches (arrays fan out, `null` counts as no
    /// value) matches any of its values. `ne` is the negation of `eq`: it holds when no reached
    /// value equals any of the values, so a missing attribute is "not equal" and
    /// `state.ne=a,b` means "neither a nor b".
    public func matches(_ document: JSONValue) -> Bool {
        conditions.allSatisfy { $0.holds(in: document) }
    }
}

extension TMFFilter.Condition {
    /// Whether the condition holds for `document`; see ``TMFFilter/matches(_:)``.
    func holds(in document: JSONValue) -> Bool {
        let reached = document.values(at: path).filter { $0 != .null }
        switch op {
        case .eq:
            return anyEquals(reached)
        case .ne:
            return !anyEquals(reached)
        case .gt, .gte, .lt, .lte:
            return reached.contains { value in
                values.contains { text in
                    guard let order = TMFValueOrder.compare(value, filter: text) else { return false }
                    switch op {
                    case .gt: return order > 0
                    case .gte: return order >= 0
                    case .lt: return order < 0
                    default: return order <= 0
                    }
                }
            }
        case .regex:
            let regexes = values.compactMap { try? NSRegularExpression(pattern: $0) }
            return reached.contains { value in regexes.contains { TMFValueOrder.matches(value, regex: $0) } }
        }
    }

    private func anyEquals(_ reached: [JSONValue]) -> Bool {
        reached.contains { value in values.contains { TMFValueOrder.equals(value, filter: $0) } }
    }
}
