public import Foundation
public import Wire

/// An order header with its items: what the TMF622 ProductOrder view is built from (the EOSC
/// view shows the same items as project items).
public struct OrderRecord: Codable, Sendable, Hashable {
    public var id: Int64
    /// The TMF622 `id` (a UUID string).
    public var publicID: String
    public var projectID: Int64
    public var userID: Int64
    public var ownerUID: String
    public var ownerName: String
    /// `eosc` (user API) or `tmf622`.
    public var channel: String
    /// The TMF622 order state (`ProductOrderStateType`), derived from the items by the processor.
    public var state: String
    public var stateBeforeCancellation: String?
    /// `assessing`, `pending`, `done` or `refused` once a cancellation was asked for.
    public var cancellationPhase: String?
    /// The TMF header attributes a client sent (category, priority, note, relatedParty…), verbatim.
    public var tmf: JSONValue
    /// The order this one replaces (a change of product characteristics), and those replacing it.
    public var replacesPublicID: String?
    public var replacedByPublicIDs: [String]
    public var completionDate: Timestamp?
    public var cancellationDate: Timestamp?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var deletedAt: Timestamp?
    public var items: [ProjectItemRecord]

    public init(id: Int64, publicID: String, projectID: Int64, userID: Int64, ownerUID: String, ownerName: String,
                channel: String, state: String, stateBeforeCancellation: String?, cancellationPhase: String?,
                tmf: JSONValue, replacesPublicID: String?, replacedByPublicIDs: [String], completionDate: Timestamp?,
                cancellationDate: Timestamp?, createdAt: Timestamp, updatedAt: Timestamp, deletedAt: Timestamp?,
                items: [ProjectItemRecord]) {
        self.id = id
        self.publicID = publicID
        self.projectID = projectID
        self.userID = userID
        self.ownerUID = ownerUID
        self.ownerName = ownerName
        self.channel = channel
        self.state = state
        self.stateBeforeCancellation = stateBeforeCancellation
        self.cancellationPhase = cancellationPhase
        self.tmf = tmf
        self.replacesPublicID = replacesPublicID
        self.replacedByPublicIDs = replacedByPublicIDs
        self.completionDate = completionDate
        self.cancellationDate = cancellationDate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.items = items
    }
}

/// A TMF622 CancelProductOrder task.
public struct CancellationRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var publicID: String
    public var orderID: Int64
    public var orderPublicID: String
    public var userID: Int64
    /// `TaskStateType`: acknowledged, inProgress, done, terminatedWithError.
    public var state: String
    public var cancellationReason: String?
    public var requestedCancellationDate: Timestamp?
    public var effectiveCancellationDate: Timestamp?
    /// Why the provider refused (its message, or the status it set instead).
    public var stateReason: String?
    /// The client's other attributes (`@type`, extensions), verbatim.
    public var tmf: JSONValue
    public var createdAt: Timestamp

    public init(id: Int64, publicID: String, orderID: Int64, orderPublicID: String, userID: Int64, state: String,
                cancellationReason: String?, requestedCancellationDate: Timestamp?, effectiveCancellationDate: Timestamp?,
                stateReason: String?, tmf: JSONValue, createdAt: Timestamp) {
        self.id = id
        self.publicID = publicID
        self.orderID = orderID
        self.orderPublicID = orderPublicID
        self.userID = userID
        self.state = state
        self.cancellationReason = cancellationReason
        self.requestedCancellationDate = requestedCancellationDate
        self.effectiveCancellationDate = effectiveCancellationDate
        self.stateReason = stateReason
        self.tmf = tmf
        self.createdAt = createdAt
    }
}

/// A TMF622 hub listener with what its owner may see, so events reach only the orders they could read.
public struct HubListenerRecord: Codable, Sendable, Hashable {
    public var id: UUID
    public var userID: Int64
    public var callback: String
    public var query: String?
    public var ownerRoles: [String]
    public var ownerProviderIDs: [Int64]

    public init(id: UUID, userID: Int64, callback: String, query: String?, ownerRoles: [String], ownerProviderIDs: [Int64]) {
        self.id = id
        self.userID = userID
        self.callback = callback
        self.query = query
        self.ownerRoles = ownerRoles
        self.ownerProviderIDs = ownerProviderIDs
    }
}
