/// The state of one TMF622 v4 ProductOrderItem (`ProductOrderItemStateType`): the TMF view of
/// one EOSC project item, mapped from its EOSC status type by ``TMFStateMapping``.
///
/// The order states minus `partial`, which v4 defines for orders only; raw values are the
/// swagger's strings exactly because they go on the wire and into filters.
public enum TMFItemState: String, CaseIterable, Sendable, Codable, Hashable {
    /// Received and past the basic checks: the initial state.
    case acknowledged
    /// Refused before delivery started; final.
    case rejected
    /// Waits for information from the customer.
    case pending
    /// Blocked by an issue on the provider's side.
    case held
    /// Being delivered.
    case inProgress
    /// Cancelled while in flight; final.
    case cancelled
    /// Delivered, the service is active; final.
    case completed
    /// Delivery failed after it had started; final.
    case failed
    /// Its order's cancellation is being assessed.
    case assessingCancellation
    /// Its order's cancellation was accepted and is being carried out.
    case pendingCancellation

    /// Whether no transition leaves this state, so later EOSC changes cannot reopen the item
    /// in the TMF view.
    public var isFinal: Bool {
        switch self {
        case .completed, .cancelled, .rejected, .failed: return true
        default: return false
        }
    }

    /// The order graph without `partial` (research/tmf622.md §2.2: "same graph at item level"),
    /// so items and orders obey one figure.
    public static let transitions: [TMFItemState: Set<TMFItemState>] = {
        var out: [TMFItemState: Set<TMFItemState>] = [:]
        for (from, targets) in TMFOrderState.transitions {
            guard let state = TMFItemState(rawValue: from.rawValue) else { continue }
            out[state] = Set(targets.compactMap { TMFItemState(rawValue: $0.rawValue) })
        }
        return out
    }()

    /// Whether one step from this state to `next` is an allowed edge.
    public func canMove(to next: TMFItemState) -> Bool {
        Self.transitions[self]?.contains(next) ?? false
    }

    /// The shortest sequence of states after this one that reaches `target` through allowed
    /// edges (`[]` when equal, `nil` when unreachable; ties go to the earlier case), so item
    /// histories are as reproducible as order ones.
    public func path(to target: TMFItemState) -> [TMFItemState]? {
        tmfShortestPath(from: self, to: target, edges: Self.transitions)
    }
}
