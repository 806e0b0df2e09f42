import Contracts
public import Wire

/// Who a token belongs to and what they administer, resolved in one query per request.
public struct AuthContext: Sendable, Hashable {
    public var userID: Int64
    public var uid: String
    public var email: String
    public var firstName: String
    public var lastName: String
    public var roles: [String]
    /// OMSes this user administers (the EOSC Ordering API's access unit).
    public var omsIDs: [Int64]
    /// Providers whose data this user administers (the Offering API's access unit).
    public var providerIDs: [Int64]

    public init(userID: Int64, uid: String, email: String, firstName: String, lastName: String, roles: [String],
                omsIDs: [Int64], providerIDs: [Int64]) {
        self.userID = userID
        self.uid = uid
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.roles = roles
        self.omsIDs = omsIDs
        self.providerIDs = providerIDs
    }

    public func hasRole(_ role: String) -> Bool { roles.contains(role) }
}

/// A provider (EOSC resource organisation) with its contacts and response time.
public struct ProviderRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var pid: String?
    public var name: String
    public var contactEmails: [String]
    public var responseTimeSeconds: Int64
}

/// A service (EOSC "resource").
public struct ServiceRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var slug: String
    public var pid: String?
    public var name: String
    public var description: String
    public var providerID: Int64
    public var orderType: String
    public var categories: [String]
    public var status: String
}

/// An offer with the service and provider it belongs to.
public struct OfferRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var iid: Int64
    public var name: String
    public var description: String
    public var orderType: String
    public var orderURL: String?
    public var offerCategory: String?
    public var isInternal: Bool
    public var primaryOMSID: Int64?
    public var omsParams: JSONValue
    /// The parameter definitions as stored (the EOSC offer JSON).
    public var parameters: JSONValue
    public var voucherable: Bool
    public var status: String
    public var service: ServiceRecord
    public var provider: ProviderRecord

    /// Orderable through this system: `order_required` and handled internally (by an OMS).
    public var isOrderable: Bool { orderType == "order_required" && isInternal }
}

/// An OMS registration.
public struct OMSRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var type: String
    public var isDefault: Bool
    public var customParams: JSONValue
    public var triggerURL: String?
    public var triggerMethod: String
    public var triggerUser: String?
    public var triggerPassword: String?
    public var serviceID: Int64?
    public var lastTriggerOKAt: Timestamp?
    public var lastEventsPollAt: Timestamp?
}

/// One row of the Ordering API's event log.
public struct EventRecord: Sendable, Hashable {
    public var id: Int64
    public var createdAt: Timestamp
    public var type: String
    public var resource: String
    public var projectID: Int64
    public var projectItemID: Int64?
    public var projectItemIID: Int64?
    public var messageID: Int64?
    /// `[{field, before, after}]` as stored.
    public var changes: JSONValue
}
