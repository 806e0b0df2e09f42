import Contracts
import Domain
import Foundation
import Messaging
import Storage
import Wire

/// Turns what happened into outbox rows: triggers for OMSes, e-mails, and domain events.
enum Notifications {
    /// One payload-free trigger per concerned OMS that has a trigger URL (EOSC: one call per event
    /// per OMS; the OMS then reads `/events`).
    static func triggers(to omses: [OMSRecord], event: String, projectID: Int64, itemID: Int64? = nil,
                         at now: Timestamp) throws -> [OutboxMessage] {
        try omses.filter { $0.triggerURL != nil }.map { oms in
            try delivery(Delivery(kind: .trigger, createdAt: now, eventKind: event, omsID: oms.id, projectID: projectID,
                                  projectItemID: itemID))
        }
    }

    static func domainEvent(_ event: DomainEvent) throws -> OutboxMessage {
        try OutboxMessage(exchange: Topology.eventsExchange, routingKey: event.kind, type: event.kind, body: event,
                          messageID: event.id)
    }

    static func delivery(_ delivery: Delivery) throws -> OutboxMessage {
        try OutboxMessage(exchange: Topology.notificationsExchange, routingKey: DeliveryLane(delivery.kind).routingKey,
                          type: "delivery.\(delivery.kind.rawValue)", body: delivery, messageID: delivery.id)
    }

    /// The provider is told about a new order (one mail per provider, listing its items) when
    /// there is something for it to do; the user gets a receipt.
    static func orderEmails(items: [ProjectItemRecord], offers: [Int64: OfferRecord], project: ProjectRecord?,
                            at now: Timestamp) throws -> [OutboxMessage] {
        var out: [OutboxMessage] = []
        let byProvider = Dictionary(grouping: items.filter { offers[$0.offerID]?.isOrderable == true }, by: \.providerID)
        for (_, providerItems) in byProvider.sorted(by: { $0.key < $1.key }) {
            guard let first = providerItems.first, let provider = offers[first.offerID]?.provider,
                  !provider.contactEmails.isEmpty else { continue }
            var body = "A new order needs your response.\n\n"
            if let project { body += "Project: \(project.attributes.name) (id \(project.id))\nOrdered by: \(project.ownerFirstName) \(project.ownerLastName) <\(project.ownerEmail)>\n" }
            for item in providerItems { body += "\n" + describe(item, offers[item.offerID]) }
            if let deadline = first.responseDeadline { body += "\nPlease acknowledge by \(deadline.rfc3339Seconds).\n" }
            out.append(try delivery(Delivery(kind: .email, createdAt: now, eventKind: "project_item.create",
                                             email: EmailContent(to: provider.contactEmails,
                                                                 subject: "New order \(first.orderPublicID) for \(provider.name)",
                                                                 body: body))))
        }
        if let project, let first = items.first {
            var body = "Dear \(project.ownerFirstName) \(project.ownerLastName),\n\nyour order was received.\n"
            for item in items { body += "\n" + describe(item, offers[item.offerID]) }
            out.append(try delivery(Delivery(kind: .email, createdAt: now, eventKind: "project_item.create",
                                             email: EmailContent(to: [project.ownerEmail],
                                                                 subject: "Your order \(first.orderPublicID) was received",
                                                                 body: body))))
        }
        return out
    }

    /// The status types the user is e-mailed about (as the EOSC marketplace does).
    static func userIsToldAbout(_ type: StatusType) -> Bool {
        [.waitingForResponse, .approved, .ready, .rejected, .closed].contains(type)
    }

    static func statusEmail(item: ProjectItemRecord, project: ProjectRecord, at now: Timestamp) throws -> OutboxMessage {
        let offer = item.attributes["offer"]?.stringValue ?? "your order"
        let body = """
            Dear \(project.ownerFirstName) \(project.ownerLastName),

            the status of \(offer) in project \(project.attributes.name) is now: \(item.statusValue) (\(item.statusType)).
            """
        return try delivery(Delivery(kind: .email, createdAt: now, eventKind: "project_item.update",
                                     email: EmailContent(to: [project.ownerEmail],
                                                         subject: "Order \(item.orderPublicID): \(item.statusType.replacingOccurrences(of: "_", with: " "))",
                                                         body: body)))
    }

    static func describe(_ item: ProjectItemRecord, _ offer: OfferRecord?) -> String {
        var text = "- Item \(item.iid): \(offer?.service.name ?? "") / \(offer?.name ?? "") [status \(item.statusType)]\n"
        for property in item.attributes["offer_properties"]?.arrayValue ?? [] {
            let label = property["label"]?.stringValue ?? property["id"]?.stringValue ?? "?"
            let value: String
            switch property["value"] {
            case .string(let s)?: value = s
            case .int(let i)?: value = String(i)
            case .some(let other): value = (try? WireFormat.encodeString(other)) ?? ""
            case nil: value = ""
            }
            text += "    \(label): \(value)\n"
        }
        return text
    }
}
