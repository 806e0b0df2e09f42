public import Foundation
public import Wire

/// What happened, published on `oms.events` with routing key `<resource>.<action>`
/// (e.g. `project_item.created`) for `oms-metrics` and any other listener.
///
/// It carries the catalogue ids so consumers need no lookups to attribute it.
public struct DomainEvent: Codable, Sendable, Hashable {
    public enum Kind {
        public static let projectCreated = "project.created"
        public static let itemCreated = "project_item.created"
        public static let itemUpdated = "project_item.updated"
    }

    public var id: UUID
    public var kind: String
    public var occurredAt: Timestamp
    public var projectID: Int64
    public var projectItemID: Int64?
    public var orderID: Int64?
    public var providerID: Int64?
    public var serviceID: Int64?
    public var offerID: Int64?
    public var omsID: Int64?
    public var statusType: String?
    public var previousStatusType: String?
    /// Seconds from creation to the provider's first response, on the update that is that response.
    public var firstResponseSeconds: Double?

    public init(id: UUID = UUID(), kind: String, occurredAt: Timestamp, projectID: Int64, projectItemID: Int64? = nil,
                orderID: Int64? = nil, providerID: Int64? = nil, serviceID: Int64? = nil, offerID: Int64? = nil,
                omsID: Int64? = nil, statusType: String? = nil, previousStatusType: String? = nil,
                firstResponseSeconds: Double? = nil) {
        self.id = id
        self.kind = kind
        self.occurredAt = occurredAt
        self.projectID = projectID
        self.projectItemID = projectItemID
        self.orderID = orderID
        self.providerID = providerID
        self.serviceID = serviceID
        self.offerID = offerID
        self.omsID = omsID
        self.statusType = statusType
        self.previousStatusType = previousStatusType
        self.firstResponseSeconds = firstResponseSeconds
    }
}
