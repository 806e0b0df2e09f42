import Wire

/// How Ruby 3.3 prints values (`inspect` and `to_s`), because the gem's messages interpolate
/// them: `value "LOL" did not match…`, `additional properties ["x"]`, `minimum value of 5`.
enum RubyText {
    /// `value.inspect` for parsed JSON: strings quoted and escaped, `nil`, `{"a"=>1}`, `[1, 2]`.
    static func inspect(_ value: JSONValue) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .string(let s): return inspect(s)
        case .array(let a): return "[" + a.map(inspect).joined(separator: ", ") + "]"
        case .object(let o):
            // Ruby keeps insertion order; a JSONValue has none, so keys are sorted for stable text.
            return "{" + o.keys.sorted().map { inspect($0) + "=>" + inspect(o[$0] ?? .null) }.joined(separator: ", ") + "}"
        }
    }

    /// `value.to_s` for a schema value: strings as they are, `nil` as empty, containers inspected.
    static func toS(_ value: OrderedJSON) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s
        case .bool, .int, .double, .array, .object: return inspect(value)
        }
    }

    /// `value.inspect` for a schema value, members in document order.
    static func inspect(_ value: OrderedJSON) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .string(let s): return inspect(s)
        case .array(let a): return "[" + a.map(inspect).joined(separator: ", ") + "]"
        case .object(let m): return "{" + m.map { inspect($0.key) + "=>" + inspect($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// `String#inspect` of a UTF-8 string: printable characters as they are, the usual
    /// backslash escapes, other control characters as `\uXXXX`, and `#` escaped before `{`, `$`, `@`.
    static func inspect(_ s: String) -> String {
        var out = "\""
        let scalars = Array(s.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            case "\u{08}": out += "\\b"
            case "\u{07}": out += "\\a"
            case "\u{1B}": out += "\\e"
            case "#":
                let next = i + 1 < scalars.count ? scalars[i + 1] : " "
                out += next == "{" || next == "$" || next == "@" ? "\\#" : "#"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || !scalar.properties.isPrintableForRuby {
                    out += "\\u" + hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `Float#to_s`: `1.0`, `1.5`, `1.0e+20`, `1.0e-05` (exponent form below 1e-4 and from 1e16).
    static func float(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        let magnitude = abs(d)
        if magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16) {
            // Shortest round-trip digits in fixed notation, as both languages print in this range.
            if d == d.rounded() { return String(Int64(d)) + ".0" }
            return "\(d)"
        }
        // Swift prints `1e+16`; Ruby prints `1.0e+16`.
        let text = "\(d)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        var mantissa = String(text[..<e])
        var exponent = String(text[text.index(after: e)...])
        if !mantissa.contains(".") { mantissa += ".0" }
        let sign = exponent.hasPrefix("-") ? "-" : "+"
        exponent = String(exponent.drop { $0 == "+" || $0 == "-" })
        if exponent.count < 2 { exponent = "0" + exponent }
        return mantissa + "e" + sign + exponent
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: false)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

private extension Unicode.Scalar.Properties {
    /// Ruby escapes unassigned, format and separator code points other than the plain space.
    var isPrintableForRuby: Bool {
        switch generalCategory {
        case .unassigned, .control, .format, .surrogate, .privateUse, .lineSeparator, .paragraphSeparator: return false
        case .spaceSeparator: return true
        default: return true
        }
    }
}
