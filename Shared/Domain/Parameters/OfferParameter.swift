/// One technical parameter of an offer, as the EOSC Offering API defines it
/// (`offer_definitions.json`): what the user is shown or asked for when ordering.
///
/// The seven EOSC types carry different configuration, so the type and its configuration are one
/// ``Kind`` value: a `range` cannot exist without its bounds, and a `select` cannot lack its values.
/// JSON goes through ``init(json:position:)`` and ``json`` (and `Codable`, built on them) so a
/// malformed parameter is reported with its id and field instead of a generic decoding error.
public struct OfferParameter: Hashable, Sendable {
    /// The provider's identifier, unique within the offer; submitted values are keyed by it.
    public var id: String
    /// The name shown to the user.
    public var label: String
    /// Help text for the user; `nil` when the provider gave none.
    public var description: String?
    /// The parameter type with its type-specific configuration.
    public var kind: Kind

    /// Builds a parameter; use ``definitionProblems()`` before trusting one built from user input.
    public init(id: String, label: String, description: String? = nil, kind: Kind) {
        self.id = id
        self.label = label
        self.description = description
        self.kind = kind
    }

    /// The EOSC `type` string of this parameter.
    public var type: ParameterType { kind.type }

    /// The EOSC `value_type` of this parameter (fixed for `date`, `range`, `quantity_price`).
    public var valueType: ValueType {
        switch kind {
        case .attribute(let a): return a.valueType
        case .input(let i): return i.valueType
        case .select(let s): return s.valueType
        case .multiselect(let m): return m.valueType
        case .date: return .string
        case .range, .quantityPrice: return .integer
        }
    }

    /// The unit shown next to the value (`GB`, `cores`), when the type has one.
    public var unit: String? {
        switch kind {
        case .attribute(let a): return a.unit
        case .input(let i): return i.unit
        case .select(let s): return s.unit
        case .multiselect(let m): return m.unit
        case .date: return nil
        case .range(let r): return r.unit
        case .quantityPrice(let q): return q.unit
        }
    }
}

extension OfferParameter {
    /// The type of a parameter with the configuration only that type has.
    ///
    /// An enum because the EOSC schema fixes exactly these seven types and validation must handle
    /// each; a type the schema does not know is rejected when parsing, never carried along.
    public enum Kind: Hashable, Sendable {
        /// A constant shown to the user (the EOSC "attribute").
        case attribute(Attribute)
        /// Free text or an integer typed by the user.
        case input(Input)
        /// One value chosen from a list.
        case select(Select)
        /// Several values chosen from a list.
        case multiselect(Multiselect)
        /// A calendar date chosen by the user.
        case date(DateInput)
        /// An integer between bounds.
        case range(IntegerRange)
        /// A quantity ordered, priced per step.
        case quantityPrice(QuantityPrice)

        /// The EOSC `type` string of this kind.
        public var type: ParameterType {
            switch self {
            case .attribute: return .attribute
            case .input: return .input
            case .select: return .select
            case .multiselect: return .multiselect
            case .date: return .date
            case .range: return .range
            case .quantityPrice: return .quantityPrice
            }
        }
    }
}

/// The EOSC parameter `type` strings, for parsing and for callers that only need the name.
public enum ParameterType: String, CaseIterable, Hashable, Sendable, Codable {
    /// `attribute`: a constant.
    case attribute
    /// `input`: typed by the user.
    case input
    /// `select`: one of a list.
    case select
    /// `multiselect`: several of a list.
    case multiselect
    /// `date`: a calendar date.
    case date
    /// `range`: an integer between bounds.
    case range
    /// `quantity_price`: a quantity with a price per step.
    case quantityPrice = "quantity_price"
}

/// The EOSC `value_type`: how a submitted value is read and stored.
public enum ValueType: String, CaseIterable, Hashable, Sendable, Codable {
    /// Stored as a JSON string.
    case string
    /// Stored as a JSON integer; `"4"` and `4` are both accepted on input.
    case integer
}
