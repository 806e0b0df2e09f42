import Wire

extension OfferParameter {
    /// The rules an offer's parameter list must follow beyond each parameter's own: every id
    /// non-empty and used once, so each submitted value names exactly one parameter.
    ///
    /// Returns the problems of every parameter (``definitionProblems()``) followed by one problem
    /// per duplicated id; empty when the offer may be saved.
    public static func definitionProblems(of parameters: [OfferParameter]) -> [ParameterProblem] {
        var problems = parameters.enumerated().flatMap { position, parameter in
            parameter.definitionProblems(position: position)
        }
        var seen: Set<String> = []
        var reported: Set<String> = []
        for parameter in parameters where !parameter.id.isEmpty {
            if !seen.insert(parameter.id).inserted, reported.insert(parameter.id).inserted {
                problems.append(ParameterProblem(code: .duplicateID, parameterID: parameter.id, field: "id",
                                                 message: "is used by more than one parameter"))
            }
        }
        return problems
    }

    /// What the Offering API refuses in this one parameter even though its JSON shape is right
    /// (marketplace model rules; research notes §4.6 and §9): empty id or label, a constant that
    /// does not match its `value_type`, empty or repeated choices, bounds in the wrong order, a
    /// range no integer fits, negative prices, a missing currency, date bounds that are not dates.
    public func definitionProblems() -> [ParameterProblem] { definitionProblems(position: nil) }

    private func definitionProblems(position: Int?) -> [ParameterProblem] {
        let name = id.isEmpty ? (position.map { "parameters[\($0)]" } ?? "parameter") : id
        var problems: [ParameterProblem] = []
        func add(_ field: String, _ message: String) {
            problems.append(ParameterProblem(code: .invalidDefinition, parameterID: name, field: field, message: message))
        }
        if id.isEmpty { add("id", "must not be empty") }
        if label.allSatisfy(\.isWhitespace) { add("label", "must not be empty") }
        switch kind {
        case .attribute(let a):
            if a.value.isEmpty {
                add("value", "must not be empty")
            } else if a.valueType == .integer, JSONValue.parseInteger(a.value) == nil {
                add("value", "must be an integer because value_type is integer (got \"\(a.value)\")")
            }
        case .input:
            break
        case .select(let s):
            for (field, message) in Self.choiceProblems(s.values, valueType: s.valueType) { add(field, message) }
        case .multiselect(let m):
            for (field, message) in Self.choiceProblems(m.values, valueType: m.valueType) { add(field, message) }
            let count = Int64(m.values.count)
            var boundsInRange = true
            for (field, bound) in [("config.minItems", m.minItems), ("config.maxItems", m.maxItems)] {
                guard let bound else { continue }
                if bound <= 0 {
                    add(field, "must be greater than 0 (got \(bound))")
                    boundsInRange = false
                } else if bound > count {
                    add(field, "must not exceed the number of values, \(count) (got \(bound))")
                    boundsInRange = false
                }
            }
            if boundsInRange, let lo = m.minItems, let hi = m.maxItems, lo > hi {
                add("config.minItems", "must not exceed config.maxItems (\(lo) > \(hi))")
            }
        case .date(let d):
            var bounds: [(String, CalendarDate)] = []
            for (field, bound) in [("config.min", d.min), ("config.max", d.max)] {
                guard let bound, bound != "now" else { continue }
                if let date = CalendarDate(parsing: bound) {
                    bounds.append((field, date))
                } else {
                    add(field, "must be \"now\" or a date written YYYY-MM-DD or DD-MM-YYYY (got \"\(bound)\")")
                }
            }
            if bounds.count == 2, bounds[0].1 > bounds[1].1 {
                add("config.min", "must not be after config.max (\(bounds[0].1) > \(bounds[1].1))")
            }
        case .range(let r):
            if r.minimum > r.maximum {
                add("config.minimum", "must not exceed config.maximum (\(r.minimum) > \(r.maximum))")
            } else if !r.admitsAValue {
                add("config", "no integer lies between minimum \(r.minimum) and maximum \(r.maximum) "
                    + "with the exclusive flags set")
            }
        case .quantityPrice(let q):
            if q.startPrice < 0 { add("config.start_price", "must be 0 or more (got \(q.startPrice))") }
            if q.stepPrice < 0 { add("config.step_price", "must be 0 or more (got \(q.stepPrice))") }
            if let max = q.max, max <= 0 { add("config.max", "must be greater than 0 (got \(max))") }
            if q.currency.allSatisfy(\.isWhitespace) { add("config.currency", "must not be empty") }
        }
        return problems
    }

    /// Problems of `select`/`multiselect` choices: at least one, each of the value type, no repeats
    /// (`"4"` and `4` repeat each other when the value type is `integer`).
    private static func choiceProblems(_ values: [JSONValue], valueType: ValueType) -> [(String, String)] {
        guard !values.isEmpty else { return [("config.values", "must list at least one value")] }
        var problems: [(String, String)] = []
        var seen: Set<JSONValue> = []
        for (n, value) in values.enumerated() {
            let normalised: JSONValue
            switch valueType {
            case .integer:
                guard let i = value.integerLike else {
                    problems.append(("config.values[\(n)]", "must be an integer because value_type is integer "
                                     + "(got \(value.typeName) \"\(value.displayText)\")"))
                    continue
                }
                normalised = .int(i)
            case .string:
                guard case .string = value else {
                    problems.append(("config.values[\(n)]", "must be a string because value_type is string "
                                     + "(got \(value.typeName) \(value.displayText))"))
                    continue
                }
                normalised = value
            }
            if !seen.insert(normalised).inserted {
                problems.append(("config.values[\(n)]", "repeats the value \(normalised.displayText)"))
            }
        }
        return problems
    }
}
