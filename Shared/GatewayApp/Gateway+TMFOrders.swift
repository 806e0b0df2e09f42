import Contracts
import Domain
import HTTPCore
import Storage
import TMF622
import Wire

/// TMF622 Product Ordering Management v4 at `/tmf-api/productOrderingManagement/v4`, over the
/// same orders the EOSC APIs show (see README "One order, two views"). Errors use TMF's Error
/// resource; methods the spec does not define get 405 in that shape.
extension Gateway {
    func addTMFRoutes(to r: inout Router) {
        let base = TMFPaths.base
        r.add("GET", base + "/productOrder") { req, p in try await tmf { try await listProductOrders(req) } }
        r.add("POST", base + "/productOrder") { req, p in try await tmf { try await createProductOrder(req) } }
        r.add("GET", base + "/productOrder/:id") { req, p in try await tmf { try await retrieveProductOrder(req, p) } }
        r.add("PATCH", base + "/productOrder/:id") { req, p in try await tmf { try await patchProductOrder(req, p) } }
        r.add("DELETE", base + "/productOrder/:id") { req, p in try await tmf { try await deleteProductOrder(req, p) } }
        r.add("GET", base + "/cancelProductOrder") { req, p in try await tmf { try await listCancellations(req) } }
        r.add("POST", base + "/cancelProductOrder") { req, p in try await tmf { try await createCancellation(req) } }
        r.add("GET", base + "/cancelProductOrder/:id") { req, p in try await tmf { try await retrieveCancellation(req, p) } }
        r.add("POST", base + "/hub") { req, p in try await tmf { try await registerListener(req) } }
        r.add("DELETE", base + "/hub/:id") { req, p in try await tmf { try await unregisterListener(req, p) } }
    }

    /// Runs a TMF endpoint, answering errors of the shared helpers (EOSC-shaped) in TMF's shape.
    func tmf(_ body: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        do {
            return try await body()
        } catch let error as APIError {
            throw TMFError(error)
        }
    }

    /// The caller as the TMF access rules see them.
    func tmfCaller(_ request: HTTPRequest) async throws -> TMFCaller {
        let user: AuthContext
        do {
            user = try await auth.authenticate(request)
        } catch let error as APIError where error.status == 401 {
            throw TMFError.unauthorized
        }
        return TMFCaller(userID: user.userID, roles: user.roles, providerIDs: user.providerIDs)
    }

    static func scope(_ caller: TMFCaller) -> OrderScope {
        OrderScope(all: caller.seesAll, userID: caller.userID, providerIDs: caller.providerIDs)
    }

    /// The ProductOrder attributes a list may filter on (the v4 definition's, plus `orderRelationship`).
    static let productOrderAttributes: Set<String> = TMFSpec.attributeNames("ProductOrder").union(["orderRelationship", "@type"])
    static let cancelAttributes: Set<String> = TMFSpec.attributeNames("CancelProductOrder").union(["stateReason", "@type"])

    func listProductOrders(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let query = try TMFListQuery(request, knownRoots: Self.productOrderAttributes)
        let scope = Self.scope(caller)
        let base = commands.publicURL
        let (pushed, complete) = TMFListPushdown.split(query)
        if complete {
            let (offset, limit) = (query.offset, query.limit)
            let (total, orders) = try await db { try $0.ordersPage(scope: scope, filter: pushed, offset: offset, limit: limit) }
            return query.respondPage(orders.map { TMFRepresentation.productOrder($0, publicURL: base) }, total: total)
        }
        let orders = try await db { try $0.ordersPage(scope: scope, filter: pushed, offset: 0, limit: Int(Int32.max)).orders }
        return query.respond(orders.map { TMFRepresentation.productOrder($0, publicURL: base) })
    }

    func retrieveProductOrder(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let fields = try TMFListQuery.fields(request, knownRoots: Self.productOrderAttributes)
        let order = try await readableOrder(params, caller)
        return .json(200, TMFFields.select(TMFRepresentation.productOrder(order, publicURL: commands.publicURL), fields: fields))
    }

    /// An order the caller may read, or 404 (an order of someone else reads as missing).
    func readableOrder(_ params: PathParameters, _ caller: TMFCaller) async throws -> OrderRecord {
        let id = params["id"] ?? ""
        guard let order = try await db({ try $0.findOrder(publicID: id) }), caller.canRead(order) else {
            throw TMFError.notFound("productOrder", id)
        }
        return order
    }

