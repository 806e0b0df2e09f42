public import Contracts
public import PostgresClient
import Wire

/// Whose orders a TMF622 caller may read: their own; also those with an item of a provider they
/// administer; or all of them (operators, governance, admins).
public struct OrderScope: Sendable, Hashable {
    public var all: Bool
    public var userID: Int64
    public var providerIDs: [Int64]

    public init(all: Bool, userID: Int64, providerIDs: [Int64]) {
        self.all = all
        self.userID = userID
        self.providerIDs = providerIDs
    }
}

extension PostgresConnection {
    static let orderColumns = """
        o.id, o.public_id, o.project_id, o.user_id, o.channel, o.state, o.state_before_cancellation, o.cancellation_phase,
        o.tmf, o.completion_date, o.cancellation_date, o.created_at, o.updated_at, o.deleted_at,
        u.uid, u.first_name, u.last_name, r.public_id AS replaces_public_id,
        ARRAY(SELECT n.public_id FROM orders n WHERE n.replaces_order_id = o.id ORDER BY n.id) AS replaced_by
        FROM orders o JOIN users u ON u.id = o.user_id LEFT JOIN orders r ON r.id = o.replaces_order_id
        """

    /// An order with its items by TMF id; deleted orders only when `includeDeleted`. `forUpdate`
    /// locks the order row (the processor's serialisation point for everything about an order).
    public func findOrder(publicID: String, forUpdate: Bool = false, includeDeleted: Bool = false) throws -> OrderRecord? {
        guard var order = try query("""
            SELECT \(unsafeRaw: Self.orderColumns)
            WHERE o.public_id = \(publicID) AND (\(includeDeleted) OR o.deleted_at IS NULL)
            \(unsafeRaw: forUpdate ? "FOR UPDATE OF o" : "")
            """).first.map(OrderRecord.init(row:)) else { return nil }
        order.items = try items(orderID: order.id)
        return order
    }

    /// An order with its items by internal id (deleted ones too: the caller decides).
    public func findOrder(id: Int64, forUpdate: Bool = false) throws -> OrderRecord? {
        guard var order = try query("""
            SELECT \(unsafeRaw: Self.orderColumns) WHERE o.id = \(id) \(unsafeRaw: forUpdate ? "FOR UPDATE OF o" : "")
            """).first.map(OrderRecord.init(row:)) else { return nil }
        order.items = try items(orderID: order.id)
        return order
    }

    /// Locks an order row and tells its id, by one of its items (project and per-project id), so
    /// item changes lock the order before the item, as every other order command does.
    public func lockOrder(ofItemInProject projectID: Int64, iid: Int64) throws -> Int64? {
        try query("""
            SELECT o.id FROM orders o JOIN project_items i ON i.order_id = o.id
            WHERE i.project_id = \(projectID) AND i.iid = \(iid) FOR UPDATE OF o
            """).first?.int("id")
    }
}

extension OrderRecord {
    init(row: PostgresRow) throws {
        let first = try row.string("first_name"), last = try row.string("last_name")
        self.init(
            id: try row.int("id"), publicID: try row.string("public_id"), projectID: try row.int("project_id"),
            userID: try row.int("user_id"), ownerUID: try row.string("uid"),
            ownerName: [first, last].filter { !$0.isEmpty }.joined(separator: " "),
            channel: try row.string("channel"), state: try row.string("state"),
            stateBeforeCancellation: try row.optionalString("state_before_cancellation"),
            cancellationPhase: try row.optionalString("cancellation_phase"), tmf: try row.json("tmf"),
            replacesPublicID: try row.optionalString("replaces_public_id"),
            replacedByPublicIDs: try row.stringArray("replaced_by"),
            completionDate: try row.optionalTimestamp("completion_date"),
            cancellationDate: try row.optionalTimestamp("cancellation_date"),
            createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at"),
            deletedAt: try row.optionalTimestamp("deleted_at"), items: [])
    }
}

/// What the processor needs to move an order's TMF622 states: the order's and each item's.
public struct OrderStates: Sendable, Hashable {
    public struct Item: Sendable, Hashable {
        public var id: Int64
        public var lineID: String
        public var tmfState: String
        public var statusType: String

        public init(id: Int64, lineID: String, tmfState: String, statusType: String) {
            self.id = id
            self.lineID = lineID
            self.tmfState = tmfState
            self.statusType = statusType
        }
    }

    public var id: Int64
    public var publicID: String
    public var userID: Int64
    public var state: String
    public var cancellationPhase: String?
    public var replacesOrderID: Int64?
    public var isDeleted: Bool
    public var items: [Item]

    public init(id: Int64, publicID: String, userID: Int64, state: String, cancellationPhase: String?,
                replacesOrderID: Int64?, isDeleted: Bool, items: [Item]) {
        self.id = id
        self.publicID = publicID
        self.userID = userID
        self.state = state
        self.cancellationPhase = cancellationPhase
        self.replacesOrderID = replacesOrderID
        self.isDeleted = isDeleted
        self.items = items
    }
}

extension PostgresConnection {
    /// An order's states without the rest of it (cheap, for every item change).
    public func orderStates(orderID: Int64, forUpdate: Bool = false) throws -> OrderStates? {
        let rows = try query("""
            SELECT o.id, o.public_id, o.user_id, o.state, o.cancellation_phase, o.replaces_order_id,
                   o.deleted_at IS NOT NULL AS deleted, i.id AS item_id, i.line_id, i.tmf_state, i.status_type
            FROM orders o JOIN project_items i ON i.order_id = o.id WHERE o.id = \(orderID) ORDER BY i.id
            \(unsafeRaw: forUpdate ? "FOR UPDATE OF o" : "")
            """)
        guard let first = rows.first else { return nil }
        return OrderStates(
            id: try first.int("id"), publicID: try first.string("public_id"), userID: try first.int("user_id"),
            state: try first.string("state"), cancellationPhase: try first.optionalString("cancellation_phase"),
            replacesOrderID: try first.optionalInt("replaces_order_id"), isDeleted: try first.bool("deleted"),
            items: try rows.map { row in
                OrderStates.Item(id: try row.int("item_id"), lineID: try row.string("line_id"),
                                 tmfState: try row.string("tmf_state"), statusType: try row.string("status_type"))
            })
    }
}
