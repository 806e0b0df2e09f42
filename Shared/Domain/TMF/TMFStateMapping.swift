/// The one mapping between EOSC project item status types and TMF622 item states, so that an
/// OMS working through the Ordering API and a TMF client see the same item. The README copies
/// ``table``; every conversion in the code goes through this type.
public enum TMFStateMapping {
    /// One row per EOSC status type: the TMF item state it shows as, and why.
    public static let table: [(eosc: StatusType, tmf: TMFItemState, note: String)] = [
        (eosc: .created, tmf: .acknowledged,
         note: "The order was received and passed validation; the provider has not seen it yet."),
        (eosc: .registered, tmf: .acknowledged,
         note: "The provider's system registered the order; delivery has not started."),
        (eosc: .approved, tmf: .inProgress,
         note: "The provider approved the order: it passed feasibility and delivery starts."),
        (eosc: .inProgress, tmf: .inProgress,
         note: "The provider is working on the order."),
        (eosc: .waitingForResponse, tmf: .pending,
         note: "The provider waits for the user; entering it raises an InformationRequired event."),
        (eosc: .ready, tmf: .completed,
         note: "The service is ready for the user: delivered, final in TMF."),
        (eosc: .rejected, tmf: .rejected,
         note: "The provider refused the order; failed instead once delivery had started (inProgress or held)."),
        (eosc: .closed, tmf: .cancelled,
         note: "Closed before it was ready: cancelled; after ready the item stays completed."),
    ]

    /// The table as a lookup, built once.
    private static let byEOSC: [StatusType: TMFItemState] =
        Dictionary(uniqueKeysWithValues: table.map { ($0.eosc, $0.tmf) })

    /// The TMF item state after an item's EOSC status type became `eosc`, given the TMF state
    /// it had (`nil` for a new item).
    ///
    /// A final TMF state absorbs every later change: an OMS reopening a `ready` item in EOSC, or
    /// closing it, leaves the TMF item `completed`, because the service ran its course and TMF
    /// clients were already told so. An EOSC `rejected` after work started (`inProgress`,
    /// `held`) is a failed delivery, not a refused order, so it shows as `failed`.
    public static func itemState(after previous: TMFItemState?, eosc: StatusType) -> TMFItemState {
        if let previous, previous.isFinal { return previous }
        if eosc == .rejected, previous == .inProgress || previous == .held { return .failed }
        return byEOSC[eosc] ?? .acknowledged
    }

    /// The EOSC status type to write on an item that a TMF action ended, so that the OMS sees
    /// the item finished too: `cancelled` → `closed`. Every other state comes from the OMS
    /// itself and has no reverse write (`nil`).
    public static func eoscType(for state: TMFItemState) -> StatusType? {
        state == .cancelled ? .closed : nil
    }

    /// Whether entering this EOSC status type asks the customer for something: `true` for
    /// `waiting_for_response`, whose TMF state `pending` emits an InformationRequired event.
    public static func informationRequired(_ eosc: StatusType) -> Bool {
        eosc == .waitingForResponse
    }
}
