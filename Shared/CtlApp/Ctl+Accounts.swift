import CryptoClient
import PostgresClient
import Storage

extension Ctl {
    /// The roles of the schema (`users.roles`); anything else is a typo.
    static let knownRoles = ["user", "data_administrator", "oms", "catalogue", "operator", "governance", "admin"]

    /// A new API token: long, random, URL-safe. Only its SHA-256 is stored, so it is shown once.
    static func newToken() -> (token: String, hash: [UInt8]) {
        let token = Crypto.randomToken(prefix: "oms_", bytes: 32)
        return (token, Crypto.sha256(Array(token.utf8)))
    }

    func migrate(_ arguments: [String]) async throws {
        _ = try Arguments(arguments, command: "migrate")
        let report = try await withDatabase { try await Migrations.migrate($0) }
        output.json(MigrateResult(applied: report.applied, skipped: report.skipped))
    }

    func tokenIssue(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "token issue", options: ["user", "label"])
        let uid = try args.required("user")
        let label = args.value("label") ?? "omsctl"
        let (token, hash) = Self.newToken()
        let tokenID = try await withDatabase { conn in
            try await conn.transaction { conn -> Int64 in
                let userID = try conn.userID(uid: uid)
                return try conn.insertToken(userID: userID, tokenHash: hash, label: label)
            }
        }
        output.json(TokenIssued(token: token, tokenID: tokenID, user: uid))
    }

    func tokenRevoke(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "token revoke", options: ["user"])
        let uid = try args.required("user")
        let revoked = try await withDatabase { conn in
            try await conn.transaction { conn -> Int in
                let userID = try conn.userID(uid: uid)
                return try conn.query("""
                    UPDATE api_tokens SET revoked_at = now() WHERE user_id = \(userID) AND revoked_at IS NULL
                    """).affectedRows
            }
        }
        output.json(TokensRevoked(revoked: revoked, user: uid))
    }

    func userCreate(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "user create",
                                 options: ["uid", "email", "first-name", "last-name", "role"], repeated: ["role"])
        let uid = try args.required("uid")
        let email = try args.required("email")
        guard email.contains("@") else { throw args.usageError("--email must be an e-mail address, not '\(email)'") }
        var roles = args.all("role")
        for role in roles where !Self.knownRoles.contains(role) {
            throw args.usageError("unknown role '\(role)' (known: \(Self.knownRoles.joined(separator: ", ")))")
        }
        if roles.isEmpty { roles = ["user"] }
        roles = Array(Set(roles)).sorted()
        let firstName = args.value("first-name") ?? "", lastName = args.value("last-name") ?? ""
        let id: Int64
        do {
            id = try await withDatabase { conn in
                try await conn.query("""
                    INSERT INTO users (uid, email, first_name, last_name, roles)
                    VALUES (\(uid), \(email), \(firstName), \(lastName), \(roles)::text[]) RETURNING id
                    """)[0].int("id")
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw CtlError.invalid("a user with uid '\(uid)' already exists")
        }
        output.json(UserCreated(id: id, uid: uid, roles: roles))
    }
}

extension PostgresConnection {
    /// The id of the user with `uid`, or an error naming it.
    func userID(uid: String) throws -> Int64 {
        guard let row = try query("SELECT id FROM users WHERE uid = \(uid)").first else {
            throw CtlError.invalid("no user with uid '\(uid)'")
        }
        return try row.int("id")
    }
}

struct MigrateResult: Encodable {
    let applied: [Int]
    let skipped: [Int]
}

struct TokenIssued: Encodable {
    let token: String
    let tokenID: Int64
    let user: String
    enum CodingKeys: String, CodingKey { case token, tokenID = "token_id", user }
}

struct TokensRevoked: Encodable {
    let revoked: Int
    let user: String
}

struct UserCreated: Encodable {
    let id: Int64
    let uid: String
    let roles: [String]
}
