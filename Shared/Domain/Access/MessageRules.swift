/// Who reads a message and who is told about one, beside the write tables of ``AccessRules``.
extension MessageScope {
    /// Whether the ordering user is shown messages of this scope: `public` and `user_direct`
    /// (content hidden like everywhere); `internal` stays between OMSes and operators.
    public var isShownToUser: Bool { self != .internal }

    /// Whether a message's content counts as blank (the marketplace's "can't be blank"): empty
    /// or only white space.
    public static func isBlank(_ content: String) -> Bool {
        content.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}

/// Who is told about a new message, besides the triggers of the concerned OMSes.
public enum MessageNotice {
    /// The project's owner gets an e-mail unless the message is `internal` (not theirs to see)
    /// or is their own.
    public static func mailsOwner(scope: MessageScope, role: AuthorRole) -> Bool {
        scope != .internal && role != .user
    }

    /// The provider's contacts get an e-mail when the user writes on one of its items, as they
    /// do for a new order: the provider may have no OMS polling for it. A user's project message
    /// belongs to no provider; it reaches the OMSes (the mediator among them) by their triggers.
    public static func mailsProvider(role: AuthorRole, target: MessageTarget) -> Bool {
        role == .user && target == .projectItem
    }
}

extension AccessRules {
    /// The OMSes told about an event (one trigger each, EOSC `Event#omses`): the primary OMSes
    /// of its subject (the item; for a project or project message, every item of the project)
    /// plus the default OMS, each once.
    public static func concernedOMSes(subjectPrimaryOMSes: some Sequence<Int64>, defaultOMS: Int64?) -> Set<Int64> {
        var out = Set(subjectPrimaryOMSes)
        if let defaultOMS { out.insert(defaultOMS) }
        return out
    }
}
