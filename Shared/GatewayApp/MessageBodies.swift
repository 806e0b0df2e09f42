import Contracts
import Domain
import Wire

/// The body of `POST /api/v1/oms/{id}/messages` (`message/message_write.json`), read into typed
/// values after the schema check; the checks here only back it up, field by field.
struct MessageWriteBody {
    var projectID: Int64
    /// Omitted for a project message (`null` is refused, as by the schema).
    var projectItemIID: Int64?
    var author: MessageAuthor
    var role: AuthorRole
    var scope: MessageScope
    var content: String

    init(_ body: RequestBody) throws {
        try body.onlyAllowed(["project_id", "project_item_id", "author", "content", "scope"])
        projectID = try Self.integer(body.fields["project_id"], "project_id")
        projectItemIID = try body.fields["project_item_id"].map { try Self.integer($0, "project_item_id") }
        guard case .object(let a)? = body.fields["author"] else { throw APIError.field("author", "must be an object") }
        let unknown = a.keys.filter { !["uid", "email", "name", "role"].contains($0) }.sorted()
        guard unknown.isEmpty else { throw APIError.field("author", "has unknown properties: \(unknown.joined(separator: ", "))") }
        guard case .string(let roleText)? = a["role"], let role = AuthorRole(rawValue: roleText), role != .user else {
            throw APIError.field("author.role", "must be one of: provider, mediator")
        }
        self.role = role
        author = MessageAuthor(role: roleText, uid: try Self.string(a["uid"], "author.uid", required: false),
                               email: try Self.string(a["email"], "author.email", required: true),
                               name: try Self.string(a["name"], "author.name", required: true))
        guard case .string(let scopeText)? = body.fields["scope"], let scope = MessageScope(rawValue: scopeText) else {
            throw APIError.field("scope", "must be one of: public, internal, user_direct")
        }
        self.scope = scope
        guard let content = try Self.string(body.fields["content"], "content", required: true) else {
            throw APIError.field("content", "must be a string")
        }
        self.content = content
    }

    static func integer(_ value: JSONValue?, _ name: String) throws -> Int64 {
        guard let value else { throw APIError.field(name, "can't be blank") }
        guard case .int(let i) = value else { throw APIError.field(name, "must be an integer") }
        return i
    }

    static func string(_ value: JSONValue?, _ name: String, required: Bool) throws -> String? {
        guard let value else {
            if required { throw APIError.field(name, "can't be blank") }
            return nil
        }
        guard case .string(let s) = value else { throw APIError.field(name, "must be a string") }
        return s
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
