import Domain
import HTTPCore
import PostgresClient
import Storage
import Wire

/// The EOSC Offering API (`offering_swagger.json`) for data administrators of a resource's
/// provider. Order of checks: authenticate (401), resource (404 `Resource not found`), the
/// caller administers its provider (403), offer (404 `Offer not found`), body (400: the JSON
/// schema, then the model rules). Catalogue writes go straight to PostgreSQL, one transaction
/// each, holding the resource's row lock (per-resource ids and the order-type rule stay exact
/// under concurrent writers).
extension Gateway {
    func addOfferingRoutes(to r: inout Router) {
        r.add("GET", "/api/v1/resources") { req, _ in try await listResources(req) }
        r.add("GET", "/api/v1/resources/:resource_id") { req, p in try await showResource(req, p) }
        r.add("GET", "/api/v1/resources/:resource_id/offers") { req, p in try await listOffers(req, p) }
        r.add("POST", "/api/v1/resources/:resource_id/offers") { req, p in try await createOffer(req, p) }
        r.add("GET", "/api/v1/resources/:resource_id/offers/:offer_id") { req, p in try await showOffer(req, p) }
        r.add("PATCH", "/api/v1/resources/:resource_id/offers/:offer_id") { req, p in try await updateOffer(req, p) }
        r.add("DELETE", "/api/v1/resources/:resource_id/offers/:offer_id") { req, p in try await deleteOffer(req, p) }
    }

    /// `GET /resources`: the resources of the providers the caller administers, by id.
    func listResources(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let resources = try await db { conn -> [JSONValue] in
            try conn.services(ofProviders: user.providerIDs).map { s in
                Representation.resource(s, availableOMSes: try conn.availableOMSes(serviceID: s.id, providerID: s.providerID))
            }
        }
        return .json(200, ["resources": .array(resources)] as JSONValue)
    }

    func showResource(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let omses = try await db { try $0.availableOMSes(serviceID: service.id, providerID: service.providerID) }
        return .json(200, Representation.resource(service, availableOMSes: omses))
    }

    /// `GET …/offers`: published offers by id; a resource the caller does not administer lists
    /// none (200), as in the marketplace, whose spec gives this endpoint no 403.
    func listOffers(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let service = try await existingResource(params)
        guard user.providerIDs.contains(service.providerID) else { return .json(200, ["offers": .array([])] as JSONValue) }
        let offers = try await db { conn -> [JSONValue] in
            let offers = try conn.offers(serviceID: service.id)
            return try Self.offerJSON(offers, conn)
        }
        return .json(200, ["offers": .array(offers)] as JSONValue)
    }

    func showOffer(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let iid = try pathID(params, "offer_id", notFound: APIError.offerNotFound)
        let offer = try await db { conn -> JSONValue? in
            guard let offer = try conn.findOffer(serviceID: service.id, iid: iid), offer.status == "published" else { return nil }
            return try Self.offerJSON([offer], conn).first
        }
        guard let offer else { throw APIError.offerNotFound }
        return .json(200, offer)
    }

    /// `POST …/offers`: a published offer with the next per-resource id.
    func createOffer(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let body = try RequestBody(request)
        try Self.checkSchema(.object(body.fields), "offer/offer_write.json")
        let patch = OfferPatch(body.fields)
        let offer = try await catalogWrite { conn -> JSONValue in
            let locked = try Self.lockedService(service.id, conn)
            let facts = try Self.omsFacts(conn, locked, also: [patch.primaryOMSID].compactMap { $0 })
            let others = try Self.publishedTypes(conn, locked, excluding: nil)
            let fields = try Self.modelRules { () throws(FieldErrors) in
                try patch.merged(into: nil, service: locked, omses: facts, otherPublishedTypes: others)
            }
            let id = try conn.insertOffer(serviceID: locked.id, fields)
            guard let created = try conn.findOffers(ids: [id])[id] else { throw APIError.offerNotFound }
            return try Self.offerJSON([created], conn)[0]
        }
        catalog.forgetOffers(ofService: service.slug, id: service.id)
        return .json(201, offer)
    }

    /// `PATCH …/offers/{id}`: the given fields over the stored offer, then every rule again; a
    /// model-invalid update is 400 (the marketplace answers 500 there, a bug).
    func updateOffer(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let iid = try pathID(params, "offer_id", notFound: APIError.offerNotFound)
        guard let current = try await db({ try $0.findOffer(serviceID: service.id, iid: iid) }), current.status == "published" else {
            throw APIError.offerNotFound
        }
        let body = try RequestBody(request)
        try Self.checkSchema(.object(body.fields), "offer/offer_update.json")
        let patch = OfferPatch(body.fields)
        let offer = try await catalogWrite { conn -> JSONValue in
            let locked = try Self.lockedService(service.id, conn)
            guard let stored = try conn.findOffer(serviceID: locked.id, iid: iid), stored.status == "published" else {
                throw APIError.offerNotFound
            }
            let facts = try Self.omsFacts(conn, locked, also: [patch.primaryOMSID, stored.primaryOMSID].compactMap { $0 })
            let others = try Self.publishedTypes(conn, locked, excluding: stored.id)
            let fields = try Self.modelRules { () throws(FieldErrors) in
                try patch.merged(into: OfferFields(stored), service: locked, omses: facts, otherPublishedTypes: others)
            }
            try conn.updateOffer(id: stored.id, fields)
            guard let updated = try conn.findOffers(ids: [stored.id])[stored.id] else { throw APIError.offerNotFound }
            return try Self.offerJSON([updated], conn)[0]
        }
        catalog.forgetOffers(ofService: service.slug, id: service.id)
        return .json(200, offer)
    }

