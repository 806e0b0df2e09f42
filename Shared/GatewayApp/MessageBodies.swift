import Contracts
import Domain
import Wire

/// The body of `POST /api/v1/oms/{id}/messages` (`message/message_write.json`), read into typed
/// values. The caller has checked it against that schema, which fixes every type, enum and
/// required property read here.
struct MessageWriteBody {
    var projectID: Int64
    /// Omitted for a project message (`null` is refused, as by the schema).
    var projectItemIID: Int64?
    var author: MessageAuthor
    var role: AuthorRole
    var scope: MessageScope
    var content: String

    init(_ body: RequestBody) throws {
        let f = body.fields
        guard case .int(let projectID)? = f["project_id"], case .object(let a)? = f["author"],
              case .string(let roleText)? = a["role"], let role = AuthorRole(rawValue: roleText), role != .user,
              case .string(let email)? = a["email"], case .string(let name)? = a["name"],
              case .string(let scopeText)? = f["scope"], let scope = MessageScope(rawValue: scopeText),
              case .string(let content)? = f["content"] else {
            throw APIError.message(400, "The request body does not match message/message_write.json")
        }
        if let item = f["project_item_id"] {
            guard case .int(let iid) = item else { throw APIError.field("project_item_id", "must be an integer") }
            projectItemIID = iid
        }
        self.projectID = projectID
        self.role = role
        self.scope = scope
        self.content = content
        author = MessageAuthor(role: roleText, uid: a["uid"]?.stringValue, email: email, name: name)
    }
}

/// The body of the user API's `POST …/messages`: `{"content": "…"}`, optionally with
/// `"scope": "public"`, the only scope a user writes.
struct UserMessageBody {
    var content: String

    init(_ body: RequestBody) throws {
        try body.onlyAllowed(["content", "scope"])
        if let scope = body.fields["scope"], scope != .string(MessageScope.public.rawValue) {
            throw APIError.field("scope", "must be public (users write public messages only)")
        }
        content = try body.requiredString("content")
    }
}
