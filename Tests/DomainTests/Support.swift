import Domain
import Testing
import Wire

/// A fixed "today" so date tests never depend on the machine's clock.
let today = CalendarDate(year: 2026, month: 11, day: 25)!

/// One row of a value-validation table: what is submitted and what must come out.
struct ValueCase: Sendable, CustomTestStringConvertible {
    let submitted: JSONValue?
    let expected: Expected

    enum Expected: Sendable, Equatable {
        case accepted(JSONValue)
        case refused(String)
    }

    var testDescription: String {
        let input = submitted.map { (try? WireFormat.encodeString($0)) ?? "?" } ?? "absent"
        switch expected {
        case .accepted(let v): return "\(input) -> \((try? WireFormat.encodeString(v)) ?? "?")"
        case .refused(let m): return "\(input) -> \(m)"
        }
    }
}

/// Accepts `submitted` and stores `stored`.
func ok(_ submitted: JSONValue?, _ stored: JSONValue) -> ValueCase { ValueCase(submitted: submitted, expected: .accepted(stored)) }
/// Refuses `submitted` with the problem text `message` (`id: ...`).
func no(_ submitted: JSONValue?, _ message: String) -> ValueCase { ValueCase(submitted: submitted, expected: .refused(message)) }

/// Runs one parameter's order-time validation and compares it with the row.
func check(_ parameter: OfferParameter, _ row: ValueCase, sourceLocation: SourceLocation = #_sourceLocation) {
    let got: ValueCase.Expected
    switch parameter.orderValue(row.submitted, today: today) {
    case .success(let v): got = .accepted(v)
    case .failure(let p): got = .refused(p.description)
    }
    #expect(got == row.expected, sourceLocation: sourceLocation)
}

/// Parses JSON text, failing the test on bad test data.
func json(_ text: String) throws -> JSONValue { try WireFormat.decode(JSONValue.self, from: text) }

/// The problem descriptions of a thrown ``ParameterValidationError``, or `[]` if nothing was thrown.
func problems(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let error as ParameterValidationError {
        return error.problems.map(\.description)
    } catch {
        return ["unexpected error: \(error)"]
    }
}
