import Domain
import Foundation
import Testing
import Wire

/// The query items of `query` as the gateway hands them over: split at `&` and the first `=`,
/// then percent-decoded (so `orderDate%3E2026-01-01` arrives as one name holding the `>`).
func tmfQueryItems(_ query: String) -> [(name: String, value: String)] {
    query.split(separator: "&").map { part in
        let name: Substring
        let value: Substring
        if let eq = part.firstIndex(of: "=") {
            (name, value) = (part[..<eq], part[part.index(after: eq)...])
        } else {
            (name, value) = (part, "")
        }
        return (String(name).removingPercentEncoding ?? "?", String(value).removingPercentEncoding ?? "?")
    }
}

/// A condition on the dotted attribute `path`.
func tmfCondition(_ path: String, _ op: TMFFilter.Op, _ values: String...) -> TMFFilter.Condition {
    TMFFilter.Condition(path: path.split(separator: ".").map(String.init), op: op, values: values)
}

/// The names a list request reserves for paging, selection and order.
let tmfReservedNames: Set<String> = ["fields", "offset", "limit", "sort"]

struct TMFFilterParseCase: Sendable, CustomTestStringConvertible {
    let query: String
    let expected: [TMFFilter.Condition]
    var testDescription: String { query }
}

struct TMFFilterErrorCase: Sendable, CustomTestStringConvertible {
    let query: String
    let roots: Set<String>?
    let field: String
    let reason: String
    var testDescription: String { "\(query) -> \(field) \(reason)" }
}

private let day = "2026-11-25T00:00:00Z"

@Suite struct TMFQueryFilterParseTests {
    static let forms: [TMFFilterParseCase] = [
        .init(query: "state=acknowledged", expected: [tmfCondition("state", .eq, "acknowledged")]),
        .init(query: "productOrderItem.state=completed", expected: [tmfCondition("productOrderItem.state", .eq, "completed")]),
        .init(query: "a.b.c=v", expected: [tmfCondition("a.b.c", .eq, "v")]),
        .init(query: "state.eq=held", expected: [tmfCondition("state", .eq, "held")]),
        .init(query: "state.ne=held", expected: [tmfCondition("state", .ne, "held")]),
        .init(query: "orderDate.gt=\(day)", expected: [tmfCondition("orderDate", .gt, day)]),
        .init(query: "orderDate.gte=\(day)", expected: [tmfCondition("orderDate", .gte, day)]),
        .init(query: "orderDate.lt=\(day)", expected: [tmfCondition("orderDate", .lt, day)]),
        .init(query: "orderDate.lte=\(day)", expected: [tmfCondition("orderDate", .lte, day)]),
        .init(query: "description.regex=^Cl", expected: [tmfCondition("description", .regex, "^Cl")]),
        .init(query: "productOrderItem.quantity.gte=2", expected: [tmfCondition("productOrderItem.quantity", .gte, "2")]),
        // Symbolic forms, as they arrive after splitting at the first `=` and decoding.
        .init(query: "orderDate>=\(day)", expected: [tmfCondition("orderDate", .gte, day)]),
        .init(query: "orderDate<=\(day)", expected: [tmfCondition("orderDate", .lte, day)]),
        .init(query: "state!=held", expected: [tmfCondition("state", .ne, "held")]),
        .init(query: "description*=^Cl", expected: [tmfCondition("description", .regex, "^Cl")]),
        .init(query: "description=~^Cl", expected: [tmfCondition("description", .regex, "^Cl")]),
        .init(query: "orderDate>\(day)", expected: [tmfCondition("orderDate", .gt, day)]),
        .init(query: "orderDate<\(day)", expected: [tmfCondition("orderDate", .lt, day)]),
        .init(query: "orderDate%3E\(day)", expected: [tmfCondition("orderDate", .gt, day)]),
        .init(query: "orderDate%3C\(day)", expected: [tmfCondition("orderDate", .lt, day)]),
        .init(query: "orderDate%3E%3D\(day)", expected: [tmfCondition("orderDate", .gte, day)]),
        .init(query: "orderDate%3C%3D\(day)", expected: [tmfCondition("orderDate", .lte, day)]),
        // A dotted suffix is an operator only when it is one of the operator words.
        .init(query: "state.foo=1", expected: [tmfCondition("state.foo", .eq, "1")]),
        .init(query: "a.gt.b=1", expected: [tmfCondition("a.gt.b", .eq, "1")]),
        .init(query: "gt=1", expected: [tmfCondition("gt", .eq, "1")]),
        // OR: a comma list, or the same attribute and operator repeated.
        .init(query: "state=acknowledged,inProgress", expected: [tmfCondition("state", .eq, "acknowledged", "inProgress")]),
        .init(query: "state=acknowledged&state=inProgress", expected: [tmfCondition("state", .eq, "acknowledged", "inProgress")]),
        .init(query: "state=a,b&state.eq=c", expected: [tmfCondition("state", .eq, "a", "b", "c")]),
        .init(query: "state.ne=a&state!=b", expected: [tmfCondition("state", .ne, "a", "b")]),
        // AND: different attributes, or one attribute with different operators.
        .init(query: "state=a&category=b", expected: [tmfCondition("state", .eq, "a"), tmfCondition("category", .eq, "b")]),
        .init(query: "orderDate.gt=x&orderDate.lte=y&state=a&orderDate.gt.b=z",
              expected: [tmfCondition("orderDate", .gt, "x"), tmfCondition("orderDate", .lte, "y"), tmfCondition("state", .eq, "a"), tmfCondition("orderDate.gt.b", .eq, "z")]),
        // A regular expression keeps its commas.
        .init(query: "description=~a{1,3}", expected: [tmfCondition("description", .regex, "a{1,3}")]),
        // Reserved names are not attributes.
        .init(query: "fields=state&offset=0&limit=5&sort=-id&state=a", expected: [tmfCondition("state", .eq, "a")]),
        .init(query: "fields=state", expected: []),
    ]

