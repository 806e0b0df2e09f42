import Contracts
import Domain
import Foundation
import Messaging
import PostgresClient
import Storage
import TMF622
import Wire

/// One EOSC status change of an item, as the TMF622 view needs it.
struct ItemChange {
    var itemID: Int64
    var lineID: String
    var eosc: StatusType
    var statusValue: String

    init(item: ProjectItemRecord, eosc: StatusType) {
        itemID = item.id
        lineID = item.lineID
        self.eosc = eosc
        statusValue = item.statusValue
    }
}

extension CommandExecutor {
    /// How a change decided an open cancellation.
    enum CancellationOutcome {
        case done
        case refused(String)
        case informationRequired
    }

    /// Keeps the TMF622 view of an order true to its items after EOSC status changes (every
    /// change goes through here, in the transaction that made it): item states by
    /// `TMFStateMapping`, the order state along the TMF state machine (`TMFOrderLifecycle`),
    /// the decision on an open cancellation, the hub events, and the closing of the order this
    /// one replaces once it is accepted.
    ///
    /// While a cancellation is assessed, the provider decides through the Ordering API: closing
    /// every open item accepts it; setting any other status (or answering with a message, see
    /// `refusal`) refuses it; `waiting_for_response` asks the customer for information.
    /// - Returns: the order as stored afterwards when hub listeners needed it, else `nil`.
    @discardableResult
    static func syncTMF(orderID: Int64, changes: [ItemChange], created: Bool = false, refusal: String? = nil,
                        known: OrderStates? = nil, prebuilt: OrderRecord? = nil,
                        context: inout ExecutionContext, effects: inout Effects,
                        conn: isolated PostgresConnection) throws -> OrderRecord? {
        guard let states = try known ?? conn.orderStates(orderID: orderID) else { return nil }
        let phase = states.cancellationPhase.flatMap(CancellationPhase.init(rawValue:))
        var lifecycle = TMFOrderLifecycle(
            state: created ? .acknowledged : TMFOrderState(rawValue: states.state) ?? .acknowledged,
            items: Dictionary(states.items.map { ($0.lineID, created ? .acknowledged : TMFItemState(rawValue: $0.tmfState) ?? .acknowledged) },
                              uniquingKeysWith: { a, _ in a }),
            cancellation: created ? nil : phase)
        let before = lifecycle
        var entered: [TMFOrderState] = []
        var informationRequired = false
        for change in changes {
            let old = lifecycle.items[change.lineID]
            entered += lifecycle.itemChanged(line: change.lineID, eosc: change.eosc)
            if lifecycle.items[change.lineID] == .pending && old != .pending { informationRequired = true }
        }
        var outcome: CancellationOutcome?
        if !created, lifecycle.cancellation == .assessing {
            if let refused = changes.first(where: { $0.eosc != .closed && $0.eosc != .waitingForResponse }) {
                entered += lifecycle.cancellationRefused()
                outcome = .refused("The provider set the item \(refused.lineID) to \(refused.eosc.rawValue) (\(refused.statusValue)) instead of closing it")
            } else if let refusal {
                entered += lifecycle.cancellationRefused()
                outcome = .refused(refusal)
            } else if !changes.isEmpty, lifecycle.items.values.allSatisfy(\.isFinal) {
                entered += lifecycle.cancellationAccepted()
                entered += lifecycle.cancellationCompleted()
                outcome = .done
            } else if changes.contains(where: { $0.eosc == .waitingForResponse }) {
                outcome = .informationRequired
            }
        }
        try writeStates(states, lifecycle, before: before, outcome: outcome, now: context.now, conn: conn)
        // A new order is rendered from what was just written; any other is read back.
        var order = prebuilt.map { Self.applying(lifecycle, to: $0, now: context.now) }
        let listeners = try context.hubListeners(conn)
        if !listeners.isEmpty, !states.isDeleted, let stored = try order ?? conn.findOrder(id: orderID) {
            order = stored
            let document = TMFRepresentation.productOrder(stored, publicURL: context.publicURL)
            var events: [TMFEvent] = []
            if created {
                events.append(TMFEvent(type: .productOrderCreate, resource: entered.isEmpty ? document : document.with("state", "acknowledged")))
            }
            for state in entered {
                events.append(TMFEvent(type: .productOrderStateChange, resource: document.with("state", .string(state.rawValue)),
                                       fieldPath: "state"))
            }
            // While a cancellation is assessed the open items show the order's state, so an item
            // moving underneath changes nothing a client sees (the cancel events tell the outcome).
            let itemsMoved = states.items.contains { lifecycle.items[$0.lineID]?.rawValue != $0.tmfState }
            if !created, entered.isEmpty, itemsMoved, lifecycle.cancellation != .assessing {
                events.append(TMFEvent(type: .productOrderAttributeValueChange, resource: document, fieldPath: "productOrderItem.state"))
            }
            if informationRequired, lifecycle.cancellation != .assessing {
                events.append(TMFEvent(type: .productOrderInformationRequired, resource: document, fieldPath: "productOrderItem.state"))
            }
            if let outcome, let cancellation = try conn.latestCancellation(orderID: orderID) {
                let doc = TMFRepresentation.cancelProductOrder(cancellation, publicURL: context.publicURL)
                switch outcome {
                case .done, .refused: events.append(TMFEvent(type: .cancelProductOrderStateChange, resource: doc, fieldPath: "state"))
                case .informationRequired:
                    events.append(TMFEvent(type: .cancelProductOrderInformationRequired, resource: doc, fieldPath: "productOrder"))
                }
            }
            emit(events, order: stored, listeners: listeners, context: context, effects: &effects)
        }
        // A replacing order, once accepted, closes the order it replaces.
        let accepted: Set<TMFOrderState> = [.inProgress, .completed, .partial]
        if let replaced = states.replacesOrderID, before.state == .acknowledged || before.state == .pending,
           entered.contains(where: accepted.contains) {
            try closeItems(orderID: replaced, statusValue: "replaced by order \(states.publicID)",
                           author: "tmf622", context: &context, effects: &effects, conn: conn)
        }
        return order
    }

