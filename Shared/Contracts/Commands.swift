public import Foundation
public import Wire

/// The commands the gateway sends to `oms-processor`, the only writer of projects, orders,
/// project items, messages and their events. Each carries the request id (derived from the
/// client's `Idempotency-Key` when there is one), which is unique in the store: a redelivered or
/// retried command creates nothing twice and gets the same reply.
public enum CommandType {
    public static let createProject = "project.create"
    public static let createOrder = "order.create"
    public static let updateProjectItem = "project_item.update"
}

/// The project attributes of the EOSC project schema.
public struct ProjectAttributes: Codable, Sendable, Hashable {
    public var name: String
    public var customerTypology: String?
    public var organization: String?
    public var department: String?
    public var departmentWebpage: String?
    public var scientificDomains: [String]
    public var country: String?
    public var collaborationCountries: [String]
    public var userGroupName: String?
    public var reasonForAccess: String?

    public init(name: String, customerTypology: String? = nil, organization: String? = nil, department: String? = nil,
                departmentWebpage: String? = nil, scientificDomains: [String] = [], country: String? = nil,
                collaborationCountries: [String] = [], userGroupName: String? = nil, reasonForAccess: String? = nil) {
        self.name = name
        self.customerTypology = customerTypology
        self.organization = organization
        self.department = department
        self.departmentWebpage = departmentWebpage
        self.scientificDomains = scientificDomains
        self.country = country
        self.collaborationCountries = collaborationCountries
        self.userGroupName = userGroupName
        self.reasonForAccess = reasonForAccess
    }
}

/// Fields every command carries.
public struct CommandHeader: Codable, Sendable, Hashable {
    public var requestID: UUID
    /// The authenticated caller.
    public var userID: Int64
    /// A hash of the request body, so a reused Idempotency-Key with a different body is refused.
    public var bodyHash: String

    public init(requestID: UUID, userID: Int64, bodyHash: String) {
        self.requestID = requestID
        self.userID = userID
        self.bodyHash = bodyHash
    }
}

/// Create a project for the caller.
public struct CreateProjectCommand: Codable, Sendable {
    public var header: CommandHeader
    public var project: ProjectAttributes

    public init(header: CommandHeader, project: ProjectAttributes) {
        self.header = header
        self.project = project
    }
}

/// One line of an order: an offer with the parameter values already validated by the gateway.
public struct OrderLine: Codable, Sendable, Hashable {
    /// Line id within the order ("1", "2"…), the TMF622 `productOrderItem.id`.
    public var lineID: String
    /// The offer's global id.
    public var offerID: Int64
    /// For bundle orders: the bundle, and the line of the main offer for the others.
    public var bundleID: Int64?
    public var parentLineID: String?
    /// The offer's parameters with the user's values (`attributes.offer_properties`).
    public var offerProperties: [JSONValue]
    public var requestVoucher: Bool
    public var voucherID: String?

    public init(lineID: String, offerID: Int64, bundleID: Int64? = nil, parentLineID: String? = nil,
                offerProperties: [JSONValue], requestVoucher: Bool = false, voucherID: String? = nil) {
        self.lineID = lineID
        self.offerID = offerID
        self.bundleID = bundleID
        self.parentLineID = parentLineID
        self.offerProperties = offerProperties
        self.requestVoucher = requestVoucher
        self.voucherID = voucherID
    }
}

/// Order one offer or a bundle into a project.
public struct CreateOrderCommand: Codable, Sendable {
    public var header: CommandHeader
    public var projectID: Int64
    /// Where the order came from: `eosc` (user API), `tmf622`, or a catalogue's name.
    public var channel: String
    public var lines: [OrderLine]
    /// For TMF622 orders: the client's header and item attributes (kept verbatim) and the order
    /// this one replaces; absent for EOSC orders.
    public var headerTMF: JSONValue?
    public var itemTMF: [String: JSONValue]?
    public var replacesOrderID: Int64?

    public init(header: CommandHeader, projectID: Int64, channel: String, lines: [OrderLine], headerTMF: JSONValue? = nil,
                itemTMF: [String: JSONValue]? = nil, replacesOrderID: Int64? = nil) {
        self.header = header
        self.projectID = projectID
        self.channel = channel
        self.lines = lines
        self.headerTMF = headerTMF
        self.itemTMF = itemTMF
        self.replacesOrderID = replacesOrderID
    }
}

/// An OMS changes an item's status and/or secrets (EOSC `PATCH …/project_items/{id}`).
public struct UpdateProjectItemCommand: Codable, Sendable {
    public var header: CommandHeader
    /// The OMS in the URL; it must be the item's primary OMS.
    public var omsID: Int64
    public var projectID: Int64
    public var iid: Int64
    public var statusValue: String?
    public var statusType: String?
    public var userSecrets: [String: String]?
    /// The `external_ref` extension: absent leaves it alone; present sets it (or clears it with `nil`).
    public var externalRef: ExternalRefUpdate?

    public init(header: CommandHeader, omsID: Int64, projectID: Int64, iid: Int64, statusValue: String?,
                statusType: String?, userSecrets: [String: String]?, externalRef: ExternalRefUpdate? = nil) {
        self.header = header
        self.omsID = omsID
        self.projectID = projectID
        self.iid = iid
        self.statusValue = statusValue
        self.statusType = statusType
        self.userSecrets = userSecrets
        self.externalRef = externalRef
    }
}

/// A new value for an item's `external_ref`: the OMS's own reference for it (a ticket key…), so
/// an OMS need not keep a mapping of its own. `value == nil` clears it.
public struct ExternalRefUpdate: Codable, Sendable, Hashable {
    public var value: String?

    public init(_ value: String?) { self.value = value }
}
