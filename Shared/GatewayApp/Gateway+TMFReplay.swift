import Contracts
import HTTPCore
import PostgresClient
import Storage
import TMF622
import Wire

extension Gateway {
    /// The command header of a TMF request (the request id from the client's `Idempotency-Key`).
    static func commandHeader(_ request: HTTPRequest, _ caller: TMFCaller) -> CommandHeader {
        let user = AuthContext(userID: caller.userID, uid: "", email: "", firstName: "", lastName: "", roles: caller.roles,
                               omsIDs: [], providerIDs: caller.providerIDs)
        return CommandGateway.header(for: request, user: user)
    }

    /// A retry (same `Idempotency-Key`, same body) of a TMF command already handled gets its first
    /// outcome, before any check against the order as it is now (which may have moved on because
    /// of that very command: a PATCH's `test`, a cancellation that made the order final). The same
    /// key with another body is a 422. `nil` when there is nothing to replay.
    func tmfReplay(_ request: HTTPRequest, _ header: CommandHeader,
                   render: @Sendable (CommandReply) throws -> HTTPResponse) async throws -> HTTPResponse? {
        guard request.header("Idempotency-Key") != nil else { return nil }
        let id = header.requestID
        let stored = try await db { conn -> (String, String)? in
            guard let row = try conn.query("SELECT body_hash, result FROM requests WHERE request_id = \(id)").first else {
                return nil
            }
            return (try row.string("body_hash"), try row.string("result"))
        }
        guard let (hash, result) = stored else { return nil }
        guard hash == header.bodyHash else {
            throw TMFError(422, "idempotencyKeyReused", "This Idempotency-Key was already used with a different request body")
        }
        return try CommandGateway.respond(try WireFormat.decode(CommandReply.self, from: result), render: render)
    }
}
