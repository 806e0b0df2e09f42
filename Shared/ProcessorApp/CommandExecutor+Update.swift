import Contracts
import Domain
import Messaging
import PostgresClient
import Storage
import Wire

extension CommandExecutor {
    static func updateItem(_ command: UpdateProjectItemCommand, context: inout ExecutionContext, effects: inout Effects,
                           conn: isolated PostgresConnection) throws -> CommandReply {
        // The order row first: every command about an order locks it before its items, so
        // concurrent commands (a cancellation, a status change) cannot deadlock.
        _ = try conn.lockOrder(ofItemInProject: command.projectID, iid: command.iid)
        guard let item = try conn.findItem(projectID: command.projectID, iid: command.iid, forUpdate: true) else {
            return .failure(404, code: "not_found", message: "Project item not found")
        }
        // Only the item's primary OMS may change it (checked again here, under the row lock).
        guard item.omsID == command.omsID else {
            return .failure(403, code: "forbidden", message: "You are not authorized to perform this action.")
        }
        var changes: [FieldChange] = []
        var newStatus: ProjectItemStatus?
        let current = ProjectItemStatus(value: item.statusValue, type: StatusType(rawValue: item.statusType) ?? .created)
        if command.statusType != nil || command.statusValue != nil {
            guard let typeText = command.statusType, let type = StatusType(rawValue: typeText) else {
                return .failure(400, code: "invalid", message: "status.type is not a known status type", field: "status")
            }
            switch current.update(to: ProjectItemStatus(value: command.statusValue ?? current.value, type: type)) {
            case .refused(let refusal):
                return .failure(refusal.code == .itemIsFinal ? 409 : 400, code: refusal.code.description,
                                message: refusal.reason, field: "status")
            case .unchanged:
                break
            case .changed(let c):
                changes += c
                newStatus = ProjectItemStatus(value: command.statusValue ?? current.value, type: type)
            }
        }
        var secrets = UserSecrets(item.userSecrets)
        var written: Set<String> = []
        if let patch = command.userSecrets {
            do {
                let merge = try secrets.merging(.object(patch.mapValues(JSONValue.string)))
                written = merge.writtenKeys
                if merge.changed, let change = merge.change {
                    changes.append(change)
                    secrets = merge.secrets
                }
            } catch {
                return .failure(400, code: "invalid", message: error.message, field: "user_secrets")
            }
        }
        // The `external_ref` extension is the OMS's own bookkeeping: stored, shown on reads, but
        // no event (not a field of the EOSC event model) and so no trigger.
        if let value = command.externalRef?.value, (try? ExternalRef.parse(.string(value))) != value {
            return .failure(400, code: "invalid", message: "is not a valid reference", field: "external_ref")
        }
        let newRef = command.externalRef.flatMap { $0.value == item.externalRef ? nil : $0 }
        guard !changes.isEmpty || newRef != nil else {
            return CommandReply(status: 200, items: [item], writtenSecretKeys: written.sorted())
        }
        let now = context.now
        let isFirstResponse = newStatus != nil && item.firstResponseAt == nil
        try conn.query("""
            UPDATE project_items SET status_value = \(newStatus?.value ?? item.statusValue),
                status_type = \(newStatus?.type.rawValue ?? item.statusType),
                user_secrets = \(try WireFormat.encodeString(secrets.values))::jsonb,
                external_ref = CASE WHEN \(newRef != nil) THEN \(newRef?.value) ELSE external_ref END,
                first_response_at = CASE WHEN \(isFirstResponse) THEN \(now.rfc3339)::timestamptz ELSE first_response_at END,
                updated_at = \(now.rfc3339)::timestamptz
            WHERE id = \(item.id)
            """)
        if let status = newStatus {
            try conn.query("""
                INSERT INTO project_item_statuses (project_item_id, status_value, status_type, author, created_at)
                VALUES (\(item.id), \(status.value), \(status.type.rawValue), \("oms:\(command.omsID)"), \(now.rfc3339)::timestamptz)
                """)
        }
        var updated = item
        updated.statusValue = newStatus?.value ?? item.statusValue
        updated.statusType = newStatus?.type.rawValue ?? item.statusType
        updated.userSecrets = secrets.values
        updated.updatedAt = now
        if isFirstResponse { updated.firstResponseAt = now }
        if let newRef { updated.externalRef = newRef.value }
        guard !changes.isEmpty else {
            return CommandReply(status: 200, items: [updated], writtenSecretKeys: written.sorted())
        }

        effects.events.append(NewEvent(
            type: "update", resource: "project_item", projectID: item.projectID, projectItemID: item.id,
            projectItemIID: item.iid,
            changes: .array(changes.map { .object(["field": .string($0.field), "before": .string($0.before), "after": .string($0.after)]) })))
        let concerned = Set([item.omsID] + (try context.defaultOMS(conn).map { [$0.id] } ?? []))
        effects.outbox += try Notifications.triggers(to: context.omses(concerned, conn), event: "project_item.update",
                                                          projectID: item.projectID, itemID: item.id, at: now)
        effects.outbox.append(try Notifications.domainEvent(DomainEvent(
            kind: DomainEvent.Kind.itemUpdated, occurredAt: now, projectID: item.projectID, projectItemID: item.id,
            orderID: item.orderID, providerID: item.providerID, serviceID: item.serviceID, offerID: item.offerID,
            omsID: item.omsID, statusType: newStatus?.type.rawValue, previousStatusType: newStatus.map { _ in item.statusType },
            firstResponseSeconds: isFirstResponse ? Double(now.microseconds - item.createdAt.microseconds) / 1_000_000 : nil)))
        // As the marketplace does, the user hears of a voucher granted, changed or revoked from the provider.
        if let text = VoucherNotice.message(before: item.userSecrets["voucher_id"], after: secrets.values["voucher_id"]),
           let project = try context.project(item.projectID, conn) {
            let provider = try context.offers([item.offerID], conn)[item.offerID]?.provider
            _ = try writeMessage(project: project, item: updated,
                                 author: MessageAuthor(role: AuthorRole.provider.rawValue, email: provider?.contactEmails.first ?? "",
                                                       name: provider?.name ?? ""),
                                 scope: .userDirect, role: .provider, content: text,
                                 itemOMSes: try conn.itemOMSIDs(projectID: project.id), defaultOMS: try context.defaultOMS(conn)?.id,
                                 context: &context, effects: &effects, conn: conn)
        }
        // While a cancellation is assessed, a new status value alone is an answer too: setting
        // in_progress (say) again, with a new value, refuses it as any status but closed does.
        let answersCancellation = try newStatus?.type == current.type
            && conn.orderStates(orderID: item.orderID)?.cancellationPhase == CancellationPhase.assessing.rawValue
        if let status = newStatus, status.type != current.type || answersCancellation {
            var changed = updated
            changed.statusValue = status.value
            let order = try syncTMF(orderID: item.orderID, changes: [ItemChange(item: changed, eosc: status.type)],
                                    context: &context, effects: &effects, conn: conn)
            updated.tmfState = order?.items.first { $0.id == item.id }?.tmfState ?? updated.tmfState
        }
        if let status = newStatus, status.type != current.type, Notifications.userIsToldAbout(status.type),
           let project = try context.project(item.projectID, conn) {
            effects.outbox.append(try Notifications.statusEmail(item: updated, project: project, at: now))
        }
        return CommandReply(status: 200, items: [updated], writtenSecretKeys: written.sorted())
    }
}
