public import Contracts
public import PostgresClient
public import Wire

extension PostgresConnection {
    static let messageColumns = """
        m.id, m.project_id, m.project_item_id, i.iid AS project_item_iid, m.author_role, m.author_uid, m.author_email,
        m.author_name, m.scope, m.content, m.edited, m.created_at, m.updated_at
        FROM messages m LEFT JOIN project_items i ON i.id = m.project_item_id
        """

    /// A message by its global id; `forUpdate` locks it until the transaction ends.
    public func findMessage(id: Int64, forUpdate: Bool = false) throws -> MessageRecord? {
        try query("""
            SELECT \(unsafeRaw: Self.messageColumns) WHERE m.id = \(id) \(unsafeRaw: forUpdate ? "FOR UPDATE OF m" : "")
            """).first.map(MessageRecord.init(row:))
    }

    /// The messages of a project (`itemID == nil`: project-level messages only) or of one item,
    /// in id order after `afterID`, at most `limit`, limited to `scopes`.
    public func messages(projectID: Int64, itemID: Int64?, scopes: [String] = ["public", "internal", "user_direct"],
                         afterID: Int64 = 0, limit: Int = 20) throws -> [MessageRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.messageColumns)
            WHERE m.project_id = \(projectID)
              AND (CASE WHEN \(itemID)::int8 IS NULL THEN m.project_item_id IS NULL ELSE m.project_item_id = \(itemID)::int8 END)
              AND m.scope = ANY(\(scopes)::text[]) AND m.id > \(afterID)
            ORDER BY m.id LIMIT \(limit)
            """).map(MessageRecord.init(row:))
    }

    /// Inserts a message. - Returns: it, as stored.
    public func insertMessage(projectID: Int64, item: (id: Int64, iid: Int64)?, author: MessageAuthor, scope: String,
                              content: String, at now: Timestamp) throws -> MessageRecord {
        let id = try query("""
            INSERT INTO messages (project_id, project_item_id, author_role, author_uid, author_email, author_name, scope,
                                  content, created_at, updated_at)
            VALUES (\(projectID), \(item?.id), \(author.role), \(author.uid), \(author.email), \(author.name), \(scope),
                    \(content), \(now.rfc3339)::timestamptz, \(now.rfc3339)::timestamptz)
            RETURNING id
            """)[0].int("id")
        return MessageRecord(id: id, projectID: projectID, projectItemID: item?.id, projectItemIID: item?.iid,
                             author: author, scope: scope, content: content, edited: false, createdAt: now, updatedAt: now)
    }

    /// Replaces a message's content and marks it edited.
    public func updateMessageContent(id: Int64, content: String, at now: Timestamp) throws {
        try query("""
            UPDATE messages SET content = \(content), edited = true, updated_at = \(now.rfc3339)::timestamptz
            WHERE id = \(id)
            """)
    }

    /// The primary OMS of every item of a project (distinct): the project's provider OMSes.
    public func itemOMSIDs(projectID: Int64) throws -> [Int64] {
        try query("SELECT DISTINCT oms_id FROM project_items WHERE project_id = \(projectID) ORDER BY oms_id")
            .map { try $0.int("oms_id") }
    }
}

extension MessageRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.int("id"), projectID: try row.int("project_id"), projectItemID: try row.optionalInt("project_item_id"),
            projectItemIID: try row.optionalInt("project_item_iid"),
            author: MessageAuthor(role: try row.string("author_role"), uid: try row.optionalString("author_uid"),
                                  email: try row.optionalString("author_email"), name: try row.optionalString("author_name")),
            scope: try row.string("scope"), content: try row.string("content"), edited: try row.bool("edited"),
            createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at"))
    }
}
