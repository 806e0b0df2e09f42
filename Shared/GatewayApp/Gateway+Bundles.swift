import Domain
import HTTPCore
import PostgresClient
import Storage
import Wire

/// Bundles of offers, which the marketplace can only read: this system's write API, shaped like
/// the offers API under the same resource and with the same order of checks (401, 404
/// `Resource not found`, 403, 404 `Bundle not found`, 400).
///
/// A bundle belongs to the resource of its main offer; its `offers` may come from any resource
/// (a compute offer bundled with another provider's storage) and are written as the marketplace
/// writes `bundled_offers`: `"<resource slug>/<offer id>"`. Every offer must be published; the
/// main offer is not repeated among them; each appears once; there is at least one.
extension Gateway {
    func addBundleRoutes(to r: inout Router) {
        let base = "/api/v1/resources/:resource_id/bundles"
        r.add("GET", base) { req, p in try await listBundles(req, p) }
        r.add("POST", base) { req, p in try await createBundle(req, p) }
        r.add("GET", base + "/:bundle_id") { req, p in try await showBundle(req, p) }
        r.add("PATCH", base + "/:bundle_id") { req, p in try await updateBundle(req, p) }
        r.add("DELETE", base + "/:bundle_id") { req, p in try await deleteBundle(req, p) }
    }

    static let bundleNotFound = APIError.message(404, "Bundle not found")

    func listBundles(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let bundles = try await db { try $0.bundles(serviceID: service.id) }
        return .json(200, ["bundles": .array(bundles.map(Representation.bundle))] as JSONValue)
    }

    func showBundle(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        return .json(200, Representation.bundle(try await publishedBundle(service, params)))
    }

    /// `POST …/bundles` with `{"name", "description", "main_offer_id", "offers": ["<slug>/<id>", …]}`.
    func createBundle(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let body = try BundleBody(request, creating: true)
        let bundle = try await catalogWrite { conn -> BundleRecord in
            let locked = try Self.lockedService(service.id, conn)
            let (main, offers) = try Self.resolveBundle(name: body.name!, description: body.description!,
                                                        mainIID: body.mainOfferIID!, entries: body.offers!, service: locked, conn)
            let iid = try conn.insertBundle(serviceID: locked.id, name: body.name!, description: body.description!,
                                            mainOfferID: main, offerIDs: offers)
            guard let created = try conn.findBundle(serviceID: locked.id, iid: iid) else { throw Self.bundleNotFound }
            return created
        }
        return .json(201, Representation.bundle(bundle))
    }

    /// `PATCH …/bundles/{id}`: the given fields replace the stored ones (`offers` as a whole).
    func updateBundle(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let current = try await publishedBundle(service, params)
        let body = try BundleBody(request, creating: false)
        let bundle = try await catalogWrite { conn -> BundleRecord in
            let locked = try Self.lockedService(service.id, conn)
            guard let stored = try conn.findBundle(serviceID: locked.id, iid: current.iid), stored.status == "published" else {
                throw Self.bundleNotFound
            }
            let name = body.name ?? stored.name, description = body.description ?? stored.description
            let (main, offers) = try Self.resolveBundle(name: name, description: description,
                                                        mainIID: body.mainOfferIID ?? stored.mainOfferIID,
                                                        entries: body.offers ?? stored.offerReferences, service: locked, conn)
            try conn.updateBundle(id: stored.id, name: name, description: description, mainOfferID: main, offerIDs: offers)
            guard let updated = try conn.findBundle(serviceID: locked.id, iid: stored.iid) else { throw Self.bundleNotFound }
            return updated
        }
        return .json(200, Representation.bundle(bundle))
    }

    /// `DELETE …/bundles/{id}`: 200 with an empty body; kept as `deleted` when ordered.
    func deleteBundle(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let current = try await publishedBundle(service, params)
        try await catalogWrite { conn in
            _ = try Self.lockedService(service.id, conn)
            guard let stored = try conn.findBundle(serviceID: service.id, iid: current.iid), stored.status == "published" else {
                throw Self.bundleNotFound
            }
            try conn.withdrawBundle(id: stored.id)
        }
        return HTTPResponse(status: 200)
    }

