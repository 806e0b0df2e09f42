/// Where a requested cancellation of an order stands, kept beside the items because the
/// cancellation states belong to the order while the items keep their own states.
public enum CancellationPhase: String, Codable, Sendable, Hashable {
    /// Requested; the provider decides whether it is still possible (`assessingCancellation`).
    case assessing
    /// Accepted and being carried out (`pendingCancellation`).
    case pending
    /// Carried out: the order is `cancelled`.
    case done
    /// Refused by the provider: the order is again what its items make it.
    case refused
}

/// The order state as TMF622 derives it from its items (research/tmf622.md §2.3), so the order
/// never has to be stored independently of the items it summarises.
public enum TMFOrderDerivation {
    /// The order state for these item states and cancellation phase.
    ///
    /// A cancellation in progress or done decides alone. Otherwise: no items yet is
    /// `acknowledged`; when every item is final the outcome is `completed`, `cancelled`,
    /// `rejected` or `failed` if they all agree, `partial` if some were delivered, else the worst
    /// outcome (`failed`, then `rejected`, then `cancelled`); while some are open, the most
    /// advanced open state wins (`inProgress`, then `held`, then `pending`), and open items that
    /// have not started make the order `inProgress` once some other item was delivered.
    public static func state(items: [TMFItemState], cancellation: CancellationPhase?) -> TMFOrderState {
        switch cancellation {
        case .assessing: return .assessingCancellation
        case .pending: return .pendingCancellation
        case .done: return .cancelled
        case .refused, nil: break
        }
        if items.isEmpty { return .acknowledged }
        let open: [TMFItemState] = items.filter { !$0.isFinal }
        if open.isEmpty { return finished(items) }
        if open.contains(.inProgress) { return .inProgress }
        if open.contains(.held) { return .held }
        if open.contains(.pending) { return .pending }
        return items.contains(.completed) ? .inProgress : .acknowledged
    }

    /// The outcome of an order whose items are all final.
    private static func finished(_ items: [TMFItemState]) -> TMFOrderState {
        for (item, order) in [(TMFItemState.completed, TMFOrderState.completed), (.cancelled, .cancelled),
                              (.rejected, .rejected), (.failed, .failed)] where items.allSatisfy({ $0 == item }) {
            return order
        }
        if items.contains(.completed) { return .partial }
        if items.contains(.failed) { return .failed }
        if items.contains(.rejected) { return .rejected }
        return .cancelled
    }
}
