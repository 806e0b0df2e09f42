import Contracts
import Domain
import Foundation
import HTTPCore
import PostgresClient
import Storage
import TMF622
import Wire

/// Ordering for users (the marketplace has this only in its web UI): projects, ordering an offer
/// with parameter values, following items, and the status of an accepted request.
extension Gateway {
    func addUserRoutes(to r: inout Router) {
        r.add("POST", "/api/v1/projects") { req, _ in try await createProject(req) }
        r.add("GET", "/api/v1/projects") { req, _ in try await listProjects(req) }
        r.add("GET", "/api/v1/projects/:project_id") { req, p in try await showProject(req, p) }
        r.add("POST", "/api/v1/projects/:project_id/project_items") { req, p in try await order(req, p) }
        r.add("GET", "/api/v1/projects/:project_id/project_items") { req, p in try await listItems(req, p) }
        r.add("GET", "/api/v1/projects/:project_id/project_items/:item_id") { req, p in try await showItem(req, p) }
        r.add("GET", "/api/v1/requests/:request_id") { req, p in try await requestStatus(req, p) }
    }

    static let customerTypologies: Set<String> = ["single_user", "research", "private_company", "project"]

    func createProject(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let body = try RequestBody(request)
        try body.onlyAllowed(["name", "customer_typology", "organization", "department", "department_webpage",
                              "scientific_domains", "country", "collaboration_countries", "user_group_name",
                              "reason_for_access"])
        let typology = try body.optionalString("customer_typology")
        if let typology, !Self.customerTypologies.contains(typology) {
            throw APIError.field("customer_typology", "must be one of: single_user, research, private_company, project")
        }
        let attributes = ProjectAttributes(
            name: try body.requiredString("name"), customerTypology: typology,
            organization: try body.optionalString("organization"), department: try body.optionalString("department"),
            departmentWebpage: try body.optionalString("department_webpage"),
            scientificDomains: try body.stringArray("scientific_domains"), country: try body.optionalString("country"),
            collaborationCountries: try body.stringArray("collaboration_countries"),
            userGroupName: try body.optionalString("user_group_name"),
            reasonForAccess: try body.optionalString("reason_for_access"))
        let header = CommandGateway.header(for: request, user: user)
        let base = commands.publicURL
        return try await commands.send(CreateProjectCommand(header: header, project: attributes),
                                       type: CommandType.createProject, header: header) { reply in
            try Self.renderProject(reply, base: base)
        }
    }

    func listProjects(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let (fromID, limit) = try Paging.parse(request)
        let projects = try await db { try $0.projects(ofUser: user.userID, afterID: fromID, limit: limit) }
        return .json(200, ["projects": .array(projects.map(Representation.project))] as JSONValue)
    }

    func showProject(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let project = try await ownProject(params, user: user)
        return .json(200, Representation.project(project))
    }

    /// Orders one offer, or a bundle (one item per offer), into one of the caller's projects, with
    /// parameter values checked against each offer's parameter definitions; nothing is created
    /// when a value is wrong.
    func order(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let body = try RequestBody(request)
        try body.onlyAllowed(["resource_id", "offer_id", "bundle_id", "parameters", "request_voucher", "voucher_id"])
        let projectID = try pathID(params, "project_id", notFound: APIError.projectNotFound)
        let owner = try await catalog.owner(ofProject: projectID) {
            try await db { try $0.query("SELECT user_id FROM projects WHERE id = \(projectID)").first?.int("user_id") }
        }
        guard owner == user.userID else { throw APIError.projectNotFound }
        let resourceID = try body.requiredIdentifier("resource_id")
        let requestVoucher = try body.optionalBool("request_voucher") ?? false
        let voucherID = try body.optionalString("voucher_id")
        let lines: [OrderLine]
        if body.fields["bundle_id"].map({ !$0.isNull }) == true {
            guard body.fields["offer_id"].map(\.isNull) ?? true else {
                throw APIError.field("bundle_id", "cannot be combined with offer_id: order an offer or a bundle")
            }
            lines = try await bundleLines(resourceID: resourceID, bundleIID: try body.requiredInt("bundle_id"),
                                          parameters: body.fields["parameters"], requestVoucher: requestVoucher,
                                          voucherID: voucherID)
        } else {
            let offerIID = try body.requiredInt("offer_id")
            let offer = try await publishedOffer(resourceID: resourceID, iid: offerIID)
            try Self.checkVoucher(offer, requestVoucher: requestVoucher, voucherID: voucherID)
            let properties = try Self.validate(try Self.submittedValues(body.fields["parameters"]), against: offer)
            lines = [OrderLine(lineID: "1", offerID: offer.id, offerProperties: properties.map(\.json),
                               requestVoucher: requestVoucher, voucherID: voucherID)]
        }
        let header = CommandGateway.header(for: request, user: user)
        let command = CreateOrderCommand(header: header, projectID: projectID, channel: "eosc", lines: lines)
        let base = commands.publicURL
        return try await commands.send(command, type: CommandType.createOrder, header: header) { reply in
            try Self.renderItems(reply, base: base)
        }
    }

