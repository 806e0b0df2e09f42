public import Wire

extension JSONValue {
    /// The values a TMF630 dotted path reaches, for filtering and sorting on sub-resources.
    ///
    /// TMF630 lets `productOrderItem.state=completed` and `relatedParty.id=123` match when any
    /// element of an array matches, so an array met on the way, or at the end, fans out over its
    /// elements (nested arrays too) instead of being a value of its own. A member that is missing
    /// contributes nothing; JSON `null` is returned as it is and left to the caller, which treats it
    /// as "no value". `values(at: [])` is this value (its elements when it is an array).
    public func values(at path: [String]) -> [JSONValue] {
        var current: [JSONValue] = []
        appendFlattened(self, to: &current)
        for key in path {
            var next: [JSONValue] = []
            for value in current {
                if case .object(let members) = value, let member = members[key] {
                    appendFlattened(member, to: &next)
                }
            }
            current = next
            if current.isEmpty { break }
        }
        return current
    }
}

/// Appends `value`, or the elements of an array (recursively), so arrays never stand for a value.
private func appendFlattened(_ value: JSONValue, to result: inout [JSONValue]) {
    if case .array(let elements) = value {
        for element in elements { appendFlattened(element, to: &result) }
    } else {
        result.append(value)
    }
}
