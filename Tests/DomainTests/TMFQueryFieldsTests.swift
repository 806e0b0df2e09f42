import Domain
import Testing
import Wire

struct TMFFieldsParseCase: Sendable, CustomTestStringConvertible {
    let value: String?
    let expected: Set<String>?
    let error: String?
    var testDescription: String { "\(value ?? "absent") -> \(error ?? expected.map { $0.sorted().joined(separator: ",") } ?? "nil")" }
}

struct TMFFieldsSelectCase: Sendable, CustomTestStringConvertible {
    let fields: Set<String>?
    let expected: String
    var testDescription: String { fields.map { $0.sorted().joined(separator: ",") } ?? "nil" }
}

@Suite struct TMFQueryFieldsTests {
    static let parsing: [TMFFieldsParseCase] = [
        .init(value: nil, expected: nil, error: nil),
        .init(value: "state", expected: ["state"], error: nil),
        .init(value: "state,orderDate", expected: ["state", "orderDate"], error: nil),
        .init(value: " state , orderDate ", expected: ["state", "orderDate"], error: nil),
        .init(value: "state,state", expected: ["state"], error: nil),
        .init(value: "productOrderItem.state,id", expected: ["productOrderItem.state", "id"], error: nil),
        .init(value: "none", expected: [], error: nil),
        .init(value: "", expected: nil, error: "needs at least one attribute name"),
        .init(value: "  ", expected: nil, error: "needs at least one attribute name"),
        .init(value: "state,,id", expected: nil, error: "has an empty attribute name in its list"),
        .init(value: "state,", expected: nil, error: "has an empty attribute name in its list"),
        .init(value: ",state", expected: nil, error: "has an empty attribute name in its list"),
        .init(value: "productOrderItem..state", expected: nil, error: "has an empty attribute name between the dots of productOrderItem..state"),
        .init(value: "state.", expected: nil, error: "has an empty attribute name between the dots of state."),
    ]

    @Test("the fields parameter is read as a set of attribute names", arguments: parsing)
    func parses(_ row: TMFFieldsParseCase) throws {
        if let reason = row.error {
            #expect(throws: TMFQueryError(field: "fields", reason: reason)) { try TMFFields.parse(row.value) }
        } else {
            #expect(try TMFFields.parse(row.value) == row.expected)
        }
    }

    static let selections: [TMFFieldsSelectCase] = [
        .init(fields: nil, expected: tmfSampleOrderJSON),
        .init(fields: [], expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder"}"#),
        .init(fields: ["state"], expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder", "state": "inProgress"}"#),
        .init(fields: ["state", "priority", "noSuchAttribute"],
              expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder", "state": "inProgress", "priority": "2"}"#),
        .init(fields: ["completionDate", "tags"],
              expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder", "completionDate": null, "tags": ["gpu", "hpc"]}"#),
        .init(fields: ["productOrderItem.state"],
              expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder", "productOrderItem": [{"id": "1", "state": "completed"}, {"id": "2", "state": "inProgress"}]}"#),
        .init(fields: ["productOrderItem.productOffering.id", "productOrderItem.quantity"],
              expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder", "productOrderItem": [{"id": "1", "quantity": 1, "productOffering": {"id": "off-7"}}, {"id": "2", "quantity": 3, "productOffering": {"id": "off-9"}}]}"#),
        .init(fields: ["productOrderItem.productOffering.name"],
              expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder", "productOrderItem": [{"id": "1", "productOffering": {"id": "off-7", "name": "Storage"}}, {"id": "2", "productOffering": {"id": "off-9", "name": "Compute"}}]}"#),
        .init(fields: ["relatedParty.role", "state"],
              expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder", "state": "inProgress", "relatedParty": [{"id": "u1", "role": "customer"}, {"id": "p1", "role": "provider"}]}"#),
        .init(fields: ["state.name", "tags.x"], expected: #"{"id": "42", "href": "/tmf-api/productOrderingManagement/v4/productOrder/42", "@type": "ProductOrder", "tags": []}"#),
    ]

    @Test("a selection keeps the listed attributes plus id, href and @type", arguments: selections)
    func selects(_ row: TMFFieldsSelectCase) throws {
        let order = try json(tmfSampleOrderJSON)
        #expect(TMFFields.select(order, fields: row.fields) == (try json(row.expected)))
    }

    @Test func aWholeAttributeWinsOverItsNestedSelection() throws {
        let order = try json(tmfSampleOrderJSON)
        let selected = TMFFields.select(order, fields: ["productOrderItem", "productOrderItem.state"])
        #expect(selected["productOrderItem"] == order["productOrderItem"])
    }

    @Test func alwaysKeptIsTheCallersChoice() throws {
        let order = try json(tmfSampleOrderJSON)
        #expect(TMFFields.select(order, fields: ["state"], alwaysKept: []) == ["state": "inProgress"])
        #expect(TMFFields.select(order, fields: [], alwaysKept: ["id", "category"]) == ["id": "42", "category": "enterprise"])
    }

    @Test func aListIsReducedElementByElement() throws {
        let list: JSONValue = [["id": "1", "state": "held", "note": "x"], ["id": "2", "state": "completed"]]
        #expect(TMFFields.select(list, fields: ["state"]) == [["id": "1", "state": "held"], ["id": "2", "state": "completed"]])
    }
}
