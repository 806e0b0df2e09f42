import Domain
import Foundation
import Testing
import Wire

@Suite("Offer parameter JSON")
struct ParameterJSONTests {
    /// One canonical example of each EOSC type, in the shape `offer_definitions.json` describes.
    static let canonical: [String] = [
        #"{"id":"os","label":"OS","type":"attribute","value":"Ubuntu","value_type":"string","unit":null}"#,
        #"{"id":"ver","label":"Version","description":"Image version","type":"attribute","value":"22","value_type":"integer"}"#,
        #"{"id":"name","label":"VM name","description":null,"type":"input","value_type":"string","unit":null}"#,
        #"{"id":"disk","label":"Disk","type":"input","value_type":"integer","unit":"GB"}"#,
        #"{"id":"size","label":"Size","type":"select","config":{"values":["small","large"],"mode":"dropdown"},"value_type":"string","unit":null}"#,
        #"{"id":"gpus","label":"GPUs","type":"select","config":{"values":[1,2,4],"mode":"buttons"},"value_type":"integer","unit":"GPU"}"#,
        #"{"id":"regions","label":"Regions","type":"multiselect","config":{"values":["eu","us"],"minItems":1,"maxItems":2},"value_type":"string"}"#,
        #"{"id":"tags","label":"Tags","type":"multiselect","config":{"values":["a","b"]},"value_type":"string"}"#,
        #"{"id":"start","label":"Start","type":"date","value_type":"string"}"#,
        #"{"id":"end","label":"End","type":"date","value_type":"string","config":{"min":"now","max":"2027-01-31"}}"#,
        #"{"id":"0","label":"CPUs","type":"range","value_type":"integer","config":{"minimum":1,"maximum":8,"exclusiveMinimum":false,"exclusiveMaximum":false}}"#,
        #"{"id":"mem","label":"Memory","type":"range","value_type":"integer","unit":"GB","config":{"minimum":1,"maximum":64}}"#,
        #"{"id":"hours","label":"Hours","type":"quantity_price","value_type":"integer","unit":"h","config":{"start_price":10,"step_price":2,"max":100,"currency":"EUR"}}"#,
        #"{"id":"tb","label":"TB","type":"quantity_price","value_type":"integer","config":{"start_price":0,"step_price":0,"max":null,"currency":"PLN"}}"#,
    ]

    @Test("parses every EOSC type and writes back the same JSON, null members left out", arguments: canonical)
    func roundTrip(text: String) throws {
        let input = try json(text)
        let parameter = try OfferParameter(json: input)
        let withoutNulls = JSONValue.object(stripNulls(input.objectValue!))
        #expect(parameter.json == withoutNulls)
        #expect(try OfferParameter(json: parameter.json) == parameter)
    }