    /// `DELETE …/offers/{id}`: 200 with an empty body. Marked deleted when it was ordered (its
    /// items keep their offer), removed otherwise; see `deleteOffer(_:)` for bundles.
    func deleteOffer(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, service) = try await administeredResource(request, params)
        let iid = try pathID(params, "offer_id", notFound: APIError.offerNotFound)
        try await catalogWrite { conn in
            let locked = try Self.lockedService(service.id, conn)
            guard let offer = try conn.findOffer(serviceID: locked.id, iid: iid), offer.status == "published" else {
                throw APIError.offerNotFound
            }
            try conn.deleteOffer(offer)
        }
        catalog.forgetOffers(ofService: service.slug, id: service.id)
        return HTTPResponse(status: 200)
    }

    // MARK: - Shared by the Offering and bundle APIs

    /// The resource in the URL (slug, numeric id or PID), not deleted, or 404.
    func existingResource(_ params: PathParameters) async throws -> ServiceRecord {
        guard let id = params["resource_id"], !id.isEmpty,
              let service = try await db({ try $0.findService(identifier: id) }), service.status != "deleted" else {
            throw APIError.resourceNotFound
        }
        return service
    }

    /// The resource in the URL, which the caller must administer: 401, then 404, then 403.
    func administeredResource(_ request: HTTPRequest, _ params: PathParameters) async throws -> (AuthContext, ServiceRecord) {
        let user = try await auth.authenticate(request)
        let service = try await existingResource(params)
        guard user.providerIDs.contains(service.providerID) else { throw APIError.forbidden }
        return (user, service)
    }

    /// Runs a catalogue write in one transaction; an outage is 503 and nothing is retried (a
    /// write that may have committed must not be applied twice).
    func catalogWrite<T: Sendable>(_ body: @escaping @Sendable (isolated PostgresConnection) throws -> T) async throws -> T {
        do {
            return try await pool.transaction(body)
        } catch let error as PostgresError where error.isTransient {
            throw APIError.unavailable
        } catch let error as PostgresError where error.isUniqueViolation {
            throw APIError.message(409, "A concurrent change conflicted with this one; nothing was changed, retry")
        }
    }

    /// Runs model rules, turning their field errors into a 400.
    static func modelRules<T>(_ body: () throws(FieldErrors) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError.fields(400, error.messages)
        }
    }

    /// Locks the service row for the rest of the transaction; a service deleted meanwhile is 404.
    static func lockedService(_ id: Int64, _ conn: isolated PostgresConnection) throws -> ServiceRecord {
        guard let service = try conn.findService(id: id, forUpdate: true), service.status != "deleted" else {
            throw APIError.resourceNotFound
        }
        return service
    }

    static func publishedTypes(_ conn: isolated PostgresConnection, _ service: ServiceRecord, excluding id: Int64?) throws -> [OrderType] {
        try conn.offers(serviceID: service.id).filter { $0.id != id }.compactMap { OrderType(rawValue: $0.orderType) }
    }

    static func omsFacts(_ conn: isolated PostgresConnection, _ service: ServiceRecord, also ids: [Int64]) throws -> OMSFacts {
        let available = try conn.availableOMSes(serviceID: service.id, providerID: service.providerID)
        var params: [Int64: OMSCustomParams] = [:]
        for oms in available { params[oms.id] = OMSCustomParams(stored: oms.customParams) }
        for id in ids where params[id] == nil {
            if let oms = try conn.findOMS(id: id) { params[id] = OMSCustomParams(stored: oms.customParams) }
        }
        let defaultOMS = available.first(where: \.isDefault)
        return OMSFacts(customParams: params, available: Set(available.map(\.id)),
                        defaultParams: defaultOMS.map { OMSCustomParams(stored: $0.customParams) })
    }

    /// Offers in the Offering API's shape, with their bundles and the default OMS.
    static func offerJSON(_ offers: [OfferRecord], _ conn: isolated PostgresConnection) throws -> [JSONValue] {
        let bundles = try conn.bundledOffers(mainOfferIDs: offers.map(\.id))
        let defaultOMS = offers.contains(where: \.isInternal) ? try conn.defaultOMS()?.id : nil
        return offers.map { Representation.offer($0, defaultOMSID: defaultOMS, bundles: bundles[$0.id] ?? []) }
    }
}
