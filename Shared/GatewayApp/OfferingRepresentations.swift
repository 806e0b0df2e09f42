import Domain
import Storage
import Wire

/// The Offering API's JSON shapes (`offering_swagger.json`: `resource_read.json`,
/// `offer_read.json`) and those of this system's bundle and token APIs.
extension Representation {
    /// A resource with the OMSes its offers may use, `custom_params` reduced to `{mandatory}`.
    static func resource(_ s: ServiceRecord, availableOMSes: [OMSRecord]) -> JSONValue {
        [
            "id": .string(s.slug), "eid": s.pid.map(JSONValue.string) ?? .null, "name": .string(s.name),
            "description": .string(s.description), "status": .string(s.status),
            "available_omses": .array(availableOMSes.map(offeringOMS)),
        ]
    }

    /// An OMS as the Offering API shows it (`oms/offering/oms_read.json`).
    static func offeringOMS(_ oms: OMSRecord) -> JSONValue {
        var o: [String: JSONValue] = ["id": .int(oms.id), "name": .string(oms.name), "type": .string(oms.type)]
        let params = OMSCustomParams(stored: oms.customParams)
        if !params.isEmpty { o["custom_params"] = params.reduced }
        return .object(o)
    }

    /// An offer with the marketplace's output rules (research §4.6): `internal` only for
    /// `order_required`; `primary_oms_id` only when internal (the default OMS's id when the offer
    /// names none); `oms_params` only when internal and non-empty; `bundled_offers` only for the
    /// main offer of published bundles, as `[{"<bundle id>": ["<resource slug>/<offer id>", …]}]`.
    static func offer(_ o: OfferRecord, defaultOMSID: Int64?, bundles: [(bundleIID: Int64, offers: [String])]) -> JSONValue {
        var out: [String: JSONValue] = [
            "id": .int(o.iid), "name": .string(o.name), "description": .string(o.description),
            "order_type": .string(o.orderType), "order_url": o.orderURL.map(JSONValue.string) ?? .null,
            "parameters": o.parameters.arrayValue.map(JSONValue.array) ?? .array([]),
        ]
        if let category = o.offerCategory { out["offer_category"] = .string(category) }
        if o.orderType == OrderType.orderRequired.rawValue {
            out["internal"] = .bool(o.isInternal)
            if o.isInternal {
                if let oms = o.primaryOMSID ?? defaultOMSID { out["primary_oms_id"] = .int(oms) }
                if let params = o.omsParams.objectValue, !params.isEmpty { out["oms_params"] = o.omsParams }
            }
        }
        if !bundles.isEmpty {
            out["bundled_offers"] = .array(bundles.map { .object([String($0.bundleIID): .array($0.offers.map(JSONValue.string))]) })
        }
        return .object(out)
    }

    /// A bundle: `{"id", "name", "description", "main_offer_id", "offers": ["<slug>/<id>", …]}`.
    static func bundle(_ b: BundleRecord) -> JSONValue {
        [
            "id": .int(b.iid), "name": .string(b.name), "description": .string(b.description),
            "main_offer_id": .int(b.mainOfferIID), "offers": .array(b.offerReferences.map(JSONValue.string)),
        ]
    }

    /// A token as its owner sees it: never the secret, which only its creation shows.
    static func token(_ t: TokenRecord, current: Bool = false) -> JSONValue {
        [
            "id": .int(t.id), "label": .string(t.label), "created_at": .string(t.createdAt.rfc3339),
            "last_used_at": t.lastUsedAt.map { .string($0.rfc3339) } ?? .null,
            "revoked_at": t.revokedAt.map { .string($0.rfc3339) } ?? .null,
            "current": .bool(current),
        ]
    }
}
