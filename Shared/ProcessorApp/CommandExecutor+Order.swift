import Contracts
import Domain
import Foundation
import Messaging
import PostgresClient
import Storage
import Wire

extension CommandExecutor {
    /// One line of an order, planned before anything is written.
    struct PlannedItem {
        var line: OrderLine
        var offer: OfferRecord
        var status: ProjectItemStatus
        var omsID: Int64
        var deadline: Timestamp?
        var attributes: JSONValue
        var omsParams: JSONValue
    }

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
        let now = context.now
        let planned = command.lines.map { line -> PlannedItem in
            let offer = offers[line.offerID]!
            let orderable = offer.isOrderable
            return PlannedItem(
                line: line, offer: offer,
                status: ProjectItemStatus.initial(orderType: OrderType(rawValue: offer.orderType) ?? .other,
                                                  internal: offer.isInternal),
                omsID: orderable ? AccessRules.primaryOMS(offerPrimaryOMS: offer.primaryOMSID, defaultOMS: defaultOMS.id)
                                 : defaultOMS.id,
                deadline: orderable ? ResponseDeadline(createdAt: now, responseTimeSeconds: offer.provider.responseTimeSeconds).deadline : nil,
                attributes: itemAttributes(offer: offer, line: line),
                omsParams: orderable ? offer.omsParams : .object([:]))
        }
        let publicID = command.header.requestID.uuidString.lowercased()
        guard let inserted = try insertOrder(command, planned, publicID: publicID, now: now, conn: conn) else {
            return .failure(404, code: "not_found", message: "Project not found", field: "project_id")
        }
        var items: [ProjectItemRecord] = []
        for (plan, (id, iid, parentID)) in zip(planned, inserted.items) {
            let item = ProjectItemRecord(
                id: id, projectID: command.projectID, iid: iid, orderID: inserted.orderID, orderPublicID: publicID,
                lineID: plan.line.lineID, offerID: plan.offer.id, serviceID: plan.offer.service.id,
                providerID: plan.offer.provider.id, bundleID: plan.line.bundleID, parentItemID: parentID,
                omsID: plan.omsID, statusValue: plan.status.value, statusType: plan.status.type.rawValue,
                attributes: plan.attributes, userSecrets: [:], omsParams: plan.omsParams, externalRef: nil,
                responseDeadline: plan.deadline, firstResponseAt: nil, createdAt: now, updatedAt: now)
            items.append(item)
            effects.events.append(NewEvent(type: "create", resource: "project_item", projectID: command.projectID,
                                           projectItemID: id, projectItemIID: iid))
            effects.outbox += try Notifications.triggers(to: context.omses(Set([plan.omsID, defaultOMS.id]), conn),
                                                          event: "project_item.create", projectID: command.projectID,
                                                          itemID: id, at: now)
            effects.outbox.append(try Notifications.domainEvent(DomainEvent(
                kind: DomainEvent.Kind.itemCreated, occurredAt: now, projectID: command.projectID, projectItemID: id,
                orderID: inserted.orderID, providerID: plan.offer.provider.id, serviceID: plan.offer.service.id,
                offerID: plan.offer.id, omsID: plan.omsID, statusType: plan.status.type.rawValue)))
        }
        let project = try context.project(command.projectID, conn)
        effects.outbox += try Notifications.orderEmails(items: items, offers: offers, project: project, at: now)
        // The TMF622 view of the same order: item states from the initial statuses, the derived
        // order state, and the create (and state change) events for hub listeners.
        // A new order's states are known without reading them back (all items `acknowledged`).
        let known = OrderStates(
            id: inserted.orderID, publicID: publicID, userID: command.header.userID, state: "acknowledged",
            cancellationPhase: nil, replacesOrderID: command.replacesOrderID, isDeleted: false,
            items: items.map { OrderStates.Item(id: $0.id, lineID: $0.lineID, tmfState: "acknowledged", statusType: $0.statusType) })
        for index in items.indices { items[index].tmf = command.itemTMF?[items[index].lineID] ?? .object([:]) }
        let replacesPublicID = try command.replacesOrderID.flatMap {
            try conn.query("SELECT public_id FROM orders WHERE id = \($0)").first?.string("public_id")
        }
        let prebuilt = project.map { project in
            OrderRecord(id: inserted.orderID, publicID: publicID, projectID: command.projectID, userID: command.header.userID,
                        ownerUID: project.ownerUID,
                        ownerName: [project.ownerFirstName, project.ownerLastName].filter { !$0.isEmpty }.joined(separator: " "),
                        channel: command.channel, state: "acknowledged", stateBeforeCancellation: nil, cancellationPhase: nil,
                        tmf: command.headerTMF ?? .object([:]), replacesPublicID: replacesPublicID, replacedByPublicIDs: [],
                        completionDate: nil, cancellationDate: nil, createdAt: now, updatedAt: now, deletedAt: nil,
                        items: items)
        }
        let order = try syncTMF(orderID: inserted.orderID,
                                changes: items.map { ItemChange(item: $0, eosc: StatusType(rawValue: $0.statusType) ?? .created) },
                                created: true, known: known, prebuilt: prebuilt, context: &context, effects: &effects, conn: conn)
        let tmfStates = Dictionary(order?.items.map { ($0.id, $0.tmfState) } ?? [], uniquingKeysWith: { a, _ in a })
        for index in items.indices { items[index].tmfState = tmfStates[items[index].id] ?? items[index].tmfState }
        return CommandReply(status: 201, items: items, order: command.channel == "tmf622" ? order : nil)
    }

    /// Writes the order, its items (iids allocated from the project's counter, which locks the
    /// project row) and their first status in ONE statement. - Returns: `nil` when the project
    /// does not exist or is not the caller's (then nothing was written).
    static func insertOrder(_ command: CreateOrderCommand, _ planned: [PlannedItem], publicID: String, now: Timestamp,
                            conn: isolated PostgresConnection) throws -> (orderID: Int64, items: [(Int64, Int64, Int64?)])? {
        let n = planned.count
        let rows = try conn.query("""
            WITH p AS (
                UPDATE projects SET item_seq = item_seq + \(n), updated_at = now()
                WHERE id = \(command.projectID) AND user_id = \(command.header.userID) RETURNING item_seq
            ), o AS (
                INSERT INTO orders (public_id, request_id, project_id, user_id, channel, state, tmf, replaces_order_id,
                                    created_at, updated_at)
                SELECT \(publicID), \(command.header.requestID)::uuid, \(command.projectID), \(command.header.userID),
                       \(command.channel), 'acknowledged', \(try WireFormat.encodeString(command.headerTMF ?? .object([:])))::jsonb,
                       \(command.replacesOrderID), \(now.rfc3339)::timestamptz, \(now.rfc3339)::timestamptz FROM p
                RETURNING id
            ), l AS (
                SELECT * FROM unnest(\(planned.map(\.line.lineID))::text[], \(planned.map(\.offer.id))::int8[],
                                     \(planned.map(\.offer.service.id))::int8[], \(planned.map(\.offer.provider.id))::int8[],
                                     \(planned.map(\.line.bundleID))::int8[], \(planned.map(\.omsID))::int8[],
                                     \(planned.map(\.status.value))::text[], \(planned.map(\.status.type.rawValue))::text[],
                                     \(try planned.map { try WireFormat.encodeString($0.attributes) })::jsonb[],
                                     \(try planned.map { try WireFormat.encodeString($0.omsParams) })::jsonb[],
                                     \(planned.map { $0.deadline?.rfc3339 })::timestamptz[],
                                     \(try planned.map { try WireFormat.encodeString(command.itemTMF?[$0.line.lineID] ?? .object([:])) })::jsonb[])
                    WITH ORDINALITY AS l(line_id, offer_id, service_id, provider_id, bundle_id, oms_id, status_value,
                                         status_type, attributes, oms_params, deadline, tmf, n)
            ), i AS (
                INSERT INTO project_items (project_id, iid, order_id, line_id, offer_id, service_id, provider_id, bundle_id,
                    oms_id, status_value, status_type, attributes, oms_params, response_deadline, tmf, created_at, updated_at)
                SELECT \(command.projectID), p.item_seq - \(n) + l.n, o.id, l.line_id, l.offer_id, l.service_id,
                       l.provider_id, l.bundle_id, l.oms_id, l.status_value, l.status_type, l.attributes, l.oms_params,
                       l.deadline, l.tmf, \(now.rfc3339)::timestamptz, \(now.rfc3339)::timestamptz
                FROM p, o, l ORDER BY l.n
                RETURNING id, iid, line_id, status_value, status_type
            ), s AS (
                INSERT INTO project_item_statuses (project_item_id, status_value, status_type, author, created_at)
                SELECT id, status_value, status_type, 'system', \(now.rfc3339)::timestamptz FROM i
            )
            SELECT o.id AS order_id, i.id, i.iid, i.line_id FROM o, i ORDER BY i.iid
            """)
        guard let first = rows.first else { return nil }
        let orderID = try first.int("order_id")
        var idByLine: [String: Int64] = [:]
        var items: [(Int64, Int64, Int64?)] = []
        for row in rows {
            idByLine[try row.string("line_id")] = try row.int("id")
            items.append((try row.int("id"), try row.int("iid"), nil))
        }
        // Bundles: link each bundled item to the item of its main offer.
        for (index, plan) in planned.enumerated() {
            guard let parentLine = plan.line.parentLineID, let parent = idByLine[parentLine] else { continue }
            try conn.query("UPDATE project_items SET parent_item_id = \(parent) WHERE id = \(items[index].0)")
            items[index].2 = parent
        }
        return (orderID, items)
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
