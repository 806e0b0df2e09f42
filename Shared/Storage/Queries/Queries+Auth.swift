public import PostgresClient

extension PostgresConnection {
    /// The user behind a token hash, with what they administer, or `nil` for an unknown or
    /// revoked token. Also notes the token's last use (at most once a minute, to spare writes).
    public func authenticate(tokenHash: [UInt8]) throws -> AuthContext? {
        let rows = try query("""
            WITH t AS (
                UPDATE api_tokens SET last_used_at = now()
                WHERE token_hash = \(PostgresBytes(tokenHash))::bytea AND revoked_at IS NULL
                  AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                RETURNING user_id
            ), found AS (
                SELECT user_id FROM t
                UNION ALL
                SELECT user_id FROM api_tokens
                WHERE token_hash = \(PostgresBytes(tokenHash))::bytea AND revoked_at IS NULL
            )
            SELECT u.id, u.uid, u.email, u.first_name, u.last_name, u.roles,
                   ARRAY(SELECT oms_id FROM oms_administrators a WHERE a.user_id = u.id ORDER BY oms_id) AS oms_ids,
                   ARRAY(SELECT provider_id FROM provider_administrators p WHERE p.user_id = u.id ORDER BY provider_id) AS provider_ids
            FROM users u WHERE u.id = (SELECT user_id FROM found LIMIT 1)
            """)
        guard let row = rows.first else { return nil }
        return AuthContext(userID: try row.int("id"), uid: try row.string("uid"), email: try row.string("email"),
                           firstName: try row.string("first_name"), lastName: try row.string("last_name"),
                           roles: try row.stringArray("roles"), omsIDs: try row.intArray("oms_ids"),
                           providerIDs: try row.intArray("provider_ids"))
    }

    /// Stores a new token hash for a user. - Returns: the token's row id.
    @discardableResult
    public func insertToken(userID: Int64, tokenHash: [UInt8], label: String) throws -> Int64 {
        try query("""
            INSERT INTO api_tokens (user_id, token_hash, label) VALUES (\(userID), \(PostgresBytes(tokenHash))::bytea, \(label))
            RETURNING id
            """)[0].int("id")
    }
}
