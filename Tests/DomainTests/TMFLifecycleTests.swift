import Domain
import Testing

/// One thing that happens to an order in a lifecycle scenario.
enum TMFStep: Sendable, CustomStringConvertible {
    /// An OMS set line `line`'s EOSC status type.
    case item(String, StatusType)
    case request, accept, complete, refuse

    var description: String {
        switch self {
        case .item(let line, let type): return "item \(line) \(type.rawValue)"
        case .request: return "request"
        case .accept: return "accept"
        case .complete: return "complete"
        case .refuse: return "refuse"
        }
    }
}

/// A lifecycle scenario: a start, steps with the order states each must emit, and the end.
struct TMFScenario: Sendable, CustomTestStringConvertible {
    let name: String
    var start: TMFOrderLifecycle = TMFOrderLifecycle()
    /// `nil` expected: the step must be refused with `cancellationInProgress`.
    let steps: [(TMFStep, [TMFOrderState]?)]
    let state: TMFOrderState
    let items: [String: TMFItemState]
    var cancellation: CancellationPhase? = nil

    var testDescription: String { name }
}

@Suite("TMF622 order lifecycle")
struct TMFLifecycleTests {
    static let scenarios: [TMFScenario] = [
        TMFScenario(name: "one item created→registered→in_progress→ready",
                    steps: [(.item("1", .created), []), (.item("1", .registered), []),
                            (.item("1", .inProgress), [.inProgress]), (.item("1", .ready), [.completed])],
                    state: .completed, items: ["1": .completed]),
        TMFScenario(name: "two items, one delivered and one failed: partial",
                    steps: [(.item("1", .created), []), (.item("2", .created), []),
                            (.item("1", .inProgress), [.inProgress]), (.item("2", .approved), []),
                            (.item("1", .ready), []), (.item("2", .rejected), [.partial])],
                    state: .partial, items: ["1": .completed, "2": .failed]),
        TMFScenario(name: "an item rejected from acknowledged rejects the order",
                    steps: [(.item("1", .created), []), (.item("1", .rejected), [.rejected])],
                    state: .rejected, items: ["1": .rejected]),
        TMFScenario(name: "waiting for response, then ready: pending, then through inProgress to completed",
                    steps: [(.item("1", .created), []), (.item("1", .waitingForResponse), [.pending]),
                            (.item("1", .ready), [.inProgress, .completed])],
                    state: .completed, items: ["1": .completed]),
        TMFScenario(name: "one item ready while another is not started: inProgress",
                    steps: [(.item("1", .created), []), (.item("2", .created), []),
                            (.item("1", .ready), [.inProgress]), (.item("2", .inProgress), []),
                            (.item("2", .ready), [.completed])],
                    state: .completed, items: ["1": .completed, "2": .completed]),
        TMFScenario(name: "a final order absorbs later item changes",
                    steps: [(.item("1", .ready), [.inProgress, .completed]), (.item("1", .closed), []),
                            (.item("1", .inProgress), [])],
                    state: .completed, items: ["1": .completed]),
        TMFScenario(name: "every item closed by the OMS without a request: cancelled through the cancellation states",
                    steps: [(.item("1", .created), []),
                            (.item("1", .closed), [.assessingCancellation, .pendingCancellation, .cancelled])],
                    state: .cancelled, items: ["1": .cancelled]),
        TMFScenario(name: "cancellation requested, accepted, completed",
                    steps: [(.item("1", .inProgress), [.inProgress]), (.item("2", .ready), []),
                            (.request, [.assessingCancellation]), (.accept, [.pendingCancellation]),
                            (.complete, [.cancelled])],
                    state: .cancelled, items: ["1": .cancelled, "2": .completed], cancellation: .done),
        TMFScenario(name: "an order nobody started is cancelled at once: request then complete",
                    steps: [(.item("1", .created), []), (.request, [.assessingCancellation]),
                            (.complete, [.pendingCancellation, .cancelled])],
                    state: .cancelled, items: ["1": .cancelled], cancellation: .done),
        TMFScenario(name: "refused from inProgress: back to inProgress",
                    steps: [(.item("1", .inProgress), [.inProgress]), (.request, [.assessingCancellation]),
                            (.refuse, [.inProgress])],
                    state: .inProgress, items: ["1": .inProgress], cancellation: .refused),
        TMFScenario(name: "refused from pending: back to pending",
                    steps: [(.item("1", .waitingForResponse), [.pending]), (.request, [.assessingCancellation]),
                            (.refuse, [.pending])],
                    state: .pending, items: ["1": .pending], cancellation: .refused),
        TMFScenario(name: "refused from acknowledged: back to acknowledged",
                    steps: [(.item("1", .registered), []), (.request, [.assessingCancellation]),
                            (.refuse, [.acknowledged])],
                    state: .acknowledged, items: ["1": .acknowledged], cancellation: .refused),
        TMFScenario(name: "refused from a stored held order: back to held",
                    start: TMFOrderLifecycle(state: .held, items: ["1": .held]),
                    steps: [(.request, [.assessingCancellation]), (.refuse, [.held])],
                    state: .held, items: ["1": .held], cancellation: .refused),
        TMFScenario(name: "items move during the assessment: recorded, the order waits, the refusal lands on them",
                    steps: [(.item("1", .inProgress), [.inProgress]), (.request, [.assessingCancellation]),
                            (.item("1", .ready), []), (.refuse, [.inProgress, .completed])],
                    state: .completed, items: ["1": .completed], cancellation: .refused),
        TMFScenario(name: "after a refusal, items derive again and a new request is allowed",
                    steps: [(.item("1", .created), []), (.request, [.assessingCancellation]), (.refuse, [.acknowledged]),
                            (.item("1", .inProgress), [.inProgress]), (.request, [.assessingCancellation]),
                            (.accept, [.pendingCancellation]), (.item("1", .ready), []), (.complete, [.cancelled])],
                    state: .cancelled, items: ["1": .completed], cancellation: .done),
        TMFScenario(name: "accept, complete, refuse without a cancellation change nothing",
                    steps: [(.item("1", .inProgress), [.inProgress]), (.accept, []), (.complete, []), (.refuse, [])],
                    state: .inProgress, items: ["1": .inProgress]),
        TMFScenario(name: "an accepted cancellation can no longer be refused",
                    steps: [(.item("1", .inProgress), [.inProgress]), (.request, [.assessingCancellation]),
                            (.accept, [.pendingCancellation]), (.refuse, []), (.accept, [])],
                    state: .pendingCancellation, items: ["1": .inProgress], cancellation: .pending),
        TMFScenario(name: "a stored final order with an open item does not move, nor does its item",
                    start: TMFOrderLifecycle(state: .failed, items: ["1": .inProgress]),
                    steps: [(.item("1", .waitingForResponse), []), (.item("2", .created), [])],
                    state: .failed, items: ["1": .inProgress]),
        TMFScenario(name: "a stored order in assessingCancellation without a phase still waits and can be refused",
                    start: TMFOrderLifecycle(state: .assessingCancellation, items: ["1": .inProgress]),
                    steps: [(.item("1", .waitingForResponse), []), (.request, nil), (.refuse, [.pending])],
                    state: .pending, items: ["1": .pending], cancellation: .refused),
        TMFScenario(name: "a stored order in pendingCancellation without a phase cannot be refused, only completed",
                    start: TMFOrderLifecycle(state: .pendingCancellation, items: ["1": .inProgress], cancellation: .assessing),
                    steps: [(.refuse, []), (.accept, []), (.item("1", .ready), []), (.complete, [.cancelled])],
                    state: .cancelled, items: ["1": .completed], cancellation: .done),
    ]

