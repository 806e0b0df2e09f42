public import Wire

/// TMF622 commands: the gateway validates, the processor decides and writes (under the order's
/// row lock) and answers with the order or cancellation as stored.
extension CommandType {
    public static let createTMFOrder = "tmf.order.create"
    public static let updateTMFOrder = "tmf.order.update"
    public static let deleteTMFOrder = "tmf.order.delete"
    public static let cancelTMFOrder = "tmf.cancel.create"
}

/// A TMF622 `POST /productOrder`: an order with its own project (a TMF client knows no
/// projects), or, when it replaces an order, in the replaced order's project.
public struct CreateTMFOrderCommand: Codable, Sendable {
    public var header: CommandHeader
    public var project: ProjectAttributes
    /// The TMF id of the order this one replaces (`orderRelationship` `replaces`).
    public var replacesPublicID: String?
    /// The lines, with each TMF item's id as line id and values validated like EOSC orders.
    public var lines: [OrderLine]
    /// The client's item attributes by line id, kept verbatim.
    public var itemTMF: [String: JSONValue]
    /// The client's header attributes, kept verbatim.
    public var headerTMF: JSONValue

    public init(header: CommandHeader, project: ProjectAttributes, replacesPublicID: String?, lines: [OrderLine],
                itemTMF: [String: JSONValue], headerTMF: JSONValue) {
        self.header = header
        self.project = project
        self.replacesPublicID = replacesPublicID
        self.lines = lines
        self.itemTMF = itemTMF
        self.headerTMF = headerTMF
    }
}

/// A TMF622 `PATCH /productOrder/{id}` of header attributes, already applied by the gateway to
/// the header it read (`baseHeader`); refused if the header changed since, or the order is final.
public struct UpdateTMFOrderCommand: Codable, Sendable {
    public var header: CommandHeader
    public var publicID: String
    public var headerTMF: JSONValue
    /// The first-level attributes that change (the event's `fieldPath`).
    public var changedFields: [String]
    public var baseHeader: JSONValue

    public init(header: CommandHeader, publicID: String, headerTMF: JSONValue, changedFields: [String], baseHeader: JSONValue) {
        self.header = header
        self.publicID = publicID
        self.headerTMF = headerTMF
        self.changedFields = changedFields
        self.baseHeader = baseHeader
    }
}

/// A TMF622 `DELETE /productOrder/{id}` by an administrator.
public struct DeleteTMFOrderCommand: Codable, Sendable {
    public var header: CommandHeader
    public var publicID: String

    public init(header: CommandHeader, publicID: String) {
        self.header = header
        self.publicID = publicID
    }
}

/// A TMF622 `POST /cancelProductOrder`.
public struct CancelTMFOrderCommand: Codable, Sendable {
    public var header: CommandHeader
    public var orderPublicID: String
    public var reason: String?
    public var requestedDate: Timestamp?
    /// The client's other attributes (`@type`, extensions), kept verbatim.
    public var tmf: JSONValue

    public init(header: CommandHeader, orderPublicID: String, reason: String?, requestedDate: Timestamp?, tmf: JSONValue) {
        self.header = header
        self.orderPublicID = orderPublicID
        self.reason = reason
        self.requestedDate = requestedDate
        self.tmf = tmf
    }
}
