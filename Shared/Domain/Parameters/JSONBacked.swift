public import Wire

/// A value whose JSON form is built and checked by hand (`init(json:position:)` and `json`),
/// so its `Codable` conformance is the same for all of them: decode through the checking
/// initialiser, reporting a shape problem by parameter and field, and encode `json`.
public protocol JSONBacked: Codable {
    /// Reads the value, reporting every shape problem; `position` names it in a list.
    init(json: JSONValue, position: Int?) throws(ParameterValidationError)
    /// The value's JSON form.
    var json: JSONValue { get }
}

extension JSONBacked {
    /// Decodes through ``init(json:position:)``; a shape problem becomes a `DecodingError` whose
    /// description names the parameter and field.
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        do throws(ParameterValidationError) {
            try self.init(json: json, position: decoder.codingPath.last?.intValue)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: error.description, underlyingError: error))
        }
    }

    /// Encodes ``json``.
    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
