import Contracts
import Domain
import Foundation
import Messaging
import PostgresClient
import Storage
import Wire

extension CommandExecutor {
    static func createOrder(_ command: CreateOrderCommand, context: inout ExecutionContext, effects: inout Effects,
                            conn: isolated PostgresConnection) throws -> CommandReply {
        guard !command.lines.isEmpty else {
            return .failure(400, code: "invalid", message: "an order needs at least one offer", field: "offer_id")
        }
        let offers = try context.offers(command.lines.map(\.offerID), conn)
        for line in command.lines {
            guard let offer = offers[line.offerID], offer.status == "published", offer.service.status == "published" else {
                return .failure(404, code: "not_found", message: "Offer not found", field: "offer_id")
            }
        }
        guard let defaultOMS = try context.defaultOMS(conn) else {
            return .failure(503, code: "no_default_oms", message: "No OMS is registered to handle orders; ask an operator")
        }
        // Locks the project row: items of one project get consecutive iids, one order at a time.
        let n = command.lines.count
        guard let lastIID = try conn.query("""
            UPDATE projects SET item_seq = item_seq + \(n), updated_at = now()
            WHERE id = \(command.projectID) AND user_id = \(command.header.userID) RETURNING item_seq
            """).first.map({ try $0.int("item_seq") }) else {
            return .failure(404, code: "not_found", message: "Project not found", field: "project_id")
        }
        let now = context.now
        let publicID = command.header.requestID.uuidString.lowercased()
        let orderID = try conn.query("""
            INSERT INTO orders (public_id, request_id, project_id, user_id, channel, state, created_at, updated_at)
            VALUES (\(publicID), \(command.header.requestID), \(command.projectID), \(command.header.userID),
                    \(command.channel), 'acknowledged', \(now.rfc3339)::timestamptz, \(now.rfc3339)::timestamptz)
            RETURNING id
            """)[0].int("id")

        var items: [ProjectItemRecord] = []
        var itemByLine: [String: Int64] = [:]
        for (index, line) in command.lines.enumerated() {
            let offer = offers[line.offerID]!
            let orderable = offer.isOrderable
            let status = ProjectItemStatus.initial(orderType: OrderType(rawValue: offer.orderType) ?? .other,
                                                   internal: offer.isInternal)
            let omsID = orderable ? AccessRules.primaryOMS(offerPrimaryOMS: offer.primaryOMSID, defaultOMS: defaultOMS.id)
                                  : defaultOMS.id
            let deadline = orderable ? ResponseDeadline(createdAt: now, responseTimeSeconds: offer.provider.responseTimeSeconds).deadline : nil
            let attributes = itemAttributes(offer: offer, line: line)
            let omsParams: JSONValue = orderable ? offer.omsParams : .object([:])
            let iid = lastIID - Int64(n) + Int64(index) + 1
            let parentID = line.parentLineID.flatMap { itemByLine[$0] }
            let id = try conn.query("""
                INSERT INTO project_items (project_id, iid, order_id, line_id, offer_id, service_id, provider_id, bundle_id,
                    parent_item_id, oms_id, status_value, status_type, attributes, oms_params, response_deadline,
                    created_at, updated_at)
                VALUES (\(command.projectID), \(iid), \(orderID), \(line.lineID), \(offer.id), \(offer.service.id),
                        \(offer.provider.id), \(line.bundleID), \(parentID), \(omsID), \(status.value), \(status.type.rawValue),
                        \(try WireFormat.encodeString(attributes))::jsonb, \(try WireFormat.encodeString(omsParams))::jsonb,
                        \(deadline?.rfc3339)::timestamptz, \(now.rfc3339)::timestamptz, \(now.rfc3339)::timestamptz)
                RETURNING id
                """)[0].int("id")
            itemByLine[line.lineID] = id
            try conn.query("""
                INSERT INTO project_item_statuses (project_item_id, status_value, status_type, author, created_at)
                VALUES (\(id), \(status.value), \(status.type.rawValue), 'system', \(now.rfc3339)::timestamptz)
                """)
            let item = ProjectItemRecord(
                id: id, projectID: command.projectID, iid: iid, orderID: orderID, orderPublicID: publicID,
                lineID: line.lineID, offerID: offer.id, serviceID: offer.service.id, providerID: offer.provider.id,
                bundleID: line.bundleID, parentItemID: parentID, omsID: omsID, statusValue: status.value,
                statusType: status.type.rawValue, attributes: attributes, userSecrets: [:], omsParams: omsParams,
                externalRef: nil, responseDeadline: deadline, firstResponseAt: nil, createdAt: now, updatedAt: now)
            items.append(item)

            effects.events.append(NewEvent(type: "create", resource: "project_item", projectID: command.projectID,
                                           projectItemID: id, projectItemIID: iid))
            let concerned = Set([omsID, defaultOMS.id])
            effects.outbox += try Notifications.triggers(to: context.omses(concerned, conn), event: "project_item.create",
                                                          projectID: command.projectID, itemID: id, at: now)
            effects.outbox.append(try Notifications.domainEvent(DomainEvent(
                kind: DomainEvent.Kind.itemCreated, occurredAt: now, projectID: command.projectID, projectItemID: id,
                orderID: orderID, providerID: offer.provider.id, serviceID: offer.service.id, offerID: offer.id,
                omsID: omsID, statusType: status.type.rawValue)))
        }
        let project = try context.project(command.projectID, conn)
        effects.outbox += try Notifications.orderEmails(items: items, offers: offers, project: project, at: now)
        return CommandReply(status: 201, items: items)
    }

    /// The EOSC `attributes` of a new item, plus the offer's and service's ids that integrators
    /// asked for (the marketplace exposes only names).
    static func itemAttributes(offer: OfferRecord, line: OrderLine) -> JSONValue {
        var a: [String: JSONValue] = [
            "category": offer.service.categories.first.map(JSONValue.string) ?? .null,
            "service": .string(offer.service.name),
            "service_id": .string(offer.service.slug),
            "offer": .string(offer.name),
            "offer_id": .int(offer.iid),
            "offer_properties": .array(line.offerProperties),
            "platforms": .array([]),
            "request_voucher": .bool(line.requestVoucher),
            "order_type": .string(offer.orderType),
        ]
        if let voucher = line.voucherID { a["supplied_voucher_id"] = .string(voucher) }
        return .object(a)
    }
}
