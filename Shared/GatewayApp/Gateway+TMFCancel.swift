import Contracts
import Domain
import Foundation
import HTTPCore
import Storage
import TMF622
import Wire

/// `cancelProductOrder` (create, list, retrieve) and the notification `hub`.
extension Gateway {
    func createCancellation(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let base = commands.publicURL
        let render: @Sendable (CommandReply) throws -> HTTPResponse = { reply in
            guard let cancellation = reply.cancellation else { throw TMFError(500, "internalError", "Internal server error") }
            return .json(201, TMFRepresentation.cancelProductOrder(cancellation, publicURL: base),
                         headers: ["Location": TMFPaths.cancelProductOrder(base, cancellation.publicID)])
        }
        let header = Self.commandHeader(request, caller)
        if let replayed = try await tmfReplay(request, header, render: render) { return replayed }
        let body = try Self.tmfObjectBody(request)
        try Self.checkTMF(.object(body), "CancelProductOrder_Create")
        for key in ["id", "href", "state", "effectiveCancellationDate"] where body[key] != nil {
            throw TMFError.invalid(key, "is set by the server; leave it out of the request")
        }
        let orderID = body["productOrder"]?["id"]?.stringValue ?? ""
        guard let order = try await db({ try $0.findOrder(publicID: orderID) }), caller.canRead(order) else {
            throw TMFError.invalid("productOrder.id", "names no product order you can see (\(orderID))")
        }
        guard caller.canChange(order) else { throw TMFError.forbidden }
        if TMFOrderState(rawValue: order.state)?.isFinal == true {
            throw TMFError(409, "orderIsFinal", "The order is \(order.state), a final state: it can no longer be cancelled",
                           field: "productOrder.id")
        }
        var requested: Timestamp?
        if let text = body["requestedCancellationDate"]?.stringValue {
            guard let date = Timestamp(parsing: text) else {
                throw TMFError.invalid("requestedCancellationDate", "must be a date-time such as 2026-11-25T10:00:00Z")
            }
            requested = date
        }
        var kept = body
        for key in ["productOrder", "cancellationReason", "requestedCancellationDate"] { kept[key] = nil }
        let command = CancelTMFOrderCommand(header: header, orderPublicID: order.publicID,
                                            reason: body["cancellationReason"]?.stringValue, requestedDate: requested,
                                            tmf: .object(kept))
        return try await commands.send(command, type: CommandType.cancelTMFOrder, header: header, render: render)
    }

    func listCancellations(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let query = try TMFListQuery(request, knownRoots: Self.cancelAttributes)
        let scope = Self.scope(caller)
        let cancellations = try await db { try $0.cancellations(scope: scope) }
        let base = commands.publicURL
        return query.respond(cancellations.map { TMFRepresentation.cancelProductOrder($0, publicURL: base) })
    }

    func retrieveCancellation(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let fields = try TMFListQuery.fields(request, knownRoots: Self.cancelAttributes)
        let id = params["id"] ?? ""
        let found = try await db { conn -> CancellationRecord? in
            guard let c = try conn.findCancellation(publicID: id), let order = try conn.findOrder(publicID: c.orderPublicID,
                                                                                                  includeDeleted: true),
                  caller.canRead(order) || c.userID == caller.userID else { return nil }
            return c
        }
        guard let cancellation = found else { throw TMFError.notFound("cancelProductOrder", id) }
        return .json(200, TMFFields.select(TMFRepresentation.cancelProductOrder(cancellation, publicURL: commands.publicURL),
                                           fields: fields))
    }

    /// `POST /hub`: a listener for the caller; events reach it only about orders they may read.
    func registerListener(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let body = try Self.tmfObjectBody(request)
        try Self.checkTMF(.object(body), "EventSubscriptionInput")
        let callback = body["callback"]?.stringValue ?? ""
        guard let url = URL(string: callback), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw TMFError.invalid("callback", "must be an absolute http or https URL")
        }
        let given = body["query"]?.stringValue?.trimmingCharacters(in: .whitespaces)
        let query = given?.isEmpty == false ? given : nil
        if let query {
            do {
                _ = try TMFFilter.parse(query: query)
            } catch {
                throw TMFError.invalid("query", "\(error.field): \(error.reason)")
            }
        }
        let id = UUID()
        try await db { try $0.insertHubListener(id: id, userID: caller.userID, callback: callback, query: query) }
        var out: [String: JSONValue] = ["id": .string(id.uuidString.lowercased()), "callback": .string(callback)]
        if let query { out["query"] = .string(query) }
        return .json(201, JSONValue.object(out), headers: ["Location": TMFPaths.hub(commands.publicURL, id.uuidString.lowercased())])
    }

    func unregisterListener(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let text = params["id"] ?? ""
        guard let id = UUID(uuidString: text),
              try await db({ try $0.deleteHubListener(id: id, userID: caller.userID, anyOwner: caller.isAdmin) }) else {
            throw TMFError.notFound("hub listener", text)
        }
        return HTTPResponse(status: 204)
    }
}
