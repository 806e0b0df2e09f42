import AMQPClient
import Contracts
import CryptoClient
import Foundation
import HTTPCore
import Messaging
import Storage
import Wire

/// Sends a command to the processor and turns the outcome into an HTTP response.
///
/// The command is published persistently with a confirm before we wait: once `send` returns,
/// the order will exist whatever happens to this process or the processor. With no reply
/// within the timeout, the client gets 202 and a `Location` that answers once it is done.
final class CommandGateway: Sendable {
    let rpc: RPCClient
    let timeout: Duration
    let publicURL: String

    init(rpc: RPCClient, timeout: Duration, publicURL: String) {
        self.rpc = rpc
        self.timeout = timeout
        self.publicURL = publicURL
    }

    /// The command header for a request: the request id comes from the client's
    /// `Idempotency-Key` (scoped to the caller) when it sends one, so a retry is the same request.
    static func header(for request: HTTPRequest, user: AuthContext) -> CommandHeader {
        let requestID: UUID
        if let key = request.header("Idempotency-Key")?.trimmingSpaces(), !key.isEmpty {
            requestID = Crypto.uuid(namespace: "oms.request.user.\(user.userID)", name: key)
        } else {
            requestID = UUID()
        }
        let hash = Crypto.sha256Hex(request.method + " " + request.path + "\n" + String(decoding: request.body, as: UTF8.self))
        return CommandHeader(requestID: requestID, userID: user.userID, bodyHash: hash)
    }

    /// Sends `command` and renders the reply with `render`, or answers 202.
    func send(_ command: some Encodable & Sendable, type: String, header: CommandHeader,
              render: @Sendable (CommandReply) throws -> HTTPResponse) async throws -> HTTPResponse {
        let message = try Envelope.message(exchange: Topology.commandsExchange, routingKey: Topology.processorRoutingKey,
                                           type: type, body: command, correlationID: UUID().uuidString.lowercased())
        let outcome: RPCClient.Outcome
        do {
            outcome = try await rpc.call(message, timeout: timeout)
        } catch {
            throw APIError.unavailable
        }
        switch outcome {
        case .accepted:
            return accepted(header.requestID)
        case .reply(let delivery):
            guard let reply = try? Envelope.decode(CommandReply.self, from: delivery) else { return accepted(header.requestID) }
            return try Self.respond(reply, render: render)
        }
    }

    /// A success reply through `render`, an error reply as an EOSC error body.
    static func respond(_ reply: CommandReply, render: (CommandReply) throws -> HTTPResponse) throws -> HTTPResponse {
        if let error = reply.error, reply.status >= 400 {
            if let field = error.field, reply.status == 400 || reply.status == 422 {
                throw APIError.fields(reply.status, [field: [error.message]])
            }
            throw APIError.message(reply.status, error.message)
        }
        return try render(reply)
    }

    func accepted(_ requestID: UUID) -> HTTPResponse {
        let id = requestID.uuidString.lowercased()
        let location = "\(publicURL)/api/v1/requests/\(id)"
        return .json(202, ["request_id": .string(id), "status": "pending", "location": .string(location)] as JSONValue,
                     headers: ["Location": location])
    }
}
