import Contracts
import Messaging
import Storage
import Wire

/// E-mails about messages (who gets one is ``Domain/MessageNotice``'s rule).
extension Notifications {
    /// The project's owner is told about an OMS's message, with its content.
    ///
    /// `user_direct` content is included too: the owner is the one person it is meant for, and
    /// every API read (the owner's included) shows it obfuscated, so without the mail it would
    /// reach nobody. It travels as the message itself does, inside this system's own database
    /// (outbox, delivery log) and to the owner's mailbox; never to an OMS.
    static func messageEmail(_ message: MessageRecord, project: ProjectRecord, item: ProjectItemRecord?,
                             at now: Timestamp) throws -> OutboxMessage {
        let about = item.map { "\($0.attributes["offer"]?.stringValue ?? "your order") (item \($0.iid))" } ?? "your project"
        let author = message.author.name.flatMap { $0.isEmpty ? nil : $0 } ?? message.author.role
        let body = """
            Dear \(project.ownerFirstName) \(project.ownerLastName),

            \(author) wrote about \(about) in project \(project.attributes.name):

            \(message.content)
            """
        return try delivery(Delivery(kind: .email, createdAt: now, eventKind: "message.create", projectID: project.id,
                                     projectItemID: item?.id,
                                     email: EmailContent(to: [project.ownerEmail],
                                                         subject: "New message about \(about) in \(project.attributes.name)",
                                                         body: body)))
    }

    /// The provider's contacts are told about a user's message on one of their items.
    static func userMessageEmail(_ message: MessageRecord, project: ProjectRecord, item: ProjectItemRecord, to: [String],
                                 at now: Timestamp) throws -> OutboxMessage {
        let offer = item.attributes["offer"]?.stringValue ?? "an offer"
        let body = """
            \(project.ownerFirstName) \(project.ownerLastName) <\(project.ownerEmail)> wrote about \(offer) \
            (order \(item.orderPublicID), project \(project.id), item \(item.iid)):

            \(message.content)
            """
        return try delivery(Delivery(kind: .email, createdAt: now, eventKind: "message.create", projectID: project.id,
                                     projectItemID: item.id,
                                     email: EmailContent(to: to, subject: "Message from the customer about order \(item.orderPublicID)",
                                                         body: body)))
    }
}
