public import Wire

extension OfferParameter {
    /// Checks the value a user submitted for this parameter at order time and returns it in the
    /// form stored in `offer_properties` (integers as JSON integers, dates as `YYYY-MM-DD`).
    ///
    /// `submitted` is `nil` when the order carries no value for this id; JSON `null` and blank text
    /// count as no value, as in the marketplace form. `today` stands for `"now"` in date bounds,
    /// passed in so validation reads no clock. The problem names this parameter and says in plain
    /// words what would be accepted.
    public func orderValue(_ submitted: JSONValue?, today: CalendarDate) -> Result<JSONValue, ParameterProblem> {
        // Not `flatMap { $0.isBlank ? nil : $0 }`: JSONValue is nil-literal-expressible, so that
        // `nil` would become `.null` rather than "absent".
        var given: JSONValue? = Optional.none
        if let submitted, !submitted.isBlank { given = submitted }
        func invalid(_ message: String) -> Result<JSONValue, ParameterProblem> {
            .failure(ParameterProblem(code: .invalidValue, parameterID: id, message: message))
        }
        let missing = Result<JSONValue, ParameterProblem>.failure(
            ParameterProblem(code: .missingValue, parameterID: id, message: "a value is required"))

        switch kind {
        case .attribute(let a):
            let fixed: JSONValue = a.valueType == .integer
                ? JSONValue.parseInteger(a.value).map(JSONValue.int) ?? .string(a.value) : .string(a.value)
            guard let given else { return .success(fixed) }
            let same = a.valueType == .integer ? given.integerLike.map(JSONValue.int) == fixed
                                               : given.textLike.map(JSONValue.string) == fixed
            return same ? .success(fixed) : invalid("is fixed by the offer at \(a.value) and cannot be changed")

        case .input(let input):
            guard let given else { return missing }
            switch input.valueType {
            case .integer:
                guard let i = given.integerLike else { return invalid("must be an integer") }
                return .success(.int(i))
            case .string:
                guard let s = given.textLike else { return invalid("must be text (got \(given.typeName))") }
                return .success(.string(s))
            }

        case .select(let s):
            guard let given else { return missing }
            let allowed = Self.normalisedChoices(s.values, s.valueType)
            guard let choice = Self.normalisedChoice(given, s.valueType), allowed.contains(choice) else {
                return invalid("must be one of \(Self.list(allowed))")
            }
            return .success(choice)

        case .multiselect(let m):
            return multiselectValue(m, given, invalid: invalid, missing: missing)

        case .date(let d):
            guard let given else { return missing }
            guard case .string(let text) = given, let date = CalendarDate(parsing: text) else {
                return invalid("must be a date written YYYY-MM-DD or DD-MM-YYYY")
            }
            if let min = Self.bound(d.min, today), date < min { return invalid("must not be before \(min)") }
            if let max = Self.bound(d.max, today), date > max { return invalid("must not be after \(max)") }
            return .success(.string(date.description))

        case .range(let r):
            guard let given else { return missing }
            guard r.admitsAValue else { return invalid("cannot be ordered: the offer's range allows no value") }
            let lo = r.lowestAllowed, hi = r.highestAllowed
            guard let i = given.integerLike, i >= lo, i <= hi else {
                return invalid(lo == hi ? "must be the integer \(lo)" : "must be an integer from \(lo) to \(hi)")
            }
            return .success(.int(i))

        case .quantityPrice(let q):
            guard let given else { return missing }
            let rule = q.max.map { "must be an integer from 0 to \($0)" } ?? "must be an integer, 0 or more"
            guard let i = given.integerLike, i >= 0, i <= (q.max ?? .max) else { return invalid(rule) }
            return .success(.int(i))
        }
    }

    private func multiselectValue(
        _ m: Multiselect, _ given: JSONValue?,
        invalid: (String) -> Result<JSONValue, ParameterProblem>, missing: Result<JSONValue, ParameterProblem>
    ) -> Result<JSONValue, ParameterProblem> {
        let allowed = Self.normalisedChoices(m.values, m.valueType)
        let lo = m.effectiveMinItems, hi = m.effectiveMaxItems
        let countRule = lo == hi ? "must have exactly \(lo) value\(lo == 1 ? "" : "s")"
            : lo <= 0 ? "must have at most \(hi) values" : "must have from \(lo) to \(hi) values"
        guard let given else { return lo > 0 ? missing : .success(.array([])) }
        guard case .array(let items) = given else {
            return invalid("must be a list of values chosen from \(Self.list(allowed))")
        }
        var chosen: [JSONValue] = []
        for item in items where !item.isBlank {
            guard let choice = Self.normalisedChoice(item, m.valueType), allowed.contains(choice) else {
                return invalid("may only contain values from \(Self.list(allowed)) (got \(item.displayText))")
            }
            if chosen.contains(choice) { return invalid("lists \(choice.displayText) more than once") }
            chosen.append(choice)
        }
        if chosen.isEmpty && lo > 0 { return missing }
        guard Int64(chosen.count) >= lo, Int64(chosen.count) <= hi else { return invalid(countRule) }
        return .success(.array(chosen))
    }

    /// A submitted choice in the form stored: `.int` for `integer` choices, `.string` otherwise.
    private static func normalisedChoice(_ value: JSONValue, _ valueType: ValueType) -> JSONValue? {
        switch valueType {
        case .integer: return value.integerLike.map(JSONValue.int)
        case .string: return value.textLike.map(JSONValue.string)
        }
    }

    private static func normalisedChoices(_ values: [JSONValue], _ valueType: ValueType) -> [JSONValue] {
        values.compactMap { normalisedChoice($0, valueType) }
    }

    private static func list(_ values: [JSONValue]) -> String {
        values.map(\.displayText).joined(separator: ", ")
    }

    private static func bound(_ text: String?, _ today: CalendarDate) -> CalendarDate? {
        guard let text else { return nil }
        return text == "now" ? today : CalendarDate(parsing: text)
    }
}
