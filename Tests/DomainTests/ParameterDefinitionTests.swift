import Domain
import Testing
import Wire

@Suite("Offer parameter definition rules")
struct ParameterDefinitionTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let parameter: OfferParameter
        let expected: [String]
        var testDescription: String { expected.isEmpty ? "\(parameter.id) valid" : expected.joined(separator: "; ") }
    }

    static func p(_ id: String, _ kind: OfferParameter.Kind, label: String = "Label") -> OfferParameter {
        OfferParameter(id: id, label: label, kind: kind)
    }

    static let rows: [Row] = [
        // Ids and labels.
        .init(parameter: p("", .input(.init(valueType: .string))), expected: ["parameter: id: must not be empty"]),
        .init(parameter: p("a", .input(.init(valueType: .string)), label: " "), expected: ["a: label: must not be empty"]),
        // attribute
        .init(parameter: p("a", .attribute(.init(value: "42", valueType: .integer))), expected: []),
        .init(parameter: p("a", .attribute(.init(value: "-7", valueType: .integer))), expected: []),
        .init(parameter: p("a", .attribute(.init(value: "4.5", valueType: .integer))),
              expected: [#"a: value: must be an integer because value_type is integer (got "4.5")"#]),
        .init(parameter: p("a", .attribute(.init(value: "", valueType: .string))), expected: ["a: value: must not be empty"]),
        // select
        .init(parameter: p("s", .select(.init(values: ["a", "b"], valueType: .string))), expected: []),
        .init(parameter: p("s", .select(.init(values: [1, "2"], valueType: .integer))), expected: []),
        .init(parameter: p("s", .select(.init(values: [], valueType: .string))),
              expected: ["s: config.values: must list at least one value"]),
        .init(parameter: p("s", .select(.init(values: ["a", "a"], valueType: .string))),
              expected: ["s: config.values[1]: repeats the value a"]),
        .init(parameter: p("s", .select(.init(values: [4, "4"], valueType: .integer))),
              expected: ["s: config.values[1]: repeats the value 4"]),
        .init(parameter: p("s", .select(.init(values: [1, "two"], valueType: .integer))),
              expected: [#"s: config.values[1]: must be an integer because value_type is integer (got string "two")"#]),
        .init(parameter: p("s", .select(.init(values: ["a", 2], valueType: .string))),
              expected: ["s: config.values[1]: must be a string because value_type is string (got integer 2)"]),
        // multiselect
        .init(parameter: p("m", .multiselect(.init(values: ["a", "b", "c"], minItems: 1, maxItems: 3, valueType: .string))),
              expected: []),
        .init(parameter: p("m", .multiselect(.init(values: ["a", "b"], valueType: .string))), expected: []),
        .init(parameter: p("m", .multiselect(.init(values: ["a", "b", "c"], minItems: 2, maxItems: 2, valueType: .string))),
              expected: []),
        .init(parameter: p("m", .multiselect(.init(values: ["a", "b"], minItems: 0, maxItems: -1, valueType: .string))),
              expected: ["m: config.minItems: must be greater than 0 (got 0)", "m: config.maxItems: must be greater than 0 (got -1)"]),
        .init(parameter: p("m", .multiselect(.init(values: ["a", "b"], minItems: 3, maxItems: 3, valueType: .string))),
              expected: ["m: config.minItems: must not exceed the number of values, 2 (got 3)",
                         "m: config.maxItems: must not exceed the number of values, 2 (got 3)"]),
        .init(parameter: p("m", .multiselect(.init(values: ["a", "b"], minItems: 2, maxItems: 1, valueType: .string))),
              expected: ["m: config.minItems: must not exceed config.maxItems (2 > 1)"]),
        .init(parameter: p("m", .multiselect(.init(values: [], valueType: .integer))),
              expected: ["m: config.values: must list at least one value"]),
        // date
        .init(parameter: p("d", .date(.init(min: "now", max: "31-12-2027"))), expected: []),
        .init(parameter: p("d", .date(.init(min: "2027-02-30"))),
              expected: [#"d: config.min: must be "now" or a date written YYYY-MM-DD or DD-MM-YYYY (got "2027-02-30")"#]),
        .init(parameter: p("d", .date(.init(min: "2027-01-02", max: "01-01-2027"))),
              expected: ["d: config.min: must not be after config.max (2027-01-02 > 2027-01-01)"]),
        // range
        .init(parameter: p("r", .range(.init(minimum: 3, maximum: 3))), expected: []),
        .init(parameter: p("r", .range(.init(minimum: -5, maximum: 5))), expected: []),
        .init(parameter: p("r", .range(.init(minimum: 9, maximum: 8))),
              expected: ["r: config.minimum: must not exceed config.maximum (9 > 8)"]),
        .init(parameter: p("r", .range(.init(minimum: 3, maximum: 4, exclusiveMinimum: true, exclusiveMaximum: false))),
              expected: []),
        .init(parameter: p("r", .range(.init(minimum: 3, maximum: 4, exclusiveMinimum: true, exclusiveMaximum: true))),
              expected: ["r: config: no integer lies between minimum 3 and maximum 4 with the exclusive flags set"]),
        .init(parameter: p("r", .range(.init(minimum: .max, maximum: .max, exclusiveMinimum: true))),
              expected: ["r: config: no integer lies between minimum \(Int64.max) and maximum \(Int64.max) with the exclusive flags set"]),
        // quantity_price
        .init(parameter: p("q", .quantityPrice(.init(startPrice: 0, stepPrice: 0, max: 1, currency: "EUR"))), expected: []),
        .init(parameter: p("q", .quantityPrice(.init(startPrice: 0, stepPrice: 0, currency: "EUR"))), expected: []),
        .init(parameter: p("q", .quantityPrice(.init(startPrice: -1, stepPrice: -2, max: 0, currency: " "))), expected: [
            "q: config.start_price: must be 0 or more (got -1)", "q: config.step_price: must be 0 or more (got -2)",
            "q: config.max: must be greater than 0 (got 0)", "q: config.currency: must not be empty"]),
    ]

    @Test("each definition rule reports its parameter and field, and valid definitions report nothing", arguments: rows)
    func definitionRule(row: Row) {
        #expect(row.parameter.definitionProblems().map(\.description) == row.expected)
    }

    @Test("problem codes tell definition problems from shape problems")
    func codes() {
        let problem = Self.p("r", .range(.init(minimum: 2, maximum: 1))).definitionProblems().first
        #expect(problem?.code == .invalidDefinition)
        #expect(problem?.field == "config.minimum")
        #expect(problem?.code.description == "invalid_definition")
    }

    @Test("a duplicated id is reported once, after each parameter's own problems")
    func duplicateIDs() {
        let list = [Self.p("cpu", .range(.init(minimum: 1, maximum: 8))), Self.p("cpu", .input(.init(valueType: .string))),
                    Self.p("cpu", .date(.init())), Self.p("", .date(.init())), Self.p("", .date(.init()))]
        let found = OfferParameter.definitionProblems(of: list)
        #expect(found.map(\.description) == ["parameters[3]: id: must not be empty", "parameters[4]: id: must not be empty",
                                             "cpu: id: is used by more than one parameter"])
        #expect(found.last?.code == .duplicateID)
    }

    @Test("parseDefinitions runs the definition rules once every shape is right")
    func parseDefinitionsValidates() throws {
        let list = try json(#"""
        [{"id":"r","label":"R","type":"range","value_type":"integer","config":{"minimum":5,"maximum":1}},
         {"id":"r","label":"S","type":"select","value_type":"string","config":{"values":[],"mode":"buttons"}}]
        """#)
        #expect(problems { _ = try OfferParameter.parseDefinitions(list) } == [
            "r: config.minimum: must not exceed config.maximum (5 > 1)",
            "r: config.values: must list at least one value",
            "r: id: is used by more than one parameter"])
        let good = try json(#"[{"id":"r","label":"R","type":"range","value_type":"integer","config":{"minimum":1,"maximum":5}}]"#)
        #expect(try OfferParameter.parseDefinitions(good).map(\.id) == ["r"])
    }
}
