import Domain
import Testing
import Wire

/// A ProductOrder as the TMF622 API shows it, with every kind of value a filter meets.
let tmfSampleOrderJSON = """
{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder",
 "state": "inProgress", "priority": "2", "category": "enterprise",
 "orderDate": "2026-11-25T10:00:00.123Z", "completionDate": null,
 "description": "Cloud storage for the ACME project",
 "quantityTotal": 12, "discount": 2.5, "urgent": true,
 "productOrderItem": [
   {"id": "1", "state": "completed", "quantity": 1, "productOffering": {"id": "off-7", "name": "Storage"}},
   {"id": "2", "state": "inProgress", "quantity": 3, "productOffering": {"id": "off-9", "name": "Compute"}}],
 "relatedParty": [{"id": "u1", "role": "customer"}, {"id": "p1", "role": "provider"}],
 "tags": ["gpu", "hpc"]}
"""

struct TMFFilterMatchCase: Sendable, CustomTestStringConvertible {
    let query: String
    let matches: Bool
    var testDescription: String { "\(query) -> \(matches)" }
}

@Suite struct TMFQueryFilterMatchTests {
    static let cases: [TMFFilterMatchCase] = [
        // Equality, case-sensitive; OR within an attribute, AND across attributes.
        .init(query: "state=inProgress", matches: true),
        .init(query: "state=acknowledged", matches: false),
        .init(query: "state=InProgress", matches: false),
        .init(query: "state=acknowledged,inProgress", matches: true),
        .init(query: "state=acknowledged&state=inProgress", matches: true),
        .init(query: "state=acknowledged&state=held", matches: false),
        .init(query: "state=inProgress&category=enterprise", matches: true),
        .init(query: "state=inProgress&category=residential", matches: false),
        .init(query: "state.eq=inProgress", matches: true),
        // ne is "equal to none of the values".
        .init(query: "state.ne=completed", matches: true),
        .init(query: "state.ne=inProgress", matches: false),
        .init(query: "state.ne=acknowledged,inProgress", matches: false),
        .init(query: "state!=completed", matches: true),
        // A missing attribute (or null) has no value: only ne holds.
        .init(query: "externalId=x", matches: false),
        .init(query: "externalId.ne=x", matches: true),
        .init(query: "externalId.gt=a", matches: false),
        .init(query: "externalId=~.", matches: false),
        .init(query: "completionDate=x", matches: false),
        .init(query: "completionDate.ne=x", matches: true),
        .init(query: "state.name=x", matches: false),
        // Dotted paths fan out over arrays: any element may match.
        .init(query: "productOrderItem.state=completed", matches: true),
        .init(query: "productOrderItem.state=cancelled", matches: false),
        .init(query: "productOrderItem.state.ne=completed", matches: false),
        .init(query: "productOrderItem.state.ne=cancelled", matches: true),
        .init(query: "productOrderItem.productOffering.id=off-9", matches: true),
        .init(query: "productOrderItem.productOffering.id=off-8", matches: false),
        .init(query: "relatedParty.role=provider&relatedParty.id=u1", matches: true),
        .init(query: "tags=hpc", matches: true),
        .init(query: "tags=cpu", matches: false),
        .init(query: "productOrderItem.quantity.gt=2", matches: true),
        .init(query: "productOrderItem.quantity.gt=3", matches: false),
        .init(query: "productOrderItem.quantity>=3", matches: true),
        .init(query: "productOrderItem.quantity<1", matches: false),
        // Numbers compare numerically when the filter is a number.
        .init(query: "quantityTotal=12", matches: true),
        .init(query: "quantityTotal=12.0", matches: true),
        .init(query: "quantityTotal=9", matches: false),
        .init(query: "quantityTotal.gt=9", matches: true),
        .init(query: "quantityTotal.gt=11.5", matches: true),
        .init(query: "quantityTotal.lt=12", matches: false),
        .init(query: "quantityTotal.lte=12", matches: true),
        .init(query: "quantityTotal=abc", matches: false),
        .init(query: "quantityTotal.ne=abc", matches: true),
        .init(query: "discount=2.5", matches: true),
        .init(query: "discount.gte=2.5", matches: true),
        .init(query: "discount.lt=2.5", matches: false),
        .init(query: "discount.gt=2", matches: true),
        // TMF's priority is a string: text comparison, so "2.0" is not "2".
        .init(query: "priority=2", matches: true),
        .init(query: "priority=2.0", matches: false),
        .init(query: "priority.gt=1", matches: true),
        .init(query: "priority.lt=2", matches: false),
        .init(query: "priority.lte=2", matches: true),
        // Booleans.
        .init(query: "urgent=true", matches: true),
        .init(query: "urgent=false", matches: false),
        .init(query: "urgent=yes", matches: false),
        .init(query: "urgent.ne=false", matches: true),
        // Strings order lexicographically.
        .init(query: "category.gt=a", matches: true),
        .init(query: "category.lt=a", matches: false),
        .init(query: "category.gte=enterprise", matches: true),
        .init(query: "category.gt=enterprise", matches: false),
        // Date-times: instants, a date prefix for equality, a date alone is midnight UTC.
        .init(query: "orderDate=2026-11-25T10:00:00.123Z", matches: true),
        .init(query: "orderDate=2026-11-25T11:00:00.123%2B01:00", matches: true),
        .init(query: "orderDate=2026-11-25T10:00:00Z", matches: false),
        .init(query: "orderDate=2026-11-25", matches: true),
        .init(query: "orderDate=2026-11", matches: true),
        .init(query: "orderDate=2026-11-26", matches: false),
        .init(query: "orderDate.ne=2026-11-25", matches: false),
        .init(query: "orderDate.gt=2026-11-25", matches: true),
        .init(query: "orderDate.lt=2026-11-25", matches: false),
        .init(query: "orderDate.lt=2026-11-26", matches: true),
        .init(query: "orderDate.gt=2026-11-25T10:00:00.123Z", matches: false),
        .init(query: "orderDate.gte=2026-11-25T10:00:00.123Z", matches: true),
        .init(query: "orderDate.gt=2026-11-25T10:00:00.123%2B01:00", matches: true),
        .init(query: "orderDate.lt=2026-11-25T11:00:00%2B01:00", matches: false),
        .init(query: "orderDate.lt=2026-11-25T11:00:01%2B01:00", matches: true),
        .init(query: "orderDate.gt=2026-11-25T09:00:00", matches: true),
        .init(query: "orderDate>2026-11-24", matches: true),
        .init(query: "orderDate<2026-11-26&orderDate>2026-11-25T09:59:59Z", matches: true),
        .init(query: "orderDate%3E2026-11-25T10:00:01Z", matches: false),
        // Regular expressions search the text, case-sensitively.
        .init(query: "description=~ACME", matches: true),
        .init(query: "description=~acme", matches: false),
        .init(query: "description=~(?i)acme", matches: true),
        .init(query: "description*=^Cloud", matches: true),
        .init(query: "description=~^storage", matches: false),
        .init(query: "description.regex=project$", matches: true),
        .init(query: "state=~^in", matches: true),
        .init(query: "productOrderItem.state=~^compl", matches: true),
        .init(query: "productOrderItem.productOffering.name=~^Net", matches: false),
        .init(query: "quantityTotal=~^1", matches: true),
    ]

