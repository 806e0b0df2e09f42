public import Wire

/// One entry of a project item's `attributes.offer_properties`: the offer's parameter definition as
/// it was when the order was placed, with the user's value filled in.
///
/// The definition is copied rather than referenced because an offer may change after ordering
/// and the provider must see what was ordered.
public struct OfferProperty: Hashable, Sendable {
    /// The parameter definition at order time.
    public var parameter: OfferParameter
    /// The normalised value: a JSON integer for integer types, a string, `YYYY-MM-DD` for dates,
    /// an array for `multiselect`.
    public var value: JSONValue

    /// Pairs a definition with its value; usually built by ``validated(definitions:submitted:today:)``.
    public init(parameter: OfferParameter, value: JSONValue) {
        self.parameter = parameter
        self.value = value
    }

    /// Checks every submitted value against the offer's parameters and returns what to store on
    /// the project item, one property per parameter in the offer's order.
    ///
    /// `submitted` is keyed by parameter id. A value for an id the offer does not have is refused
    /// (a typo must not be silently dropped from an order); a missing value is refused when the
    /// parameter needs one; `attribute` values are taken from the offer. Throws every problem at
    /// once: first the offer's parameters in order, then unknown ids sorted.
    public static func validated(definitions: [OfferParameter], submitted: [String: JSONValue],
                                 today: CalendarDate) throws(ParameterValidationError) -> [OfferProperty] {
        var properties: [OfferProperty] = []
        var problems: [ParameterProblem] = []
        for parameter in definitions {
            switch parameter.orderValue(submitted[parameter.id], today: today) {
            case .success(let value): properties.append(OfferProperty(parameter: parameter, value: value))
            case .failure(let problem): problems.append(problem)
            }
        }
        let known = Set(definitions.map(\.id))
        for id in submitted.keys.sorted() where !known.contains(id) {
            problems.append(ParameterProblem(code: .unknownParameter, parameterID: id,
                                             message: "is not a parameter of this offer"))
        }
        guard problems.isEmpty else { throw ParameterValidationError(problems) }
        return properties
    }

    /// The property in the EOSC shape: the parameter's JSON with `value` set.
    public var json: JSONValue {
        guard case .object(var members) = parameter.json else { return parameter.json }
        members["value"] = value
        return .object(members)
    }

    /// Reads a stored property: the parameter's shape plus its `value` (JSON `null` when absent).
    public init(json: JSONValue, position: Int? = nil) throws(ParameterValidationError) {
        parameter = try OfferParameter(json: json, position: position)
        value = json["value"] ?? .null
    }
}

extension OfferProperty: JSONBacked {}