    /// A just-written order as it is once `lifecycle` moved it (what ``writeStates`` stored).
    static func applying(_ lifecycle: TMFOrderLifecycle, to order: OrderRecord, now: Timestamp) -> OrderRecord {
        var order = order
        order.state = lifecycle.state.rawValue
        order.cancellationPhase = lifecycle.cancellation?.rawValue
        if lifecycle.state == .completed || lifecycle.state == .partial, order.completionDate == nil { order.completionDate = now }
        if lifecycle.state == .cancelled, order.cancellationDate == nil { order.cancellationDate = now }
        for index in order.items.indices {
            order.items[index].tmfState = lifecycle.items[order.items[index].lineID]?.rawValue ?? order.items[index].tmfState
        }
        return order
    }

    /// Writes what moved: item states, the order's state and phase and dates, the cancellation task.
    static func writeStates(_ states: OrderStates, _ lifecycle: TMFOrderLifecycle, before: TMFOrderLifecycle,
                            outcome: CancellationOutcome?, now: Timestamp, conn: isolated PostgresConnection) throws {
        let moved = states.items.filter { lifecycle.items[$0.lineID]?.rawValue != $0.tmfState }
        if !moved.isEmpty {
            try conn.query("""
                UPDATE project_items i SET tmf_state = u.state
                FROM unnest(\(moved.map(\.id))::int8[], \(moved.map { lifecycle.items[$0.lineID]?.rawValue ?? $0.tmfState })::text[])
                    AS u(id, state)
                WHERE i.id = u.id
                """)
        }
        if lifecycle.state.rawValue != states.state || lifecycle.cancellation?.rawValue != states.cancellationPhase {
            let completed = lifecycle.state == .completed || lifecycle.state == .partial
            try conn.query("""
                UPDATE orders SET state = \(lifecycle.state.rawValue), cancellation_phase = \(lifecycle.cancellation?.rawValue),
                    completion_date = CASE WHEN \(completed) AND completion_date IS NULL THEN \(now.rfc3339)::timestamptz
                                           ELSE completion_date END,
                    cancellation_date = CASE WHEN \(lifecycle.state == .cancelled) AND cancellation_date IS NULL
                                             THEN \(now.rfc3339)::timestamptz ELSE cancellation_date END,
                    updated_at = \(now.rfc3339)::timestamptz
                WHERE id = \(states.id)
                """)
        }
        switch outcome {
        case .done?:
            try conn.query("""
                UPDATE cancellations SET state = 'done', effective_cancellation_date = \(now.rfc3339)::timestamptz,
                    updated_at = \(now.rfc3339)::timestamptz
                WHERE order_id = \(states.id) AND state IN ('acknowledged', 'inProgress')
                """)
        case .refused(let reason)?:
            try conn.query("""
                UPDATE cancellations SET state = 'terminatedWithError', state_reason = \(reason), updated_at = \(now.rfc3339)::timestamptz
                WHERE order_id = \(states.id) AND state IN ('acknowledged', 'inProgress')
                """)
        case .informationRequired?, nil:
            break
        }
    }

