import Contracts
import Domain
import Messaging
import PostgresClient
import Storage
import Wire

extension CommandExecutor {
    static let projectNotFound = CommandReply.failure(404, code: "not_found", message: "Project not found")
    static let itemNotFound = CommandReply.failure(404, code: "not_found", message: "Project item not found")
    static let messageNotFound = CommandReply.failure(404, code: "not_found", message: "Message not found")
    static let forbidden = CommandReply.failure(403, code: "forbidden", message: "You are not authorized to perform this action.")
    /// The marketplace names the model's attribute (`message`), not the request's `content`.
    static let blankContent = CommandReply.failure(400, code: "invalid", message: "can't be blank", field: "message")

    /// Writes a message (an OMS's, or the project owner's when `omsID` is nil), its `create`
    /// event, a trigger for every concerned OMS and the e-mails of ``MessageNotice``.
    static func createMessage(_ command: CreateMessageCommand, context: inout ExecutionContext, effects: inout Effects,
                              conn: isolated PostgresConnection) throws -> CommandReply {
        guard let scope = MessageScope(rawValue: command.scope) else {
            return .failure(400, code: "invalid", message: "is not a known scope", field: "scope")
        }
        guard let role = AuthorRole(rawValue: command.author.role) else {
            return .failure(400, code: "invalid", message: "is not a known author role", field: "author")
        }
        guard let project = try context.project(command.projectID, conn) else { return projectNotFound }
        var item: ProjectItemRecord?
        if let iid = command.projectItemIID {
            item = try conn.findItem(projectID: project.id, iid: iid)
        }
        let itemOMSes = try conn.itemOMSIDs(projectID: project.id)
        let defaultOMS = try context.defaultOMS(conn)?.id
        let subject = MessageAccess.Subject(projectItemPrimaryOMSes: itemOMSes, itemPrimaryOMS: item?.omsID,
                                            defaultOMS: defaultOMS)
        let itemMissing = command.projectItemIID != nil && item == nil
        if let omsID = command.omsID {
            // A project or item the OMS cannot see reads as missing, like one that does not exist.
            guard AccessRules.canRead(subject.projectRoles(of: omsID)) else { return projectNotFound }
            guard !itemMissing else { return itemNotFound }
            if let refusal = reply(for: MessageAccess.create(omsID, subject, scope: scope, role: role)) { return refusal }
        } else {
            // The owner writes through the user API: only as `user`, only `public`.
            guard project.userID == command.header.userID else { return projectNotFound }
            guard !itemMissing else { return itemNotFound }
            guard role == .user, scope == .public else { return forbidden }
        }
        guard !MessageScope.isBlank(command.content) else { return blankContent }

        let message = try writeMessage(project: project, item: item, author: command.author, scope: scope, role: role,
                                       content: command.content, itemOMSes: itemOMSes, defaultOMS: defaultOMS,
                                       context: &context, effects: &effects, conn: conn)
        // A provider's public answer on an item whose order's cancellation is being assessed
        // refuses the cancellation (TMF622), with the answer as the reason.
        if command.omsID != nil, let item, scope == .public, role == .provider || role == .mediator {
            try cancellationAnswered(item: item, message: command.content, context: &context, effects: &effects, conn: conn)
        }
        return CommandReply(status: 201, message: message)
    }

