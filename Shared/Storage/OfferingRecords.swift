public import Wire

/// The writable fields of an offer, as the Offering API stores them after its rules ran.
public struct OfferFields: Sendable, Hashable {
    public var name: String
    public var description: String
    public var orderType: String
    public var orderURL: String?
    public var offerCategory: String?
    public var isInternal: Bool
    public var primaryOMSID: Int64?
    public var omsParams: JSONValue
    /// The parameter definitions in the EOSC JSON shape (already validated).
    public var parameters: JSONValue

    public init(name: String, description: String, orderType: String, orderURL: String?, offerCategory: String?,
                isInternal: Bool, primaryOMSID: Int64?, omsParams: JSONValue, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.orderType = orderType
        self.orderURL = orderURL
        self.offerCategory = offerCategory
        self.isInternal = isInternal
        self.primaryOMSID = primaryOMSID
        self.omsParams = omsParams
        self.parameters = parameters
    }

    /// The fields of a stored offer, to merge a partial update into.
    public init(_ offer: OfferRecord) {
        self.init(name: offer.name, description: offer.description, orderType: offer.orderType, orderURL: offer.orderURL,
                  offerCategory: offer.offerCategory, isInternal: offer.isInternal, primaryOMSID: offer.primaryOMSID,
                  omsParams: offer.omsParams, parameters: offer.parameters)
    }
}

/// A bundle: a main offer of one resource plus offers (of any resource) ordered with it.
public struct BundleRecord: Sendable, Hashable {
    public var id: Int64
    /// The per-resource id the API uses.
    public var iid: Int64
    public var serviceID: Int64
    public var name: String
    public var description: String
    public var mainOfferID: Int64
    /// The main offer's per-resource id.
    public var mainOfferIID: Int64
    public var status: String
    /// The bundled offers' global ids, in position order.
    public var offerIDs: [Int64]
    /// The bundled offers as `"<resource slug>/<offer iid>"`, in position order.
    public var offerReferences: [String]
}

/// An API token as its owner may see it: never the token, only when it was made and used.
public struct TokenRecord: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var label: String
    public var createdAt: Timestamp
    public var lastUsedAt: Timestamp?
    public var revokedAt: Timestamp?
    /// The SHA-256 of the token, to drop it from authentication caches when revoked.
    public var tokenHash: [UInt8]
}
