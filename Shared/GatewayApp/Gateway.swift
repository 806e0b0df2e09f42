import HTTPCore
import Observability
import PostgresClient
import ServiceRuntime
import Storage
import Wire

/// The gateway's endpoints and what they share. Endpoints are plain functions from a request
/// value to a response value, so they are tested without sockets.
struct Gateway: Sendable {
    let pool: PostgresPool
    let auth: Authenticator
    let commands: CommandGateway
    let logger: Logger
    let catalog = CatalogCache()

    /// All routes of the gateway, including health and metrics.
    func router(health: HealthEndpoints) -> Router {
        var r = Router(
            notFound: { _ in APIError.message(404, "Not found").response },
            methodNotAllowed: { _, allowed in
                var response = APIError.message(405, "Method not allowed").response
                response.headers["Allow"] = allowed.joined(separator: ", ")
                return response
            },
            internalError: { [logger] request, error in
                logger.error("unhandled error", ["path": .string(request.path), "error": .string(String(describing: error))])
                return APIError.message(500, "Internal server error").response
            })
        health.addRoutes(to: &r)
        addUserRoutes(to: &r)
        addOMSRoutes(to: &r)
        return r
    }

    /// Runs `body` with a pooled connection, turning database outages into 503.
    func db<T: Sendable>(_ body: @escaping @Sendable (isolated PostgresConnection) throws -> T) async throws -> T {
        do {
            return try await pool.withConnection { conn in try await conn.run(body) }
        } catch let error as PostgresError where error.isTransient {
            throw APIError.unavailable
        }
    }
}

extension PostgresConnection {
    /// Runs a synchronous body on the connection's thread (several statements, one actor hop).
    func run<T: Sendable>(_ body: @Sendable (isolated PostgresConnection) throws -> T) throws -> T { try body(self) }
}