    /// `DELETE /productOrder/{id}`: administrators only.
    func deleteProductOrder(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let header = Self.commandHeader(request, caller)
        let render: @Sendable (CommandReply) throws -> HTTPResponse = { _ in HTTPResponse(status: 204) }
        if let replayed = try await tmfReplay(request, header, render: render) { return replayed }
        let order = try await readableOrder(params, caller)
        guard caller.isAdmin else {
            throw TMFError(403, "forbidden", "Only administrators delete product orders; cancel it with cancelProductOrder")
        }
        return try await commands.send(DeleteTMFOrderCommand(header: header, publicID: order.publicID),
                                       type: CommandType.deleteTMFOrder, header: header, render: render)
    }
}

/// A TMF630 list request: filter, `fields`, `sort`, `offset`/`limit`, answered with
/// `X-Total-Count` (all that match) and `X-Result-Count` (in this page).
struct TMFListQuery {
    static let reserved: Set<String> = ["fields", "offset", "limit", "sort"]
    static let defaultLimit = 100
    static let maxLimit = 1000

    var filter: TMFFilter
    var fields: Set<String>?
    var sort: TMFSort?
    var offset: Int
    var limit: Int

    init(_ request: HTTPRequest, knownRoots: Set<String>) throws {
        do {
            filter = try TMFFilter.parse(request.query.map { (name: $0.name, value: $0.value) }, reserved: Self.reserved,
                                         knownRoots: knownRoots)
            sort = try TMFSort.parse(request.queryValue("sort"))
            (offset, limit) = try TMFPaging.parse(offset: request.queryValue("offset"), limit: request.queryValue("limit"),
                                                  defaultLimit: Self.defaultLimit, maxLimit: Self.maxLimit)
        } catch {
            throw TMFError.invalid(error.field, error.reason)
        }
        fields = try Self.fields(request, knownRoots: knownRoots)
        // Sort keys name attributes like filters do: a typo is a 400.
        for key in sort?.keys ?? [] where !knownRoots.contains(key.path.first ?? "") {
            throw TMFError.invalid("sort", "\(key.path.joined(separator: ".")) is not an attribute that can be sorted on")
        }
    }

    /// `fields`, each naming an attribute of the resource (a typo is a 400, not a silent omission).
    static func fields(_ request: HTTPRequest, knownRoots: Set<String>) throws -> Set<String>? {
        let fields: Set<String>?
        do {
            fields = try TMFFields.parse(request.queryValue("fields"))
        } catch {
            throw TMFError.invalid(error.field, error.reason)
        }
        for name in fields ?? [] {
            let root = String(name.split(separator: ".").first ?? "")
            guard knownRoots.contains(root) || name == "none" else {
                throw TMFError.invalid("fields", "\(name) is not an attribute that can be selected")
            }
        }
        return fields
    }

    func respond(_ documents: [JSONValue]) -> HTTPResponse {
        var matching = documents.filter(filter.matches)
        if let sort { matching = stableSorted(matching, sort) }
        let page = offset >= matching.count ? [] : Array(matching[offset..<min(matching.count, offset + limit)])
        return .json(200, JSONValue.array(page.map { TMFFields.select($0, fields: fields) }),
                     headers: ["X-Total-Count": String(matching.count), "X-Result-Count": String(page.count)])
    }

    /// A page the database already filtered and cut, with the count of all that match.
    func respondPage(_ page: [JSONValue], total: Int) -> HTTPResponse {
        .json(200, JSONValue.array(page.map { TMFFields.select($0, fields: fields) }),
              headers: ["X-Total-Count": String(total), "X-Result-Count": String(page.count)])
    }

    /// Sorted by `sort`; ties keep the list's order (newest first), reversed when the first key
    /// is ascending, as the database breaks the ties of `sort=orderDate` (oldest, lowest id
    /// first): the same request gives the same page whether it is filtered in SQL or in memory.
    private func stableSorted(_ documents: [JSONValue], _ sort: TMFSort) -> [JSONValue] {
        let ascending = sort.keys.first.map { !$0.descending } ?? false
        return documents.enumerated().sorted { a, b in
            if sort.areInIncreasingOrder(a.element, b.element) { return true }
            if sort.areInIncreasingOrder(b.element, a.element) { return false }
            return ascending ? a.offset > b.offset : a.offset < b.offset
        }.map(\.element)
    }
}
