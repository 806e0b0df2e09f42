/// The TMF622 lifecycle of one order as a value: item states by line id, the cancellation
/// phase, and the order state derived from them.
///
/// Every `mutating func` returns the order states entered, in order, one per
/// ProductOrderStateChangeEvent the caller must emit (`[]` when the state did not change), so
/// the rules stay free of I/O and a jump such as `acknowledged` → `completed` still tells
/// listeners about the `inProgress` they would otherwise never see.
public struct TMFOrderLifecycle: Sendable, Hashable {
    /// The order state TMF clients see.
    public private(set) var state: TMFOrderState
    /// Each item's TMF state by its line id (`productOrderItem.id`).
    public private(set) var items: [String: TMFItemState]
    /// Where a requested cancellation stands; `nil` if none was ever requested.
    public private(set) var cancellation: CancellationPhase?

    /// Restores a lifecycle from stored values, or starts a new order (`acknowledged`, no items).
    public init(state: TMFOrderState = .acknowledged, items: [String: TMFItemState] = [:],
                cancellation: CancellationPhase? = nil) {
        self.state = state
        self.items = items
        self.cancellation = cancellation
    }

    /// The state the items alone make the order, ignoring a cancellation under way.
    private var derivedFromItems: TMFOrderState {
        TMFOrderDerivation.state(items: Array(items.values), cancellation: nil)
    }

    /// The cancellation phase, read from the state first: a stored order in a cancellation
    /// state whose phase was not stored still counts as cancelling.
    private var phase: CancellationPhase? {
        switch state {
        case .assessingCancellation: return .assessing
        case .pendingCancellation: return .pending
        default: return cancellation
        }
    }

    /// Whether a cancellation is being assessed or carried out.
    private var cancellationUnderWay: Bool { phase == .assessing || phase == .pending }

    /// An item's EOSC status type became `eosc`: its TMF state follows ``TMFStateMapping`` and
    /// the order state is derived again.
    ///
    /// A final order absorbs the change (nothing moves, `[]`), as TMF refuses updates of final
    /// orders. While a cancellation is assessed or carried out the item is recorded but the
    /// order stays in its cancellation state; the caller decides the cancellation separately.
    /// Otherwise the order walks ``TMFOrderState/path(to:)`` to the derived state, or jumps
    /// straight there when no path exists.
    public mutating func itemChanged(line: String, eosc: StatusType) -> [TMFOrderState] {
        if state.isFinal { return [] }
        items[line] = TMFStateMapping.itemState(after: items[line], eosc: eosc)
        if cancellationUnderWay { return [] }
        return move(to: TMFOrderDerivation.state(items: Array(items.values), cancellation: cancellation))
    }

    /// A client asked to cancel the order: it enters `assessingCancellation` while the
    /// provider decides. Refused for a final order and while a cancellation is already under
    /// way, so one order never has two cancellations racing.
    public mutating func cancellationRequested() throws(TMFLifecycleError) -> [TMFOrderState] {
        if state.isFinal { throw .orderIsFinal(state) }
        if cancellationUnderWay { throw .cancellationInProgress(state) }
        cancellation = .assessing
        return move(to: .assessingCancellation)
    }

    /// The provider accepted the cancellation being assessed: `pendingCancellation`.
    /// `[]` and nothing changes when no cancellation is being assessed (see
    /// ``checkCancellationInProgress()`` to refuse such a call instead).
    public mutating func cancellationAccepted() -> [TMFOrderState] {
        guard !state.isFinal, phase == .assessing else { return [] }
        cancellation = .pending
        return move(to: .pendingCancellation)
    }

    /// The cancellation was carried out: every item not yet final becomes `cancelled` and the
    /// order `cancelled`, through `pendingCancellation` when it was still being assessed (an
    /// order no provider had started is cancelled at once). `[]` and nothing changes when no
    /// cancellation is under way.
    public mutating func cancellationCompleted() -> [TMFOrderState] {
        guard !state.isFinal, cancellationUnderWay else { return [] }
        for (line, item) in items where !item.isFinal { items[line] = .cancelled }
        cancellation = .done
        let entered: [TMFOrderState] = state.cancellationPath() ?? [.cancelled]
        state = .cancelled
        return entered
    }

    /// The provider refused the cancellation being assessed: the order goes back, through the
    /// `assessingCancellation` edges, to what its items make it (the state before the request,
    /// unless items moved meanwhile). A cancellation already accepted cannot be refused (only
    /// `cancelled` follows `pendingCancellation`): `[]` and nothing changes then, as when no
    /// cancellation is being assessed.
    public mutating func cancellationRefused() -> [TMFOrderState] {
        guard !state.isFinal, phase == .assessing else { return [] }
        cancellation = .refused
        return move(to: derivedFromItems)
    }

    /// Throws ``TMFLifecycleError/Code/noCancellationInProgress`` (or `orderIsFinal`) when no
    /// cancellation is being assessed or carried out, for callers that must refuse an accept,
    /// complete or refuse step instead of ignoring it.
    public func checkCancellationInProgress() throws(TMFLifecycleError) {
        if state.isFinal { throw .orderIsFinal(state) }
        if !cancellationUnderWay { throw .noCancellationInProgress(state) }
    }

    /// Moves to `target` along the shortest allowed path (straight there if none) and returns
    /// the states entered.
    /// Moves to `target` along the state machine. An order whose items end cancelled without a
    /// cancellation request (an OMS closed them; a replacing order was accepted) is cancelled
    /// through the cancellation states, the machine's only way to `cancelled` that says what
    /// happened (the shortest path would announce `pending`, a wait for the customer that never was).
    private mutating func move(to target: TMFOrderState) -> [TMFOrderState] {
        if target == state { return [] }
        let entered: [TMFOrderState] = (target == .cancelled ? state.cancellationPath() : nil) ?? state.path(to: target) ?? [target]
        state = target
        return entered
    }
}
