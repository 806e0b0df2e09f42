public import Contracts
public import Foundation
public import PostgresClient
import Wire

extension PostgresConnection {
    /// Every hub listener with its owner's roles and administered providers (the processor
    /// matches each TMF event against them; there are few, so one read per batch).
    public func hubListeners() throws -> [HubListenerRecord] {
        try query("""
            SELECT h.id, h.user_id, h.callback, h.query, u.roles,
                   ARRAY(SELECT pa.provider_id FROM provider_administrators pa WHERE pa.user_id = h.user_id) AS provider_ids
            FROM hub_listeners h JOIN users u ON u.id = h.user_id ORDER BY h.created_at, h.id
            """).map { row in
            HubListenerRecord(id: try row.uuid("id"), userID: try row.int("user_id"), callback: try row.string("callback"),
                              query: try row.optionalString("query"), ownerRoles: try row.stringArray("roles"),
                              ownerProviderIDs: try row.intArray("provider_ids"))
        }
    }

    public func insertHubListener(id: UUID, userID: Int64, callback: String, query text: String?) throws {
        try query("""
            INSERT INTO hub_listeners (id, user_id, callback, query) VALUES (\(id), \(userID), \(callback), \(text))
            """)
    }

    /// Removes a listener of `userID` (admins: any). - Returns: whether one was removed.
    public func deleteHubListener(id: UUID, userID: Int64, anyOwner: Bool) throws -> Bool {
        !(try query("""
            DELETE FROM hub_listeners WHERE id = \(id) AND (\(anyOwner) OR user_id = \(userID)) RETURNING id
            """)).isEmpty
    }
}
