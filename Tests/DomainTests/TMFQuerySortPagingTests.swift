import Domain
import Testing
import Wire

struct TMFSortParseCase: Sendable, CustomTestStringConvertible {
    let value: String?
    let expected: [TMFSort.Key]?
    let error: String?
    var testDescription: String { value ?? "absent" }
}

struct TMFSortOrderCase: Sendable, CustomTestStringConvertible {
    let sort: String
    let expectedIDs: [String]
    var testDescription: String { "\(sort) -> \(expectedIDs.joined(separator: ","))" }
}

struct TMFPagingCase: Sendable, CustomTestStringConvertible {
    let offset: String?
    let limit: String?
    let expected: [Int]?
    let error: TMFQueryError?
    var testDescription: String { "offset=\(offset ?? "-") limit=\(limit ?? "-")" }
}

/// Orders whose date text and instant disagree in order (`b` is written later but happened earlier).
let tmfSortOrdersJSON = """
[{"id": "a", "orderDate": "2026-11-25T10:00:00Z", "priority": "2", "quantity": 10, "state": "x", "urgent": true},
 {"id": "b", "orderDate": "2026-11-25T10:30:00+01:00", "priority": "1", "quantity": 9, "state": "y", "urgent": false},
 {"id": "c", "orderDate": "2026-11-24T23:00:00.5Z", "priority": "4", "quantity": 9.5, "state": "x", "urgent": null},
 {"id": "d", "priority": "0", "state": "y", "productOrderItem": [{"id": "1", "state": "b"}, {"id": "2", "state": "z"}]}]
"""

@Suite struct TMFQuerySortPagingTests {
    static let parsing: [TMFSortParseCase] = [
        .init(value: nil, expected: nil, error: nil),
        .init(value: "orderDate", expected: [.init(path: ["orderDate"])], error: nil),
        .init(value: "-orderDate,id", expected: [.init(path: ["orderDate"], descending: true), .init(path: ["id"])], error: nil),
        .init(value: "+id", expected: [.init(path: ["id"])], error: nil),
        .init(value: " id", expected: [.init(path: ["id"])], error: nil),
        .init(value: "-productOrderItem.state, +priority", expected: [.init(path: ["productOrderItem", "state"], descending: true), .init(path: ["priority"])], error: nil),
        .init(value: "", expected: nil, error: "needs at least one attribute name"),
        .init(value: "-", expected: nil, error: "has an empty attribute name in -"),
        .init(value: "id,,state", expected: nil, error: "has an empty attribute name in id,,state"),
        .init(value: "a..b", expected: nil, error: "has an empty attribute name in a..b"),
    ]

    @Test("the sort parameter is read as keys with directions", arguments: parsing)
    func parses(_ row: TMFSortParseCase) throws {
        if let reason = row.error {
            #expect(throws: TMFQueryError(field: "sort", reason: reason)) { try TMFSort.parse(row.value) }
        } else {
            #expect(try TMFSort.parse(row.value)?.keys == row.expected)
        }
    }

    static let orders: [TMFSortOrderCase] = [
        .init(sort: "orderDate", expectedIDs: ["c", "b", "a", "d"]),
        .init(sort: "-orderDate", expectedIDs: ["a", "b", "c", "d"]),
        .init(sort: "quantity", expectedIDs: ["b", "c", "a", "d"]),
        .init(sort: "-quantity", expectedIDs: ["a", "c", "b", "d"]),
        .init(sort: "priority", expectedIDs: ["d", "b", "a", "c"]),
        .init(sort: "-priority", expectedIDs: ["c", "a", "b", "d"]),
        .init(sort: "state,-id", expectedIDs: ["c", "a", "d", "b"]),
        .init(sort: "-state,id", expectedIDs: ["b", "d", "a", "c"]),
        .init(sort: "urgent,id", expectedIDs: ["b", "a", "c", "d"]),
        .init(sort: "noSuchAttribute,id", expectedIDs: ["a", "b", "c", "d"]),
        .init(sort: "-noSuchAttribute,-id", expectedIDs: ["d", "c", "b", "a"]),
        .init(sort: "productOrderItem.state,id", expectedIDs: ["d", "a", "b", "c"]),
    ]

    @Test("sorting orders by instants, numbers and text with missing values last", arguments: orders)
    func sorts(_ row: TMFSortOrderCase) throws {
        let sort = try #require(try TMFSort.parse(row.sort))
        let list = try #require(try json(tmfSortOrdersJSON).arrayValue)
        for start in 0..<list.count {
            let rotated = Array(list[start...] + list[..<start])
            #expect(rotated.sorted(by: sort.areInIncreasingOrder).map { $0["id"]?.stringValue ?? "?" } == row.expectedIDs)
        }
    }

    static let paging: [TMFPagingCase] = [
        .init(offset: nil, limit: nil, expected: [0, 20], error: nil),
        .init(offset: "5", limit: "10", expected: [5, 10], error: nil),
        .init(offset: "0", limit: "1", expected: [0, 1], error: nil),
        .init(offset: "100000", limit: "100", expected: [100000, 100], error: nil),
        .init(offset: "-1", limit: nil, expected: nil, error: .init(field: "offset", reason: "must be an integer of 0 or more")),
        .init(offset: "abc", limit: nil, expected: nil, error: .init(field: "offset", reason: "must be an integer of 0 or more")),
        .init(offset: "1.5", limit: nil, expected: nil, error: .init(field: "offset", reason: "must be an integer of 0 or more")),
        .init(offset: "", limit: "5", expected: nil, error: .init(field: "offset", reason: "must be an integer of 0 or more")),
        .init(offset: "+5", limit: nil, expected: nil, error: .init(field: "offset", reason: "must be an integer of 0 or more")),
        .init(offset: " 5", limit: nil, expected: nil, error: .init(field: "offset", reason: "must be an integer of 0 or more")),
        .init(offset: nil, limit: "0", expected: nil, error: .init(field: "limit", reason: "must be an integer from 1 to 100")),
        .init(offset: nil, limit: "-3", expected: nil, error: .init(field: "limit", reason: "must be an integer from 1 to 100")),
        .init(offset: nil, limit: "ten", expected: nil, error: .init(field: "limit", reason: "must be an integer from 1 to 100")),
        .init(offset: "2", limit: "", expected: nil, error: .init(field: "limit", reason: "must be an integer from 1 to 100")),
        .init(offset: nil, limit: "101", expected: nil, error: .init(field: "limit", reason: "must not be more than 100, the maximum page size")),
        .init(offset: nil, limit: "99999999999999999999", expected: nil, error: .init(field: "limit", reason: "must not be more than 100, the maximum page size")),
    ]

    @Test("offset and limit are bounded integers", arguments: paging)
    func pages(_ row: TMFPagingCase) throws {
        if let error = row.error {
            #expect(throws: error) { try TMFPaging.parse(offset: row.offset, limit: row.limit, defaultLimit: 20, maxLimit: 100) }
        } else {
            let page = try TMFPaging.parse(offset: row.offset, limit: row.limit, defaultLimit: 20, maxLimit: 100)
            #expect([page.offset, page.limit] == row.expected)
        }
    }
}
