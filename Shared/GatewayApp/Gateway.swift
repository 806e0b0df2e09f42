import HTTPCore
import Observability
import PostgresClient
import ServiceRuntime
import Storage
import TMF622
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
        // TMF622 paths answer in TMF's Error shape, every other path in the EOSC one.
        let isTMF: @Sendable (HTTPRequest) -> Bool = { $0.path.hasPrefix(TMFPaths.base + "/") || $0.path == TMFPaths.base }
        var r = Router(
            notFound: { request in
                isTMF(request) ? TMFError(404, "notFound", "No resource at \(request.path)").response
                               : APIError.message(404, "Not found").response
            },
            methodNotAllowed: { request, allowed in
                var response = isTMF(request)
                    ? TMFError(405, "methodNotAllowed", "\(request.method) is not defined on \(request.path); allowed: \(allowed.joined(separator: ", "))").response
                    : APIError.message(405, "Method not allowed").response
                response.headers["Allow"] = allowed.joined(separator: ", ")
                return response
            },
            internalError: { [logger] request, error in
                logger.error("unhandled error", ["path": .string(request.path), "error": .string(String(describing: error))])
                return isTMF(request) ? TMFError(500, "internalError", "Internal server error").response
                                      : APIError.message(500, "Internal server error").response
            })
        health.addRoutes(to: &r)
        addUserRoutes(to: &r)
        addOMSRoutes(to: &r)
        addOfferingRoutes(to: &r)
        addBundleRoutes(to: &r)
        addOMSAdminRoutes(to: &r)
        addTokenRoutes(to: &r)
        addDocumentRoutes(to: &r)
        addSpecRoutes(to: &r)
        addMessageRoutes(to: &r)
        addUsersRoutes(to: &r)
        addTMFRoutes(to: &r)
        return r
    }

    /// Runs `body` with a pooled connection, turning database outages into 503.
    ///
    /// The gateway's statements are reads (or idempotent notes such as an OMS's last poll), so
    /// one that fails because its pooled connection turned out closed (a database restart the
    /// pool had not noticed yet) is run once more on a fresh connection before giving up.
    func db<T: Sendable>(_ body: @escaping @Sendable (isolated PostgresConnection) throws -> T) async throws -> T {
        try await pool.withIdempotentRetry { conn in try await conn.run(body) }
    }
}

extension PostgresConnection {
    /// Runs a synchronous body on the connection's thread (several statements, one actor hop).
    func run<T: Sendable>(_ body: @Sendable (isolated PostgresConnection) throws -> T) throws -> T { try body(self) }
}

extension PostgresPool {
    /// Runs idempotent database work, retrying once when the connection was found closed;
    /// outages become 503 in the EOSC error shape.
    func withIdempotentRetry<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await withConnection(body)
        } catch let error as PostgresError where error.code == .connectionClosed {
            do {
                return try await withConnection(body)
            } catch let error as PostgresError where error.isTransient {
                throw APIError.unavailable
            }
        } catch let error as PostgresError where error.isTransient {
            throw APIError.unavailable
        }
    }
}
