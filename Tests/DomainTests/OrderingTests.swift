import Domain
import Testing
import Wire

@Suite("Order types, initial status and provider response deadline")
struct OrderingTests {
    static let cases = OrderType.allCases.flatMap { type in [false, true].map { (type, $0) } }

    @Test("only order_required and internal is orderable here; it starts created, everything else ready", arguments: cases)
    func initialStatus(type: OrderType, isInternal: Bool) {
        let orderable = type == .orderRequired && isInternal
        #expect(type.isOrderableThroughSystem(internal: isInternal) == orderable)
        #expect(ProjectItemStatus.initial(orderType: type, internal: isInternal)
                == (orderable ? ProjectItemStatus(value: "created", type: .created) : ProjectItemStatus(value: "ready", type: .ready)))
    }

    @Test("order types use the EOSC strings")
    func rawValues() {
        #expect(OrderType.allCases.map(\.rawValue) == ["open_access", "fully_open_access", "order_required", "other"])
    }

    static let created = Timestamp(parsing: "2026-11-25T10:00:00.250000Z")!

    @Test("the deadline is the creation time plus the provider's response time, to the microsecond")
    func deadline() {
        let d = ResponseDeadline(createdAt: Self.created, responseTimeSeconds: 2 * 86_400)
        #expect(d.deadline.rfc3339 == "2026-11-27T10:00:00.250000Z")
        #expect(ResponseDeadline(createdAt: Self.created, responseTimeSeconds: 0).deadline == Self.created)
    }

    @Test("overdue only after the deadline and only while no provider has answered", arguments: [
        // (microseconds after the deadline, answered?, overdue?)
        (-1, false, false), (0, false, false), (1, false, true), (86_400_000_000, false, true), (1, true, false),
    ])
    func overdue(offset: Int64, answered: Bool, expected: Bool) {
        let d = ResponseDeadline(createdAt: Self.created, responseTimeSeconds: 3600)
        let now = d.deadline.adding(microseconds: offset)
        #expect(d.isOverdue(at: now, firstResponseAt: answered ? Self.created.adding(seconds: 60) : nil) == expected)
    }

    @Test("a first response at the deadline meets it, a microsecond later misses it")
    func met() {
        let d = ResponseDeadline(createdAt: Self.created, responseTimeSeconds: 3600)
        #expect(d.wasMet(by: d.deadline))
        #expect(!d.wasMet(by: d.deadline.adding(microseconds: 1)))
    }

    @Test("response time is whole seconds rounded down, never negative", arguments: [
        (0, 0), (999_999, 0), (1_000_000, 1), (90_500_000, 90), (-5_000_000, 0),
    ])
    func responseSeconds(micros: Int64, seconds: Int64) {
        #expect(ResponseDeadline.responseSeconds(createdAt: Self.created,
                                                 firstResponseAt: Self.created.adding(microseconds: micros)) == seconds)
    }
}
