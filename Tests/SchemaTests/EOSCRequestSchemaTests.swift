import EOSCSpecs
import Testing
import Wire

/// The request schemas the marketplace validates with, and the messages its gem answers: every
/// expected string here is one the marketplace's own API specs (rswag) or the research notes show.
@Suite("EOSC request schemas: the marketplace's json-schema messages")
struct EOSCRequestSchemaTests {
    static let itemUpdate = "project_item/project_item_update.json"
    static let messageWrite = "message/message_write.json"
    static let offerWrite = "offer/offer_write.json"

    static let attribute: JSONValue = [
        "id": "0", "type": "attribute", "label": "constant_example", "description": "constant_hint",
        "value": "12", "value_type": "integer",
    ]

    static func offer(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var o: [String: JSONValue] = [
            "name": "New offer", "description": "asd", "order_type": "order_required",
            "offer_category": "service_category-other",
        ]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let schema: String
        let body: JSONValue
        let message: String?
        var testDescription: String { "\(schema): \(message ?? "valid")" }
    }

    static let cases: [Case] = [
        // Project item PATCH.
        Case(schema: itemUpdate, body: ["status": ["value": "new value", "type": "LOL"]],
             message: "The property '#/status/type' value \"LOL\" did not match one of the following values: rejected, waiting_for_response, registered, in_progress, ready, closed, approved"),
        Case(schema: itemUpdate, body: ["status": "open"],
             message: "The property '#/status' of type string did not match the following type: object"),
        Case(schema: itemUpdate, body: ["status": ["value": "v", "type": "ready"], "x": 1],
             message: "The property '#/' contains additional properties [\"x\"] outside of the schema when none are allowed"),
        Case(schema: itemUpdate, body: [:],
             message: "The property '#/' of type object did not match one or more of the required schemas"),
        Case(schema: itemUpdate, body: ["status": ["type": "ready"]],
             message: "The property '#/status' did not contain a required property of 'value'"),
        Case(schema: itemUpdate, body: ["status": ["value": "v", "type": "ready", "note": "n"]],
             message: "The property '#/status' contains additional properties [\"note\"] outside of the schema when none are allowed"),
        Case(schema: itemUpdate, body: ["user_secrets": "pw"],
             message: "The property '#/user_secrets' of type string did not match the following type: object"),
        Case(schema: itemUpdate, body: ["status": ["value": 5, "type": "ready"]],
             message: "The property '#/status/value' of type integer did not match the following type: string"),
        // What the schema lets through to the model's own checks.
        Case(schema: itemUpdate, body: ["user_secrets": ["key": 123]], message: nil),
        Case(schema: itemUpdate, body: ["status": ["value": "", "type": "ready"]], message: nil),
        Case(schema: itemUpdate, body: ["status": ["value": "v", "type": "ready"], "user_secrets": [:]], message: nil),
        // Messages.
        Case(schema: messageWrite,
             body: ["project_id": 1, "author": ["email": "<email>", "name": "<name>", "role": "provider"], "scope": "public"],
             message: "The property '#/' did not contain a required property of 'content'"),
        Case(schema: messageWrite,
             body: ["project_id": 1, "author": ["email": "e", "name": "n", "role": "user"], "content": "c", "scope": "public"],
             message: "The property '#/author/role' value \"user\" did not match one of the following values: provider, mediator"),
        Case(schema: messageWrite,
             body: ["project_id": 1, "project_item_id": nil, "author": ["email": "e", "name": "n", "role": "provider"],
                    "content": "c", "scope": "public"],
             message: "The property '#/project_item_id' of type null did not match the following type: integer"),
        // Properties are checked before `required` (the schema lists them first).
        Case(schema: messageWrite, body: ["project_id": "1", "author": ["email": "e", "name": "n", "role": "provider"]],
             message: "The property '#/project_id' of type string did not match the following type: integer"),
        Case(schema: "message/message_update.json", body: ["content": "c", "scope": "public"],
             message: "The property '#/' contains additional properties [\"scope\"] outside of the schema when none are allowed"),
        // Offers: the messages of the marketplace's offers_spec.rb.
        Case(schema: offerWrite, body: offer(["order_type": "lol"]),
             message: "The property '#/order_type' value \"lol\" did not match one of the following values: open_access, fully_open_access, order_required, other"),
        Case(schema: offerWrite, body: offer(["parameters": [["id": "0", "type": "aasd", "label": "l", "value": "12", "value_type": "integer"]]]),
             message: "The property '#/parameters/0' of type object did not match any of the required schemas"),
        Case(schema: offerWrite, body: offer(["parameters": [["id": "0", "type": "attribute", "label": "l", "value_type": "integer"]]]),
             message: "The property '#/parameters/0' of type object did not match any of the required schemas"),
        Case(schema: offerWrite,
             body: offer(["parameters": [["id": "2", "type": "select", "label": "s", "config": ["values": [], "mode": "dropdown"],
                                          "value_type": "integer", "unit": "CPUs"]]]),
             message: "The property '#/parameters/0' of type object did not match any of the required schemas"),
        Case(schema: offerWrite, body: offer(["parameters": [attribute, attribute]]),
             message: "The property '#/parameters' contained duplicated array values"),
        Case(schema: offerWrite, body: offer(["status": "draft"]),
             message: "The property '#/' of type object matched the disallowed schema"),
        Case(schema: offerWrite, body: ["description": "d", "order_type": "other"],
             message: "The property '#/' did not contain a required property of 'name'"),
        Case(schema: offerWrite, body: offer(["parameters": [attribute]]), message: nil),
        Case(schema: "offer/offer_update.json", body: ["internal": "yes"],
             message: "The property '#/internal' of type string did not match the following type: boolean"),
        Case(schema: "offer/offer_update.json", body: ["name": "renamed"], message: nil),
    ]

    @Test("each body gets the gem's first message", arguments: cases)
    func message(_ c: Case) {
        #expect(EOSCSpecs.validate(c.body, against: c.schema) == c.message)
    }

    @Test("every kind of parameter the offer definitions describe is accepted")
    func allParameterKinds() {
        let parameters: JSONValue = [
            Self.attribute,
            ["id": "1", "type": "input", "label": "i", "unit": nil, "value_type": "string"],
            ["id": "2", "type": "select", "label": "s", "config": ["values": [1, 2], "mode": "buttons"], "value_type": "integer"],
            ["id": "3", "type": "multiselect", "label": "m", "config": ["values": ["a", "b"], "minItems": 1, "maxItems": nil],
             "value_type": "string"],
            ["id": "4", "type": "date", "label": "d", "value_type": "string"],
            ["id": "5", "type": "range", "label": "r", "value_type": "integer",
             "config": ["minimum": 1, "maximum": 8, "exclusiveMinimum": nil]],
            ["id": "6", "type": "quantity_price", "label": "q", "value_type": "integer",
             "config": ["start_price": 1, "step_price": 2, "currency": "EUR", "max": 10]],
        ]
        #expect(EOSCSpecs.validate(Self.offer(["parameters": parameters]), against: Self.offerWrite) == nil)
    }
}
