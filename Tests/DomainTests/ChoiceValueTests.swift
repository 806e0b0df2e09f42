import Domain
import Testing
import Wire

/// Order-time values of the types whose value is typed or picked: attribute, input, select.
@Suite("Order values: attribute, input, select")
struct ChoiceValueTests {
    static let intAttribute = OfferParameter(id: "ver", label: "Version", kind: .attribute(.init(value: "22", valueType: .integer)))
    static let textAttribute = OfferParameter(id: "os", label: "OS", kind: .attribute(.init(value: "Ubuntu", valueType: .string)))

    @Test("an integer attribute is stored as an integer; only the same value may be submitted", arguments: [
        ok(nil, 22), ok(.null, 22), ok(22, 22), ok("22", 22), ok(" 22 ", 22), ok(22.0, 22), ok("", 22),
        no(23, "ver: is fixed by the offer at 22 and cannot be changed"),
        no("22.0", "ver: is fixed by the offer at 22 and cannot be changed"),
        no(true, "ver: is fixed by the offer at 22 and cannot be changed"),
        no(["22"], "ver: is fixed by the offer at 22 and cannot be changed"),
    ])
    func integerAttribute(row: ValueCase) { check(Self.intAttribute, row) }

    @Test("a string attribute is stored as its text; only the same text may be submitted", arguments: [
        ok(nil, "Ubuntu"), ok("Ubuntu", "Ubuntu"),
        no("ubuntu", "os: is fixed by the offer at Ubuntu and cannot be changed"),
        no(1, "os: is fixed by the offer at Ubuntu and cannot be changed"),
    ])
    func stringAttribute(row: ValueCase) { check(Self.textAttribute, row) }

    static let intInput = OfferParameter(id: "disk", label: "Disk", kind: .input(.init(valueType: .integer, unit: "GB")))
    static let textInput = OfferParameter(id: "name", label: "Name", kind: .input(.init(valueType: .string)))

    @Test("an integer input takes integers and integer text, and is required", arguments: [
        ok(10, 10), ok("10", 10), ok("-3", -3), ok("+7", 7), ok(0, 0), ok(10.0, 10),
        ok(.int(.max), .int(.max)),
        no(nil, "disk: a value is required"), no(.null, "disk: a value is required"), no("  ", "disk: a value is required"),
        no("ten", "disk: must be an integer"), no("10.5", "disk: must be an integer"), no(10.5, "disk: must be an integer"),
        no("1e3", "disk: must be an integer"), no("0x10", "disk: must be an integer"), no(true, "disk: must be an integer"),
        no([10], "disk: must be an integer"), no("99999999999999999999", "disk: must be an integer"),
    ])
    func integerInput(row: ValueCase) { check(Self.intInput, row) }

    @Test("a string input takes any non-blank text, and an integer as its digits", arguments: [
        ok("my-vm", "my-vm"), ok(" spaced ", " spaced "), ok("42", "42"), ok(42, "42"),
        no(nil, "name: a value is required"), no("", "name: a value is required"), no("\t", "name: a value is required"),
        no(true, "name: must be text (got boolean)"), no(4.5, "name: must be text (got number)"),
        no(["a"], "name: must be text (got array)"), no(["k": "v"], "name: must be text (got object)"),
    ])
    func stringInput(row: ValueCase) { check(Self.textInput, row) }

    static let intSelect = OfferParameter(id: "gpus", label: "GPUs", kind: .select(.init(values: [1, "2", 4], valueType: .integer)))
    static let textSelect = OfferParameter(id: "size", label: "Size",
                                           kind: .select(.init(values: ["small", "large", "8"], valueType: .string)))

    @Test("an integer select takes one of its values written as 4 or \"4\" and stores an integer", arguments: [
        ok(1, 1), ok("1", 1), ok(2, 2), ok("2", 2), ok(" 4", 4), ok(4.0, 4),
        no(3, "gpus: must be one of 1, 2, 4"), no("3", "gpus: must be one of 1, 2, 4"),
        no("four", "gpus: must be one of 1, 2, 4"), no([1], "gpus: must be one of 1, 2, 4"),
        no(true, "gpus: must be one of 1, 2, 4"), no(nil, "gpus: a value is required"), no("", "gpus: a value is required"),
    ])
    func integerSelect(row: ValueCase) { check(Self.intSelect, row) }

    @Test("a string select takes exactly one of its values", arguments: [
        ok("small", "small"), ok("large", "large"), ok("8", "8"), ok(8, "8"),
        no("Small", "size: must be one of small, large, 8"), no(" small", "size: must be one of small, large, 8"),
        no(["small"], "size: must be one of small, large, 8"), no(nil, "size: a value is required"),
    ])
    func stringSelect(row: ValueCase) { check(Self.textSelect, row) }

    @Test("problem codes tell a missing value from an invalid one")
    func codes() {
        guard case .failure(let missing) = Self.intInput.orderValue(nil, today: today),
              case .failure(let invalid) = Self.intInput.orderValue("x", today: today) else {
            Issue.record("expected failures")
            return
        }
        #expect(missing.code == .missingValue)
        #expect(invalid.code == .invalidValue)
        #expect(invalid.parameterID == "disk" && invalid.field == nil)
    }
}
