import Contracts
import Domain
import Storage
import Wire

/// Ordering a bundle: one project item per offer, the main offer's item first and the bundled
/// offers' items linked to it.
extension Gateway {
    /// The order lines of a bundle. `parameters` holds each offer's values under its reference
    /// `"<resource slug>/<offer iid>"` (the form of an offer's `bundled_offers`); every problem is
    /// reported under `parameters.<reference>.<parameter id>`.
    func bundleLines(resourceID: String, bundleIID: Int64, parameters: JSONValue?, requestVoucher: Bool,
                     voucherID: String?) async throws -> [OrderLine] {
        let found = try await db { conn -> (OrderableBundle, [Int64: OfferRecord])? in
            guard let bundle = try conn.bundleForOrdering(service: resourceID, iid: bundleIID) else { return nil }
            return (bundle, try conn.findOffers(ids: bundle.offerIDs))
        }
        guard let (bundle, offers) = found, bundle.status == "published" else {
            throw APIError.message(404, "Bundle not found")
        }
        let ordered = try bundle.offerIDs.map { id -> OfferRecord in
            guard let offer = offers[id], offer.status == "published", offer.service.status == "published" else {
                throw APIError.message(409, "This bundle contains an offer that is no longer available; it cannot be ordered now")
            }
            return offer
        }
        try Self.checkVoucher(ordered[0], requestVoucher: requestVoucher, voucherID: voucherID)
        let submitted = try Self.bundleValues(parameters, references: Set(ordered.map(Self.reference)))
        var lines: [OrderLine] = []
        var problems: [String: [String]] = [:]
        for (index, offer) in ordered.enumerated() {
            let reference = Self.reference(offer)
            do {
                let properties = try Self.validate(try Self.submittedValues(submitted[reference]), against: offer,
                                                   field: "parameters.\(reference)")
                let isMain = index == 0
                lines.append(OrderLine(lineID: String(index + 1), offerID: offer.id, bundleID: bundle.id,
                                       parentLineID: isMain ? nil : "1", offerProperties: properties.map(\.json),
                                       requestVoucher: isMain && requestVoucher, voucherID: isMain ? voucherID : nil))
            } catch let error as APIError where error.status == 400 {
                problems.merge(error.fieldMessages ?? ["parameters.\(reference)": [error.text]]) { $0 + $1 }
            }
        }
        guard problems.isEmpty else { throw APIError.fields(400, problems) }
        return lines
    }

    /// How a bundle names its offers: `"<resource slug>/<offer iid>"`.
    static func reference(_ offer: OfferRecord) -> String { "\(offer.service.slug)/\(offer.iid)" }

    /// The per-offer values of a bundle order, keyed by offer reference.
    static func bundleValues(_ value: JSONValue?, references: Set<String>) throws -> [String: JSONValue] {
        switch value {
        case nil, .null?:
            return [:]
        case .object(let byOffer)?:
            for key in byOffer.keys.sorted() where !references.contains(key) {
                throw APIError.field("parameters.\(key)", "is not an offer of this bundle (expected one of: \(references.sorted().joined(separator: ", ")))")
            }
            return byOffer
        default:
            throw APIError.field("parameters", "must be an object of each offer's values by \"<resource>/<offer id>\"")
        }
    }
}

extension APIError {
    /// The field errors of a `fields` error, `nil` for a plain message.
    var fieldMessages: [String: [String]]? {
        guard case .object(let fields) = body else { return nil }
        return fields.mapValues { ($0.arrayValue ?? []).compactMap(\.stringValue) }
    }

    /// The message of a plain error (or its JSON text).
    var text: String { body.stringValue ?? ((try? WireFormat.encodeString(body)) ?? "") }
}
