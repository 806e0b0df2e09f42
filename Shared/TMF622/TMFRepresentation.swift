public import Contracts
import Domain
public import Wire

/// The TMF622 views of the stored orders: one `ProductOrder` per order, one `productOrderItem`
/// per project item, the same data the EOSC view shows as project items (see README "One order,
/// two views"). The client's own TMF attributes are kept verbatim and shown back; what the
/// system owns (ids, dates, states, offering, characteristics) is written over them.
public enum TMFRepresentation {
    /// Header attributes the system owns; a client's values for them never show.
    static let ownedHeaderKeys: Set<String> = [
        "id", "href", "orderDate", "state", "completionDate", "cancellationDate", "productOrderItem", "orderRelationship",
    ]

    public static func productOrder(_ order: OrderRecord, publicURL: String) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (key, value) in order.tmf.objectValue ?? [:] where !ownedHeaderKeys.contains(key) { out[key] = value }
        out["id"] = .string(order.publicID)
        out["href"] = .string(TMFPaths.productOrder(publicURL, order.publicID))
        out["@type"] = out["@type"] ?? "ProductOrder"
        out["orderDate"] = .string(order.createdAt.rfc3339)
        out["state"] = .string(order.state)
        if let date = order.completionDate { out["completionDate"] = .string(date.rfc3339) }
        if let date = order.cancellationDate { out["cancellationDate"] = .string(date.rfc3339) }
        if out["relatedParty"] == nil {
            out["relatedParty"] = [["id": .string(order.ownerUID), "name": .string(order.ownerName), "role": "customer",
                                    "@referredType": "Individual"]]
        }
        var relationships: [JSONValue] = []
        if let replaced = order.replacesPublicID {
            relationships.append(["id": .string(replaced), "href": .string(TMFPaths.productOrder(publicURL, replaced)),
                                  "relationshipType": "replaces", "@referredType": "ProductOrder"])
        }
        for replacing in order.replacedByPublicIDs {
            relationships.append(["id": .string(replacing), "href": .string(TMFPaths.productOrder(publicURL, replacing)),
                                  "relationshipType": "replacedBy", "@referredType": "ProductOrder"])
        }
        if !relationships.isEmpty { out["orderRelationship"] = .array(relationships) }
        let lineByItem = Dictionary(order.items.map { ($0.id, $0.lineID) }, uniquingKeysWith: { a, _ in a })
        let orderState = TMFOrderState(rawValue: order.state)
        out["productOrderItem"] = .array(order.items.map { item in
            productOrderItem(item, parentLine: item.parentItemID.flatMap { lineByItem[$0] }, orderState: orderState,
                             publicURL: publicURL)
        })
        return .object(out)
    }

    /// Item attributes the system owns.
    static let ownedItemKeys: Set<String> = ["id", "state", "productOffering", "productOrderItemRelationship"]

    static func productOrderItem(_ item: ProjectItemRecord, parentLine: String?, orderState: TMFOrderState?,
                                 publicURL: String) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (key, value) in item.tmf?.objectValue ?? [:] where !ownedItemKeys.contains(key) { out[key] = value }
        out["id"] = .string(item.lineID)
        out["@type"] = out["@type"] ?? "ProductOrderItem"
        out["action"] = out["action"] ?? "add"
        out["quantity"] = out["quantity"] ?? .int(1)
        out["state"] = .string(itemState(item, orderState: orderState))
        let slug = item.attributes["service_id"]?.stringValue ?? ""
        let iid = item.attributes["offer_id"]?.intValue ?? 0
        out["productOffering"] = [
            "id": .string(OfferingReference.offer(slug: slug, iid: iid)),
            "href": .string("\(publicURL)/api/v1/resources/\(slug)/offers/\(iid)"),
            "name": item.attributes["offer"] ?? .null, "@referredType": "ProductOffering",
        ]
        var product = out["product"]?.objectValue ?? [:]
        product["productCharacteristic"] = .array(characteristics(item))
        product["productSpecification"] = product["productSpecification"] ?? [
            "id": .string(slug), "name": item.attributes["service"] ?? .null, "@referredType": "ProductSpecification",
        ]
        out["product"] = .object(product)
        if let parentLine {
            out["productOrderItemRelationship"] = [["id": .string(parentLine), "relationshipType": "bundled"]]
        }
        return .object(out)
    }

    /// The item's state as a TMF client sees it: its own, except that while the order's
    /// cancellation is being assessed or carried out its open items share that state.
    static func itemState(_ item: ProjectItemRecord, orderState: TMFOrderState?) -> String {
        let own = item.tmfState ?? "acknowledged"
        guard let orderState, orderState == .assessingCancellation || orderState == .pendingCancellation,
              let state = TMFItemState(rawValue: own), !state.isFinal else { return own }
        return orderState.rawValue
    }

    /// The offer parameters with their values, as TMF product characteristics (`name` is the
    /// parameter id, the name a client orders with).
    static func characteristics(_ item: ProjectItemRecord) -> [JSONValue] {
        (item.attributes["offer_properties"]?.arrayValue ?? []).compactMap { property -> JSONValue? in
            guard let id = property["id"]?.stringValue, let value = property["value"] else { return nil }
            var c: [String: JSONValue] = ["name": .string(id), "value": value,
                                          "valueType": property["value_type"] ?? property["type"] ?? "string"]
            if let label = property["label"] { c["description"] = label }
            return .object(c)
        }
    }

    public static func cancelProductOrder(_ c: CancellationRecord, publicURL: String) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (key, value) in c.tmf.objectValue ?? [:] { out[key] = value }
        out["id"] = .string(c.publicID)
        out["href"] = .string(TMFPaths.cancelProductOrder(publicURL, c.publicID))
        out["@type"] = out["@type"] ?? "CancelProductOrder"
        out["state"] = .string(c.state)
        out["productOrder"] = ["id": .string(c.orderPublicID), "href": .string(TMFPaths.productOrder(publicURL, c.orderPublicID)),
                               "@referredType": "ProductOrder"]
        out["cancellationReason"] = c.cancellationReason.map(JSONValue.string)
        out["requestedCancellationDate"] = c.requestedCancellationDate.map { .string($0.rfc3339) }
        out["effectiveCancellationDate"] = c.effectiveCancellationDate.map { .string($0.rfc3339) }
        out["stateReason"] = c.stateReason.map(JSONValue.string)
        return .object(out.filter { $0.value != .null })
    }
}
