public import Wire

/// A day of the proleptic Gregorian calendar, with no time or zone: the value of a `date`
/// parameter, and "today" for its `"now"` bound.
///
/// Validation never reads a clock: callers pass today's date (``init(utcDayOf:)`` of their own
/// clock's timestamp), so tests can fix the day.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Year, e.g. 2026.
    public let year: Int
    /// Month, 1...12.
    public let month: Int
    /// Day of month, 1...31, valid for the month and year.
    public let day: Int

    /// A date, or `nil` when it does not exist (`2026-02-30`) or the year is outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (ISO 8601, JSON Schema `date`) or `DD-MM-YYYY` (what the marketplace
    /// order form submits), with exactly those digit counts; `nil` for any other text or a day that
    /// does not exist.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
              let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else { return nil }
        let widths = parts.map(\.utf8.count)
        if widths == [4, 2, 2] {
            self.init(year: a, month: b, day: c)
        } else if widths == [2, 2, 4] {
            self.init(year: c, month: b, day: a)
        } else {
            return nil
        }
    }

    /// The UTC calendar day containing `timestamp`, for passing "today" into validation.
    public init(utcDayOf timestamp: Timestamp) {
        (year, month, day) = timestamp.utcDay
    }

    /// Chronological order.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`: the one form stored in `offer_properties`, whatever form the user typed.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
