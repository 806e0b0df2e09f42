import Contracts
import Domain
import Foundation
import Messaging
import PostgresClient
import Storage
import TMF622
import Wire

extension CommandExecutor {
    static func orderNotFound(_ id: String) -> CommandReply {
        .failure(404, code: "not_found", message: "No productOrder with id \(id)")
    }

    /// The reason an order in a final state refuses a change, in words a client can act on.
    static func finalStateReason(_ state: String, doing: String) -> String {
        "The order is \(state), a final state: it can no longer be \(doing)"
    }

    /// `POST /productOrder`: the order (with a new project, or in the project of the order it
    /// replaces) through the same path as an EOSC order, then its TMF attributes.
    static func createTMFOrder(_ command: CreateTMFOrderCommand, context: inout ExecutionContext, effects: inout Effects,
                               conn: isolated PostgresConnection) throws -> CommandReply {
        // What createOrder would refuse is checked before the project is written, so a refused
        // order leaves nothing behind.
        let offers = try context.offers(command.lines.map(\.offerID), conn)
        for line in command.lines {
            guard let offer = offers[line.offerID], offer.status == "published", offer.service.status == "published" else {
                return .failure(400, code: "invalid", message: "names an offering that is not available",
                                field: "productOrderItem.productOffering.id")
            }
        }
        guard try context.defaultOMS(conn) != nil else {
            return .failure(503, code: "no_default_oms", message: "No OMS is registered to handle orders; ask an operator")
        }
        var projectID: Int64
        var replacesID: Int64?
        if let replacedPublicID = command.replacesPublicID {
            guard let replaced = try conn.findOrder(publicID: replacedPublicID, forUpdate: true),
                  replaced.userID == command.header.userID else {
                return .failure(400, code: "invalid", message: "names no order of yours to replace (\(replacedPublicID))",
                                field: "orderRelationship")
            }
            if let refusal = try replacementRefusal(replaced, conn: conn) { return refusal }
            projectID = replaced.projectID
            replacesID = replaced.id
        } else {
            projectID = try conn.insertProject(userID: command.header.userID, command.project)
            effects.events.append(NewEvent(type: "create", resource: "project", projectID: projectID))
            let concerned = try context.defaultOMS(conn).map { Set([$0.id]) } ?? []
            effects.outbox += try Notifications.triggers(to: context.omses(concerned, conn), event: "project.create",
                                                          projectID: projectID, at: context.now)
            effects.outbox.append(try Notifications.domainEvent(DomainEvent(
                kind: DomainEvent.Kind.projectCreated, occurredAt: context.now, projectID: projectID)))
        }
        let reply = try createOrder(CreateOrderCommand(header: command.header, projectID: projectID, channel: "tmf622",
                                                       lines: command.lines, headerTMF: command.headerTMF,
                                                       itemTMF: command.itemTMF, replacesOrderID: replacesID),
                                    context: &context, effects: &effects, conn: conn)
        guard reply.status == 201, let orderID = reply.items?.first?.orderID else { return reply }
        guard let order = try reply.order ?? conn.findOrder(id: orderID) else {
            return orderNotFound(command.header.requestID.uuidString)
        }
        return CommandReply(status: 201, order: order)
    }

    /// Why an order cannot be replaced now, or nil.
    static func replacementRefusal(_ order: OrderRecord, conn: isolated PostgresConnection) throws -> CommandReply? {
        if ["cancelled", "rejected", "failed"].contains(order.state) {
            return .failure(409, code: "conflict", message: "The order \(order.publicID) is \(order.state): there is nothing to replace",
                            field: "orderRelationship")
        }
        if order.cancellationPhase == "assessing" || order.cancellationPhase == "pending" {
            return .failure(409, code: "conflict", message: "The order \(order.publicID) is being cancelled", field: "orderRelationship")
        }
        let pending = try conn.query("""
            SELECT public_id FROM orders WHERE replaces_order_id = \(order.id) AND deleted_at IS NULL
              AND state NOT IN ('rejected', 'cancelled', 'failed') LIMIT 1
            """).first?.string("public_id")
        if let pending {
            return .failure(409, code: "conflict", message: "The order \(order.publicID) is already replaced by order \(pending)",
                            field: "orderRelationship")
        }
        return nil
    }

    /// `PATCH /productOrder/{id}`: new header attributes, unless the order is final or its
    /// header changed since the gateway read it.
    static func updateTMFOrder(_ command: UpdateTMFOrderCommand, context: inout ExecutionContext, effects: inout Effects,
                               conn: isolated PostgresConnection) throws -> CommandReply {
        guard let order = try conn.findOrder(publicID: command.publicID, forUpdate: true) else {
            return orderNotFound(command.publicID)
        }
        if TMFOrderState(rawValue: order.state)?.isFinal == true {
            return .failure(409, code: "order_is_final", message: finalStateReason(order.state, doing: "changed"))
        }
        guard order.tmf == command.baseHeader else {
            return .failure(409, code: "conflict", message: "The order changed while this update was prepared; read it again and retry")
        }
        let now = context.now
        try conn.query("""
            UPDATE orders SET tmf = \(try WireFormat.encodeString(command.headerTMF))::jsonb, updated_at = \(now.rfc3339)::timestamptz
            WHERE id = \(order.id)
            """)
        guard let updated = try conn.findOrder(id: order.id) else { return orderNotFound(command.publicID) }
        let listeners = try context.hubListeners(conn)
        if !listeners.isEmpty, !command.changedFields.isEmpty {
            emit([TMFEvent(type: .productOrderAttributeValueChange,
                           resource: TMFRepresentation.productOrder(updated, publicURL: context.publicURL),
                           fieldPath: command.changedFields.joined(separator: ","))],
                 order: updated, listeners: listeners, context: context, effects: &effects)
        }
        return CommandReply(status: 200, order: updated)
    }

    /// `DELETE /productOrder/{id}` (administrators): the order leaves the TMF view, its open
    /// items are closed in the EOSC view (so every OMS hears of it), listeners get the delete event.
    static func deleteTMFOrder(_ command: DeleteTMFOrderCommand, context: inout ExecutionContext, effects: inout Effects,
                               conn: isolated PostgresConnection) throws -> CommandReply {
        guard let order = try conn.findOrder(publicID: command.publicID, forUpdate: true) else {
            return orderNotFound(command.publicID)
        }
        let listeners = try context.hubListeners(conn)
        let document = TMFRepresentation.productOrder(order, publicURL: context.publicURL)
        try conn.query("UPDATE orders SET deleted_at = \(context.now.rfc3339)::timestamptz WHERE id = \(order.id)")
        try closeItems(orderID: order.id, statusValue: "deleted by an administrator", author: "tmf622",
                       context: &context, effects: &effects, conn: conn)
        emit([TMFEvent(type: .productOrderDelete, resource: document)], order: order, listeners: listeners,
             context: context, effects: &effects)
        return CommandReply(status: 204, order: order)
    }
}
