public import PostgresClient

/// A user as the EOSC Users API shows them.
public struct UserRoles: Sendable, Hashable {
    public var uid: String
    /// This system's roles (`users.roles`).
    public var roles: [String]
    /// The PIDs (or, without one, the names) of the providers the user administers data of.
    public var providers: [String]
}

extension PostgresConnection {
    /// A user by uid, with the providers they administer, or `nil`.
    public func userRoles(uid: String) throws -> UserRoles? {
        let rows = try query("""
            SELECT u.uid, u.roles,
                   coalesce((SELECT array_agg(coalesce(p.pid, p.name) ORDER BY p.id)
                             FROM provider_administrators pa JOIN providers p ON p.id = pa.provider_id
                             WHERE pa.user_id = u.id), '{}') AS providers
            FROM users u WHERE u.uid = \(uid)
            """)
        guard let row = rows.first else { return nil }
        return UserRoles(uid: try row.string("uid"), roles: try row.stringArray("roles"),
                         providers: try row.stringArray("providers"))
    }
}
