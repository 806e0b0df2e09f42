public import PostgresClient
public import Wire

/// An event to append to the Ordering API's event log.
public struct NewEvent: Sendable, Hashable {
    public var type: String
    public var resource: String
    public var projectID: Int64
    public var projectItemID: Int64?
    public var projectItemIID: Int64?
    public var messageID: Int64?
    /// `[{field, before, after}]` for updates, else an empty array.
    public var changes: JSONValue

    public init(type: String, resource: String, projectID: Int64, projectItemID: Int64? = nil,
                projectItemIID: Int64? = nil, messageID: Int64? = nil, changes: JSONValue = .array([])) {
        self.type = type
        self.resource = resource
        self.projectID = projectID
        self.projectItemID = projectItemID
        self.projectItemIID = projectItemIID
        self.messageID = messageID
        self.changes = changes
    }
}

extension PostgresConnection {
    /// Appends events at the end of a transaction, which must commit right after.
    ///
    /// The transaction-scoped advisory lock makes event writers take turns from here to their
    /// commit, and each timestamp is taken after the lock (and never below the newest stored).
    /// So by the time any event is visible, every transaction that could still insert an earlier
    /// one has committed: a poller that feeds back the last timestamp it saw never skips one.
    /// Call it last, so the lock is held only for the insert and the commit.
    public func appendEvents(_ events: [NewEvent]) throws -> [EventRecord] {
        guard !events.isEmpty else { return [] }
        try query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.oms.events'))")
        let changes = try events.map { try WireFormat.encodeString($0.changes) }
        let rows = try query("""
            INSERT INTO events (created_at, type, resource, project_id, project_item_id, project_item_iid, message_id, changes)
            SELECT greatest(clock_timestamp(), (SELECT max(created_at) FROM events)),
                   e.type, e.resource, e.project_id, e.project_item_id, e.project_item_iid, e.message_id, e.changes::jsonb
            FROM unnest(\(events.map(\.type))::text[], \(events.map(\.resource))::text[], \(events.map(\.projectID))::int8[],
                        \(events.map(\.projectItemID))::int8[], \(events.map(\.projectItemIID))::int4[],
                        \(events.map(\.messageID))::int8[], \(changes)::text[])
                 WITH ORDINALITY AS e(type, resource, project_id, project_item_id, project_item_iid, message_id, changes, n)
            ORDER BY e.n
            RETURNING id, created_at, type, resource, project_id, project_item_id, project_item_iid, message_id, changes
            """)
        return try rows.map(EventRecord.init(row:)).sorted { $0.id < $1.id }
    }

    /// The events an OMS may see after `from`, in order, at most about `limit`: a page never ends
    /// halfway through events that share a timestamp, so it may hold a few more.
    public func events(visibleTo omsID: Int64, isDefault: Bool, after from: Timestamp, limit: Int) throws -> [EventRecord] {
        try query("""
            WITH visible AS (
                SELECT e.* FROM events e
                WHERE e.created_at > \(from.rfc3339)::timestamptz
                  AND (\(isDefault)
                       OR (e.project_item_id IS NOT NULL
                           AND EXISTS (SELECT 1 FROM project_items i WHERE i.id = e.project_item_id AND i.oms_id = \(omsID)))
                       OR (e.project_item_id IS NULL
                           AND EXISTS (SELECT 1 FROM project_items i WHERE i.project_id = e.project_id AND i.oms_id = \(omsID))))
            ), page_end AS (
                SELECT max(created_at) AS last FROM (SELECT created_at FROM visible ORDER BY created_at, id LIMIT \(limit)) p
            )
            SELECT id, created_at, type, resource, project_id, project_item_id, project_item_iid, message_id, changes
            FROM visible WHERE created_at <= (SELECT last FROM page_end)
            ORDER BY created_at, id
            """).map(EventRecord.init(row:))
    }
}

extension EventRecord {
    init(row: PostgresRow) throws {
        self.init(id: try row.int("id"), createdAt: try row.timestamp("created_at"), type: try row.string("type"),
                  resource: try row.string("resource"), projectID: try row.int("project_id"),
                  projectItemID: try row.optionalInt("project_item_id"),
                  projectItemIID: try row.optionalInt("project_item_iid"), messageID: try row.optionalInt("message_id"),
                  changes: try row.json("changes"))
    }
}
