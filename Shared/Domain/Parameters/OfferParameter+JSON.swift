public import Wire

extension OfferParameter {
    /// Reads one parameter in the EOSC JSON shape (`offer_definitions.json`), checking its shape only.
    ///
    /// Every missing or mistyped field is reported, named by its path, so a provider sees all of
    /// them at once. Fields the schema does not know are ignored, as the schema allows. Rules that
    /// need more than the shape (range bounds in order, unique values) are in
    /// ``definitionProblems()``. `position` names a parameter that has no usable id.
    public init(json: JSONValue, position: Int? = nil) throws(ParameterValidationError) {
        let fallbackID = position.map { "parameters[\($0)]" } ?? "parameter"
        guard case .object(let members) = json else {
            throw ParameterValidationError([ParameterProblem(
                code: .malformed, parameterID: fallbackID, message: "must be an object (got \(json.typeName))")])
        }
        let rawID = members["id"]?.stringValue ?? ""
        var fields = JSONFields(members, parameterID: rawID.isEmpty ? fallbackID : rawID)
        let id = fields.requiredString("id")
        let label = fields.requiredString("label")
        let description = fields.optionalString("description")
        let type = fields.requiredEnum("type", ParameterType.self)
        let kind = type.flatMap { Self.readKind($0, &fields) }
        guard fields.problems.isEmpty, let id, let label, let kind else {
            throw ParameterValidationError(fields.problems)
        }
        self.init(id: id, label: label, description: description, kind: kind)
    }

    private static func readKind(_ type: ParameterType, _ f: inout JSONFields) -> Kind? {
        switch type {
        case .attribute:
            let value = f.requiredText("value")
            let valueType = f.requiredEnum("value_type", ValueType.self)
            let unit = f.optionalString("unit")
            guard let value, let valueType else { return nil }
            return .attribute(Attribute(value: value, valueType: valueType, unit: unit))
        case .input:
            let valueType = f.requiredEnum("value_type", ValueType.self)
            let unit = f.optionalString("unit")
            guard let valueType else { return nil }
            return .input(Input(valueType: valueType, unit: unit))
        case .select:
            let valueType = f.requiredEnum("value_type", ValueType.self)
            let unit = f.optionalString("unit")
            guard var config = f.object("config", required: true) else { return nil }
            let values = config.requiredChoices("values")
            let mode = config.requiredEnum("mode", SelectMode.self)
            f.absorb(config)
            guard let valueType, let values, let mode else { return nil }
            return .select(Select(values: values, mode: mode, valueType: valueType, unit: unit))
        case .multiselect:
            let valueType = f.requiredEnum("value_type", ValueType.self)
            let unit = f.optionalString("unit")
            guard var config = f.object("config", required: true) else { return nil }
            let values = config.requiredChoices("values")
            let minItems = config.optionalInteger("minItems")
            let maxItems = config.optionalInteger("maxItems")
            f.absorb(config)
            guard let valueType, let values, config.problems.isEmpty else { return nil }
            return .multiselect(Multiselect(values: values, minItems: minItems, maxItems: maxItems,
                                            valueType: valueType, unit: unit))
        case .date:
            let valueType = f.requiredEnum("value_type", ValueType.self, allowed: [.string])
            var config = f.object("config", required: false)
            let min = config?.optionalString("min")
            let max = config?.optionalString("max")
            if let config { f.absorb(config) }
            guard valueType != nil, config?.problems.isEmpty ?? true else { return nil }
            return .date(DateInput(min: min, max: max))
        case .range:
            let valueType = f.requiredEnum("value_type", ValueType.self, allowed: [.integer])
            let unit = f.optionalString("unit")
            guard var config = f.object("config", required: true) else { return nil }
            let minimum = config.requiredInteger("minimum")
            let maximum = config.requiredInteger("maximum")
            let exclusiveMinimum = config.optionalBool("exclusiveMinimum")
            let exclusiveMaximum = config.optionalBool("exclusiveMaximum")
            f.absorb(config)
            guard valueType != nil, let minimum, let maximum, config.problems.isEmpty else { return nil }
            return .range(IntegerRange(minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum,
                                       exclusiveMaximum: exclusiveMaximum, unit: unit))
        case .quantityPrice:
            let valueType = f.requiredEnum("value_type", ValueType.self, allowed: [.integer])
            let unit = f.optionalString("unit")
            guard var config = f.object("config", required: true) else { return nil }
            let startPrice = config.requiredInteger("start_price")
            let stepPrice = config.requiredInteger("step_price")
            let max = config.optionalInteger("max")
            let currency = config.requiredString("currency")
            f.absorb(config)
            guard valueType != nil, let startPrice, let stepPrice, let currency, config.problems.isEmpty else {
                return nil
            }
            return .quantityPrice(QuantityPrice(startPrice: startPrice, stepPrice: stepPrice, max: max,
                                                currency: currency, unit: unit))
        }
    }