    /// Queues one callback per listener that may hear each event.
    static func emit(_ events: [TMFEvent], order: OrderRecord, listeners: [HubListenerRecord], context: ExecutionContext,
                     effects: inout Effects) {
        for event in events {
            for delivery in HubFanout.deliveries(for: event, order: order, listeners: listeners, at: context.now) {
                if let message = try? Notifications.delivery(delivery) { effects.outbox.append(message) }
            }
        }
    }

    /// Closes every open item of an order on behalf of the system (a cancellation, a
    /// replacement, a deletion): the EOSC view gets the `closed` status with its events and
    /// triggers, so each OMS learns of it, and the TMF view follows through ``syncTMF``.
    static func closeItems(orderID: Int64, statusValue: String, author: String, context: inout ExecutionContext,
                           effects: inout Effects, conn: isolated PostgresConnection) throws {
        let now = context.now
        var changes: [ItemChange] = []
        let defaultOMS = try context.defaultOMS(conn)?.id
        for item in try conn.items(orderID: orderID) {
            let current = ProjectItemStatus(value: item.statusValue, type: StatusType(rawValue: item.statusType) ?? .created)
            guard case .changed(let fieldChanges) = current.update(to: ProjectItemStatus(value: statusValue, type: .closed)) else {
                continue
            }
            try conn.query("""
                UPDATE project_items SET status_value = \(statusValue), status_type = 'closed', updated_at = \(now.rfc3339)::timestamptz
                WHERE id = \(item.id)
                """)
            try conn.query("""
                INSERT INTO project_item_statuses (project_item_id, status_value, status_type, author, created_at)
                VALUES (\(item.id), \(statusValue), 'closed', \(author), \(now.rfc3339)::timestamptz)
                """)
            effects.events.append(NewEvent(
                type: "update", resource: "project_item", projectID: item.projectID, projectItemID: item.id, projectItemIID: item.iid,
                changes: .array(fieldChanges.map { .object(["field": .string($0.field), "before": .string($0.before), "after": .string($0.after)]) })))
            let concerned = Set([item.omsID] + (defaultOMS.map { [$0] } ?? []))
            effects.outbox += try Notifications.triggers(to: context.omses(concerned, conn), event: "project_item.update",
                                                          projectID: item.projectID, itemID: item.id, at: now)
            effects.outbox.append(try Notifications.domainEvent(DomainEvent(
                kind: DomainEvent.Kind.itemUpdated, occurredAt: now, projectID: item.projectID, projectItemID: item.id,
                orderID: item.orderID, providerID: item.providerID, serviceID: item.serviceID, offerID: item.offerID,
                omsID: item.omsID, statusType: "closed", previousStatusType: item.statusType)))
            var closed = item
            closed.statusValue = statusValue
            changes.append(ItemChange(item: closed, eosc: .closed))
        }
        if !changes.isEmpty {
            try syncTMF(orderID: orderID, changes: changes, context: &context, effects: &effects, conn: conn)
        }
    }
}

extension JSONValue {
    /// A copy of an object with one member set.
    func with(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }
}
