import Domain
import Testing
import Wire

/// The message checks as the gateway and the processor apply them: visibility (404) before the
/// write tables (403), for every kind of caller. Expected cells are written out from the
/// research's tables (§6), not computed from ``AccessRules``.
@Suite("Message access: visibility, then the write tables")
struct MessageAccessTests {
    static let d: Int64 = 1, p: Int64 = 7, q: Int64 = 8, u: Int64 = 9

    /// A project with an item handled by P (the message's item) and one handled by Q.
    static func subject(_ target: MessageTarget, itemPrimary: Int64 = p) -> MessageAccess.Subject {
        MessageAccess.Subject(projectItemPrimaryOMSes: [itemPrimary, q], itemPrimaryOMS: target == .project ? nil : itemPrimary,
                              defaultOMS: d)
    }

    /// (target, scope, author role, the callers among D, P, Q that may write it)
    static let cells: [(MessageTarget, MessageScope, AuthorRole, String)] = [
        (.project, .public, .provider, "PQ"), (.project, .public, .mediator, "D"), (.project, .public, .user, ""),
        (.project, .internal, .provider, "PQ"), (.project, .internal, .mediator, "D"), (.project, .internal, .user, ""),
        (.project, .userDirect, .provider, ""), (.project, .userDirect, .mediator, "D"), (.project, .userDirect, .user, ""),
        (.projectItem, .public, .provider, "P"), (.projectItem, .public, .mediator, "D"), (.projectItem, .public, .user, ""),
        (.projectItem, .internal, .provider, "P"), (.projectItem, .internal, .mediator, "D"),
        (.projectItem, .internal, .user, ""),
        (.projectItem, .userDirect, .provider, "P"), (.projectItem, .userDirect, .mediator, ""),
        (.projectItem, .userDirect, .user, ""),
    ]

    @Test("create and edit: U never sees the project, Q never sees P's item, the others follow the table", arguments: cells)
    func createAndEdit(target: MessageTarget, scope: MessageScope, role: AuthorRole, writers: String) {
        let subject = Self.subject(target)
        for (name, oms) in [("D", Self.d), ("P", Self.p), ("Q", Self.q), ("U", Self.u)] {
            let expected: MessageAccess.Outcome
            if name == "U" {
                expected = .projectNotFound
            } else if name == "Q" && target == .projectItem {
                expected = .itemNotFound
            } else {
                expected = writers.contains(name) ? .allowed : .forbidden
            }
            #expect(MessageAccess.create(oms, subject, scope: scope, role: role) == expected, "\(name)")
            // Editing a stored message: the same cell; a message one cannot see is refused, not hidden.
            let edit: MessageAccess.Outcome = expected == .allowed ? .allowed : .forbidden
            #expect(MessageAccess.edit(oms, subject, scope: scope, role: role) == edit, "\(name)")
        }
    }

