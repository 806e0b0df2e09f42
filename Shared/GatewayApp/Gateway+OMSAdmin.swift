import Domain
import HTTPCore
import PostgresClient
import Storage
import Wire

/// OMS self-service for data administrators (research §12.8; the marketplace leaves this to
/// operators): register an OMS for one's provider or resource, configure its name, trigger
/// and custom params, rotate its token.
///
/// Who may configure an OMS: a data administrator of every provider the OMS belongs to (its
/// provider group, or the provider of the resource it is dedicated to). Global OMSes, the
/// default OMS among them, serve every provider and belong to the operations team: only a user
/// with role `admin`, or role `operator` who administers that OMS, may configure them.
/// Order of checks: 401, OMS exists (404 `OMS not found`), permission (403), body (400).
extension Gateway {
    func addOMSAdminRoutes(to r: inout Router) {
        r.add("POST", "/api/v1/oms") { req, _ in try await registerOMS(req) }
        r.add("PATCH", "/api/v1/oms/:oms_id") { req, p in try await configureOMS(req, p) }
        r.add("POST", "/api/v1/oms/:oms_id/token") { req, p in try await rotateOMSToken(req, p) }
    }

    /// `POST /api/v1/oms`: 201 `{"oms": <OMS>, "token": "<the OMS's token, shown once>", "user": "<its uid>"}`.
    func registerOMS(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        guard !user.providerIDs.isEmpty else { throw APIError.forbidden }
        let body = try RequestBody(request)
        try body.onlyAllowed(["name", "type", "provider_id", "resource_id", "custom_params", "trigger"])
        let settings = try OMSSettingsBody(body.fields, creating: true)
        let token = Self.newToken()
        let (oms, uid) = try await catalogWrite { conn -> (OMSRecord, String) in
            var errors = FieldErrors()
            var providerID: Int64?, serviceID: Int64?
            let type = body.fields["type"]?.stringValue
            switch type {
            case "provider_group"?:
                if body.fields["resource_id"] != nil { errors.add("resource_id", "applies to resource_dedicated OMSes only") }
                providerID = try Self.ownProvider(body.fields["provider_id"], user: user, conn, &errors)
            case "resource_dedicated"?:
                if body.fields["provider_id"] != nil { errors.add("provider_id", "applies to provider_group OMSes only") }
                serviceID = try Self.ownResource(body.fields["resource_id"], user: user, conn, &errors)
            default:
                errors.add("type", "must be provider_group or resource_dedicated")
            }
            if let name = settings.name, try conn.omsNameTaken(name) { errors.add("name", "has already been taken") }
            if !errors.isEmpty { throw APIError.fields(400, errors.messages) }
            let trigger = settings.trigger ?? nil
            let (id, serviceUser) = try conn.insertOMS(NewOMS(
                name: settings.name!, type: type!, customParams: (settings.customParams ?? OMSCustomParams()).json,
                triggerURL: trigger?.url, triggerMethod: trigger?.method ?? "post", triggerUser: trigger?.user,
                triggerPassword: trigger?.password, providerID: providerID, serviceID: serviceID), registrant: user.userID)
            try conn.insertToken(userID: serviceUser.id, tokenHash: token.hash, label: "oms")
            guard let oms = try conn.findOMS(id: id) else { throw APIError.omsNotFound }
            return (oms, serviceUser.uid)
        }
        auth.forget(userID: user.userID)
        return .json(201, ["oms": Representation.oms(oms), "token": .string(token.token), "user": .string(uid)] as JSONValue)
    }

    /// `PATCH /api/v1/oms/{id}` with any of `name`, `custom_params`, `trigger` (`null` removes it).
    func configureOMS(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let oms = try await configurableOMS(request, params)
        let body = try RequestBody(request)
        try body.onlyAllowed(["name", "custom_params", "trigger"])
        let settings = try OMSSettingsBody(body.fields, creating: false)
        let updated = try await catalogWrite { conn -> OMSRecord in
            if let name = settings.name, try conn.omsNameTaken(name, exceptID: oms.id) {
                throw APIError.field("name", "has already been taken")
            }
            guard let stored = try conn.findOMS(id: oms.id) else { throw APIError.omsNotFound }
            let keepTrigger = stored.triggerURL.map {
                OMSTriggerSettings(url: $0, method: stored.triggerMethod, user: stored.triggerUser, password: stored.triggerPassword)
            }
            let trigger = settings.trigger ?? keepTrigger
            try conn.updateOMS(id: oms.id, name: settings.name ?? stored.name,
                               customParams: settings.customParams?.json ?? stored.customParams,
                               triggerURL: trigger?.url, triggerMethod: trigger?.method ?? "post",
                               triggerUser: trigger?.user, triggerPassword: trigger?.password)
            guard let updated = try conn.findOMS(id: oms.id) else { throw APIError.omsNotFound }
            return updated
        }
        return .json(200, Representation.oms(updated))
    }

