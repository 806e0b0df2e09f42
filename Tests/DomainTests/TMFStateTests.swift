import Domain
import Testing

/// The TMF622 v4 state graphs, checked against tables written here independently of the code
/// (raw strings copied from the v4 swagger enums and the state figure of research/tmf622.md §2).
@Suite("TMF622 state machines")
struct TMFStateTests {
    // MARK: The expected graphs, by raw string

    static let orderNames: [String] = ["acknowledged", "rejected", "pending", "held", "inProgress", "cancelled",
                                       "completed", "failed", "partial", "assessingCancellation", "pendingCancellation"]
    static let itemNames: [String] = orderNames.filter { $0 != "partial" }
    static let taskNames: [String] = ["acknowledged", "terminatedWithError", "inProgress", "done"]

    static let orderEdges: [String: Set<String>] = [
        "acknowledged": ["rejected", "inProgress", "pending", "assessingCancellation"],
        "pending": ["acknowledged", "inProgress", "rejected", "cancelled", "assessingCancellation"],
        "inProgress": ["pending", "held", "completed", "partial", "failed", "assessingCancellation"],
        "held": ["inProgress", "cancelled", "assessingCancellation"],
        "assessingCancellation": ["pendingCancellation", "acknowledged", "pending", "inProgress", "held"],
        "pendingCancellation": ["cancelled"],
    ]
    static let itemEdges: [String: Set<String>] = orderEdges.mapValues { $0.subtracting(["partial"]) }
    static let taskEdges: [String: Set<String>] = [
        "acknowledged": ["inProgress", "done", "terminatedWithError"],
        "inProgress": ["done", "terminatedWithError"],
    ]

    /// Shortest distances by relaxing every edge until nothing changes (Bellman-Ford style), a
    /// different algorithm from the code's breadth-first search.
    static func distances(_ names: [String], _ edges: [String: Set<String>]) -> [String: [String: Int]] {
        var d: [String: [String: Int]] = [:]
        for n in names { d[n] = [n: 0] }
        var changed = true
        while changed {
            changed = false
            for from in names {
                for (mid, dm) in d[from]! {
                    for to in edges[mid] ?? [] where (d[from]![to] ?? Int.max) > dm + 1 {
                        d[from]![to] = dm + 1
                        changed = true
                    }
                }
            }
        }
        return d
    }
    static let orderDistances: [String: [String: Int]] = distances(orderNames, orderEdges)
    static let itemDistances: [String: [String: Int]] = distances(itemNames, itemEdges)
    static let taskDistances: [String: [String: Int]] = distances(taskNames, taskEdges)

    static let orderPairs: [(TMFOrderState, TMFOrderState)] =
        TMFOrderState.allCases.flatMap { a in TMFOrderState.allCases.map { (a, $0) } }
    static let itemPairs: [(TMFItemState, TMFItemState)] =
        TMFItemState.allCases.flatMap { a in TMFItemState.allCases.map { (a, $0) } }
    static let taskPairs: [(CancelTaskState, CancelTaskState)] =
        CancelTaskState.allCases.flatMap { a in CancelTaskState.allCases.map { (a, $0) } }

    // MARK: Values and finality

    @Test("the enums carry exactly the v4 swagger strings, in the swagger's order")
    func rawValues() {
        #expect(TMFOrderState.allCases.map(\.rawValue) == Self.orderNames)
        #expect(TMFItemState.allCases.map(\.rawValue) == Self.itemNames)
        #expect(CancelTaskState.allCases.map(\.rawValue) == Self.taskNames)
    }

