import Domain
import Testing
import Wire

/// Order-time values of the types with bounds or lists: multiselect, date, range, quantity_price.
@Suite("Order values: multiselect, date, range, quantity_price")
struct BoundedValueTests {
    static let regions = OfferParameter(id: "regions", label: "Regions",
                                        kind: .multiselect(.init(values: ["eu", "us", "asia"], minItems: 1, maxItems: 2, valueType: .string)))
    static let cores = OfferParameter(id: "cores", label: "Cores", kind: .multiselect(.init(values: [1, 2, "4"], valueType: .integer)))
    static let exactlyTwo = OfferParameter(id: "two", label: "Two",
                                           kind: .multiselect(.init(values: ["a", "b", "c"], minItems: 2, maxItems: 2, valueType: .string)))

    @Test("a multiselect takes a list within its min and max items, every element allowed", arguments: [
        ok(["eu"], ["eu"]), ok(["eu", "asia"], ["eu", "asia"]), ok(["", "us", " "], ["us"]),
        no(nil, "regions: a value is required"), no([], "regions: a value is required"), no([""], "regions: a value is required"),
        no(["eu", "us", "asia"], "regions: must have from 1 to 2 values"),
        no(["eu", "moon"], "regions: may only contain values from eu, us, asia (got moon)"),
        no(["eu", "eu"], "regions: lists eu more than once"),
        no("eu", "regions: must be a list of values chosen from eu, us, asia"),
        no(["eu", ["us"]], "regions: may only contain values from eu, us, asia (got array)"),
    ])
    func boundedMultiselect(row: ValueCase) { check(Self.regions, row) }

    @Test("an integer multiselect without bounds takes from none to all values, stored as integers", arguments: [
        ok(nil, []), ok([], []), ok(["1", 4], [1, 4]), ok([1, 2, 4], [1, 2, 4]), ok(["4"], [4]),
        no([3], "cores: may only contain values from 1, 2, 4 (got 3)"), no(["x"], "cores: may only contain values from 1, 2, 4 (got x)"),
        no([1, "1"], "cores: lists 1 more than once"), no(1, "cores: must be a list of values chosen from 1, 2, 4"),
    ])
    func unboundedMultiselect(row: ValueCase) { check(Self.cores, row) }

    @Test("a multiselect with min equal to max asks for exactly that many", arguments: [
        ok(["a", "c"], ["a", "c"]), no(["a"], "two: must have exactly 2 values"), no(["a", "b", "c"], "two: must have exactly 2 values"),
    ])
    func exactMultiselect(row: ValueCase) { check(Self.exactlyTwo, row) }

    static let start = OfferParameter(id: "start", label: "Start", kind: .date(.init()))
    static let window = OfferParameter(id: "end", label: "End", kind: .date(.init(min: "now", max: "31-01-2027")))

    @Test("a date is a real calendar day in either form, stored as YYYY-MM-DD", arguments: [
        ok("2026-12-01", "2026-12-01"), ok("01-12-2026", "2026-12-01"), ok("2028-02-29", "2028-02-29"),
        ok("1999-01-01", "1999-01-01"),
        no("2027-02-29", "start: must be a date written YYYY-MM-DD or DD-MM-YYYY"),
        no("2026-13-01", "start: must be a date written YYYY-MM-DD or DD-MM-YYYY"),
        no("31-04-2026", "start: must be a date written YYYY-MM-DD or DD-MM-YYYY"),
        no("2026/12/01", "start: must be a date written YYYY-MM-DD or DD-MM-YYYY"),
        no("2026-1-5", "start: must be a date written YYYY-MM-DD or DD-MM-YYYY"),
        no("2026-12-01T10:00:00Z", "start: must be a date written YYYY-MM-DD or DD-MM-YYYY"),
        no(20261201, "start: must be a date written YYYY-MM-DD or DD-MM-YYYY"),
        no(nil, "start: a value is required"), no("", "start: a value is required"),
    ])
    func plainDate(row: ValueCase) { check(Self.start, row) }

