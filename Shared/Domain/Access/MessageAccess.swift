/// The Ordering API's message checks in the marketplace's order, as pure functions of OMS ids,
/// so the gateway (which answers) and the processor (which checks again in its transaction)
/// decide alike.
///
/// Visibility decides 404 versus 403: a caller that may not see the project or the item is told
/// they do not exist; one that sees them but may not write this message is refused (403).
public enum MessageAccess {
    /// The outcome of a check.
    public enum Outcome: Hashable, Sendable {
        case allowed
        /// `Project not found`: the OMS sees no item of the project and is not the default OMS.
        case projectNotFound
        /// `Project item not found`: the OMS sees the project but not this item.
        case itemNotFound
        /// `You are not authorized to perform this action.`
        case forbidden
    }

    /// Where a message is, in terms of primary OMSes: every item's of its project, and its
    /// item's (`nil` for a project message).
    public struct Subject: Hashable, Sendable {
        /// The primary OMS of every item of the project.
        public var projectItemPrimaryOMSes: [Int64]
        /// The primary OMS of the message's item; `nil` for a project-level message.
        public var itemPrimaryOMS: Int64?
        /// The default OMS, `nil` when none is registered.
        public var defaultOMS: Int64?

        /// Builds a subject.
        public init(projectItemPrimaryOMSes: [Int64], itemPrimaryOMS: Int64?, defaultOMS: Int64?) {
            self.projectItemPrimaryOMSes = projectItemPrimaryOMSes
            self.itemPrimaryOMS = itemPrimaryOMS
            self.defaultOMS = defaultOMS
        }

        /// A project message or an item message.
        public var target: MessageTarget { itemPrimaryOMS == nil ? .project : .projectItem }

        /// The roles of `oms` towards the project.
        public func projectRoles(of oms: Int64) -> OMSRoles {
            AccessRules.roles(of: oms, projectItemPrimaryOMSes: projectItemPrimaryOMSes, defaultOMS: defaultOMS ?? 0)
        }

        /// The roles of `oms` towards the message's item, or the project for a project message:
        /// the roles the write tables are evaluated with.
        public func roles(of oms: Int64) -> OMSRoles {
            guard let item = itemPrimaryOMS else { return projectRoles(of: oms) }
            return AccessRules.roles(of: oms, itemPrimaryOMS: item, defaultOMS: defaultOMS ?? 0)
        }
    }

    /// Whether `oms` may list or show messages of this subject (item messages of items it sees,
    /// project messages of projects it sees).
    public static func canRead(_ oms: Int64, _ subject: Subject) -> Bool {
        AccessRules.canRead(subject.roles(of: oms))
    }

    /// Listing messages: the project, then the item, must be visible (404s otherwise).
    public static func list(_ oms: Int64, _ subject: Subject) -> Outcome {
        guard AccessRules.canRead(subject.projectRoles(of: oms)) else { return .projectNotFound }
        guard canRead(oms, subject) else { return .itemNotFound }
        return .allowed
    }

    /// `POST` a message with this scope and author role: the project and item must be visible
    /// (404), then the write table's cell must name one of the caller's roles (403).
    public static func create(_ oms: Int64, _ subject: Subject, scope: MessageScope, role: AuthorRole) -> Outcome {
        let visible = list(oms, subject)
        guard visible == .allowed else { return visible }
        let allowed = AccessRules.canWriteMessage(target: subject.target, scope: scope, role: role,
                                                  callerRoles: subject.roles(of: oms))
        return allowed ? .allowed : .forbidden
    }

    /// Showing one message by id: the message was found by its global id, so a caller that may
    /// not read it is refused (403), as the marketplace's record policy does.
    public static func show(_ oms: Int64, _ subject: Subject) -> Outcome {
        canRead(oms, subject) ? .allowed : .forbidden
    }

    /// `PATCH` of a stored message: allowed iff the caller could have created it (its scope and
    /// author role against the write tables), so a user's message is never editable by an OMS.
    public static func edit(_ oms: Int64, _ subject: Subject, scope: MessageScope, role: AuthorRole) -> Outcome {
        create(oms, subject, scope: scope, role: role) == .allowed ? .allowed : .forbidden
    }
}
