import Domain
import Testing
import Wire

@Suite("Order values of a whole offer become offer_properties")
struct OfferPropertyTests {
    static let definitions: [OfferParameter] = [
        OfferParameter(id: "0", label: "CPUs", kind: .range(.init(minimum: 1, maximum: 8, exclusiveMinimum: false, exclusiveMaximum: false))),
        OfferParameter(id: "os", label: "OS", description: "Image", kind: .attribute(.init(value: "22", valueType: .integer))),
        OfferParameter(id: "size", label: "Size", kind: .select(.init(values: ["s", "l"], mode: .buttons, valueType: .string))),
        OfferParameter(id: "start", label: "Start", kind: .date(.init(min: "now"))),
    ]

    @Test("valid values give one property per parameter, in the offer's order, values normalised")
    func validOrder() throws {
        let properties = try OfferProperty.validated(
            definitions: Self.definitions, submitted: ["size": "l", "0": "4", "start": "01-12-2026"], today: today)
        #expect(properties.map(\.parameter) == Self.definitions)
        #expect(properties.map(\.value) == [4, 22, "l", "2026-12-01"])
    }

    @Test("the stored JSON is the parameter definition with its value, as research §4.3 shows")
    func storedShape() throws {
        let properties = try OfferProperty.validated(definitions: Array(Self.definitions.prefix(2)),
                                                     submitted: ["0": 4], today: today)
        let expected = try json(#"""
        [{"id":"0","label":"CPUs","type":"range","value_type":"integer",
          "config":{"minimum":1,"maximum":8,"exclusiveMinimum":false,"exclusiveMaximum":false},"value":4},
         {"id":"os","label":"OS","description":"Image","type":"attribute","value_type":"integer","value":22}]
        """#)
        #expect(JSONValue.array(properties.map(\.json)) == expected)
        let decoded = try WireFormat.decode([OfferProperty].self, from: try WireFormat.encode(properties))
        #expect(decoded == properties)
    }

    @Test("every problem is reported at once: offer order first, then unknown ids sorted")
    func allProblems() {
        let found = problems {
            _ = try OfferProperty.validated(definitions: Self.definitions,
                                            submitted: ["zz": 1, "0": 9, "os": 21, "aa": "x", "start": "2026-11-24"],
                                            today: today)
        }
        #expect(found == [
            "0: must be an integer from 1 to 8",
            "os: is fixed by the offer at 22 and cannot be changed",
            "size: a value is required",
            "start: must not be before 2026-11-25",
            "aa: is not a parameter of this offer",
            "zz: is not a parameter of this offer",
        ])
    }

    @Test("an unknown id alone is refused with its code")
    func unknownID() {
        do {
            _ = try OfferProperty.validated(definitions: [], submitted: ["cpu": 2], today: today)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.problems.map(\.code) == [.unknownParameter])
            #expect(error.description == "cpu: is not a parameter of this offer")
        }
    }

    @Test("an offer without parameters and an order without values give no properties")
    func empty() throws {
        #expect(try OfferProperty.validated(definitions: [], submitted: [:], today: today).isEmpty)
    }
}
