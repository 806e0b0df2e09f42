public import Wire

/// The writable fields of an offer, as the Offering API stores them after its rules ran.
public struct OfferFields: Sendable, Hashable {
    /// Shown to users.
    public var name: String
    /// Shown to users.
    public var description: String
    /// The EOSC `order_type`.
    public var orderType: String
    /// Where an external offer is ordered.
    public var orderURL: String?
    /// The EOSC `offer_category` vocabulary id.
    public var offerCategory: String?
    /// Ordered through this system (only with `order_required`).
    public var isInternal: Bool
    /// The OMS handling the offer's items; `nil` for the default OMS.
    public var primaryOMSID: Int64?
    /// Values for the primary OMS's custom params (a JSON object).
    public var omsParams: JSONValue
    /// The parameter definitions in the EOSC JSON shape (already validated).
    public var parameters: JSONValue

    /// Builds the fields from values the Offering API's rules accepted.
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
    /// The global id.
    public var id: Int64
    /// The per-resource id the API uses.
    public var iid: Int64
    /// The resource the bundle belongs to (its main offer's).
    public var serviceID: Int64
    /// Shown to users.
    public var name: String
    /// Shown to users.
    public var description: String
    /// The main offer's global id.
    public var mainOfferID: Int64
    /// The main offer's per-resource id.
    public var mainOfferIID: Int64
    /// `published`, or `deleted` when withdrawn but kept for the items ordered through it.
    public var status: String
    /// The bundled offers' global ids, in position order.
    public var offerIDs: [Int64]
    /// The bundled offers as `"<resource slug>/<offer iid>"`, in position order.
    public var offerReferences: [String]
}

/// An API token as its owner may see it: never the token, only when it was made and used.
public struct TokenRecord: Sendable, Hashable {
    /// The id its owner revokes it by.
    public var id: Int64
    /// The owner.
    public var userID: Int64
    /// The owner's name for it.
    public var label: String
    /// When it was issued.
    public var createdAt: Timestamp
    /// Its last use, noted at most once a minute.
    public var lastUsedAt: Timestamp?
    /// When it was revoked; `nil` while it works.
    public var revokedAt: Timestamp?
    /// The SHA-256 of the token, to drop it from authentication caches when revoked.
    public var tokenHash: [UInt8]
}