    /// The parameter in the EOSC JSON shape. Optional fields that are `nil` are left out, as the
    /// marketplace does for `offer_properties`; reading this back gives an equal parameter.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["id": .string(id), "label": .string(label), "type": .string(type.rawValue),
                                      "value_type": .string(valueType.rawValue)]
        if let description { o["description"] = .string(description) }
        if let unit { o["unit"] = .string(unit) }
        switch kind {
        case .attribute(let a):
            o["value"] = .string(a.value)
        case .input:
            break
        case .select(let s):
            o["config"] = ["values": .array(s.values), "mode": .string(s.mode.rawValue)]
        case .multiselect(let m):
            var config: [String: JSONValue] = ["values": .array(m.values)]
            if let minItems = m.minItems { config["minItems"] = .int(minItems) }
            if let maxItems = m.maxItems { config["maxItems"] = .int(maxItems) }
            o["config"] = .object(config)
        case .date(let d):
            var config: [String: JSONValue] = [:]
            if let min = d.min { config["min"] = .string(min) }
            if let max = d.max { config["max"] = .string(max) }
            if !config.isEmpty { o["config"] = .object(config) }
        case .range(let r):
            var config: [String: JSONValue] = ["minimum": .int(r.minimum), "maximum": .int(r.maximum)]
            if let e = r.exclusiveMinimum { config["exclusiveMinimum"] = .bool(e) }
            if let e = r.exclusiveMaximum { config["exclusiveMaximum"] = .bool(e) }
            o["config"] = .object(config)
        case .quantityPrice(let q):
            var config: [String: JSONValue] = ["start_price": .int(q.startPrice), "step_price": .int(q.stepPrice),
                                               "currency": .string(q.currency)]
            if let max = q.max { config["max"] = .int(max) }
            o["config"] = .object(config)
        }
        return .object(o)
    }

    /// Reads an offer's `parameters` array and checks every definition rule: what the Offering API
    /// enforces when a provider writes an offer.
    ///
    /// Throws every shape problem of every element, or, when the shapes are right, every
    /// definition problem (see ``definitionProblems(of:)``).
    public static func parseDefinitions(_ json: JSONValue) throws(ParameterValidationError) -> [OfferParameter] {
        guard case .array(let items) = json else {
            throw ParameterValidationError([ParameterProblem(
                code: .malformed, parameterID: "parameters", message: "must be an array (got \(json.typeName))")])
        }
        var parameters: [OfferParameter] = []
        var problems: [ParameterProblem] = []
        for (position, item) in items.enumerated() {
            do throws(ParameterValidationError) {
                parameters.append(try OfferParameter(json: item, position: position))
            } catch {
                problems += error.problems
            }
        }
        if problems.isEmpty { problems = definitionProblems(of: parameters) }
        guard problems.isEmpty else { throw ParameterValidationError(problems) }
        return parameters
    }
}

extension OfferParameter: JSONBacked {}
