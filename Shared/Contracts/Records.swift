public import Wire

/// A project as stored, with its owner: what the EOSC project representation is built from.
public struct ProjectRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var ownerUID: String
    public var ownerEmail: String
    public var ownerFirstName: String
    public var ownerLastName: String
    public var attributes: ProjectAttributes
    /// The iids of every item of the project.
    public var itemIIDs: [Int64]
    public var createdAt: Timestamp

    public init(id: Int64, userID: Int64, ownerUID: String, ownerEmail: String, ownerFirstName: String,
                ownerLastName: String, attributes: ProjectAttributes, itemIIDs: [Int64], createdAt: Timestamp) {
        self.id = id
        self.userID = userID
        self.ownerUID = ownerUID
        self.ownerEmail = ownerEmail
        self.ownerFirstName = ownerFirstName
        self.ownerLastName = ownerLastName
        self.attributes = attributes
        self.itemIIDs = itemIIDs
        self.createdAt = createdAt
    }
}

/// A project item as stored: what the EOSC project item representation is built from.
public struct ProjectItemRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var projectID: Int64
    public var iid: Int64
    public var orderID: Int64
    public var orderPublicID: String
    public var lineID: String
    public var offerID: Int64
    public var serviceID: Int64
    public var providerID: Int64
    public var bundleID: Int64?
    public var parentItemID: Int64?
    /// The primary OMS: the offer's, else the default OMS.
    public var omsID: Int64
    public var statusValue: String
    public var statusType: String
    /// EOSC `attributes` (category, service, offer, offer_properties, order_type…).
    public var attributes: JSONValue
    public var userSecrets: [String: String]
    public var omsParams: JSONValue
    public var externalRef: String?
    public var responseDeadline: Timestamp?
    public var firstResponseAt: Timestamp?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// The item's TMF622 state (`ProductOrderItemStateType`), kept beside the EOSC status by the
    /// processor through `TMFStateMapping` (optional: replies stored before TMF622 lack it).
    public var tmfState: String?
    /// The TMF622 attributes of the item a TMF client sent (action, quantity, itemTerm…), kept verbatim.
    public var tmf: JSONValue?

    public init(id: Int64, projectID: Int64, iid: Int64, orderID: Int64, orderPublicID: String, lineID: String,
                offerID: Int64, serviceID: Int64, providerID: Int64, bundleID: Int64?, parentItemID: Int64?,
                omsID: Int64, statusValue: String, statusType: String, attributes: JSONValue,
                userSecrets: [String: String], omsParams: JSONValue, externalRef: String?,
                responseDeadline: Timestamp?, firstResponseAt: Timestamp?, createdAt: Timestamp, updatedAt: Timestamp,
                tmfState: String? = nil, tmf: JSONValue? = nil) {
        self.id = id
        self.projectID = projectID
        self.iid = iid
        self.orderID = orderID
        self.orderPublicID = orderPublicID
        self.lineID = lineID
        self.offerID = offerID
        self.serviceID = serviceID
        self.providerID = providerID
        self.bundleID = bundleID
        self.parentItemID = parentItemID
        self.omsID = omsID
        self.statusValue = statusValue
        self.statusType = statusType
        self.attributes = attributes
        self.userSecrets = userSecrets
        self.omsParams = omsParams
        self.externalRef = externalRef
        self.responseDeadline = responseDeadline
        self.firstResponseAt = firstResponseAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.tmfState = tmfState
        self.tmf = tmf
    }
}
