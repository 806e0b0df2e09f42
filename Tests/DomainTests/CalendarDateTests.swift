import Domain
import Testing
import Wire

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("both accepted forms parse to the same day", arguments: [
        ("2024-02-29", "2024-02-29"), ("29-02-2024", "2024-02-29"), ("2000-02-29", "2000-02-29"), ("0001-01-01", "0001-01-01"),
        ("31-12-9999", "9999-12-31"),
    ])
    func parses(text: String, iso: String) {
        #expect(CalendarDate(parsing: text)?.description == iso)
    }

    @Test("text that is not a real day in an accepted form is refused", arguments: [
        "1900-02-29", "2023-02-29", "2026-04-31", "2026-00-10", "2026-01-00", "0000-01-01", "2026-1-01", "26-01-2026x",
        "2026-01-01-", "+026-01-01", "2026-01-+1", "", "--", "2026 01 01", "١٢٣٤-01-01",
    ])
    func refuses(text: String) {
        #expect(CalendarDate(parsing: text) == nil)
    }

    @Test("the UTC day of a timestamp, also just before midnight and before 1970", arguments: [
        ("2026-11-25T23:59:59.999999Z", "2026-11-25"), ("2026-11-26T00:00:00Z", "2026-11-26"),
        ("1970-01-01T00:00:00Z", "1970-01-01"), ("1969-12-31T23:59:59.999999Z", "1969-12-31"),
        ("2024-02-29T12:00:00+13:00", "2024-02-28"),
    ])
    func utcDay(timestamp: String, iso: String) throws {
        let t = try #require(Timestamp(parsing: timestamp))
        #expect(CalendarDate(utcDayOf: t).description == iso)
    }

    @Test("dates order chronologically")
    func ordering() throws {
        let a = try #require(CalendarDate(year: 2026, month: 12, day: 31))
        let b = try #require(CalendarDate(year: 2027, month: 1, day: 1))
        #expect(a < b)
        #expect(!(b < a))
        #expect(CalendarDate(year: 2026, month: 2, day: 29) == nil)
    }
}