    @Test("scenarios: the order states entered at each step, and the end state", arguments: scenarios)
    func scenario(_ scenario: TMFScenario) {
        var lifecycle = scenario.start
        for (index, (step, expected)) in scenario.steps.enumerated() {
            let entered: [TMFOrderState]?
            switch step {
            case .item(let line, let type): entered = lifecycle.itemChanged(line: line, eosc: type)
            case .request:
                do { entered = try lifecycle.cancellationRequested() } catch {
                    #expect(error.code == .cancellationInProgress, "step \(index + 1): \(step)")
                    entered = nil
                }
            case .accept: entered = lifecycle.cancellationAccepted()
            case .complete: entered = lifecycle.cancellationCompleted()
            case .refuse: entered = lifecycle.cancellationRefused()
            }
            #expect(entered == expected, "step \(index + 1): \(step)")
            if let last = entered?.last { #expect(lifecycle.state == last) }
        }
        #expect(lifecycle.state == scenario.state)
        #expect(lifecycle.items == scenario.items)
        #expect(lifecycle.cancellation == scenario.cancellation)
    }

    static let finalOrders: [TMFOrderState] = TMFOrderState.allCases.filter(\.isFinal)

    @Test("a cancellation of a final order is refused with orderIsFinal and changes nothing", arguments: finalOrders)
    func cancelFinal(state: TMFOrderState) {
        let before = TMFOrderLifecycle(state: state, items: ["1": .completed])
        var lifecycle = before
        #expect(throws: TMFLifecycleError(code: .orderIsFinal,
                                          reason: "The order is \(state.rawValue), a final state: it can no longer be changed")) {
            try lifecycle.cancellationRequested()
        }
        #expect(lifecycle == before)
        #expect(throws: TMFLifecycleError.self) { try lifecycle.checkCancellationInProgress() }
    }

    @Test("a second request while one is assessed or accepted is refused with cancellationInProgress",
          arguments: [false, true])
    func secondRequest(accepted: Bool) throws {
        var lifecycle = TMFOrderLifecycle()
        _ = lifecycle.itemChanged(line: "1", eosc: .inProgress)
        _ = try lifecycle.cancellationRequested()
        if accepted { _ = lifecycle.cancellationAccepted() }
        let before = lifecycle
        do {
            _ = try lifecycle.cancellationRequested()
            Issue.record("a second request was accepted")
        } catch {
            #expect(error.code == .cancellationInProgress)
            #expect(error.reason.contains(accepted ? "pendingCancellation" : "assessingCancellation"))
        }
        #expect(lifecycle == before)
        try lifecycle.checkCancellationInProgress()
    }

    @Test("checkCancellationInProgress refuses with noCancellationInProgress when nothing is under way")
    func noCancellation() {
        var lifecycle = TMFOrderLifecycle()
        _ = lifecycle.itemChanged(line: "1", eosc: .inProgress)
        do {
            try lifecycle.checkCancellationInProgress()
            Issue.record("no error")
        } catch {
            #expect(error.code == .noCancellationInProgress)
            #expect(error.description == "no_cancellation_in_progress: The order is inProgress: no cancellation is in progress")
        }
    }

    @Test("every emitted sequence follows allowed edges: each item type change from each reachable open state",
          arguments: StatusType.allCases)
    func emittedStepsAreEdges(eosc: StatusType) {
        for first in StatusType.allCases {
            var lifecycle = TMFOrderLifecycle()
            var from = lifecycle.state
            for type in [first, eosc] {
                let entered = lifecycle.itemChanged(line: "1", eosc: type)
                for (a, b) in zip([from] + entered, entered) { #expect(a.canMove(to: b), "\(first)→\(eosc): \(a) → \(b)") }
                from = lifecycle.state
            }
        }
    }
}
