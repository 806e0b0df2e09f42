import Testing
import Wire

@Suite("Wire: JSONValue")
struct WireJSONValueTests {
    @Test("decodes every JSON type into its case")
    func decodesTypes() throws {
        let text = #"{"a":1,"b":1.5,"c":true,"d":null,"e":"x","f":[1,"y",false],"g":{"h":-7},"i":9223372036854775807,"j":1e300}"#
        let value = try WireFormat.decode(JSONValue.self, from: text)
        #expect(value == .object([
            "a": .int(1), "b": .double(1.5), "c": .bool(true), "d": .null, "e": .string("x"),
            "f": .array([.int(1), .string("y"), .bool(false)]), "g": .object(["h": .int(-7)]),
            "i": .int(Int64.max), "j": .double(1e300),
        ]))
    }

    @Test("booleans, integers and doubles do not turn into each other", arguments: [
        ("true", JSONValue.bool(true)), ("false", .bool(false)), ("1", .int(1)), ("0", .int(0)),
        ("-3", .int(-3)), ("2.5", .double(2.5)), ("-0.125", .double(-0.125)), ("\"1\"", .string("1")),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
    ])
    func scalarKinds(text: String, expected: JSONValue) throws {
        #expect(try WireFormat.decode([JSONValue].self, from: "[\(text)]") == [expected])
    }

    @Test("a round trip through text gives the same value")
    func roundTrip() throws {
        let value: JSONValue = [
            "name": "Large VM", "cores": 8, "ratio": 0.75, "gpu": false, "note": nil,
            "tags": ["a/b", "é", "quote\"d"], "nested": ["deep": [1, 2, ["x": true]]],
        ]
        let text = try WireFormat.encodeString(value)
        #expect(text == #"{"cores":8,"gpu":false,"name":"Large VM","nested":{"deep":[1,2,{"x":true}]},"note":null,"#
            + #""ratio":0.75,"tags":["a/b","é","quote\"d"]}"#)
        #expect(try WireFormat.decode(JSONValue.self, from: text) == value)
    }

    @Test("intValue accepts a double with no fraction, as JSON does not tell them apart", arguments: [
        (JSONValue.double(4.0), Int64?.some(4)), (.double(-2.0), -2), (.int(7), 7), (.double(4.5), nil),
        (.double(1e20), nil), (.double(.nan), nil), (.string("4"), nil), (.bool(true), nil), (.null, nil),
    ])
    func intValue(value: JSONValue, expected: Int64?) {
        #expect(value.intValue == expected)
    }

    @Test("4.0 on the wire reads as the integer 4")
    func integralDoubleOnTheWire() throws {
        #expect(try WireFormat.decode(JSONValue.self, from: "4.0").intValue == 4)
        #expect(try WireFormat.encodeString(JSONValue.double(4.0)) == "4")
    }

    @Test("accessors answer only for their own case")
    func accessors() {
        let value: JSONValue = ["s": "x", "b": true, "o": ["k": 1], "a": [1]]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["o"]?.objectValue == ["k": 1])
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["s"]?.boolValue == nil)
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["s"] == nil)
        #expect(JSONValue.null.isNull)
        #expect([JSONValue.null, true, 1, 1.5, "s", [], [:]].map(\.typeName)
            == ["null", "boolean", "integer", "number", "string", "array", "object"])
    }
}
