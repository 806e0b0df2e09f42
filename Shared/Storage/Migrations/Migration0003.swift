extension Migrations {
    /// TMF622 over the same orders: each item's TMF state (kept by the processor beside its EOSC
    /// status, see `TMFStateMapping`), an order's cancellation phase and soft deletion, and the
    /// indexes the productOrder list filters and the hub fan-out use.
    static let m0003 = Migration(version: 3, name: "tmf622 views", sql: #"""
    ALTER TABLE project_items ADD COLUMN tmf_state text NOT NULL DEFAULT 'acknowledged';
    UPDATE project_items SET tmf_state = CASE status_type
        WHEN 'approved' THEN 'inProgress' WHEN 'in_progress' THEN 'inProgress'
        WHEN 'waiting_for_response' THEN 'pending' WHEN 'ready' THEN 'completed'
        WHEN 'rejected' THEN 'rejected' WHEN 'closed' THEN 'cancelled' ELSE 'acknowledged' END;

    ALTER TABLE orders ADD COLUMN cancellation_phase text
        CHECK (cancellation_phase IN ('assessing', 'pending', 'done', 'refused'));
    ALTER TABLE orders ADD COLUMN deleted_at timestamptz;
    UPDATE orders o SET state = d.state FROM (
        SELECT order_id, CASE
            WHEN bool_and(tmf_state = 'completed') THEN 'completed'
            WHEN bool_and(tmf_state = 'cancelled') THEN 'cancelled'
            WHEN bool_and(tmf_state = 'rejected') THEN 'rejected'
            WHEN bool_and(tmf_state IN ('completed', 'cancelled', 'rejected')) THEN 'partial'
            WHEN bool_or(tmf_state = 'inProgress') THEN 'inProgress'
            WHEN bool_or(tmf_state = 'pending') THEN 'pending'
            WHEN bool_or(tmf_state = 'completed') THEN 'inProgress'
            ELSE 'acknowledged' END AS state
        FROM project_items GROUP BY order_id) d
    WHERE d.order_id = o.id;
    CREATE INDEX orders_created ON orders (created_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX orders_replaces ON orders (replaces_order_id) WHERE replaces_order_id IS NOT NULL;

    ALTER TABLE cancellations ADD COLUMN state_reason text;
    CREATE INDEX cancellations_order ON cancellations (order_id);
    CREATE INDEX cancellations_user ON cancellations (user_id, id);
    CREATE INDEX hub_listeners_user ON hub_listeners (user_id);
    """#)
}
