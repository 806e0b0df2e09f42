import Domain
import Testing

/// The EOSC status type ↔ TMF622 item state mapping, against rules written here by raw string.
@Suite("TMF622 ↔ EOSC state mapping")
struct TMFMappingTests {
    /// The README's table, by raw string: EOSC `status.type` → TMF item state.
    static let expectedRows: [(String, String)] = [
        ("created", "acknowledged"), ("registered", "acknowledged"), ("approved", "inProgress"),
        ("in_progress", "inProgress"), ("waiting_for_response", "pending"), ("ready", "completed"),
        ("rejected", "rejected"), ("closed", "cancelled"),
    ]

    /// The expected item state, by an independent rule: final TMF states never move; an EOSC
    /// rejection after work started is a failure; otherwise the row.
    static func expectedItem(after previous: TMFItemState?, eosc: StatusType) -> String {
        if let previous, ["completed", "cancelled", "rejected", "failed"].contains(previous.rawValue) {
            return previous.rawValue
        }
        if eosc.rawValue == "rejected", let previous, ["inProgress", "held"].contains(previous.rawValue) { return "failed" }
        return expectedRows.first { $0.0 == eosc.rawValue }!.1
    }

    static let previousStates: [TMFItemState?] = [nil] + TMFItemState.allCases.map { Optional($0) }
    static let itemPairs: [(TMFItemState?, StatusType)] =
        previousStates.flatMap { p in StatusType.allCases.map { (p, $0) } }

    @Test("the table has one row per EOSC status type, mapped as the README says, each with a note")
    func tableRows() {
        let rows: [(StatusType, TMFItemState, String)] = TMFStateMapping.table.map { ($0.eosc, $0.tmf, $0.note) }
        #expect(rows.map(\.0.rawValue).sorted() == StatusType.allCases.map(\.rawValue).sorted())
        #expect(rows.map { "\($0.0.rawValue)→\($0.1.rawValue)" }.sorted()
                == Self.expectedRows.map { "\($0.0)→\($0.1)" }.sorted())
        #expect(rows.allSatisfy { $0.2.count > 20 })
    }

    @Test("itemState(after:eosc:) for every previous state (none + 10) × 8 EOSC types", arguments: itemPairs)
    func itemState(previous: TMFItemState?, eosc: StatusType) {
        #expect(TMFStateMapping.itemState(after: previous, eosc: eosc).rawValue
                == Self.expectedItem(after: previous, eosc: eosc))
    }

    static let spotChecks: [(TMFItemState?, StatusType, TMFItemState)] = [
        (nil, .created, .acknowledged),
        (nil, .ready, .completed),                 // open-access item: ready from the start
        (.completed, .closed, .completed),         // closed after ready: the service ran its course
        (.completed, .inProgress, .completed),     // an OMS reopening a ready item
        (.inProgress, .rejected, .failed),
        (.held, .rejected, .failed),
        (.pending, .rejected, .rejected),
        (.acknowledged, .rejected, .rejected),
        (.inProgress, .closed, .cancelled),
        (.cancelled, .ready, .cancelled),
        (.failed, .inProgress, .failed),
        (.pendingCancellation, .registered, .acknowledged),
    ]

    @Test("itemState: hand-picked outcomes", arguments: spotChecks)
    func spotCheck(previous: TMFItemState?, eosc: StatusType, expected: TMFItemState) {
        #expect(TMFStateMapping.itemState(after: previous, eosc: eosc) == expected)
    }

    @Test("eoscType(for:): only cancelled is written back to EOSC, as closed", arguments: TMFItemState.allCases)
    func reverse(state: TMFItemState) {
        #expect(TMFStateMapping.eoscType(for: state)?.rawValue == (state.rawValue == "cancelled" ? "closed" : nil))
        if let eosc = TMFStateMapping.eoscType(for: state) {
            // The written-back type maps to the same TMF state, so the two views agree afterwards.
            #expect(TMFStateMapping.itemState(after: nil, eosc: eosc) == state)
        }
    }

    @Test("informationRequired: only waiting_for_response asks the customer", arguments: StatusType.allCases)
    func informationRequired(eosc: StatusType) {
        #expect(TMFStateMapping.informationRequired(eosc) == (eosc.rawValue == "waiting_for_response"))
        if TMFStateMapping.informationRequired(eosc) {
            #expect(TMFStateMapping.itemState(after: nil, eosc: eosc) == .pending)
        }
    }

    @Test("every EOSC final type maps to a TMF final state, so a finished item is finished in both views",
          arguments: StatusType.allCases.filter(\.isFinal))
    func finalsAgree(eosc: StatusType) {
        for previous in Self.previousStates {
            #expect(TMFStateMapping.itemState(after: previous, eosc: eosc).isFinal)
        }
    }
}
