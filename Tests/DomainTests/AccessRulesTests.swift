import Domain
import Testing

@Suite("Access rules of the Ordering API")
struct AccessRulesTests {
    static let defaultOMS: Int64 = 1
    static let providerOMS: Int64 = 7
    static let otherOMS: Int64 = 9

    /// Who is calling, relative to one item.
    enum Caller: String, CaseIterable, Sendable {
        case defaultOMS, itemPrimaryOMS, otherOMS
        var id: Int64 {
            switch self {
            case .defaultOMS: return AccessRulesTests.defaultOMS
            case .itemPrimaryOMS: return AccessRulesTests.providerOMS
            case .otherOMS: return AccessRulesTests.otherOMS
            }
        }
    }

    @Test("the primary OMS is the offer's, else the default OMS")
    func primary() {
        #expect(AccessRules.primaryOMS(offerPrimaryOMS: 7, defaultOMS: 1) == 7)
        #expect(AccessRules.primaryOMS(offerPrimaryOMS: nil, defaultOMS: 1) == 1)
    }

    /// (caller, offer names a primary OMS?, roles, may read, may PATCH)
    static let itemRows: [(Caller, Bool, OMSRoles, Bool, Bool)] = [
        (.defaultOMS, true, [.mediator], true, false),
        (.itemPrimaryOMS, true, [.provider], true, true),
        (.otherOMS, true, [], false, false),
        (.defaultOMS, false, [.provider, .mediator], true, true),
        (.itemPrimaryOMS, false, [], false, false),
        (.otherOMS, false, [], false, false),
    ]

    @Test("item roles, reading and PATCH rights, row by row", arguments: itemRows)
    func itemAccess(caller: Caller, offerHasPrimary: Bool, roles: OMSRoles, read: Bool, patch: Bool) {
        let primary = AccessRules.primaryOMS(offerPrimaryOMS: offerHasPrimary ? Self.providerOMS : nil, defaultOMS: Self.defaultOMS)
        let got = AccessRules.roles(of: caller.id, itemPrimaryOMS: primary, defaultOMS: Self.defaultOMS)
        #expect(got == roles)
        #expect(AccessRules.canRead(got) == read)
        #expect(AccessRules.canUpdateItem(got) == patch)
    }

    /// (caller, primary OMSes of the project's items, roles, may read)
    static let projectRows: [(Caller, [Int64], OMSRoles, Bool)] = [
        (.defaultOMS, [], [.mediator], true),
        (.defaultOMS, [providerOMS], [.mediator], true),
        (.defaultOMS, [defaultOMS, providerOMS], [.provider, .mediator], true),
        (.itemPrimaryOMS, [otherOMS, providerOMS], [.provider], true),
        (.itemPrimaryOMS, [otherOMS], [], false),
        (.itemPrimaryOMS, [], [], false),
        (.otherOMS, [providerOMS, defaultOMS], [], false),
    ]

    @Test("project roles and reading, row by row (messages follow their project or item)", arguments: projectRows)
    func projectAccess(caller: Caller, primaries: [Int64], roles: OMSRoles, read: Bool) {
        let got = AccessRules.roles(of: caller.id, projectItemPrimaryOMSes: primaries, defaultOMS: Self.defaultOMS)
        #expect(got == roles)
        #expect(AccessRules.canRead(got) == read)
    }

    /// The guideline's two tables, cell by cell: (target, scope, role, who may write).
    static let writeTable: [(MessageTarget, MessageScope, AuthorRole, OMSRoles)] = [
        (.project, .public, .user, []), (.project, .public, .provider, .provider), (.project, .public, .mediator, .mediator),
        (.project, .internal, .user, []), (.project, .internal, .provider, .provider), (.project, .internal, .mediator, .mediator),
        (.project, .userDirect, .user, []), (.project, .userDirect, .provider, []), (.project, .userDirect, .mediator, .mediator),
        (.projectItem, .public, .user, []), (.projectItem, .public, .provider, .provider),
        (.projectItem, .public, .mediator, .mediator),
        (.projectItem, .internal, .user, []), (.projectItem, .internal, .provider, .provider),
        (.projectItem, .internal, .mediator, .mediator),
        (.projectItem, .userDirect, .user, []), (.projectItem, .userDirect, .provider, .provider),
        (.projectItem, .userDirect, .mediator, []),
    ]

    @Test("message write table, cell by cell", arguments: writeTable)
    func writeCell(target: MessageTarget, scope: MessageScope, role: AuthorRole, writers: OMSRoles) {
        #expect(AccessRules.messageWriters(target: target, scope: scope, role: role) == writers)
    }

    static let callerRoleSets: [OMSRoles] = [[], [.provider], [.mediator], [.provider, .mediator]]

    @Test("a caller may write exactly when one of its roles is the cell's", arguments: writeTable, callerRoleSets)
    func canWrite(cell: (MessageTarget, MessageScope, AuthorRole, OMSRoles), caller: OMSRoles) {
        let (target, scope, role, writers) = cell
        let expected = (writers == .provider && caller.contains(.provider)) || (writers == .mediator && caller.contains(.mediator))
        #expect(AccessRules.canWriteMessage(target: target, scope: scope, role: role, callerRoles: caller) == expected)
    }

    @Test("the table covers every target × scope × role once")
    func tableIsComplete() {
        let keys = Set(Self.writeTable.map { "\($0.0.rawValue)/\($0.1.rawValue)/\($0.2.rawValue)" })
        #expect(keys.count == MessageTarget.allCases.count * MessageScope.allCases.count * AuthorRole.allCases.count)
        #expect(Self.writeTable.count == keys.count)
    }

    @Test("scope, role and target use the EOSC strings")
    func rawValues() {
        #expect(MessageScope.allCases.map(\.rawValue) == ["public", "internal", "user_direct"])
        #expect(AuthorRole.allCases.map(\.rawValue) == ["user", "provider", "mediator"])
        #expect(MessageTarget.allCases.map(\.rawValue) == ["project", "project_item"])
    }
}