    @Test("reading: D and P everything; Q project messages only; U nothing")
    func reading() {
        let project = Self.subject(.project), item = Self.subject(.projectItem)
        #expect([Self.d, Self.p, Self.q, Self.u].map { MessageAccess.list($0, project) }
                == [.allowed, .allowed, .allowed, .projectNotFound])
        #expect([Self.d, Self.p, Self.q, Self.u].map { MessageAccess.list($0, item) }
                == [.allowed, .allowed, .itemNotFound, .projectNotFound])
        #expect([Self.d, Self.p, Self.q, Self.u].map { MessageAccess.show($0, project) } == [.allowed, .allowed, .allowed, .forbidden])
        #expect([Self.d, Self.p, Self.q, Self.u].map { MessageAccess.show($0, item) } == [.allowed, .allowed, .forbidden, .forbidden])
    }

    @Test("the default OMS as the primary OMS of an item (its offer names none) writes both columns")
    func defaultAsPrimary() {
        let item = Self.subject(.projectItem, itemPrimary: Self.d)
        #expect(MessageAccess.create(Self.d, item, scope: .userDirect, role: .provider) == .allowed)
        #expect(MessageAccess.create(Self.d, item, scope: .public, role: .mediator) == .allowed)
        #expect(MessageAccess.create(Self.d, item, scope: .userDirect, role: .mediator) == .forbidden)
        #expect(MessageAccess.create(Self.p, item, scope: .public, role: .provider) == .projectNotFound)
    }

    @Test("with no default OMS registered, only the items' OMSes see anything")
    func noDefault() {
        let item = MessageAccess.Subject(projectItemPrimaryOMSes: [Self.p], itemPrimaryOMS: Self.p, defaultOMS: nil)
        #expect(MessageAccess.list(Self.d, item) == .projectNotFound)
        #expect(MessageAccess.list(Self.p, item) == .allowed)
    }

    @Test("the user reads public and user_direct messages, never internal ones")
    func userScopes() {
        #expect(MessageScope.allCases.filter(\.isShownToUser) == [.public, .userDirect])
    }

    @Test("blank content is empty or white space only", arguments: [
        ("", true), (" ", true), ("\n\t \u{00A0}", true), ("x", false), ("  hello ", false),
    ])
    func blank(content: String, isBlank: Bool) {
        #expect(MessageScope.isBlank(content) == isBlank)
    }

    @Test("who is e-mailed: the owner unless internal or their own; the provider when the user writes on an item")
    func notices() {
        let owner = MessageScope.allCases.flatMap { s in AuthorRole.allCases.map { (s, $0) } }
            .filter { MessageNotice.mailsOwner(scope: $0.0, role: $0.1) }.map { "\($0.0.rawValue)/\($0.1.rawValue)" }
        #expect(owner == ["public/provider", "public/mediator", "user_direct/provider", "user_direct/mediator"])
        #expect(MessageNotice.mailsProvider(role: .user, target: .projectItem))
        #expect(!MessageNotice.mailsProvider(role: .user, target: .project))
        #expect(!MessageNotice.mailsProvider(role: .provider, target: .projectItem))
    }

    @Test("concerned OMSes: the subject's primary OMSes plus the default, each once")
    func concerned() {
        #expect(AccessRules.concernedOMSes(subjectPrimaryOMSes: [Self.p], defaultOMS: Self.d) == [Self.p, Self.d])
        #expect(AccessRules.concernedOMSes(subjectPrimaryOMSes: [Self.p, Self.q, Self.p, Self.d], defaultOMS: Self.d)
                == [Self.p, Self.q, Self.d])
        #expect(AccessRules.concernedOMSes(subjectPrimaryOMSes: [], defaultOMS: nil).isEmpty)
    }

    @Test("an edit event hides user_direct content on both sides; no event for the same content")
    func contentChange() {
        #expect(MessageScope.userDirect.contentChange(before: "pw1", after: "pw2")
                == FieldChange(field: "content", before: "<OBFUSCATED>", after: "<OBFUSCATED>"))
        #expect(MessageScope.public.contentChange(before: "a", after: "b") == FieldChange(field: "content", before: "a", after: "b"))
        #expect(MessageScope.internal.contentChange(before: "a", after: "a") == nil)
    }
}

@Suite("external_ref values")
struct ExternalRefTests {
    @Test("a string up to 255 characters is stored; null or empty clears", arguments: [
        (JSONValue.string("HELP-123"), "HELP-123" as String?), (.null, nil), (.string(""), nil),
        (.string(String(repeating: "é", count: 255)), String(repeating: "é", count: 255)),
    ])
    func accepted(value: JSONValue, stored: String?) throws {
        #expect(try ExternalRef.parse(value) == stored)
    }

    @Test("anything else is refused with words for {\"external_ref\": [...]}", arguments: [
        (JSONValue.int(12), "must be a string or null"), (.bool(true), "must be a string or null"),
        (.object(["id": "x"]), "must be a string or null"), (.array(["x"]), "must be a string or null"),
        (.string(String(repeating: "x", count: 256)), "is too long (maximum is 255 characters)"),
        (.string("line\nbreak"), "must not contain control characters"),
    ])
    func refused(value: JSONValue, message: String) {
        #expect(throws: ExternalRefError(message: message)) { _ = try ExternalRef.parse(value) }
    }
}
