public import Contracts
public import PostgresClient
import Wire

extension PostgresConnection {
    static let itemColumns = """
        i.id, i.project_id, i.iid, i.order_id, o.public_id AS order_public_id, i.line_id, i.offer_id, i.service_id,
        i.provider_id, i.bundle_id, i.parent_item_id, i.oms_id, i.status_value, i.status_type, i.attributes,
        i.user_secrets, i.oms_params, i.external_ref, i.response_deadline, i.first_response_at, i.created_at, i.updated_at,
        i.tmf_state, i.tmf
        FROM project_items i JOIN orders o ON o.id = i.order_id
        """

    /// An item by project and per-project id; `forUpdate` locks it until the transaction ends.
    public func findItem(projectID: Int64, iid: Int64, forUpdate: Bool = false) throws -> ProjectItemRecord? {
        try query("""
            SELECT \(unsafeRaw: Self.itemColumns) WHERE i.project_id = \(projectID) AND i.iid = \(iid)
            \(unsafeRaw: forUpdate ? "FOR UPDATE OF i" : "")
            """).first.map(ProjectItemRecord.init(row:))
    }

    /// A project's items in iid order; only those handled by `omsID` when given.
    public func items(projectID: Int64, omsID: Int64? = nil, afterIID: Int64 = 0, limit: Int = 1000) throws -> [ProjectItemRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.itemColumns)
            WHERE i.project_id = \(projectID) AND i.iid > \(afterIID) AND (\(omsID)::int8 IS NULL OR i.oms_id = \(omsID))
            ORDER BY i.iid LIMIT \(limit)
            """).map(ProjectItemRecord.init(row:))
    }

    /// The items of one order, in line order.
    public func items(orderID: Int64) throws -> [ProjectItemRecord] {
        try query("SELECT \(unsafeRaw: Self.itemColumns) WHERE i.order_id = \(orderID) ORDER BY i.id")
            .map(ProjectItemRecord.init(row:))
    }
}

extension ProjectItemRecord {
    init(row: PostgresRow) throws {
        var secrets: [String: String] = [:]
        for (key, value) in try row.json("user_secrets").objectValue ?? [:] {
            if let s = value.stringValue { secrets[key] = s }
        }
        self.init(
            id: try row.int("id"), projectID: try row.int("project_id"), iid: try row.int("iid"),
            orderID: try row.int("order_id"), orderPublicID: try row.string("order_public_id"),
            lineID: try row.string("line_id"), offerID: try row.int("offer_id"), serviceID: try row.int("service_id"),
            providerID: try row.int("provider_id"), bundleID: try row.optionalInt("bundle_id"),
            parentItemID: try row.optionalInt("parent_item_id"), omsID: try row.int("oms_id"),
            statusValue: try row.string("status_value"), statusType: try row.string("status_type"),
            attributes: try row.json("attributes"), userSecrets: secrets, omsParams: try row.json("oms_params"),
            externalRef: try row.optionalString("external_ref"),
            responseDeadline: try row.optionalTimestamp("response_deadline"),
            firstResponseAt: try row.optionalTimestamp("first_response_at"),
            createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at"),
            tmfState: try row.string("tmf_state"), tmf: try row.json("tmf"))
    }
}
