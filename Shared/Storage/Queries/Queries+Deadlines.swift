public import PostgresClient
public import Wire

/// An item whose provider has not answered by its response deadline.
public struct OverdueItem: Sendable, Hashable {
    public var id: Int64
    public var projectID: Int64
    public var iid: Int64
    public var orderPublicID: String
    public var providerID: Int64
    public var providerName: String
    public var providerEmails: [String]
    public var service: String
    public var offer: String
    public var createdAt: Timestamp
    public var deadline: Timestamp
}

extension PostgresConnection {
    /// Claims and marks, in the current transaction, open items nobody has answered: past their
    /// deadline and not yet reminded, or (`escalation`) past their deadline by as long again as
    /// their response time and not yet escalated. Rows another transaction holds are skipped.
    public func claimOverdueItems(now: Timestamp, escalation: Bool, limit: Int = 500) throws -> [OverdueItem] {
        try query("""
            WITH due AS (
                SELECT id FROM project_items
                WHERE first_response_at IS NULL AND response_deadline IS NOT NULL
                  AND status_type NOT IN ('closed', 'rejected')
                  AND CASE WHEN \(escalation)
                           THEN escalated_at IS NULL AND response_deadline + (response_deadline - created_at) < \(now.rfc3339)::timestamptz
                           ELSE reminded_at IS NULL AND response_deadline < \(now.rfc3339)::timestamptz END
                ORDER BY response_deadline LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), marked AS (
                UPDATE project_items i
                SET reminded_at = CASE WHEN \(escalation) THEN i.reminded_at ELSE \(now.rfc3339)::timestamptz END,
                    escalated_at = CASE WHEN \(escalation) THEN \(now.rfc3339)::timestamptz ELSE i.escalated_at END
                FROM due WHERE i.id = due.id
                RETURNING i.id, i.project_id, i.iid, i.order_id, i.provider_id, i.attributes, i.created_at, i.response_deadline
            )
            SELECT m.id, m.project_id, m.iid, o.public_id, m.provider_id, p.name AS provider_name,
                   p.contact_emails, coalesce(m.attributes->>'service', '') AS service,
                   coalesce(m.attributes->>'offer', '') AS offer, m.created_at, m.response_deadline
            FROM marked m JOIN orders o ON o.id = m.order_id JOIN providers p ON p.id = m.provider_id
            ORDER BY m.response_deadline, m.id
            """).map { row in
            OverdueItem(id: try row.int("id"), projectID: try row.int("project_id"), iid: try row.int("iid"),
                        orderPublicID: try row.string("public_id"), providerID: try row.int("provider_id"),
                        providerName: try row.string("provider_name"), providerEmails: try row.stringArray("contact_emails"),
                        service: try row.string("service"), offer: try row.string("offer"),
                        createdAt: try row.timestamp("created_at"), deadline: try row.timestamp("response_deadline"))
        }
    }

    /// The e-mail addresses of the operations team (users with role `operator`).
    public func operatorEmails() throws -> [String] {
        try query("SELECT DISTINCT email FROM users WHERE 'operator' = ANY(roles) AND email <> '' ORDER BY email")
            .map { try $0.string("email") }
    }
}
