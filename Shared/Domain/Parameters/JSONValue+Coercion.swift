import Wire

/// How submitted values are read, in one place so every parameter type reads them alike: the
/// marketplace form posts every value as text, API clients post JSON numbers, and both must mean
/// the same order.
extension JSONValue {
    /// The integer this value stands for: a JSON integer (or a number with no fraction), or a
    /// string of optional sign and decimal digits with surrounding blanks, e.g. `" 4"` or `"-3"`.
    /// `nil` for anything else, including `"4.5"`, `"1e3"`, `"0x10"` and `true`.
    var integerLike: Int64? {
        switch self {
        case .int, .double: return intValue
        case .string(let s): return Self.parseInteger(s)
        default: return nil
        }
    }

    /// The text this value stands for when a string is expected: a JSON string, or a JSON integer
    /// as its decimal digits (a client that writes `8` for a string choice means `"8"`).
    var textLike: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        default: return nil
        }
    }

    /// Whether this value means "nothing submitted": `null` or a string of blanks, as the
    /// marketplace treats a blank form field.
    var isBlank: Bool {
        switch self {
        case .null: return true
        case .string(let s): return s.allSatisfy(\.isWhitespace)
        default: return false
        }
    }

    /// The value as a person reads it in a message: strings bare, numbers as written.
    var displayText: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        case .array, .object: return typeName
        }
    }

    static func parseInteger(_ text: String) -> Int64? {
        let trimmed = text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        return Int64(String(trimmed))
    }
}