    @Test("a date honours min \"now\" (today, injected) and a max date, both inclusive", arguments: [
        ok("2026-11-25", "2026-11-25"), ok("25-11-2026", "2026-11-25"), ok("2027-01-31", "2027-01-31"),
        no("2026-11-24", "end: must not be before 2026-11-25"), no("2027-02-01", "end: must not be after 2027-01-31"),
    ])
    func boundedDate(row: ValueCase) { check(Self.window, row) }

    static let cpu = OfferParameter(id: "cpu", label: "CPUs", kind: .range(.init(minimum: 1, maximum: 8)))
    static let open = OfferParameter(id: "cpu", label: "CPUs",
                                     kind: .range(.init(minimum: 1, maximum: 8, exclusiveMinimum: true, exclusiveMaximum: true)))
    static let flagsFalse = OfferParameter(id: "cpu", label: "CPUs",
                                           kind: .range(.init(minimum: 1, maximum: 8, exclusiveMinimum: false, exclusiveMaximum: false)))
    static let single = OfferParameter(id: "n", label: "N", kind: .range(.init(minimum: 3, maximum: 4, exclusiveMaximum: true)))

    @Test("a range takes an integer between inclusive bounds", arguments: [
        ok(1, 1), ok(8, 8), ok(4, 4), ok("4", 4), ok(" 8", 8), ok(4.0, 4),
        no(0, "cpu: must be an integer from 1 to 8"), no(9, "cpu: must be an integer from 1 to 8"),
        no(-1, "cpu: must be an integer from 1 to 8"), no(4.5, "cpu: must be an integer from 1 to 8"),
        no("4.0", "cpu: must be an integer from 1 to 8"), no("four", "cpu: must be an integer from 1 to 8"),
        no(true, "cpu: must be an integer from 1 to 8"), no([4], "cpu: must be an integer from 1 to 8"),
        no(nil, "cpu: a value is required"),
    ])
    func inclusiveRange(row: ValueCase) { check(Self.cpu, row) }

    @Test("exclusive flags leave out the bounds themselves", arguments: [
        ok(2, 2), ok(7, 7), no(1, "cpu: must be an integer from 2 to 7"), no(8, "cpu: must be an integer from 2 to 7"),
    ])
    func exclusiveRange(row: ValueCase) { check(Self.open, row) }

    @Test("exclusive flags set to false keep the bounds", arguments: [ok(1, 1), ok(8, 8), no(9, "cpu: must be an integer from 1 to 8")])
    func falseFlags(row: ValueCase) { check(Self.flagsFalse, row) }

    @Test("a range with one allowed integer says so", arguments: [ok(3, 3), no(4, "n: must be the integer 3")])
    func singleValueRange(row: ValueCase) { check(Self.single, row) }

    static let hours = OfferParameter(id: "hours", label: "Hours",
                                      kind: .quantityPrice(.init(startPrice: 10, stepPrice: 2, max: 100, currency: "EUR")))
    static let unlimited = OfferParameter(id: "tb", label: "TB", kind: .quantityPrice(.init(startPrice: 0, stepPrice: 1, currency: "EUR")))

    @Test("a quantity is an integer from 0 to the offer's max", arguments: [
        ok(0, 0), ok(100, 100), ok("100", 100), ok("0", 0),
        no(101, "hours: must be an integer from 0 to 100"), no(-1, "hours: must be an integer from 0 to 100"),
        no("1.5", "hours: must be an integer from 0 to 100"), no(false, "hours: must be an integer from 0 to 100"),
        no(nil, "hours: a value is required"),
    ])
    func boundedQuantity(row: ValueCase) { check(Self.hours, row) }

    @Test("a quantity without max has no upper limit", arguments: [
        ok(.int(.max), .int(.max)), ok("1000000", 1_000_000), no(-5, "tb: must be an integer, 0 or more"),
    ])
    func unboundedQuantity(row: ValueCase) { check(Self.unlimited, row) }
}
