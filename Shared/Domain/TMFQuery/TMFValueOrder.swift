import Foundation
import Wire

/// How TMF630 filters and sorts compare values, in one place so `orderDate.gt=` and
/// `sort=orderDate` agree on what "later" means.
///
/// A document value decides how a filter's text is read: against a date-time string the text is a
/// date-time (instants are compared, so `Z` and `+01:00` spellings of one moment are equal);
/// against a number it is a number; against a boolean `true`/`false`; against any other string it
/// is text (exact for equality, lexicographic for order). TMF's `priority` is a string `"0"`…`"4"`,
/// so it compares as text, which orders single digits correctly.
enum TMFValueOrder {
    /// The filter text as an instant: an RFC 3339 date-time (a missing offset read as UTC), or a
    /// date alone (`2026-11-25`) as midnight UTC of that day.
    static func filterInstant(_ text: String) -> Timestamp? {
        if let t = Timestamp(parsing: text, assumeUTC: true) { return t }
        guard text.utf8.count == 10 else { return nil }
        return Timestamp(parsing: text + "T00:00:00Z")
    }

    /// Whether a document value equals the filter text. A date-time also equals a filter that is a
    /// prefix of its text (`orderDate=2026-11-25`), as TM Forum's reference implementation does.
    static func equals(_ value: JSONValue, filter text: String) -> Bool {
        if case .string(let s) = value {
            if s == text { return true }
            guard let instant = Timestamp(parsing: s) else { return false }
            if let other = Timestamp(parsing: text, assumeUTC: true) { return instant == other }
            return s.hasPrefix(text)
        }
        return compare(value, filter: text) == 0
    }

    /// The order of a document value against the filter text (-1, 0, 1), or `nil` when the text
    /// cannot be read as the value's kind (a word against a number, an object against anything).
    static func compare(_ value: JSONValue, filter text: String) -> Int? {
        switch value {
        case .string(let s):
            if let instant = Timestamp(parsing: s), let other = filterInstant(text) { return sign(instant, other) }
            return sign(s, text)
        case .int(let i):
            if let other = Int64(text) { return sign(i, other) }
            if let other = number(text) { return sign(Double(i), other) }
            return nil
        case .double(let d):
            guard let other = number(text) else { return nil }
            return sign(d, other)
        case .bool(let b):
            guard text == "true" || text == "false" else { return nil }
            return sign(b ? 1 : 0, text == "true" ? 1 : 0)
        case .null, .array, .object:
            return nil
        }
    }

    /// Whether `regex` finds a match anywhere in the value's text (scalars only).
    static func matches(_ value: JSONValue, regex: NSRegularExpression) -> Bool {
        let text: String
        switch value {
        case .string(let s): text = s
        case .int(let i): text = String(i)
        case .double(let d): text = d.rounded() == d && abs(d) < 9.0e15 ? String(Int64(d)) : String(d)
        case .bool(let b): text = b ? "true" : "false"
        case .null, .array, .object: return false
        }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }

    /// A total order of two document values for sorting (-1, 0, 1): booleans, then numbers, then
    /// date-times by instant, then other strings, then objects; alike kinds by value.
    static func order(_ a: JSONValue, _ b: JSONValue) -> Int {
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return sign(ra, rb) }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
        case (.int(let x), .int(let y)): return sign(x, y)
        case (.int(let x), .double(let y)): return sign(Double(x), y)
        case (.double(let x), .int(let y)): return sign(x, Double(y))
        case (.double(let x), .double(let y)): return sign(x, y)
        case (.string(let x), .string(let y)):
            if let tx = Timestamp(parsing: x), let ty = Timestamp(parsing: y) { return sign(tx, ty) }
            return sign(x, y)
        default: return 0
        }
    }

    private static func rank(_ value: JSONValue) -> Int {
        switch value {
        case .bool: return 0
        case .int, .double: return 1
        case .string(let s): return Timestamp(parsing: s) == nil ? 3 : 2
        case .null, .array, .object: return 4
        }
    }

    /// A decimal number as a client writes it (`12`, `-1.5`, `2e3`); not `inf`, `nan` or hex.
    private static func number(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 69 || $0 == 101 }),
              let d = Double(text), d.isFinite else { return nil }
        return d
    }

    private static func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (b < a ? 1 : 0) }
}
