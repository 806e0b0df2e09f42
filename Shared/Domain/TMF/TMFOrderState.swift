/// The state of a TMF622 v4 ProductOrder (`ProductOrderStateType`), derived from its items'
/// states so that a TMF client and an EOSC OMS always see the same order.
///
/// The raw values are the swagger's enum strings exactly: they are what goes on the wire, in
/// `?state=` filters and in hub queries, so a misspelling would silently match nothing.
public enum TMFOrderState: String, CaseIterable, Sendable, Codable, Hashable {
    /// Received and past the basic checks: the initial state.
    case acknowledged
    /// Refused by business validation; final.
    case rejected
    /// Waits for an action, usually information from the customer.
    case pending
    /// Blocked by an issue on the provider's side until it is solved.
    case held
    /// At least one item is being delivered.
    case inProgress
    /// Cancelled while in flight; final.
    case cancelled
    /// Every item was delivered; final.
    case completed
    /// Every item's delivery failed; final.
    case failed
    /// Every item finished, some delivered and some not; final, and only an order state.
    case partial
    /// A cancellation was requested and the provider decides whether it is still possible.
    case assessingCancellation
    /// The cancellation was accepted and is being carried out; only `cancelled` follows.
    case pendingCancellation

    /// Whether no transition leaves this state: TMF622 refuses every update of such an order.
    public var isFinal: Bool {
        switch self {
        case .completed, .cancelled, .rejected, .failed, .partial: return true
        default: return false
        }
    }

    /// The allowed edges of the TMF622 user-guide state figure (research/tmf622.md §2.1), one
    /// table so that every check, path and test reads the same graph. Final states have none.
    public static let transitions: [TMFOrderState: Set<TMFOrderState>] = [
        .acknowledged: [.rejected, .inProgress, .pending, .assessingCancellation],
        .pending: [.acknowledged, .inProgress, .rejected, .cancelled, .assessingCancellation],
        .inProgress: [.pending, .held, .completed, .partial, .failed, .assessingCancellation],
        .held: [.inProgress, .cancelled, .assessingCancellation],
        .assessingCancellation: [.pendingCancellation, .acknowledged, .pending, .inProgress, .held],
        .pendingCancellation: [.cancelled],
        .rejected: [], .cancelled: [], .completed: [], .failed: [], .partial: [],
    ]

    /// Whether one step from this state to `next` is an allowed edge, so that a requested
    /// transition can be refused (409) before anything changes.
    public func canMove(to next: TMFOrderState) -> Bool {
        Self.transitions[self]?.contains(next) ?? false
    }

    /// The shortest sequence of states after this one that reaches `target` through allowed
    /// edges, so that a derived jump (e.g. `acknowledged` → `completed`) still emits one
    /// StateChange event per state a listener could have seen. `[]` when `target` is this
    /// state, `nil` when unreachable; ties go to the earlier case in declaration order.
    public func path(to target: TMFOrderState) -> [TMFOrderState]? {
        tmfShortestPath(from: self, to: target, edges: Self.transitions)
    }

    /// The states a requested cancellation walks through from here: always via
    /// `assessingCancellation` and `pendingCancellation`, never the shorter `pending` →
    /// `cancelled` edge, which means an automatic cancellation and not one the client asked for.
    /// `nil` for a final order, which can no longer be cancelled.
    public func cancellationPath() -> [TMFOrderState]? {
        switch self {
        case _ where isFinal: return nil
        case .pendingCancellation: return [.cancelled]
        case .assessingCancellation: return [.pendingCancellation, .cancelled]
        default: return [.assessingCancellation, .pendingCancellation, .cancelled]
        }
    }
}
