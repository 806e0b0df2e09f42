import JSONSchema
import Testing
import Wire

/// Each keyword's message and the gem's traversal rules, on small schemas written here.
@Suite("JSON schema keywords: the gem's messages and order")
struct KeywordTests {
    /// Validates `data` against the schema text `schema` (as document `main.json`, beside `other`).
    static func check(_ schema: String, _ data: JSONValue, others: [String: String] = [:]) throws -> String? {
        var documents: [String: OrderedJSON] = ["dir/main.json": try OrderedJSON.parse(schema)]
        for (path, text) in others { documents[path] = try OrderedJSON.parse(text) }
        return SchemaStore(documents: documents).validate(data, against: "dir/main.json")?.message
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let schema: String
        let data: JSONValue
        let message: String?
        init(_ schema: String, _ data: JSONValue, _ message: String?) {
            (self.schema, self.data, self.message) = (schema, data, message)
        }
        var testDescription: String { "\(schema) ~ \(message ?? "valid")" }
    }

    static let cases: [Case] = [
        Case(#"{"type": "integer"}"#, 1.5, "The property '#/' of type number did not match the following type: integer"),
        Case(#"{"type": "number"}"#, 2, nil),
        Case(#"{"type": ["string", "null"]}"#, true,
             "The property '#/' of type boolean did not match one or more of the following types: string, null"),
        Case(#"{"type": ["string", "null"]}"#, nil, nil),
        Case(#"{"type": "whatever"}"#, 1, nil),
        Case(#"{"properties": {"a": {"type": "array"}}}"#, ["a": [:]],
             "The property '#/a' of type object did not match the following type: array"),
        Case(#"{"required": ["a", "b"]}"#, ["a": 1], "The property '#/' did not contain a required property of 'b'"),
        Case(#"{"required": ["a"]}"#, "not an object", nil),
        Case(#"{"properties": {"a": {}}, "additionalProperties": false}"#, ["z": 1, "b": 2, "a": 3],
             "The property '#/' contains additional properties [\"b\", \"z\"] outside of the schema when none are allowed"),
        Case(#"{"additionalProperties": {"type": "string"}}"#, ["a": "x", "b": 2],
             "The property '#/b' of type integer did not match the following type: string"),
        // The gem skips additionalProperties unless `type` is absent or exactly "object".
        Case(#"{"type": ["object"], "additionalProperties": false}"#, ["a": 1], nil),
        Case(#"{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"#, ["x-a": "ok"], nil),
        Case(#"{"patternProperties": {"^x-": {"type": "string"}}}"#, ["x-a": 1],
             "The property '#/x-a' of type integer did not match the following type: string"),
        Case(#"{"enum": [1, "a", null, [1], {"k": 1}, true]}"#, "b",
             "The property '#/' value \"b\" did not match one of the following values: 1, a, null, array, object, true"),
        Case(#"{"enum": [1]}"#, 1.0, nil),
        Case(#"{"enum": ["a"]}"#, ["k": [1.5, nil]],
             "The property '#/' value {\"k\"=>[1.5, nil]} did not match one of the following values: a"),
        Case(#"{"enum": ["a"]}"#, "say \"hi\"\n#{x}",
             "The property '#/' value \"say \\\"hi\\\"\\n\\#{x}\" did not match one of the following values: a"),
        Case(#"{"const": "basic"}"#, "digest", "The property '#/' value \"digest\" did not match constant 'basic'"),
        Case(#"{"allOf": [{"type": "object"}, {"required": ["a"]}, {"required": ["b"]}]}"#, [:],
             "The property '#/' did not contain a required property of 'b'"),
        Case(#"{"anyOf": [{"type": "string"}, {"type": "integer"}]}"#, 1.5,
             "The property '#/' of type number did not match one or more of the required schemas"),
        Case(#"{"oneOf": [{"type": "integer"}, {"type": "number"}]}"#, 1,
             "The property '#/' of type integer matched more than one of the required schemas"),
        Case(#"{"oneOf": [{"type": "integer"}, {"type": "string"}]}"#, nil,
             "The property '#/' of type null did not match any of the required schemas"),
        Case(#"{"not": {"type": "string"}}"#, "s", "The property '#/' of type string matched the disallowed schema"),
        Case(#"{"items": {"type": "string"}}"#, ["a", 2], "The property '#/1' of type integer did not match the following type: string"),
        Case(#"{"items": [{"type": "string"}, {"type": "integer"}]}"#, ["a", "b"],
             "The property '#/1' of type string did not match the following type: integer"),
        Case(#"{"items": [{"type": "string"}], "additionalItems": false}"#, ["a", 1],
             "The property '#/' contains additional array elements outside of the schema when none are allowed"),
        Case(#"{"items": [{"type": "string"}], "additionalItems": {"type": "integer"}}"#, ["a", "b"],
             "The property '#/1' of type string did not match the following type: integer"),
        Case(#"{"uniqueItems": true}"#, [["a": 1], ["a": 1]], "The property '#/' contained duplicated array values"),
        Case(#"{"uniqueItems": true}"#, [1, 1.0], nil),
        Case(#"{"minItems": 2}"#, [1], "The property '#/' did not contain a minimum number of items 2"),
        Case(#"{"maxItems": 1}"#, [1, 2], "The property '#/' had more items than the allowed 1"),
        Case(#"{"minProperties": 1}"#, [:], "The property '#/' did not contain a minimum number of properties 1"),
        Case(#"{"maxProperties": 0}"#, ["a": 1], "The property '#/' had more properties than the allowed 0"),
        Case(#"{"minLength": 3}"#, "éé", "The property '#/' was not of a minimum string length of 3"),
        Case(#"{"maxLength": 2}"#, "abc", "The property '#/' was not of a maximum string length of 2"),
        Case(#"{"minimum": 5}"#, 4, "The property '#/' did not have a minimum value of 5, inclusively"),
        Case(#"{"minimum": 5, "exclusiveMinimum": true}"#, 5, "The property '#/' did not have a minimum value of 5, exclusively"),
        Case(#"{"maximum": 2.5}"#, 3, "The property '#/' did not have a maximum value of 2.5, inclusively"),
        Case(#"{"maximum": 2, "exclusiveMaximum": true}"#, 2, "The property '#/' did not have a maximum value of 2, exclusively"),
        Case(#"{"minimum": 5}"#, "4", nil),
        Case(#"{"multipleOf": 3}"#, 7, "The property '#/' was not divisible by 3"),
        Case(#"{"multipleOf": 0.5}"#, 1.5, nil),
        Case(#"{"pattern": "^[a-z]+$"}"#, "abc1", "The property '#/' value \"abc1\" did not match the regex '^[a-z]+$'"),
        Case(#"{"pattern": "b"}"#, "abc", nil),
        Case(#"{"dependencies": {"a": ["b"]}}"#, ["a": 1],
             "The property '#/' has a property 'a' that depends on a missing property 'b'"),
        Case(#"{"dependencies": {"a": {"required": ["c"]}}}"#, ["a": 1],
             "The property '#/' did not contain a required property of 'c'"),
        Case(#"{"format": "date-time"}"#, "2024-02-30T10:00:00Z", "The property '#/' must be a valid RFC3339 date/time string"),
        Case(#"{"format": "date-time"}"#, "2024-02-29T10:00:00.123456+01:00", nil),
        Case(#"{"format": "ipv4"}"#, "10.0.0.256", "The property '#/' must be a valid IPv4 address"),
        Case(#"{"format": "ipv6"}"#, "fe80::1", nil),
        Case(#"{"format": "ipv6"}"#, "fe80:::1", "The property '#/' must be a valid IPv6 address"),
        Case(#"{"format": "date"}"#, "not a date", nil),
        // The first failure in the schema's own member order wins.
        Case(#"{"required": ["a"], "type": "array"}"#, [:], "The property '#/' did not contain a required property of 'a'"),
        Case(#"{"type": "array", "required": ["a"]}"#, [:], "The property '#/' of type object did not match the following type: array"),
        // `nullable` is OpenAPI, not JSON schema: the gem ignores it.
        Case(#"{"type": "string", "nullable": true}"#, nil, "The property '#/' of type null did not match the following type: string"),
    ]

    @Test("keyword message", arguments: cases)
    func keyword(_ c: Case) throws {
        #expect(try Self.check(c.schema, c.data) == c.message)
    }

    @Test("$ref to definitions, to a bare member, and to a relative file with .. resolve from the referring file")
    func references() throws {
        let main = ##"{"properties": {"a": {"$ref": "#/definitions/s"}, "b": {"$ref": "../shared/defs.json#n"}}, "definitions": {"s": {"type": "string"}}}"##
        let defs = ##"{"n": {"$ref": "#/m"}, "m": {"type": "integer"}}"##
        let others = ["shared/defs.json": defs]
        #expect(try Self.check(main, ["a": 1], others: others) == "The property '#/a' of type integer did not match the following type: string")
        #expect(try Self.check(main, ["b": "x"], others: others) == "The property '#/b' of type string did not match the following type: integer")
        #expect(try Self.check(main, ["a": "x", "b": 2], others: others) == nil)
        #expect(try Self.check(#"{"$ref": "missing.json"}"#, 1) == "The referenced schema 'dir/missing.json' cannot be found")
    }

    @Test("OpenAPI reading: nullable accepts null, only when asked")
    func nullable() throws {
        let store = SchemaStore(documents: ["s.json": try OrderedJSON.parse(#"{"type": "string", "nullable": true}"#)])
        #expect(store.validate(.null, against: "s.json", options: .openAPI) == nil)
        #expect(store.validate(.null, against: "s.json", options: .gem) != nil)
    }

    @Test("ordered JSON keeps member order, tells 1 from 1.0 and refuses malformed text")
    func orderedJSON() throws {
        let value = try OrderedJSON.parse(#"{"z": 1, "a": 1.0, "m": [true, null, "\u00e9\ud83d\ude00"], "z": 2}"#)
        #expect(value.members?.map(\.key) == ["z", "a", "m"])
        #expect(value["z"] == .int(2))
        #expect(value["a"] == .double(1))
        #expect(value["m"] == .array([.bool(true), .null, .string("é😀")]))
        for bad in ["{", "[1,]", "01", "\"a", "{\"a\" 1}", "1 2", "\"\\ud800\""] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try OrderedJSON.parse(bad) }
        }
    }
}
