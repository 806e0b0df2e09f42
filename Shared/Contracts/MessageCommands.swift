public import Wire

extension CommandType {
    /// An OMS (EOSC `POST /oms/{id}/messages`) or the project's owner (user API) writes a message.
    public static let createMessage = "message.create"
    /// An OMS edits a message's content (EOSC `PATCH /oms/{id}/messages/{m_id}`).
    public static let updateMessage = "message.update"
}

/// Who a message is from, as stored: for `user` the values come from the account, for an OMS
/// from the request body.
public struct MessageAuthor: Codable, Sendable, Hashable {
    /// `user`, `provider` or `mediator`.
    public var role: String
    /// The user's uid (users), or whatever uid the OMS gave.
    public var uid: String?
    public var email: String?
    /// The display name (a user's first and last name).
    public var name: String?

    public init(role: String, uid: String? = nil, email: String? = nil, name: String? = nil) {
        self.role = role
        self.uid = uid
        self.email = email
        self.name = name
    }
}

/// Write a message on a project (no item) or on one of its items.
///
/// The gateway has checked the body and the caller's rights; the processor checks them again in
/// its transaction, as it does for every command, so a message is only ever written by a caller
/// that may write it at the time of writing.
public struct CreateMessageCommand: Codable, Sendable {
    /// The request id, caller and body hash (see ``CommandHeader``).
    public var header: CommandHeader
    /// The OMS in the URL, or `nil` when the project's owner writes (user API).
    public var omsID: Int64?
    public var projectID: Int64
    /// The item's per-project id for an item message; `nil` for a project message.
    public var projectItemIID: Int64?
    public var author: MessageAuthor
    /// `public`, `internal` or `user_direct`.
    public var scope: String
    public var content: String

    public init(header: CommandHeader, omsID: Int64?, projectID: Int64, projectItemIID: Int64?, author: MessageAuthor,
                scope: String, content: String) {
        self.header = header
        self.omsID = omsID
        self.projectID = projectID
        self.projectItemIID = projectItemIID
        self.author = author
        self.scope = scope
        self.content = content
    }
}

/// Replace a message's content (an OMS that could have written that message).
public struct UpdateMessageCommand: Codable, Sendable {
    /// The request id, caller and body hash (see ``CommandHeader``).
    public var header: CommandHeader
    /// The OMS in the URL.
    public var omsID: Int64
    public var messageID: Int64
    /// The new content, replacing the old (which an `update` event records, hidden if `user_direct`).
    public var content: String

    public init(header: CommandHeader, omsID: Int64, messageID: Int64, content: String) {
        self.header = header
        self.omsID = omsID
        self.messageID = messageID
        self.content = content
    }
}

/// A message as stored: what the EOSC message representation is built from.
///
/// `content` is the clear text; every reader must go through the obfuscation rule of its scope
/// (only the reply to the writing request shows `user_direct` content).
public struct MessageRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var projectID: Int64
    /// The item's global id and per-project id, for item messages.
    public var projectItemID: Int64?
    public var projectItemIID: Int64?
    public var author: MessageAuthor
    /// `public`, `internal` or `user_direct`.
    public var scope: String
    /// The clear content (see the type's note).
    public var content: String
    /// Whether an OMS changed the content since it was written.
    public var edited: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: Int64, projectID: Int64, projectItemID: Int64?, projectItemIID: Int64?, author: MessageAuthor,
                scope: String, content: String, edited: Bool, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.projectID = projectID
        self.projectItemID = projectItemID
        self.projectItemIID = projectItemIID
        self.author = author
        self.scope = scope
        self.content = content
        self.edited = edited
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
