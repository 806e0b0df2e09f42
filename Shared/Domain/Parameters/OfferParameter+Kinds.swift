public import Wire

extension OfferParameter {
    /// A constant the offer shows and copies into every order (EOSC type `attribute`).
    public struct Attribute: Hashable, Sendable {
        /// The fixed value, as the schema writes it: a string, holding an integer when
        /// ``valueType`` is `integer` (checked by definition validation).
        public var value: String
        /// How ``value`` is read.
        public var valueType: ValueType
        /// Unit shown with the value.
        public var unit: String?

        /// Builds an attribute.
        public init(value: String, valueType: ValueType, unit: String? = nil) {
            self.value = value
            self.valueType = valueType
            self.unit = unit
        }
    }

    /// A value the user types (EOSC type `input`); every input is required.
    public struct Input: Hashable, Sendable {
        /// Whether the typed text must be an integer.
        public var valueType: ValueType
        /// Unit shown with the value.
        public var unit: String?

        /// Builds an input.
        public init(valueType: ValueType, unit: String? = nil) {
            self.valueType = valueType
            self.unit = unit
        }
    }

    /// How the marketplace UI shows a `select`; kept only to round-trip the offer.
    public enum SelectMode: String, CaseIterable, Hashable, Sendable {
        /// A drop-down list.
        case dropdown
        /// A row of buttons.
        case buttons
    }

    /// One value chosen from a list (EOSC type `select`).
    public struct Select: Hashable, Sendable {
        /// The allowed values: JSON strings or integers as the provider wrote them
        /// (`config.values`); for `integer` ``valueType`` a string holding an integer counts.
        public var values: [JSONValue]
        /// UI presentation (`config.mode`).
        public var mode: SelectMode
        /// How the chosen value is read and stored.
        public var valueType: ValueType
        /// Unit shown with the value.
        public var unit: String?

        /// Builds a select.
        public init(values: [JSONValue], mode: SelectMode = .dropdown, valueType: ValueType, unit: String? = nil) {
            self.values = values
            self.mode = mode
            self.valueType = valueType
            self.unit = unit
        }
    }

    /// Several values chosen from a list (EOSC type `multiselect`).
    public struct Multiselect: Hashable, Sendable {
        /// The allowed values (`config.values`), as for ``Select/values``.
        public var values: [JSONValue]
        /// Fewest values to choose (`config.minItems`); `nil` means none are required.
        public var minItems: Int64?
        /// Most values to choose (`config.maxItems`); `nil` means all of them.
        public var maxItems: Int64?
        /// How each chosen value is read and stored.
        public var valueType: ValueType
        /// Unit shown with the values.
        public var unit: String?

        /// Builds a multiselect.
        public init(values: [JSONValue], minItems: Int64? = nil, maxItems: Int64? = nil,
                    valueType: ValueType, unit: String? = nil) {
            self.values = values
            self.minItems = minItems
            self.maxItems = maxItems
            self.valueType = valueType
            self.unit = unit
        }

        /// The fewest values an order must choose: `minItems`, or 0 as the marketplace assumes.
        public var effectiveMinItems: Int64 { minItems ?? 0 }
        /// The most values an order may choose: `maxItems`, or the number of values.
        public var effectiveMaxItems: Int64 { maxItems ?? Int64(values.count) }
    }

    /// A calendar date chosen by the user (EOSC type `date`, `value_type` always `string`).
    ///
    /// The Offering API does not emit bounds, but the marketplace honours `config.min` and
    /// `config.max` when present, so they are kept: `"now"` (the order's day) or a date.
    public struct DateInput: Hashable, Sendable {
        /// Earliest allowed date: `"now"`, `YYYY-MM-DD` or `DD-MM-YYYY`; `nil` for none.
        public var min: String?
        /// Latest allowed date, written like ``min``; `nil` for none.
        public var max: String?

        /// Builds a date parameter, by default without bounds.
        public init(min: String? = nil, max: String? = nil) {
            self.min = min
            self.max = max
        }
    }

    /// An integer between bounds (EOSC type `range`, `value_type` always `integer`).
    public struct IntegerRange: Hashable, Sendable {
        /// Lower bound (`config.minimum`).
        public var minimum: Int64
        /// Upper bound (`config.maximum`).
        public var maximum: Int64
        /// Whether ``minimum`` itself is excluded (JSON Schema draft-4 meaning); `nil` = not given.
        public var exclusiveMinimum: Bool?
        /// Whether ``maximum`` itself is excluded; `nil` = not given.
        public var exclusiveMaximum: Bool?
        /// Unit shown with the value.
        public var unit: String?

        /// Builds a range.
        public init(minimum: Int64, maximum: Int64, exclusiveMinimum: Bool? = nil,
                    exclusiveMaximum: Bool? = nil, unit: String? = nil) {
            self.minimum = minimum
            self.maximum = maximum
            self.exclusiveMinimum = exclusiveMinimum
            self.exclusiveMaximum = exclusiveMaximum
            self.unit = unit
        }

        /// The smallest integer allowed, after the exclusive flag; meaningful when ``admitsAValue``.
        public var lowestAllowed: Int64 {
            exclusiveMinimum == true ? minimum.addingReportingOverflow(1).partialValue : minimum
        }
        /// The largest integer allowed, after the exclusive flag; meaningful when ``admitsAValue``.
        public var highestAllowed: Int64 {
            exclusiveMaximum == true ? maximum.subtractingReportingOverflow(1).partialValue : maximum
        }
        /// Whether at least one integer satisfies the bounds; an empty range can never be ordered.
        public var admitsAValue: Bool {
            if exclusiveMinimum == true && minimum == .max { return false }
            if exclusiveMaximum == true && maximum == .min { return false }
            return lowestAllowed <= highestAllowed
        }
    }

    /// A quantity ordered with a price per step (EOSC type `quantity_price`, `value_type` always
    /// `integer`). The price is informational; only the quantity is stored with the order.
    public struct QuantityPrice: Hashable, Sendable {
        /// Price of the first unit (`config.start_price`).
        public var startPrice: Int64
        /// Price of each further unit (`config.step_price`).
        public var stepPrice: Int64
        /// Largest quantity allowed (`config.max`); `nil` for no limit.
        public var max: Int64?
        /// Currency of the prices (`config.currency`), e.g. `EUR`.
        public var currency: String
        /// Unit of the quantity.
        public var unit: String?

        /// Builds a quantity price.
        public init(startPrice: Int64, stepPrice: Int64, max: Int64? = nil, currency: String, unit: String? = nil) {
            self.startPrice = startPrice
            self.stepPrice = stepPrice
            self.max = max
            self.currency = currency
            self.unit = unit
        }
    }
}