    /// Inserts a message with what follows it: its `create` event, a trigger for every concerned
    /// OMS (the item's primary OMS, or every item's for a project message, plus the default OMS)
    /// and the e-mails of ``MessageNotice``.
    static func writeMessage(project: ProjectRecord, item: ProjectItemRecord?, author: MessageAuthor, scope: MessageScope,
                             role: AuthorRole, content: String, itemOMSes: [Int64], defaultOMS: Int64?,
                             context: inout ExecutionContext, effects: inout Effects,
                             conn: isolated PostgresConnection) throws -> MessageRecord {
        let now = context.now
        let message = try conn.insertMessage(projectID: project.id, item: item.map { ($0.id, $0.iid) }, author: author,
                                             scope: scope.rawValue, content: content, at: now)
        effects.events.append(NewEvent(type: "create", resource: "message", projectID: project.id, projectItemID: item?.id,
                                       projectItemIID: item?.iid, messageID: message.id))
        let concerned = AccessRules.concernedOMSes(subjectPrimaryOMSes: item.map { [$0.omsID] } ?? itemOMSes,
                                                   defaultOMS: defaultOMS)
        effects.outbox += try Notifications.triggers(to: context.omses(concerned, conn), event: "message.create",
                                                      projectID: project.id, itemID: item?.id, at: now)
        if MessageNotice.mailsOwner(scope: scope, role: role) {
            effects.outbox.append(try Notifications.messageEmail(message, project: project, item: item, at: now))
        }
        if let item, MessageNotice.mailsProvider(role: role, target: .projectItem),
           let provider = try context.offers([item.offerID], conn)[item.offerID]?.provider, !provider.contactEmails.isEmpty {
            effects.outbox.append(try Notifications.userMessageEmail(message, project: project, item: item,
                                                                     to: provider.contactEmails, at: now))
        }
        return message
    }

    /// Replaces a message's content for an OMS that could have written it; an `update` event
    /// (with `user_direct` content hidden on both sides) and triggers when the content changed.
    static func updateMessage(_ command: UpdateMessageCommand, context: inout ExecutionContext, effects: inout Effects,
                              conn: isolated PostgresConnection) throws -> CommandReply {
        guard let message = try conn.findMessage(id: command.messageID, forUpdate: true) else { return messageNotFound }
        let itemOMSes = try conn.itemOMSIDs(projectID: message.projectID)
        var item: ProjectItemRecord?
        if let iid = message.projectItemIID {
            item = try conn.findItem(projectID: message.projectID, iid: iid)
        }
        let defaultOMS = try context.defaultOMS(conn)?.id
        let subject = MessageAccess.Subject(projectItemPrimaryOMSes: itemOMSes, itemPrimaryOMS: item?.omsID,
                                            defaultOMS: defaultOMS)
        guard let scope = MessageScope(rawValue: message.scope), let role = AuthorRole(rawValue: message.author.role),
              MessageAccess.edit(command.omsID, subject, scope: scope, role: role) == .allowed else {
            return forbidden
        }
        guard !MessageScope.isBlank(command.content) else { return blankContent }
        guard let change = scope.contentChange(before: message.content, after: command.content) else {
            return CommandReply(status: 200, message: message)
        }
        let now = context.now
        try conn.updateMessageContent(id: message.id, content: command.content, at: now)
        var updated = message
        updated.content = command.content
        updated.edited = true
        updated.updatedAt = now
        effects.events.append(NewEvent(
            type: "update", resource: "message", projectID: message.projectID, projectItemID: message.projectItemID,
            projectItemIID: message.projectItemIID, messageID: message.id,
            changes: .array([.object(["field": .string(change.field), "before": .string(change.before),
                                      "after": .string(change.after)])])))
        let concerned = AccessRules.concernedOMSes(subjectPrimaryOMSes: item.map { [$0.omsID] } ?? itemOMSes,
                                                   defaultOMS: defaultOMS)
        effects.outbox += try Notifications.triggers(to: context.omses(concerned, conn), event: "message.update",
                                                      projectID: message.projectID, itemID: message.projectItemID, at: now)
        return CommandReply(status: 200, message: updated)
    }

    /// The reply for a refused access check; `nil` when allowed.
    static func reply(for outcome: MessageAccess.Outcome) -> CommandReply? {
        switch outcome {
        case .allowed: return nil
        case .projectNotFound: return projectNotFound
        case .itemNotFound: return itemNotFound
        case .forbidden: return forbidden
        }
    }
}