    @Test("final states: order completed/cancelled/rejected/failed/partial, item the same minus partial, task done/terminatedWithError")
    func finality() {
        #expect(Set(TMFOrderState.allCases.filter(\.isFinal).map(\.rawValue))
                == ["completed", "cancelled", "rejected", "failed", "partial"])
        #expect(Set(TMFItemState.allCases.filter(\.isFinal).map(\.rawValue)) == ["completed", "cancelled", "rejected", "failed"])
        #expect(Set(CancelTaskState.allCases.filter(\.isFinal).map(\.rawValue)) == ["done", "terminatedWithError"])
    }

    @Test("a final state has no outgoing edge, and every non-final one has some", arguments: TMFOrderState.allCases)
    func finalHasNoEdges(state: TMFOrderState) {
        #expect(TMFOrderState.allCases.contains { state.canMove(to: $0) } == !state.isFinal)
    }

    // MARK: canMove, every pair

    @Test("order canMove: all 11×11 pairs against the figure's edges", arguments: orderPairs)
    func orderCanMove(from: TMFOrderState, to: TMFOrderState) {
        #expect(from.canMove(to: to) == (Self.orderEdges[from.rawValue]?.contains(to.rawValue) ?? false))
    }

    @Test("item canMove: all 10×10 pairs against the figure's edges minus partial", arguments: itemPairs)
    func itemCanMove(from: TMFItemState, to: TMFItemState) {
        #expect(from.canMove(to: to) == (Self.itemEdges[from.rawValue]?.contains(to.rawValue) ?? false))
    }

    @Test("task canMove: all 4×4 pairs", arguments: taskPairs)
    func taskCanMove(from: CancelTaskState, to: CancelTaskState) {
        #expect(from.canMove(to: to) == (Self.taskEdges[from.rawValue]?.contains(to.rawValue) ?? false))
    }

    // MARK: path(to:), every pair

    /// Checks one returned path: nil exactly when unreachable, otherwise as long as the shortest
    /// distance, ending at the target, every step an allowed edge.
    static func checkPath(_ from: String, _ to: String, _ path: [String]?, _ edges: [String: Set<String>],
                          _ distances: [String: [String: Int]], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let expectedLength = distances[from]![to] else {
            #expect(path == nil, sourceLocation: sourceLocation)
            return
        }
        guard let path else {
            Issue.record("no path from \(from) to \(to), expected one of length \(expectedLength)", sourceLocation: sourceLocation)
            return
        }
        #expect(path.count == expectedLength, sourceLocation: sourceLocation)
        #expect(path.last ?? from == to, sourceLocation: sourceLocation)
        for (a, b) in zip([from] + path, path) {
            #expect(edges[a]?.contains(b) == true, "step \(a) → \(b)", sourceLocation: sourceLocation)
        }
    }

    @Test("order path: shortest, allowed steps only, nil iff unreachable (all pairs)", arguments: orderPairs)
    func orderPathAllPairs(from: TMFOrderState, to: TMFOrderState) {
        Self.checkPath(from.rawValue, to.rawValue, from.path(to: to)?.map(\.rawValue), Self.orderEdges, Self.orderDistances)
    }

    @Test("item path: shortest, allowed steps only, nil iff unreachable (all pairs)", arguments: itemPairs)
    func itemPathAllPairs(from: TMFItemState, to: TMFItemState) {
        Self.checkPath(from.rawValue, to.rawValue, from.path(to: to)?.map(\.rawValue), Self.itemEdges, Self.itemDistances)
    }

    @Test("task path: shortest, allowed steps only, nil iff unreachable (all pairs)", arguments: taskPairs)
    func taskPathAllPairs(from: CancelTaskState, to: CancelTaskState) {
        Self.checkPath(from.rawValue, to.rawValue, from.path(to: to)?.map(\.rawValue), Self.taskEdges, Self.taskDistances)
    }

    static let orderPathCases: [(TMFOrderState, TMFOrderState, [TMFOrderState]?)] = [
        (.acknowledged, .acknowledged, []),
        (.acknowledged, .completed, [.inProgress, .completed]),
        (.acknowledged, .partial, [.inProgress, .partial]),
        (.acknowledged, .cancelled, [.pending, .cancelled]),
        (.acknowledged, .held, [.inProgress, .held]),
        (.pending, .completed, [.inProgress, .completed]),
        (.held, .completed, [.inProgress, .completed]),
        (.held, .acknowledged, [.assessingCancellation, .acknowledged]),
        (.held, .pending, [.inProgress, .pending]),              // tie with via assessingCancellation: inProgress is declared first
        (.held, .rejected, [.inProgress, .pending, .rejected]),
        (.inProgress, .acknowledged, [.pending, .acknowledged]),
        (.inProgress, .rejected, [.pending, .rejected]),
        (.assessingCancellation, .completed, [.inProgress, .completed]),
        (.assessingCancellation, .cancelled, [.pending, .cancelled]),
        (.pendingCancellation, .cancelled, [.cancelled]),
        (.pendingCancellation, .inProgress, nil),
        (.completed, .inProgress, nil),
        (.rejected, .acknowledged, nil),
        (.partial, .partial, []),
        (.cancelled, .completed, nil),
    ]

    @Test("order path: hand-checked results, including ties and unreachable targets", arguments: orderPathCases)
    func orderPath(from: TMFOrderState, to: TMFOrderState, expected: [TMFOrderState]?) {
        #expect(from.path(to: to) == expected)
    }

    static let itemPathCases: [(TMFItemState, TMFItemState, [TMFItemState]?)] = [
        (.acknowledged, .completed, [.inProgress, .completed]),
        (.acknowledged, .failed, [.inProgress, .failed]),
        (.inProgress, .failed, [.failed]),
        (.pending, .held, [.inProgress, .held]),
        (.held, .cancelled, [.cancelled]),
        (.completed, .failed, nil),
        (.failed, .failed, []),
        (.pendingCancellation, .acknowledged, nil),
    ]

    @Test("item path: hand-checked results", arguments: itemPathCases)
    func itemPath(from: TMFItemState, to: TMFItemState, expected: [TMFItemState]?) {
        #expect(from.path(to: to) == expected)
    }

    static let taskPathCases: [(CancelTaskState, CancelTaskState, [CancelTaskState]?)] = [
        (.acknowledged, .done, [.done]),
        (.acknowledged, .inProgress, [.inProgress]),
        (.inProgress, .terminatedWithError, [.terminatedWithError]),
        (.inProgress, .acknowledged, nil),
        (.done, .inProgress, nil),
        (.done, .done, []),
    ]

    @Test("task path: hand-checked results", arguments: taskPathCases)
    func taskPath(from: CancelTaskState, to: CancelTaskState, expected: [CancelTaskState]?) {
        #expect(from.path(to: to) == expected)
    }

    // MARK: cancellationPath

    @Test("cancellationPath: always via assessingCancellation and pendingCancellation, nil for a final order",
          arguments: TMFOrderState.allCases)
    func cancellationPath(from: TMFOrderState) {
        let expected: [TMFOrderState]?
        switch from.rawValue {
        case "completed", "cancelled", "rejected", "failed", "partial": expected = nil
        case "pendingCancellation": expected = [.cancelled]
        case "assessingCancellation": expected = [.pendingCancellation, .cancelled]
        default: expected = [.assessingCancellation, .pendingCancellation, .cancelled]
        }
        #expect(from.cancellationPath() == expected)
        if let path = from.cancellationPath() {
            for (a, b) in zip([from] + path, path) { #expect(a.canMove(to: b), "step \(a) → \(b)") }
        }
    }
}