    func publishedBundle(_ service: ServiceRecord, _ params: PathParameters) async throws -> BundleRecord {
        let iid = try pathID(params, "bundle_id", notFound: Self.bundleNotFound)
        guard let bundle = try await db({ try $0.findBundle(serviceID: service.id, iid: iid) }), bundle.status == "published" else {
            throw Self.bundleNotFound
        }
        return bundle
    }

    /// Checks a bundle's merged fields against the catalogue. - Returns: the main offer's and
    /// the bundled offers' global ids.
    static func resolveBundle(name: String, description: String, mainIID: Int64, entries: [String],
                              service: ServiceRecord, _ conn: isolated PostgresConnection) throws -> (Int64, [Int64]) {
        var errors = FieldErrors()
        if name.allSatisfy(\.isWhitespace) { errors.add("name", "can't be blank") }
        if description.allSatisfy(\.isWhitespace) { errors.add("description", "can't be blank") }
        let main = try conn.findOffer(serviceID: service.id, iid: mainIID)
        if main?.status != "published" { errors.add("main_offer_id", "must be a published offer of this resource") }
        let (references, formatErrors) = BundleRules.parseOffers(entries, main: OfferReference(resource: service.slug, iid: mainIID))
        errors.merge(formatErrors)
        var ids: [Int64] = []
        for reference in references {
            guard let owner = try conn.findService(identifier: reference.resource), owner.status != "deleted",
                  let offer = try conn.findOffer(serviceID: owner.id, iid: reference.iid), offer.status == "published" else {
                errors.add("offers", "\"\(reference)\" is not a published offer")
                continue
            }
            if offer.id == main?.id {
                errors.add("offers", "\"\(reference)\" is the main offer; list only the offers bundled with it")
            } else if ids.contains(offer.id) {
                errors.add("offers", "\"\(reference)\" is listed more than once")
            } else {
                ids.append(offer.id)
            }
        }
        if !errors.isEmpty { throw APIError.fields(400, errors.messages) }
        return (main!.id, ids)
    }
}

/// The body of the bundle write API; absent fields are `nil` (PATCH), required on POST.
struct BundleBody: Sendable {
    var name: String?
    var description: String?
    var mainOfferIID: Int64?
    var offers: [String]?

    init(_ request: HTTPRequest, creating: Bool) throws {
        let body = try RequestBody(request)
        try body.onlyAllowed(["name", "description", "main_offer_id", "offers", "id"])
        var errors = FieldErrors()
        for key in ["name", "description"] {
            switch body.fields[key] {
            case nil: if creating { errors.add(key, "can't be blank") }
            case .string(let s)?:
                if s.allSatisfy(\.isWhitespace) { errors.add(key, "can't be blank") }
                if key == "name" { name = s } else { description = s }
            default: errors.add(key, "must be a string")
            }
        }
        switch body.fields["main_offer_id"] {
        case nil: if creating { errors.add("main_offer_id", "can't be blank") }
        case let value? where value.intValue != nil: mainOfferIID = value.intValue
        case .string(let s)? where Int64(s) != nil: mainOfferIID = Int64(s)
        default: errors.add("main_offer_id", "must be the id of an offer of this resource")
        }
        switch body.fields["offers"] {
        case nil: if creating { errors.add("offers", "are required. Please add at least one") }
        case .array(let items)?:
            let strings = items.compactMap(\.stringValue)
            if strings.count == items.count { offers = strings } else { errors.add("offers", "must be an array of \"<resource id>/<offer id>\" strings") }
        default: errors.add("offers", "must be an array of \"<resource id>/<offer id>\" strings")
        }
        if !errors.isEmpty { throw APIError.fields(400, errors.messages) }
    }
}
