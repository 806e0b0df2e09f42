import Contracts
import Domain
import HTTPCore
import Storage
import Wire

/// Messages for the ordering user (the marketplace has them only in its web UI): the owner of a
/// project reads and writes its project-level messages and each item's. A user writes as role
/// `user`, scope `public`, with the author taken from the account; they read `public` and
/// `user_direct` messages (the latter's content obfuscated, as in every read), never
/// `internal` ones. Anyone else's project is "not found".
extension Gateway {
    func addUserMessageRoutes(to r: inout Router) {
        let project = "/api/v1/projects/:project_id"
        r.add("GET", project + "/messages") { req, p in try await userMessages(req, p, item: false) }
        r.add("POST", project + "/messages") { req, p in try await userCreateMessage(req, p, item: false) }
        r.add("GET", project + "/project_items/:item_id/messages") { req, p in try await userMessages(req, p, item: true) }
        r.add("POST", project + "/project_items/:item_id/messages") { req, p in try await userCreateMessage(req, p, item: true) }
    }

    static let userScopes = MessageScope.allCases.filter(\.isShownToUser).map(\.rawValue)

    /// `GET …/messages?from_id=&limit=`, oldest first.
    func userMessages(_ request: HTTPRequest, _ params: PathParameters, item: Bool) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let project = try await ownProject(params, user: user, withItems: false)
        let itemID = item ? try await ownItem(params, project: project).id : nil
        let (fromID, limit) = try Paging.parse(request)
        let list = try await db {
            try $0.messages(projectID: project.id, itemID: itemID, scopes: Self.userScopes, afterID: fromID, limit: limit)
        }
        return .json(200, Representation.messages(list))
    }

    /// `POST …/messages` with `{"content": "…"}`: 201 with the message.
    func userCreateMessage(_ request: HTTPRequest, _ params: PathParameters, item: Bool) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let body = try UserMessageBody(try RequestBody(request))
        let project = try await ownProject(params, user: user, withItems: false)
        let iid = item ? try await ownItem(params, project: project).iid : nil
        let name = [user.firstName, user.lastName].filter { !$0.isEmpty }.joined(separator: " ")
        let header = CommandGateway.header(for: request, user: user)
        let command = CreateMessageCommand(header: header, omsID: nil, projectID: project.id, projectItemIID: iid,
                                           author: MessageAuthor(role: AuthorRole.user.rawValue, uid: user.uid,
                                                                 email: user.email, name: name),
                                           scope: MessageScope.public.rawValue, content: body.content)
        return try await commands.send(command, type: CommandType.createMessage, header: header, render: Self.renderMessage)
    }

    /// An item of the caller's project, by the iid in the path.
    func ownItem(_ params: PathParameters, project: ProjectRecord) async throws -> ProjectItemRecord {
        let iid = try pathID(params, "item_id", notFound: APIError.itemNotFound)
        guard let item = try await db({ try $0.findItem(projectID: project.id, iid: iid) }) else { throw APIError.itemNotFound }
        return item
    }
}
