import Domain
import Testing
import Wire

@Suite("Project item status rules")
struct StatusTests {
    static let pairs = StatusType.allCases.flatMap { from in StatusType.allCases.map { to in (from, to) } }

    /// The expected outcome for a move between two types, both with the value equal to the type.
    static func expected(_ from: StatusType, _ to: StatusType) -> String {
        if to == .created { return "refused created_not_settable" }
        if from == to { return "unchanged" }
        if from.isFinal { return "refused item_is_final" }
        return "changed"
    }

    static func describe(_ outcome: StatusUpdate) -> String {
        switch outcome {
        case .changed: return "changed"
        case .unchanged: return "unchanged"
        case .refused(let r): return "refused \(r.code)"
        }
    }

    @Test("all 8×8 type pairs: created never set, final refuses, same is a no-op, open moves freely", arguments: pairs)
    func typePair(from: StatusType, to: StatusType) {
        let current = ProjectItemStatus(value: from.rawValue, type: from)
        let outcome = current.update(to: ProjectItemStatus(value: to.rawValue, type: to))
        #expect(Self.describe(outcome) == Self.expected(from, to))
        if case .changed(let changes) = outcome {
            #expect(changes == [FieldChange(field: "status.type", before: from.rawValue, after: to.rawValue),
                                FieldChange(field: "status.value", before: from.rawValue, after: to.rawValue)])
        }
    }

    @Test("the type table itself: exactly closed and rejected are final, only created is not settable")
    func typeFacts() {
        #expect(StatusType.allCases.filter(\.isFinal) == [.rejected, .closed])
        #expect(StatusType.allCases.filter { !$0.isSettableByUpdate } == [.created])
        #expect(StatusType.allCases.map(\.rawValue) == ["created", "registered", "in_progress", "waiting_for_response",
                                                        "ready", "rejected", "closed", "approved"])
    }

    @Test("a value-only change on an open item lists only status.value")
    func valueOnly() {
        let outcome = ProjectItemStatus(value: "queued", type: .inProgress)
            .update(to: ProjectItemStatus(value: "Deployment in progress", type: .inProgress))
        #expect(outcome == .changed([FieldChange(field: "status.value", before: "queued", after: "Deployment in progress")]))
    }

    @Test("a type-only change lists only status.type")
    func typeOnly() {
        let outcome = ProjectItemStatus(value: "working", type: .registered)
            .update(to: ProjectItemStatus(value: "working", type: .waitingForResponse))
        #expect(outcome == .changed([FieldChange(field: "status.type", before: "registered", after: "waiting_for_response")]))
    }

    @Test("a final item refuses a value-only change, with a reason naming its status", arguments: [StatusType.closed, .rejected])
    func finalRefusesValue(type: StatusType) {
        let outcome = ProjectItemStatus(value: "done", type: type).update(to: ProjectItemStatus(value: "reopened", type: type))
        #expect(outcome == .refused(StatusRefusal(
            code: .itemIsFinal, reason: "project item is \(type.rawValue), a final status, and cannot be changed")))
    }

    @Test("created is refused even when it is the current status and value")
    func createdOnCreated() {
        guard case .refused(let refusal) = ProjectItemStatus.created.update(to: .created) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.code == .createdNotSettable)
        #expect(refusal.description.contains("created cannot be set"))
    }

    @Test("status JSON is {value, type} with the EOSC type strings")
    func json() throws {
        let status = try WireFormat.decode(ProjectItemStatus.self, from: #"{"value":"Waiting","type":"waiting_for_response"}"#)
        #expect(status == ProjectItemStatus(value: "Waiting", type: .waitingForResponse))
        #expect(try WireFormat.encodeString(status) == #"{"type":"waiting_for_response","value":"Waiting"}"#)
    }
}
