/// The state of a TMF622 v4 CancelProductOrder task (`TaskStateType`): the client's request
/// to cancel, which lives beside the order and ends once the order is cancelled or cannot be.
///
/// Raw values are the swagger's strings exactly, as they go on the wire.
public enum CancelTaskState: String, CaseIterable, Codable, Sendable, Hashable {
    /// The request was received and checked.
    case acknowledged
    /// The order could not be cancelled (point of no return passed, or the provider refused); final.
    case terminatedWithError
    /// The order's cancellation is being assessed or carried out.
    case inProgress
    /// The order is cancelled; final.
    case done

    /// Whether the task is over, so that no later order change touches it again.
    public var isFinal: Bool { self == .done || self == .terminatedWithError }

    /// `acknowledged → inProgress → done | terminatedWithError` (research/tmf622.md §2.4), plus
    /// the direct endings from `acknowledged` for a request decided at once.
    public static let transitions: [CancelTaskState: Set<CancelTaskState>] = [
        .acknowledged: [.inProgress, .done, .terminatedWithError],
        .inProgress: [.done, .terminatedWithError],
        .done: [], .terminatedWithError: [],
    ]

    /// Whether one step from this state to `next` is an allowed edge.
    public func canMove(to next: CancelTaskState) -> Bool {
        Self.transitions[self]?.contains(next) ?? false
    }

    /// The shortest sequence of states after this one that reaches `target` (`[]` when equal,
    /// `nil` when unreachable), so a task decided at once still emits its state changes in order.
    public func path(to target: CancelTaskState) -> [CancelTaskState]? {
        tmfShortestPath(from: self, to: target, edges: Self.transitions)
    }
}
