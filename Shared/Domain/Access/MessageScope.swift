/// Who a message is for (EOSC `scope`); with the author's role it decides who may write it and
/// whether its content is hidden on reads.
public enum MessageScope: String, CaseIterable, Hashable, Sendable, Codable {
    /// Shown to the user, who is e-mailed about it.
    case `public`
    /// Between OMSes and operators only; never shown to the user.
    case `internal`
    /// For the user's eyes only (credentials): content obfuscated in every API read.
    case userDirect = "user_direct"
}

/// Whose voice a message is (EOSC `author.role`).
public enum AuthorRole: String, CaseIterable, Hashable, Sendable, Codable {
    /// The ordering user (writes through the user interface, never through an OMS).
    case user
    /// The provider, through the item's primary OMS.
    case provider
    /// The operations team, through the default OMS.
    case mediator
}

/// Whether a message belongs to a whole project or to one of its items; the write rules differ.
public enum MessageTarget: String, CaseIterable, Hashable, Sendable, Codable {
    /// A project-level message.
    case project
    /// A message on one project item.
    case projectItem = "project_item"
}