    @Test("Codable through WireFormat gives the same parameters as init(json:)")
    func codable() throws {
        let text = "[" + Self.canonical.joined(separator: ",") + "]"
        let decoded = try WireFormat.decode([OfferParameter].self, from: text)
        #expect(decoded.map(\.type) == [.attribute, .attribute, .input, .input, .select, .select, .multiselect,
                                        .multiselect, .date, .date, .range, .range, .quantityPrice, .quantityPrice])
        let again = try WireFormat.decode([OfferParameter].self, from: try WireFormat.encode(decoded))
        #expect(again == decoded)
    }

    @Test("the offer_properties entry of research §4.3 reads and writes back unchanged")
    func offerPropertyExample() throws {
        let text = #"""
        {"id":"0","label":"CPUs","type":"range","value_type":"integer",
         "config":{"minimum":1,"maximum":8,"exclusiveMinimum":false,"exclusiveMaximum":false},"value":4}
        """#
        let property = try WireFormat.decode(OfferProperty.self, from: text)
        #expect(property.value == 4)
        #expect(property.parameter.kind == .range(.init(minimum: 1, maximum: 8, exclusiveMinimum: false,
                                                         exclusiveMaximum: false)))
        #expect(property.json == (try json(text)))
    }

    @Test("an integer select stores integers while a string attribute value stays a string")
    func valueKinds() throws {
        let attribute = try OfferParameter(json: json(#"{"id":"v","label":"V","type":"attribute","value":7,"value_type":"integer"}"#))
        #expect(attribute.kind == .attribute(.init(value: "7", valueType: .integer)))
        #expect(attribute.json["value"] == "7")
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: [String]
        var testDescription: String { expected.joined(separator: "; ") }
    }

    static let malformed: [Malformed] = [
        .init(text: #"["id","a"]"#, expected: ["parameter: must be an object (got array)"]),
        .init(text: #"{"label":"L","type":"input","value_type":"string"}"#, expected: ["parameter: id: is required"]),
        .init(text: #"{"id":5,"label":"L","type":"input","value_type":"string"}"#,
              expected: ["parameter: id: must be a string (got integer)"]),
        .init(text: #"{"id":"a","type":"input","value_type":"string"}"#, expected: ["a: label: is required"]),
        .init(text: #"{"id":"a","label":"L","type":"slider"}"#, expected: [
            #"a: type: must be one of "attribute", "input", "select", "multiselect", "date", "range", "quantity_price" (got "slider")"#]),
        .init(text: #"{"id":"a","label":"L","type":"input"}"#,
              expected: [#"a: value_type: is required (must be one of "string", "integer")"#]),
        .init(text: #"{"id":"a","label":"L","type":"input","value_type":"float","description":3}"#, expected: [
            "a: description: must be a string or null (got integer)",
            #"a: value_type: must be one of "string", "integer" (got "float")"#]),
        .init(text: #"{"id":"a","label":"L","type":"attribute","value_type":"string"}"#, expected: ["a: value: is required"]),
        .init(text: #"{"id":"a","label":"L","type":"attribute","value":[1],"value_type":"string"}"#,
              expected: ["a: value: must be a string (got array)"]),
        .init(text: #"{"id":"s","label":"L","type":"select","value_type":"string"}"#, expected: ["s: config: is required"]),
        .init(text: #"{"id":"s","label":"L","type":"select","value_type":"string","config":{"values":["a",true]}}"#, expected: [
            "s: config.values[1]: must be a string or an integer (got boolean)",
            #"s: config.mode: is required (must be one of "dropdown", "buttons")"#]),
        .init(text: #"{"id":"m","label":"L","type":"multiselect","value_type":"string","config":{"values":"a","minItems":"1"}}"#, expected: [
            "m: config.values: must be an array (got string)",
            "m: config.minItems: must be an integer or null (got string)"]),
        .init(text: #"{"id":"d","label":"L","type":"date","value_type":"integer"}"#,
              expected: [#"d: value_type: must be "string" (got "integer")"#]),
        .init(text: #"{"id":"d","label":"L","type":"date","value_type":"string","config":{"min":5}}"#,
              expected: ["d: config.min: must be a string or null (got integer)"]),
        .init(text: #"{"id":"r","label":"L","type":"range","value_type":"integer","config":{"minimum":"1","exclusiveMaximum":"no"}}"#, expected: [
            "r: config.minimum: must be an integer (got string)",
            "r: config.maximum: is required",
            "r: config.exclusiveMaximum: must be true, false or null (got string)"]),
        .init(text: #"{"id":"r","label":"L","type":"range","value_type":"string","config":{"minimum":1,"maximum":2}}"#,
              expected: [#"r: value_type: must be "integer" (got "string")"#]),
        .init(text: #"{"id":"r","label":"L","type":"range","value_type":"integer","config":{"minimum":1.5,"maximum":2}}"#,
              expected: ["r: config.minimum: must be an integer (got number)"]),
        .init(text: #"{"id":"q","label":"L","type":"quantity_price","value_type":"integer","config":{"start_price":1}}"#, expected: [
            "q: config.step_price: is required", "q: config.currency: is required"]),
    ]

    @Test("a malformed parameter is refused with every problem naming the parameter and field", arguments: malformed)
    func malformedShapes(row: Malformed) throws {
        let input = try json(row.text)
        #expect(problems { _ = try OfferParameter(json: input) } == row.expected)
    }

    @Test("a decoding error names the position of a parameter without an id")
    func decodingErrorNamesPosition() throws {
        let text = #"[{"id":"a","label":"A","type":"date","value_type":"string"},{"label":"B","type":"date"}]"#
        #expect {
            _ = try WireFormat.decode([OfferParameter].self, from: text)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription.contains("parameters[1]: id: is required")
                && context.debugDescription.contains("parameters[1]: value_type: is required")
        }
    }

    @Test("parseDefinitions refuses a non-array and collects problems of every element")
    func parseDefinitionsCollects() throws {
        #expect(problems { _ = try OfferParameter.parseDefinitions("x") } == ["parameters: must be an array (got string)"])
        let list = try json(#"[{"id":"a","label":"A"},{"id":"b","label":"B","type":"input","value_type":"string"},5]"#)
        #expect(problems { _ = try OfferParameter.parseDefinitions(list) } == [
            #"a: type: is required (must be one of "attribute", "input", "select", "multiselect", "date", "range", "quantity_price")"#,
            "parameters[2]: must be an object (got integer)"])
    }

    private func stripNulls(_ o: [String: JSONValue]) -> [String: JSONValue] {
        o.compactMapValues { v -> JSONValue? in
            switch v {
            case .null: return nil
            case .object(let inner): return .object(stripNulls(inner))
            default: return v
            }
        }
    }
}
