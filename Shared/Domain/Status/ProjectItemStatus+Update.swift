extension ProjectItemStatus {
    /// Decides what an update asking for `requested` does to an item now in this status.
    ///
    /// The rules (DESIGN.md "Statuses", research §8): `created` cannot be requested; asking for the
    /// current type and value changes nothing (so a retried PATCH writes no second event, even on
    /// a closed item); a final item (`closed`, `rejected`) refuses any other request; otherwise the
    /// type moves freely among all types, because real OMS workflows jump stages (the EOSC spec's
    /// own tests move `created` straight to `ready`). Pure: the caller performs the outcome.
    public func update(to requested: ProjectItemStatus) -> StatusUpdate {
        guard requested.type.isSettableByUpdate else {
            return .refused(StatusRefusal(
                code: .createdNotSettable,
                reason: "status type created cannot be set by an update; it is only the initial type of an item"))
        }
        if requested == self { return .unchanged }
        guard !isFinal else {
            return .refused(StatusRefusal(
                code: .itemIsFinal,
                reason: "project item is \(type.rawValue), a final status, and cannot be changed"))
        }
        var changes: [FieldChange] = []
        if requested.type != type {
            changes.append(FieldChange(field: "status.type", before: type.rawValue, after: requested.type.rawValue))
        }
        if requested.value != value {
            changes.append(FieldChange(field: "status.value", before: value, after: requested.value))
        }
        return .changed(changes)
    }
}

/// What a status update does, for the caller to act on: write the new status and one event with
/// these changes, write nothing, or answer with the refusal.
public enum StatusUpdate: Hashable, Sendable {
    /// The status changes; the event's `changes`, `status.type` first, then `status.value`, only
    /// the fields that differ (never empty).
    case changed([FieldChange])
    /// The requested status is the current one: no write, no event.
    case unchanged
    /// The update is not allowed; nothing changes.
    case refused(StatusRefusal)
}

/// Why a status update was refused, with a reason to show the caller.
public struct StatusRefusal: Hashable, Sendable, CustomStringConvertible {
    /// Stable kind of refusal, for mapping to HTTP (`createdNotSettable` → 400, `itemIsFinal` → 409).
    public var code: Code
    /// Plain words for the client.
    public var reason: String

    /// Builds a refusal.
    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }

    /// Kinds of refusal; a struct so new kinds do not break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case createdNotSettable = "created_not_settable"
            case itemIsFinal = "item_is_final"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The update asked for type `created`, which only a new item has.
        public static let createdNotSettable = Code(.createdNotSettable)
        /// The item is `closed` or `rejected`.
        public static let itemIsFinal = Code(.itemIsFinal)

        /// The stable name, e.g. `item_is_final`.
        public var description: String { base.rawValue }
    }
}
