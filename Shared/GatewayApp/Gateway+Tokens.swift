import CryptoClient
import HTTPCore
import PostgresClient
import Storage
import Wire

/// API tokens for any user (the marketplace lets users regenerate their one token only on a web
/// page, and OMS tokens only through support): list, issue, revoke, regenerate.
///
/// A token is shown once, in the response that created it; only its SHA-256 is stored. A
/// revoked token stops working at once in the gateway that revoked it (its cached
/// authentication is dropped) and within the authentication cache's few seconds elsewhere.
extension Gateway {
    func addTokenRoutes(to r: inout Router) {
        r.add("GET", "/api/v1/tokens") { req, _ in try await listTokens(req) }
        r.add("POST", "/api/v1/tokens") { req, _ in try await issueToken(req) }
        r.add("DELETE", "/api/v1/tokens/:token_id") { req, p in try await revokeToken(req, p) }
        r.add("POST", "/api/v1/tokens/:token_id/regenerate") { req, p in try await regenerateToken(req, p) }
    }

    static let tokenNotFound = APIError.message(404, "Token not found")
    /// Active tokens a user may hold at once; a leak then has a bounded surface.
    static let maxActiveTokens: Int64 = 50

    /// A new API token in the format `omsctl token issue` prints, with its hash.
    static func newToken() -> (token: String, hash: [UInt8]) {
        let token = Crypto.randomToken(prefix: "oms_", bytes: 32)
        return (token, Crypto.sha256(Array(token.utf8)))
    }

    /// `GET /api/v1/tokens`: `{"tokens": [{id, label, created_at, last_used_at, revoked_at, current}]}`.
    func listTokens(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let current = Self.requestTokenHash(request)
        let tokens = try await db { try $0.tokens(ofUser: user.userID) }
        return .json(200, ["tokens": .array(tokens.map { Representation.token($0, current: $0.tokenHash == current) })] as JSONValue)
    }

    /// `POST /api/v1/tokens` with an optional `{"label": "…"}`: 201, the token with its secret.
    func issueToken(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let label = try Self.tokenLabel(request)
        let token = Self.newToken()
        let record = try await catalogWrite { conn -> TokenRecord in
            guard try conn.activeTokenCount(userID: user.userID) < Self.maxActiveTokens else {
                throw APIError.message(409, "You already have \(Self.maxActiveTokens) active tokens; revoke one first")
            }
            let id = try conn.insertToken(userID: user.userID, tokenHash: token.hash, label: label ?? "api")
            guard let record = try conn.findToken(id: id, userID: user.userID) else { throw Self.tokenNotFound }
            return record
        }
        return .json(201, Self.withSecret(record, token.token))
    }

    /// `DELETE /api/v1/tokens/{id}`: 200 with the revoked token; revoking it again changes nothing.
    func revokeToken(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let id = try pathID(params, "token_id", notFound: Self.tokenNotFound)
        let record = try await catalogWrite { conn -> TokenRecord in
            if let revoked = try conn.revokeToken(id: id, userID: user.userID) { return revoked }
            guard let existing = try conn.findToken(id: id, userID: user.userID) else { throw Self.tokenNotFound }
            return existing
        }
        auth.forget(tokenHashes: [record.tokenHash])
        return .json(200, Representation.token(record, current: record.tokenHash == Self.requestTokenHash(request)))
    }

    /// `POST /api/v1/tokens/{id}/regenerate`: revokes the token and issues a new one with the
    /// same label in one transaction; 201 with the new secret; 409 for a token already revoked.
    func regenerateToken(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let user = try await auth.authenticate(request)
        let id = try pathID(params, "token_id", notFound: Self.tokenNotFound)
        let token = Self.newToken()
        let (old, new) = try await catalogWrite { conn -> (TokenRecord, TokenRecord) in
            guard let old = try conn.revokeToken(id: id, userID: user.userID) else {
                guard try conn.findToken(id: id, userID: user.userID) != nil else { throw Self.tokenNotFound }
                throw APIError.message(409, "This token is already revoked; issue a new one with POST /api/v1/tokens")
            }
            let newID = try conn.insertToken(userID: user.userID, tokenHash: token.hash, label: old.label)
            guard let new = try conn.findToken(id: newID, userID: user.userID) else { throw Self.tokenNotFound }
            return (old, new)
        }
        auth.forget(tokenHashes: [old.tokenHash])
        return .json(201, Self.withSecret(new, token.token))
    }

    static func withSecret(_ record: TokenRecord, _ secret: String) -> JSONValue {
        var o = Representation.token(record).objectValue ?? [:]
        o["token"] = .string(secret)
        o["current"] = nil
        return .object(o)
    }

    static func requestTokenHash(_ request: HTTPRequest) -> [UInt8]? {
        Authenticator.token(of: request).map { Crypto.sha256(Array($0.utf8)) }
    }

    /// The optional `label` of a new token (an empty or absent body is fine).
    static func tokenLabel(_ request: HTTPRequest) throws -> String? {
        guard !request.body.isEmpty else { return nil }
        let body = try RequestBody(request)
        try body.onlyAllowed(["label"])
        guard let label = try body.optionalString("label") else { return nil }
        guard label.count <= 100 else { throw APIError.field("label", "is too long (maximum is 100 characters)") }
        return label
    }
}
