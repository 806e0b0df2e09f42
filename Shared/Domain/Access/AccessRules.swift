/// The EOSC Ordering API's access model (research §6) as pure functions of OMS ids, so the
/// gateway's checks and the notifier's fan-out agree and every cell is tested.
///
/// The caller is identified by the OMS named in `/oms/{oms_id}/…` (after checking that the
/// token's user administers it), the simplification the research recommends; rules then depend
/// only on that OMS's ``OMSRoles``.
public enum AccessRules {
    /// The OMS that owns an item: the offer's primary OMS, or the default OMS when the offer
    /// names none. Only it may change the item.
    public static func primaryOMS(offerPrimaryOMS: Int64?, defaultOMS: Int64) -> Int64 {
        offerPrimaryOMS ?? defaultOMS
    }

    /// The roles of `oms` towards an item whose primary OMS is `itemPrimaryOMS`.
    public static func roles(of oms: Int64, itemPrimaryOMS: Int64, defaultOMS: Int64) -> OMSRoles {
        var roles: OMSRoles = []
        if oms == itemPrimaryOMS { roles.insert(.provider) }
        if oms == defaultOMS { roles.insert(.mediator) }
        return roles
    }

    /// The roles of `oms` towards a project whose items have the primary OMSes `itemPrimaryOMSes`:
    /// provider if it is the primary OMS of at least one item, mediator if it is the default OMS.
    public static func roles(of oms: Int64, projectItemPrimaryOMSes itemPrimaryOMSes: some Sequence<Int64>,
                             defaultOMS: Int64) -> OMSRoles {
        var roles: OMSRoles = []
        if itemPrimaryOMSes.contains(oms) { roles.insert(.provider) }
        if oms == defaultOMS { roles.insert(.mediator) }
        return roles
    }

    /// Whether an OMS with `roles` may read the project, item or message: any role suffices.
    /// The default OMS reads everything; another OMS reads its own items, their projects, and the
    /// messages of those (an item message by the item's roles, a project message by the project's).
    public static func canRead(_ roles: OMSRoles) -> Bool { !roles.isEmpty }

    /// Whether an OMS with `roles` towards an item may PATCH it: only its primary OMS. The
    /// default OMS as mediator alone may not, so two OMSes never fight over one item.
    public static func canUpdateItem(_ roles: OMSRoles) -> Bool { roles.contains(.provider) }

    /// Who may write (POST or PATCH) a message with this target, scope and author role: one cell
    /// of the guideline's tables, `[]` for nobody.
    ///
    /// | project | user | provider | mediator |   | item | user | provider | mediator |
    /// |---|---|---|---|---|---|---|---|---|
    /// | public | – | provider | mediator |   | public | – | primary | secondary |
    /// | internal | – | provider | mediator |   | internal | – | primary | secondary |
    /// | user_direct | – | – | mediator |   | user_direct | – | primary | – |
    public static func messageWriters(target: MessageTarget, scope: MessageScope, role: AuthorRole) -> OMSRoles {
        switch (role, target, scope) {
        case (.user, _, _): return []
        case (.provider, .project, .userDirect): return []
        case (.provider, _, _): return .provider
        case (.mediator, .projectItem, .userDirect): return []
        case (.mediator, _, _): return .mediator
        }
    }

    /// Whether an OMS with `callerRoles` towards the message's project (project message) or item
    /// (item message) may write a message with this scope and author role.
    public static func canWriteMessage(target: MessageTarget, scope: MessageScope, role: AuthorRole,
                                       callerRoles: OMSRoles) -> Bool {
        !messageWriters(target: target, scope: scope, role: role).isDisjoint(with: callerRoles)
    }
}