    /// The marketplace's voucher rules: only a voucherable offer grants vouchers, and ordering a
    /// voucherable offer without requesting one needs the voucher the user already has.
    static func checkVoucher(_ offer: OfferRecord, requestVoucher: Bool, voucherID: String?) throws {
        if requestVoucher && !offer.voucherable {
            throw APIError.field("request_voucher", "this offer does not grant vouchers")
        }
        if offer.voucherable && !requestVoucher && (voucherID?.trimmingSpaces().isEmpty ?? true) {
            throw APIError.field("voucher_id", "can't be blank: request a voucher or give the one you have")
        }
    }

    /// A published offer of a published resource, or 404 `Offer not found`.
    func publishedOffer(resourceID: String, iid: Int64) async throws -> OfferRecord {
        guard let offer = try await catalog.offer(service: resourceID, iid: iid, load: {
            try await db { try $0.findOffer(service: resourceID, iid: iid) }
        }), offer.status == "published", offer.service.status == "published" else {
            throw APIError.offerNotFound
        }
        return offer
    }

    func listItems(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let project = try await ownProject(params, user: user, withItems: false)
        let (fromID, limit) = try Paging.parse(request)
        let items = try await db { try $0.items(projectID: project.id, afterIID: fromID, limit: limit) }
        return .json(200, ["project_items": .array(items.map { Representation.item($0) })] as JSONValue)
    }

    func showItem(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let project = try await ownProject(params, user: user, withItems: false)
        let iid = try pathID(params, "item_id", notFound: APIError.itemNotFound)
        guard let item = try await db({ try $0.findItem(projectID: project.id, iid: iid) }) else { throw APIError.itemNotFound }
        return .json(200, Representation.item(item))
    }

    /// Answers for a request that got 202: still pending (202), or its outcome.
    func requestStatus(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        guard let text = params["request_id"], let id = UUID(uuidString: text) else {
            throw APIError.message(404, "Request not found")
        }
        let stored = try await db { conn -> (Int64, String, String)? in
            guard let row = try conn.query("SELECT user_id, kind, result FROM requests WHERE request_id = \(id)").first else {
                return nil
            }
            return (try row.int("user_id"), try row.string("kind"), try row.string("result"))
        }
        guard let (owner, kind, result) = stored else { return commands.accepted(id) }
        guard owner == user.userID else { throw APIError.message(404, "Request not found") }
        let reply = try WireFormat.decode(CommandReply.self, from: result)
        let base = commands.publicURL
        var response = try CommandGateway.respond(reply) { reply in
            if reply.message != nil { return try Self.renderMessage(reply) }
            // TMF622 commands: the order or cancellation in its TMF view.
            if let order = reply.order, kind.hasPrefix("tmf.") {
                return .json(reply.status, TMFRepresentation.productOrder(order, publicURL: base),
                             headers: ["Location": TMFPaths.productOrder(base, order.publicID)])
            }
            if let cancellation = reply.cancellation {
                return .json(reply.status, TMFRepresentation.cancelProductOrder(cancellation, publicURL: base),
                             headers: ["Location": TMFPaths.cancelProductOrder(base, cancellation.publicID)])
            }
            if kind.hasPrefix("tmf.") { return HTTPResponse(status: 204) }
            return kind == CommandType.createProject ? try Self.renderProject(reply, base: base) : try Self.renderItems(reply, base: base)
        }
        if response.status == 201 { response.status = 200 }
        return response
    }

    func ownProject(_ params: PathParameters, user: AuthContext, withItems: Bool = true) async throws -> ProjectRecord {
        let id = try pathID(params, "project_id", notFound: APIError.projectNotFound)
        guard let project = try await db({ try $0.findProject(id: id, withItems: withItems) }), project.userID == user.userID else {
            throw APIError.projectNotFound
        }
        return project
    }
}
