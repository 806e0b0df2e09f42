public import Contracts
public import PostgresClient
import Wire

extension PostgresConnection {
    static let cancellationColumns = """
        c.id, c.public_id, c.order_id, o.public_id AS order_public_id, c.user_id, c.state, c.cancellation_reason,
        c.requested_cancellation_date, c.effective_cancellation_date, c.state_reason, c.tmf, c.created_at
        FROM cancellations c JOIN orders o ON o.id = c.order_id
        """

    public func findCancellation(publicID: String) throws -> CancellationRecord? {
        try query("SELECT \(unsafeRaw: Self.cancellationColumns) WHERE c.public_id = \(publicID)")
            .first.map(CancellationRecord.init(row:))
    }

    /// The cancellation of an order still being decided (at most one at a time).
    public func openCancellation(orderID: Int64) throws -> CancellationRecord? {
        try query("""
            SELECT \(unsafeRaw: Self.cancellationColumns)
            WHERE c.order_id = \(orderID) AND c.state IN ('acknowledged', 'inProgress') ORDER BY c.id DESC LIMIT 1
            """).first.map(CancellationRecord.init(row:))
    }

    /// The cancellations a caller may read (of orders in `scope`), newest first.
    public func cancellations(scope: OrderScope) throws -> [CancellationRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.cancellationColumns)
            WHERE (\(scope.all) OR c.user_id = \(scope.userID) OR o.user_id = \(scope.userID)
                   OR EXISTS (SELECT 1 FROM project_items pi WHERE pi.order_id = o.id
                              AND pi.provider_id = ANY(\(scope.providerIDs)::int8[])))
            ORDER BY c.created_at DESC, c.id DESC
            """).map(CancellationRecord.init(row:))
    }
}

extension CancellationRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.int("id"), publicID: try row.string("public_id"), orderID: try row.int("order_id"),
            orderPublicID: try row.string("order_public_id"), userID: try row.int("user_id"), state: try row.string("state"),
            cancellationReason: try row.optionalString("cancellation_reason"),
            requestedCancellationDate: try row.optionalTimestamp("requested_cancellation_date"),
            effectiveCancellationDate: try row.optionalTimestamp("effective_cancellation_date"),
            stateReason: try row.optionalString("state_reason"), tmf: try row.json("tmf"),
            createdAt: try row.timestamp("created_at"))
    }
}

extension PostgresConnection {
    /// An order's newest cancellation (the one a decision just ended, or the one still open).
    public func latestCancellation(orderID: Int64) throws -> CancellationRecord? {
        try query("SELECT \(unsafeRaw: Self.cancellationColumns) WHERE c.order_id = \(orderID) ORDER BY c.id DESC LIMIT 1")
            .first.map(CancellationRecord.init(row:))
    }
}
