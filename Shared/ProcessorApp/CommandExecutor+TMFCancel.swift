import Contracts
import Domain
import Foundation
import Messaging
import PostgresClient
import Storage
import TMF622
import Wire

extension CommandExecutor {
    /// `POST /cancelProductOrder`. An order on which no provider has started work (every open
    /// item still `created`) is cancelled at once. Otherwise the order goes to
    /// `assessingCancellation` and each open item's OMS gets a message asking it to decide
    /// through the Ordering API; ``syncTMF`` carries out its decision.
    static func cancelTMFOrder(_ command: CancelTMFOrderCommand, context: inout ExecutionContext, effects: inout Effects,
                               conn: isolated PostgresConnection) throws -> CommandReply {
        guard let order = try conn.findOrder(publicID: command.orderPublicID, forUpdate: true) else {
            return .failure(404, code: "not_found", message: "No productOrder with id \(command.orderPublicID)",
                            field: "productOrder.id")
        }
        var lifecycle = TMFOrderLifecycle(
            state: TMFOrderState(rawValue: order.state) ?? .acknowledged,
            items: Dictionary(order.items.map { ($0.lineID, TMFItemState(rawValue: $0.tmfState ?? "") ?? .acknowledged) },
                              uniquingKeysWith: { a, _ in a }),
            cancellation: order.cancellationPhase.flatMap(CancellationPhase.init(rawValue:)))
        let entered: [TMFOrderState]
        do {
            entered = try lifecycle.cancellationRequested()
        } catch {
            return .failure(409, code: "conflict", message: error.reason, field: "productOrder.id")
        }
        let now = context.now
        let publicID = command.header.requestID.uuidString.lowercased()
        try conn.query("""
            INSERT INTO cancellations (public_id, order_id, user_id, state, cancellation_reason, requested_cancellation_date,
                                       tmf, created_at, updated_at)
            VALUES (\(publicID), \(order.id), \(command.header.userID), 'inProgress', \(command.reason),
                    \(command.requestedDate?.rfc3339)::timestamptz, \(try WireFormat.encodeString(command.tmf))::jsonb,
                    \(now.rfc3339)::timestamptz, \(now.rfc3339)::timestamptz)
            """)
        try conn.query("""
            UPDATE orders SET state = \(lifecycle.state.rawValue), cancellation_phase = \(lifecycle.cancellation?.rawValue),
                state_before_cancellation = \(order.state), updated_at = \(now.rfc3339)::timestamptz
            WHERE id = \(order.id)
            """)
        let listeners = try context.hubListeners(conn)
        if !listeners.isEmpty, let stored = try conn.findOrder(id: order.id),
           let cancellation = try conn.findCancellation(publicID: publicID) {
            let document = TMFRepresentation.productOrder(stored, publicURL: context.publicURL)
            var events = [TMFEvent(type: .cancelProductOrderCreate,
                                   resource: TMFRepresentation.cancelProductOrder(cancellation, publicURL: context.publicURL))]
            events += entered.map { TMFEvent(type: .productOrderStateChange, resource: document.with("state", .string($0.rawValue)),
                                             fieldPath: "state") }
            emit(events, order: stored, listeners: listeners, context: context, effects: &effects)
        }
        let open = order.items.filter { !(StatusType(rawValue: $0.statusType)?.isFinal ?? true) }
        if open.allSatisfy({ $0.statusType == StatusType.created.rawValue }) {
            // Nobody started: cancelled at once (closing the items completes the cancellation).
            try closeItems(orderID: order.id, statusValue: "cancelled by the customer", author: "tmf622",
                           context: &context, effects: &effects, conn: conn)
            if open.isEmpty {
                try syncTMF(orderID: order.id, changes: [], refusal: nil, context: &context, effects: &effects, conn: conn)
            }
        } else {
            try askProviders(order: order, items: open, cancellationID: publicID, reason: command.reason,
                             context: &context, effects: &effects, conn: conn)
        }
        guard let cancellation = try conn.findCancellation(publicID: publicID) else {
            return .failure(500, code: "internal", message: "the cancellation vanished")
        }
        return CommandReply(status: 201, cancellation: cancellation)
    }

    /// Writes the cancellation request on every open item, as a public message from the
    /// customer, so each OMS (triggered by the message event) and provider (by mail) sees it.
    static func askProviders(order: OrderRecord, items: [ProjectItemRecord], cancellationID: String, reason: String?,
                             context: inout ExecutionContext, effects: inout Effects, conn: isolated PostgresConnection) throws {
        guard let project = try context.project(order.projectID, conn) else { return }
        let itemOMSes = try conn.itemOMSIDs(projectID: project.id)
        let defaultOMS = try context.defaultOMS(conn)?.id
        let author = MessageAuthor(role: AuthorRole.user.rawValue, uid: project.ownerUID, email: project.ownerEmail,
                                   name: "\(project.ownerFirstName) \(project.ownerLastName)")
        let content = """
            The customer asks to cancel this order (TMF622 cancelProductOrder \(cancellationID))\(reason.map { ". Reason: \($0)" } ?? "").
            To accept, set this item's status type to closed. To refuse, set another status, or answer with a message saying why. \
            To ask the customer something first, set waiting_for_response.
            """
        for item in items {
            _ = try writeMessage(project: project, item: item, author: author, scope: .public, role: .user, content: content,
                                 itemOMSes: itemOMSes, defaultOMS: defaultOMS, context: &context, effects: &effects, conn: conn)
        }
    }

    /// A message from an OMS on an item whose order's cancellation is being assessed refuses
    /// it, with the message as the reason (hooked into message creation).
    static func cancellationAnswered(item: ProjectItemRecord, message: String, context: inout ExecutionContext,
                                     effects: inout Effects, conn: isolated PostgresConnection) throws {
        // Most messages answer no cancellation: lock the order only when one is being assessed.
        guard try conn.orderStates(orderID: item.orderID)?.cancellationPhase == "assessing",
              try conn.orderStates(orderID: item.orderID, forUpdate: true)?.cancellationPhase == "assessing" else {
            return
        }
        try syncTMF(orderID: item.orderID, changes: [], refusal: "The provider answered: \(message)",
                    context: &context, effects: &effects, conn: conn)
    }
}