    @Test("query items are read as TMF630 conditions", arguments: forms)
    func readsForms(_ row: TMFFilterParseCase) throws {
        let filter = try TMFFilter.parse(tmfQueryItems(row.query), reserved: tmfReservedNames)
        #expect(filter.conditions == row.expected)
    }

    static let roots: Set<String> = ["state", "orderDate", "productOrderItem", "description"]

    static let errors: [TMFFilterErrorCase] = [
        .init(query: "=x", roots: nil, field: "", reason: "a filter needs an attribute name"),
        .init(query: ".eq=x", roots: nil, field: ".eq", reason: "a filter needs an attribute name"),
        .init(query: ">=x", roots: nil, field: ">", reason: "a filter needs an attribute name"),
        .init(query: "state=", roots: nil, field: "state", reason: "needs a value to compare with"),
        .init(query: "state", roots: nil, field: "state", reason: "needs a value to compare with"),
        .init(query: "state.ne=", roots: nil, field: "state", reason: "needs a value to compare with"),
        .init(query: "orderDate>=", roots: nil, field: "orderDate", reason: "needs a value to compare with"),
        .init(query: "description=~", roots: nil, field: "description", reason: "needs a value to compare with"),
        .init(query: "state=a,,b", roots: nil, field: "state", reason: "has an empty value in its list"),
        .init(query: "state=a,", roots: nil, field: "state", reason: "has an empty value in its list"),
        .init(query: "a..b=1", roots: nil, field: "a..b", reason: "has an empty attribute name between its dots"),
        .init(query: "productOrderItem.=1", roots: nil, field: "productOrderItem.", reason: "has an empty attribute name between its dots"),
        .init(query: "orderDate.gt=a,b", roots: nil, field: "orderDate", reason: "can be compared with gt to only one value"),
        .init(query: "orderDate.lt=a&orderDate.lt=b", roots: nil, field: "orderDate", reason: "can be compared with lt to only one value"),
        .init(query: "orderDate>=a,b", roots: nil, field: "orderDate", reason: "can be compared with gte to only one value"),
        .init(query: "orderDate.lte=a&orderDate<=b", roots: nil, field: "orderDate", reason: "can be compared with lte to only one value"),
        .init(query: "description=~(unclosed", roots: nil, field: "description", reason: "is not a valid regular expression: (unclosed"),
        .init(query: "description*=[a", roots: nil, field: "description", reason: "is not a valid regular expression: [a"),
        .init(query: "colour=red", roots: roots, field: "colour", reason: "is not an attribute of ProductOrder that can be filtered"),
        .init(query: "colour.shade.gt=1", roots: roots, field: "colour.shade", reason: "is not an attribute of ProductOrder that can be filtered"),
        .init(query: "state=a&Colour>1", roots: roots, field: "Colour", reason: "is not an attribute of ProductOrder that can be filtered"),
    ]

