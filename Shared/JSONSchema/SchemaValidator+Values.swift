import Wire

/// Keywords about single values and arrays: limits, `enum`, `const`, `pattern`, `format`,
/// `uniqueItems`, `items`, `additionalItems`, `multipleOf`.
extension SchemaValidator {
    /// `minimum`/`maximum` with draft-4 `exclusiveMinimum`/`exclusiveMaximum` flags (any truthy
    /// value, as Ruby reads them).
    func checkNumericLimit(_ keyword: String, _ limit: OrderedJSON, _ schema: OrderedJSON, _ data: JSONValue,
                           _ path: [String]) throws(SchemaViolation) {
        guard let value = Self.number(data), let bound = Self.number(limit.jsonValue) else { return }
        let isMax = keyword == "maximum"
        let flag = schema[isMax ? "exclusiveMaximum" : "exclusiveMinimum"]
        let exclusive = flag != nil && flag != .null && flag != .bool(false)
        let invalid = isMax ? (exclusive ? value >= bound : value > bound) : (exclusive ? value <= bound : value < bound)
        guard invalid else { return }
        throw violation(path, "did not have a \(keyword) value of \(RubyText.toS(limit)), \(exclusive ? "exclusively" : "inclusively")")
    }

    /// Length and size limits; string length counts characters (code points), as Ruby does.
    func checkSizeLimit(_ keyword: String, _ limit: OrderedJSON, _ data: JSONValue,
                        _ path: [String]) throws(SchemaViolation) {
        guard let bound = Self.number(limit.jsonValue) else { return }
        let size: Int
        switch (keyword, data) {
        case ("minItems", .array(let a)), ("maxItems", .array(let a)): size = a.count
        case ("minProperties", .object(let o)), ("maxProperties", .object(let o)): size = o.count
        case ("minLength", .string(let s)), ("maxLength", .string(let s)): size = s.unicodeScalars.count
        default: return
        }
        let isMax = keyword.hasPrefix("max")
        guard isMax ? Double(size) > bound : Double(size) < bound else { return }
        let shown = RubyText.toS(limit)
        let text: String
        switch keyword {
        case "minItems": text = "did not contain a minimum number of items \(shown)"
        case "maxItems": text = "had more items than the allowed \(shown)"
        case "minProperties": text = "did not contain a minimum number of properties \(shown)"
        case "maxProperties": text = "had more properties than the allowed \(shown)"
        case "minLength": text = "was not of a minimum string length of \(shown)"
        default: text = "was not of a maximum string length of \(shown)"
        }
        throw violation(path, text)
    }

    /// The gem checks uniqueness whatever the keyword's value (even `false`), with Ruby's
    /// `uniq` equality: `1` and `1.0` differ, objects with equal members are equal.
    func checkUniqueItems(_ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard case .array(let items) = data, Set(items).count != items.count else { return }
        throw violation(path, "contained duplicated array values")
    }

    func checkMultipleOf(_ divisor: OrderedJSON, _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard let value = Self.number(data), let d = Self.number(divisor.jsonValue) else { return }
        let divisible: Bool
        if case .int(let v) = data, case .int(let m) = divisor, m != 0 {
            divisible = v % m == 0
        } else if d == 0 {
            divisible = false
        } else {
            let quotient = value / d
            divisible = abs(quotient - quotient.rounded()) < 1e-9
        }
        guard !divisible else { return }
        throw violation(path, "was not divisible by \(RubyText.toS(divisor))")
    }

    /// Membership with Ruby's `==` (`1 == 1.0`); values listed with `to_s`, `null` for nil and
    /// `array`/`object` for containers.
    func checkEnum(_ allowed: OrderedJSON, _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard let values = allowed.arrayValue else { return }
        if values.contains(where: { Self.rubyEqual($0.jsonValue, data) }) { return }
        let listed = values.map { v -> String in
            switch v {
            case .null: return "null"
            case .array: return "array"
            case .object: return "object"
            default: return RubyText.toS(v)
            }
        }.joined(separator: ", ")
        throw violation(path, "value \(RubyText.inspect(data)) did not match one of the following values: \(listed)")
    }

    func checkConst(_ constant: OrderedJSON, _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard !Self.rubyEqual(constant.jsonValue, data) else { return }
        throw violation(path, "value \(RubyText.inspect(data)) did not match constant '\(RubyText.toS(constant))'")
    }

    /// An unanchored search, as Ruby's `Regexp#match`.
    func checkPattern(_ pattern: OrderedJSON, _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard case .string(let text) = data, case .string(let regex) = pattern else { return }
        guard !RubyRegex.matches(regex, text) else { return }
        throw violation(path, "value \(RubyText.inspect(data)) did not match the regex '\(regex)'")
    }

    /// The formats the gem's draft-4 validator knows: `date-time`, `ipv4`, `ipv6` (and `uri`,
    /// which its parser accepts in practically every form, so it is not checked). Others, such as
    /// `date`, are ignored, as in the gem.
    func checkFormat(_ format: OrderedJSON, _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard case .string(let text) = data, case .string(let name) = format else { return }
        switch name {
        case "date-time":
            if !Formats.isRFC3339DateTime(text) { throw violation(path, "must be a valid RFC3339 date/time string") }
        case "ipv4":
            if !Formats.isIPv4(text) { throw violation(path, "must be a valid IPv4 address") }
        case "ipv6":
            if !Formats.isIPv6(text) { throw violation(path, "must be a valid IPv6 address") }
        default:
            return
        }
    }

    /// `items` as one schema for every element, or a list of schemas by position.
    func checkItems(_ items: OrderedJSON, _ document: String, _ data: JSONValue,
                    _ path: [String]) throws(SchemaViolation) {
        guard case .array(let elements) = data else { return }
        switch items {
        case .object:
            for (i, element) in elements.enumerated() { try validate(items, document, element, path + [String(i)]) }
        case .array(let schemas):
            for (i, schema) in schemas.enumerated() where i < elements.count {
                try validate(schema, document, elements[i], path + [String(i)])
            }
        default:
            return
        }
    }

    /// Only with positional `items`. `false` refuses any length other than the list's, shorter
    /// arrays included: the gem's reading, kept.
    func checkAdditionalItems(_ additional: OrderedJSON, _ schema: OrderedJSON, _ document: String,
                              _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard case .array(let elements) = data, case .array(let positional)? = schema["items"] else { return }
        if additional == .bool(false), positional.count != elements.count {
            throw violation(path, "contains additional array elements outside of the schema when none are allowed")
        }
        guard case .object = additional else { return }
        for (i, element) in elements.enumerated() where i >= positional.count {
            try validate(additional, document, element, path + [String(i)])
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// Ruby's `==` on parsed JSON: numbers by value across Integer and Float, containers deeply.
    static func rubyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.int, .double), (.double, .int), (.double, .double): return number(a) == number(b)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { rubyEqual($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { rubyEqual(value, $0) } ?? false }
        default: return a == b
        }
    }
}
