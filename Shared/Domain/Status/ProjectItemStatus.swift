/// The status of a project item as the EOSC API shows it: `{"value": "...", "type": "..."}`.
///
/// `value` is free text (an OMS's own workflow state, e.g. `Deployment in progress`); `type` is
/// the shared stage. Changes go through ``update(to:)`` so the rules live in one place.
public struct ProjectItemStatus: Hashable, Sendable, Codable {
    /// Free text chosen by the OMS or the marketplace.
    public var value: String
    /// The shared stage.
    public var type: StatusType

    /// Builds a status.
    public init(value: String, type: StatusType) {
        self.value = value
        self.type = type
    }

    /// Whether the item is finished and refuses changes.
    public var isFinal: Bool { type.isFinal }

    /// `created/created`: the first status of an item the system orders from a provider.
    public static let created = ProjectItemStatus(value: "created", type: .created)
    /// `ready/ready`: the first status of an open-access or externally ordered item.
    public static let ready = ProjectItemStatus(value: "ready", type: .ready)
}
