import Contracts
import Domain
import HTTPCore
import PostgresClient
import Storage
import Wire

/// The EOSC Ordering API for OMSes (`ordering_swagger.json`), with the marketplace's order of
/// checks: authenticate (401), OMS exists (404), caller administers it (403), query (400),
/// parents (404), record (404), record access (403), body (400).
extension Gateway {
    func addOMSRoutes(to r: inout Router) {
        let base = "/api/v1/oms/:oms_id"
        r.add("GET", "/api/v1/oms") { req, _ in try await listOMSes(req) }
        r.add("GET", base) { req, p in try await showOMS(req, p) }
        r.add("GET", base + "/events") { req, p in try await events(req, p) }
        r.add("GET", base + "/projects") { req, p in try await omsProjects(req, p) }
        r.add("GET", base + "/projects/:project_id") { req, p in try await omsProject(req, p) }
        r.add("GET", base + "/projects/:project_id/project_items") { req, p in try await omsItems(req, p) }
        r.add("GET", base + "/projects/:project_id/project_items/:item_id") { req, p in try await omsItem(req, p) }
        r.add("PATCH", base + "/projects/:project_id/project_items/:item_id") { req, p in try await updateItem(req, p) }
    }

    func listOMSes(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let omses = try await db { try $0.findOMSes(ids: user.omsIDs) }
        return .json(200, ["omses": .array(omses.map(Representation.oms))] as JSONValue)
    }

    func showOMS(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, oms) = try await administeredOMS(request, params)
        return .json(200, Representation.oms(oms))
    }

    /// `GET /events?from_timestamp=…&limit=…`: events after the timestamp, oldest first.
    func events(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, oms) = try await administeredOMS(request, params)
        guard let text = request.queryValue("from_timestamp"), !text.isEmpty else {
            throw APIError.message(400, "param is missing or the value is empty: from_timestamp")
        }
        // With or without a fraction; naive or +00:00 read as UTC (the reference adapter sends both).
        guard let from = Timestamp(parsing: text, assumeUTC: true) else { throw APIError.message(400, "invalid date") }
        let (_, limit) = try Paging.parse(request)
        let events = try await db { conn -> [EventRecord] in
            let events = try conn.events(visibleTo: oms.id, isDefault: oms.isDefault, after: from, limit: limit)
            try conn.recordEventsPoll(omsID: oms.id)
            return events
        }
        return .json(200, ["events": .array(events.map(Representation.event))] as JSONValue)
    }

    func omsProjects(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, oms) = try await administeredOMS(request, params)
        let (fromID, limit) = try Paging.parse(request)
        let projects = try await db { try $0.projects(visibleTo: oms.id, isDefault: oms.isDefault, afterID: fromID, limit: limit) }
        return .json(200, ["projects": .array(projects.map(Representation.project))] as JSONValue)
    }

    func omsProject(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, oms) = try await administeredOMS(request, params)
        return .json(200, Representation.project(try await visibleProject(params, oms: oms)))
    }

    func omsItems(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, oms) = try await administeredOMS(request, params)
        let (fromID, limit) = try Paging.parse(request)
        let project = try await visibleProject(params, oms: oms, withItems: false)
        let items = try await db {
            try $0.items(projectID: project.id, omsID: oms.isDefault ? nil : oms.id, afterIID: fromID, limit: limit)
        }
        return .json(200, ["project_items": .array(items.map { Representation.item($0) })] as JSONValue)
    }

    func omsItem(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, oms) = try await administeredOMS(request, params)
        return .json(200, Representation.item(try await visibleItem(params, oms: oms)))
    }

    /// `PATCH …/project_items/{id}` with `{"status": {"value", "type"}, "user_secrets": {…}}`.
    func updateItem(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (user, oms) = try await administeredOMS(request, params)
        let item = try await visibleItem(params, oms: oms)
        guard item.omsID == oms.id else { throw APIError.forbidden }
        let (body, externalRef) = try Self.takeExternalRef(try RequestBody(request))
        let onlyExternalRef = externalRef != nil && body.fields.isEmpty
        if !onlyExternalRef { try Self.checkSchema(.object(body.fields), "project_item/project_item_update.json") }
        let update = onlyExternalRef ? ItemUpdateBody() : try ItemUpdateBody(body)
        let header = CommandGateway.header(for: request, user: user)
        let command = UpdateProjectItemCommand(header: header, omsID: oms.id, projectID: item.projectID, iid: item.iid,
                                               statusValue: update.statusValue, statusType: update.statusType,
                                               userSecrets: update.userSecrets, externalRef: externalRef)
        let base = commands.publicURL
        var response = try await commands.send(command, type: CommandType.updateProjectItem, header: header) { reply in
            try Self.renderItems(reply, base: base)
        }
        response.headers.remove("Location")
        return response
    }

    /// The OMS in the URL, which the caller must administer.
    func administeredOMS(_ request: HTTPRequest, _ params: PathParameters) async throws -> (AuthContext, OMSRecord) {
        let user = try await auth.authenticate(request)
        let id = try pathID(params, "oms_id", notFound: APIError.omsNotFound)
        guard let oms = try await db({ try $0.findOMS(id: id) }) else { throw APIError.omsNotFound }
        guard user.omsIDs.contains(oms.id) else { throw APIError.forbidden }
        return (user, oms)
    }

    /// A project the OMS may see: any for the default OMS, else one with an item it handles.
    func visibleProject(_ params: PathParameters, oms: OMSRecord, withItems: Bool = true) async throws -> ProjectRecord {
        let id = try pathID(params, "project_id", notFound: APIError.projectNotFound)
        let found = try await db { conn -> ProjectRecord? in
            guard let project = try conn.findProject(id: id, withItems: withItems) else { return nil }
            if oms.isDefault { return project }
            return try conn.items(projectID: id, omsID: oms.id, limit: 1).isEmpty ? nil : project
        }
        guard let found else { throw APIError.projectNotFound }
        return found
    }

    /// An item the OMS may see (its primary OMS, or the default OMS); others are "not found".
    func visibleItem(_ params: PathParameters, oms: OMSRecord) async throws -> ProjectItemRecord {
        let project = try await visibleProject(params, oms: oms, withItems: false)
        let iid = try pathID(params, "item_id", notFound: APIError.itemNotFound)
        guard let item = try await db({ try $0.findItem(projectID: project.id, iid: iid) }),
              oms.isDefault || item.omsID == oms.id else {
            throw APIError.itemNotFound
        }
        return item
    }
}

/// The body of `PATCH …/project_items/{id}`: first the marketplace's schema
/// (`project_item/project_item_update.json`, the gem's messages), then its model checks.
struct ItemUpdateBody {
    var statusValue: String?
    var statusType: String?
    var userSecrets: [String: String]?

    /// The model checks, on a body the caller has already checked against the schema (which
    /// guarantees `status` is {"value": string, "type": one of the settable types}, `user_secrets`
    /// an object, and at least one of them present).
    init(_ body: RequestBody) throws {
        let fields = body.fields
        if case .object(let status)? = fields["status"], case .string(let value)? = status["value"],
           case .string(let type)? = status["type"] {
            guard !value.trimmingSpaces().isEmpty else { throw APIError.field("status", "can't be blank") }
            statusValue = value
            statusType = type
        }
        if case .object(let secrets)? = fields["user_secrets"] {
            // The schema says only "object"; the model wants string values.
            var out: [String: String] = [:]
            for (key, value) in secrets {
                guard case .string(let s) = value else { throw APIError.field("user_secrets", "values must be strings") }
                out[key] = s
            }
            userSecrets = out
        }
    }
}