    @Test("a filter matches a ProductOrder by TMF630 rules", arguments: cases)
    func matches(_ row: TMFFilterMatchCase) throws {
        let order = try json(tmfSampleOrderJSON)
        let filter = try TMFFilter.parse(tmfQueryItems(row.query), reserved: tmfReservedNames)
        #expect(filter.matches(order) == row.matches)
    }

    @Test func anEmptyFilterMatchesEverything() throws {
        #expect(TMFFilter().matches(try json(tmfSampleOrderJSON)))
        #expect(try TMFFilter.parse(tmfQueryItems("limit=5"), reserved: tmfReservedNames).matches(.null))
    }

    static let events: [TMFFilterMatchCase] = [
        .init(query: "eventType=ProductOrderStateChangeEvent&event.productOrder.state=completed", matches: true),
        .init(query: "eventType=ProductOrderStateChangeEvent&event.productOrder.state=inProgress", matches: false),
        .init(query: "eventType=ProductOrderCreateEvent,ProductOrderStateChangeEvent", matches: true),
        .init(query: "eventType=ProductOrderCreateEvent", matches: false),
        .init(query: "event.productOrder.productOrderItem.id=2", matches: true),
        .init(query: "eventTime.gte=2026-11-25&eventTime.lt=2026-11-26", matches: true),
        .init(query: "eventTime%3E2026-11-25T12:00:00Z", matches: false),
        .init(query: "", matches: true),
    ]

    @Test("a hub listener's query selects the events it hears", arguments: events)
    func matchesEvent(_ row: TMFFilterMatchCase) throws {
        let event = try json("""
            {"eventId": "e1", "eventTime": "2026-11-25T11:30:00.000Z", "eventType": "ProductOrderStateChangeEvent",
             "event": {"productOrder": {"id": "42", "state": "completed", "productOrderItem": [{"id": "1"}, {"id": "2"}]}}}
            """)
        #expect(try TMFFilter.parse(query: row.query).matches(event) == row.matches)
    }

    static let paths: [(path: [String], expected: String)] = [
        (["state"], #"["inProgress"]"#),
        (["productOrderItem", "id"], #"["1","2"]"#),
        (["productOrderItem", "productOffering", "name"], #"["Storage","Compute"]"#),
        (["tags"], #"["gpu","hpc"]"#),
        (["completionDate"], "[null]"),
        (["nothing", "here"], "[]"),
        (["state", "deeper"], "[]"),
    ]

    @Test("values(at:) reaches values through objects and arrays", arguments: paths)
    func valuesAtPath(_ row: (path: [String], expected: String)) throws {
        let order = try json(tmfSampleOrderJSON)
        #expect(order.values(at: row.path) == (try json(row.expected)).arrayValue)
    }
}
