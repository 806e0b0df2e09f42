import Contracts
import Domain
import HTTPCore
import PostgresClient
import Storage
import Wire

/// The Ordering API's messages (`/api/v1/oms/{oms_id}/messages…`), with the marketplace's order
/// of checks: authenticate (401), OMS (404), caller administers it (403), query (400); for POST
/// the body schema (400) before the project (404) and item (404); then the write tables (403) and
/// the model (`{"error":{"message":["can't be blank"]}}`). Reads and writes follow
/// ``MessageAccess``; `user_direct` content is `<OBFUSCATED>` except in the writing response.
extension Gateway {
    func addMessageRoutes(to r: inout Router) {
        let base = "/api/v1/oms/:oms_id/messages"
        r.add("GET", base) { req, p in try await omsMessages(req, p) }
        r.add("POST", base) { req, p in try await omsCreateMessage(req, p) }
        r.add("GET", base + "/:message_id") { req, p in try await omsMessage(req, p) }
        r.add("PATCH", base + "/:message_id") { req, p in try await omsUpdateMessage(req, p) }
        addUserMessageRoutes(to: &r)
    }

    /// `GET …/messages?project_id=&project_item_id=&from_id=&limit=`: a project's own messages, or
    /// one item's, oldest first.
    func omsMessages(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, oms) = try await administeredOMS(request, params)
        let (fromID, limit) = try Paging.parse(request)
        guard let projectID = Self.queryID(request, "project_id") else { throw APIError.projectNotFound }
        let place = try await messagePlace(projectID: projectID, iid: Self.queryID(request, "project_item_id"))
        try Self.check(MessageAccess.list(oms.id, place.subject(seenBy: oms)), place)
        let itemID = place.item?.id
        let list = try await db { try $0.messages(projectID: projectID, itemID: itemID, afterID: fromID, limit: limit) }
        return .json(200, Representation.messages(list))
    }

    /// `POST …/messages` with `message/message_write.json`.
    func omsCreateMessage(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (user, oms) = try await administeredOMS(request, params)
        let raw = try RequestBody(request)
        try Self.checkSchema(.object(raw.fields), "message/message_write.json")
        let body = try MessageWriteBody(raw)
        let place = try await messagePlace(projectID: body.projectID, iid: body.projectItemIID)
        try Self.check(MessageAccess.create(oms.id, place.subject(seenBy: oms), scope: body.scope, role: body.role), place)
        guard !MessageScope.isBlank(body.content) else { throw APIError.field("message", "can't be blank") }
        let header = CommandGateway.header(for: request, user: user)
        let command = CreateMessageCommand(header: header, omsID: oms.id, projectID: body.projectID,
                                           projectItemIID: body.projectItemIID, author: body.author,
                                           scope: body.scope.rawValue, content: body.content)
        return try await commands.send(command, type: CommandType.createMessage, header: header, render: Self.renderMessage)
    }

    func omsMessage(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (_, oms) = try await administeredOMS(request, params)
        let (message, place) = try await storedMessage(params)
        try Self.check(MessageAccess.show(oms.id, place.subject(seenBy: oms)), place)
        return .json(200, Representation.message(message))
    }

    /// `PATCH …/messages/{id}` with `{"content": …}`: allowed iff the OMS could have created that
    /// message (its stored scope and author role), so a user's message is never an OMS's to edit.
    func omsUpdateMessage(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let (user, oms) = try await administeredOMS(request, params)
        let (message, place) = try await storedMessage(params)
        let subject = place.subject(seenBy: oms)
        guard let scope = MessageScope(rawValue: message.scope), let role = AuthorRole(rawValue: message.author.role),
              MessageAccess.edit(oms.id, subject, scope: scope, role: role) == .allowed else {
            throw APIError.forbidden
        }
        let raw = try RequestBody(request)
        try Self.checkSchema(.object(raw.fields), "message/message_update.json")
        try raw.onlyAllowed(["content"])
        guard let value = raw.fields["content"] else { throw APIError.field("content", "can't be blank") }
        guard case .string(let content) = value else { throw APIError.field("content", "must be a string") }
        guard !MessageScope.isBlank(content) else { throw APIError.field("message", "can't be blank") }
        let header = CommandGateway.header(for: request, user: user)
        let command = UpdateMessageCommand(header: header, omsID: oms.id, messageID: message.id, content: content)
        return try await commands.send(command, type: CommandType.updateMessage, header: header, render: Self.renderMessage)
    }

    /// The message in the path with where it is; 404 `Message not found` for none.
    func storedMessage(_ params: PathParameters) async throws -> (MessageRecord, MessagePlace) {
        let notFound = APIError.message(404, "Message not found")
        let id = try pathID(params, "message_id", notFound: notFound)
        guard let message = try await db({ try $0.findMessage(id: id) }) else { throw notFound }
        return (message, try await messagePlace(projectID: message.projectID, iid: message.projectItemIID))
    }

    /// A project (and item) with the primary OMSes the access rules need, in one round trip.
    func messagePlace(projectID: Int64, iid: Int64?) async throws -> MessagePlace {
        try await db { conn in
            let exists = try !conn.query("SELECT 1 AS n FROM projects WHERE id = \(projectID)").isEmpty
            guard exists else { return MessagePlace(projectExists: false, itemRequested: iid != nil, itemOMSes: [], item: nil) }
            let item = try iid.flatMap { try conn.findItem(projectID: projectID, iid: $0) }
            return MessagePlace(projectExists: true, itemRequested: iid != nil,
                                itemOMSes: try conn.itemOMSIDs(projectID: projectID), item: item)
        }
    }

    /// Throws the error of a refused check. A requested item that does not exist is "not found"
    /// once the project is known to be visible.
    static func check(_ outcome: MessageAccess.Outcome, _ place: MessagePlace) throws {
        guard place.projectExists else { throw APIError.projectNotFound }
        switch outcome {
        case .projectNotFound: throw APIError.projectNotFound
        case .itemNotFound: throw APIError.itemNotFound
        case .forbidden: throw place.itemRequested && place.item == nil ? APIError.itemNotFound : APIError.forbidden
        case .allowed: if place.itemRequested && place.item == nil { throw APIError.itemNotFound }
        }
    }

    /// A positive integer query parameter; present but not one reads as id 0 (found nowhere).
    static func queryID(_ request: HTTPRequest, _ name: String) -> Int64? {
        guard let text = request.queryValue(name), !text.isEmpty else { return nil }
        return Int64(text).flatMap { $0 > 0 ? $0 : nil } ?? 0
    }

    static func renderMessage(_ reply: CommandReply) throws -> HTTPResponse {
        guard let message = reply.message else { throw APIError.message(500, "Internal server error") }
        return .json(reply.status, Representation.message(message, revealContent: true))
    }
}

/// A project and maybe one of its items, as the message checks see them.
struct MessagePlace: Sendable {
    var projectExists: Bool
    /// Whether the request named an item (which may not exist).
    var itemRequested: Bool
    /// The primary OMS of every item of the project.
    var itemOMSes: [Int64]
    var item: ProjectItemRecord?

    /// The subject for the caller `oms`. A missing requested item is given a primary OMS no one
    /// has (0), so only the project decides visibility until ``Gateway/check(_:_:)`` says 404.
    /// The default OMS is named only when it is the caller: the rules only ask whether the caller is.
    func subject(seenBy oms: OMSRecord) -> MessageAccess.Subject {
        MessageAccess.Subject(projectItemPrimaryOMSes: itemOMSes, itemPrimaryOMS: itemRequested ? (item?.omsID ?? 0) : nil,
                              defaultOMS: oms.isDefault ? oms.id : nil)
    }
}
