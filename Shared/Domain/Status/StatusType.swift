/// The EOSC `status.type` of a project item: the machine-readable stage every OMS and the user
/// interface agree on, while `status.value` carries each OMS's own free-text status.
///
/// An enum because the EOSC schema fixes exactly these eight strings; an OMS sending another one
/// gets a 400 from the schema check, so no unknown type can reach the domain.
public enum StatusType: String, CaseIterable, Hashable, Sendable, Codable {
    /// The initial type of an orderable item; never set by an update.
    case created
    /// The order is registered with the provider's system.
    case registered
    /// The provider is working on the order.
    case inProgress = "in_progress"
    /// The provider waits for the user.
    case waitingForResponse = "waiting_for_response"
    /// The service is ready for the user (also the initial type of open-access items).
    case ready
    /// The provider refused the order; final.
    case rejected
    /// The order is finished; final.
    case closed
    /// The provider approved the order.
    case approved

    /// Whether an item of this type refuses every further change (`closed`, `rejected`), so
    /// that a finished order cannot be reopened behind the user's back.
    public var isFinal: Bool { self == .closed || self == .rejected }

    /// Whether an update may set this type: every type but `created`, which only a new item has.
    public var isSettableByUpdate: Bool { self != .created }
}