    @Test("bad filters are refused naming the attribute", arguments: errors)
    func refuses(_ row: TMFFilterErrorCase) {
        #expect(throws: TMFQueryError(field: row.field, reason: row.reason)) {
            try TMFFilter.parse(tmfQueryItems(row.query), reserved: tmfReservedNames, knownRoots: row.roots)
        }
    }

    @Test func knownRootsAdmitNestedPathsUnderAKnownRoot() throws {
        let filter = try TMFFilter.parse(tmfQueryItems("productOrderItem.anything.gt=1&state=a"), reserved: [], knownRoots: Self.roots)
        #expect(filter.conditions == [tmfCondition("productOrderItem.anything", .gt, "1"), tmfCondition("state", .eq, "a")])
    }

    @Test func rootAttributesAreTheFirstPathElements() throws {
        let filter = try TMFFilter.parse(tmfQueryItems("state=a&productOrderItem.state=b&orderDate.gt=x&state.ne=c"), reserved: [])
        #expect(filter.rootAttributes == ["state", "productOrderItem", "orderDate"])
        #expect(TMFFilter().rootAttributes.isEmpty)
    }

    static let hubQueries: [TMFFilterParseCase] = [
        .init(query: "eventType=ProductOrderStateChangeEvent&event.productOrder.state=completed",
              expected: [tmfCondition("eventType", .eq, "ProductOrderStateChangeEvent"), tmfCondition("event.productOrder.state", .eq, "completed")]),
        .init(query: "?eventType=ProductOrderCreateEvent", expected: [tmfCondition("eventType", .eq, "ProductOrderCreateEvent")]),
        .init(query: "eventType=A,B&eventType=C", expected: [tmfCondition("eventType", .eq, "A", "B", "C")]),
        .init(query: "event.productOrder.description=caf%C3%A9+au+lait", expected: [tmfCondition("event.productOrder.description", .eq, "café au lait")]),
        .init(query: "eventTime%3E2026-01-01T00:00:00Z", expected: [tmfCondition("eventTime", .gt, "2026-01-01T00:00:00Z")]),
        .init(query: "eventTime%3E%3D2026-01-01T00:00:00Z", expected: [tmfCondition("eventTime", .gte, "2026-01-01T00:00:00Z")]),
        .init(query: "eventTime>=2026-01-01T00:00:00%2B01:00", expected: [tmfCondition("eventTime", .gte, "2026-01-01T00:00:00+01:00")]),
        .init(query: "eventTime.lt=2026&&event.productOrder.state.ne=held", expected: [tmfCondition("eventTime", .lt, "2026"), tmfCondition("event.productOrder.state", .ne, "held")]),
        .init(query: "event.productOrder.description=~%5EClo", expected: [tmfCondition("event.productOrder.description", .regex, "^Clo")]),
        .init(query: "", expected: []),
    ]

    @Test("a hub listener's query string is decoded and read like query items", arguments: hubQueries)
    func readsHubQuery(_ row: TMFFilterParseCase) throws {
        #expect(try TMFFilter.parse(query: row.query).conditions == row.expected)
    }

    static let hubErrors: [TMFFilterErrorCase] = [
        .init(query: "state=%zz", roots: nil, field: "query", reason: "is not correctly percent-encoded: state=%zz"),
        .init(query: "state=%E", roots: nil, field: "query", reason: "is not correctly percent-encoded: state=%E"),
        .init(query: "state=%FF", roots: nil, field: "query", reason: "is not correctly percent-encoded: state=%FF"),
        .init(query: "eventType=", roots: nil, field: "eventType", reason: "needs a value to compare with"),
        .init(query: "colour=red", roots: ["eventType", "event"], field: "colour", reason: "is not an attribute of the event that can be filtered"),
    ]

    @Test("a bad hub query is refused naming the attribute", arguments: hubErrors)
    func refusesHubQuery(_ row: TMFFilterErrorCase) {
        #expect(throws: TMFQueryError(field: row.field, reason: row.reason)) {
            try TMFFilter.parse(query: row.query, knownRoots: row.roots)
        }
    }
}
