public import PostgresClient

extension PostgresConnection {
    static let tokenFields = "id, user_id, label, created_at, last_used_at, revoked_at, token_hash"
    static let tokenColumns = tokenFields + " FROM api_tokens"

    /// A user's tokens, active and revoked, by id.
    public func tokens(ofUser userID: Int64) throws -> [TokenRecord] {
        try query("SELECT \(unsafeRaw: Self.tokenColumns) WHERE user_id = \(userID) ORDER BY id").map(TokenRecord.init(row:))
    }

    /// One token of a user.
    public func findToken(id: Int64, userID: Int64) throws -> TokenRecord? {
        try query("SELECT \(unsafeRaw: Self.tokenColumns) WHERE id = \(id) AND user_id = \(userID)").first.map(TokenRecord.init(row:))
    }

    /// How many unrevoked tokens a user has.
    public func activeTokenCount(userID: Int64) throws -> Int64 {
        try query("SELECT count(*) AS n FROM api_tokens WHERE user_id = \(userID) AND revoked_at IS NULL")[0].int("n")
    }

    /// Revokes one of a user's tokens. - Returns: the token as revoked now, or `nil` when it does
    /// not exist, is not the user's, or was already revoked.
    public func revokeToken(id: Int64, userID: Int64) throws -> TokenRecord? {
        try query("""
            UPDATE api_tokens SET revoked_at = now() WHERE id = \(id) AND user_id = \(userID) AND revoked_at IS NULL
            RETURNING \(unsafeRaw: Self.tokenFields)
            """).first.map(TokenRecord.init(row:))
    }

    /// Revokes every active token of a user. - Returns: the revoked tokens.
    public func revokeTokens(userID: Int64) throws -> [TokenRecord] {
        try query("""
            UPDATE api_tokens SET revoked_at = now() WHERE user_id = \(userID) AND revoked_at IS NULL
            RETURNING \(unsafeRaw: Self.tokenFields)
            """).map(TokenRecord.init(row:))
    }
}

extension TokenRecord {
    init(row: PostgresRow) throws {
        self.init(id: try row.int("id"), userID: try row.int("user_id"), label: try row.string("label"),
                  createdAt: try row.timestamp("created_at"), lastUsedAt: try row.optionalTimestamp("last_used_at"),
                  revokedAt: try row.optionalTimestamp("revoked_at"), tokenHash: try row.bytes("token_hash"))
    }
}