    /// `POST /api/v1/oms/{id}/token`: revokes the OMS's tokens and answers 201
    /// `{"token": "<new token, shown once>", "user": "<uid>", "revoked": <count>}`.
    func rotateOMSToken(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let oms = try await configurableOMS(request, params)
        let token = Self.newToken()
        let (revoked, uid) = try await catalogWrite { conn -> ([TokenRecord], String) in
            let serviceUser = try conn.ensureServiceUser(omsID: oms.id, name: oms.name)
            let revoked = try conn.revokeTokens(userID: serviceUser.id)
            try conn.insertToken(userID: serviceUser.id, tokenHash: token.hash, label: "oms")
            return (revoked, serviceUser.uid)
        }
        auth.forget(tokenHashes: revoked.map(\.tokenHash))
        return .json(201, ["token": .string(token.token), "user": .string(uid), "revoked": .int(Int64(revoked.count))] as JSONValue)
    }

    /// The OMS in the URL, if the caller may configure it (see the type's documentation).
    func configurableOMS(_ request: HTTPRequest, _ params: PathParameters) async throws -> OMSRecord {
        let user = try await auth.authenticate(request)
        let id = try pathID(params, "oms_id", notFound: APIError.omsNotFound)
        guard let (oms, providers) = try await db({ conn -> (OMSRecord, [Int64])? in
            guard let oms = try conn.findOMS(id: id) else { return nil }
            return (oms, try conn.omsProviders(omsID: id))
        }) else { throw APIError.omsNotFound }
        let allowed: Bool
        if user.hasRole("admin") {
            allowed = true
        } else if oms.type == "global" || oms.isDefault {
            allowed = user.hasRole("operator") && user.omsIDs.contains(oms.id)
        } else {
            // Every provider the OMS serves: whoever holds its token sees all their orders, so a
            // data administrator of one provider of a shared OMS may not take it over.
            allowed = !providers.isEmpty && providers.allSatisfy(user.providerIDs.contains)
        }
        guard allowed else { throw APIError.forbidden }
        return oms
    }

    /// The provider a `provider_group` OMS is for: `provider_id` (PID or id), which the caller
    /// must administer; may be left out by a data administrator of exactly one provider.
    static func ownProvider(_ value: JSONValue?, user: AuthContext, _ conn: isolated PostgresConnection,
                            _ errors: inout FieldErrors) throws -> Int64? {
        guard let value, !value.isNull else {
            if user.providerIDs.count == 1 { return user.providerIDs[0] }
            errors.add("provider_id", "can't be blank")
            return nil
        }
        let text = value.intValue.map(String.init) ?? value.stringValue ?? ""
        let found = try conn.query("""
            SELECT id FROM providers WHERE pid = \(text) OR id::text = \(text) ORDER BY (pid IS NOT DISTINCT FROM \(text)) DESC LIMIT 1
            """).first.map { try $0.int("id") }
        guard let found, user.providerIDs.contains(found) else {
            errors.add("provider_id", "must be a provider you administer")
            return nil
        }
        return found
    }

    /// The resource a `resource_dedicated` OMS is for: `resource_id`, which the caller must administer.
    static func ownResource(_ value: JSONValue?, user: AuthContext, _ conn: isolated PostgresConnection,
                            _ errors: inout FieldErrors) throws -> Int64? {
        guard let value, !value.isNull else {
            errors.add("resource_id", "can't be blank")
            return nil
        }
        let text = value.intValue.map(String.init) ?? value.stringValue ?? ""
        guard let service = try conn.findService(identifier: text), service.status != "deleted",
              user.providerIDs.contains(service.providerID) else {
            errors.add("resource_id", "must be a resource you administer")
            return nil
        }
        return service.id
    }
}

/// `name`, `custom_params` and `trigger` of an OMS as a client writes them. `trigger` is
/// `.some(nil)` when the client removes it.
struct OMSSettingsBody: Sendable {
    var name: String?
    var customParams: OMSCustomParams?
    var trigger: OMSTriggerSettings??

    init(_ fields: [String: JSONValue], creating: Bool) throws {
        var errors = FieldErrors()
        switch fields["name"] {
        case nil: if creating { errors.add("name", "can't be blank") }
        case .string(let s)? where !s.allSatisfy(\.isWhitespace): name = s.trimmingSpaces()
        case .string?, .null?: errors.add("name", "can't be blank")
        default: errors.add("name", "must be a string")
        }
        if let value = fields["custom_params"] {
            do throws(FieldErrors) { customParams = try OMSCustomParams(json: value.isNull ? .object([:]) : value) } catch { errors.merge(error) }
        }
        switch fields["trigger"] {
        case nil: break
        case .null?: trigger = .some(nil)
        case let value?:
            do throws(FieldErrors) { trigger = .some(try OMSTriggerSettings(json: value)) } catch { errors.merge(error) }
        }
        if !errors.isEmpty { throw APIError.fields(400, errors.messages) }
    }
}
