public import Wire

/// An OMS's `custom_params`: the extra values an offer handled by that OMS must or may carry
/// in its `oms_params` (research §4.1).
///
/// Each parameter is exactly `{"mandatory": false}` or `{"mandatory": true, "default": "<text>"}`;
/// the marketplace refuses anything else with one message, kept verbatim.
public struct OMSCustomParams: Hashable, Sendable {
    /// One custom parameter.
    public enum Param: Hashable, Sendable {
        /// `{"mandatory": false}`: an offer may give a value.
        case optional
        /// `{"mandatory": true, "default": …}`: every offer must give a value.
        case mandatory(default: String)

        /// Whether offers must give a value.
        public var isMandatory: Bool { if case .mandatory = self { return true }; return false }
    }

    /// The parameters by name.
    public var params: [String: Param]

    /// Builds custom params from parsed values.
    public init(_ params: [String: Param] = [:]) { self.params = params }

    /// The marketplace's message for any malformed value.
    public static let invalidMessage = "custom_params values must be either {mandatory: false}, or {mandatory: true, default: 'value'}"

    /// Reads `custom_params` as a client wrote it, with the marketplace's rule: throws the
    /// `custom_params` field error for anything but an object of the two allowed shapes.
    public init(json: JSONValue) throws(FieldErrors) {
        guard case .object(let members) = json else {
            throw FieldErrors(["custom_params": ["must be an object"]])
        }
        var params: [String: Param] = [:]
        for (name, value) in members {
            guard !name.allSatisfy(\.isWhitespace), case .object(let o) = value, case .bool(let mandatory)? = o["mandatory"] else {
                throw FieldErrors(["custom_params": [Self.invalidMessage]])
            }
            if mandatory {
                guard o.count == 2, case .string(let d)? = o["default"] else {
                    throw FieldErrors(["custom_params": [Self.invalidMessage]])
                }
                params[name] = .mandatory(default: d)
            } else {
                guard o.count == 1 else { throw FieldErrors(["custom_params": [Self.invalidMessage]]) }
                params[name] = .optional
            }
        }
        self.params = params
    }

    /// Reads stored `custom_params` leniently: `mandatory: true` counts as mandatory, anything
    /// else as optional (rows written by operators are validated by `omsctl`).
    public init(stored json: JSONValue) {
        var params: [String: Param] = [:]
        for (name, value) in json.objectValue ?? [:] {
            params[name] = value["mandatory"]?.boolValue == true
                ? .mandatory(default: value["default"]?.stringValue ?? "") : .optional
        }
        self.params = params
    }

    /// Whether the OMS has no custom parameters.
    public var isEmpty: Bool { params.isEmpty }

    /// The names every offer must give a value for.
    public var mandatoryNames: Set<String> { Set(params.filter { $0.value.isMandatory }.keys) }

    /// The stored and Ordering API form, defaults included.
    public var json: JSONValue {
        .object(params.mapValues { param -> JSONValue in
            switch param {
            case .optional: return ["mandatory": false]
            case .mandatory(let d): return ["mandatory": true, "default": .string(d)]
            }
        })
    }

    /// The Offering API form (`available_omses`): `{"<name>": {"mandatory": bool}}`, defaults hidden.
    public var reduced: JSONValue { .object(params.mapValues { ["mandatory": .bool($0.isMandatory)] }) }
}
