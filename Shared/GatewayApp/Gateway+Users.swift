import HTTPCore
import Storage
import Wire

/// The EOSC Users API (`users_swagger.json`): a user's roles, for the user themself or an admin.
extension Gateway {
    func addUsersRoutes(to r: inout Router) {
        r.add("GET", "/api/v1/users/:user_id") { req, p in try await showUser(req, p) }
    }

    /// How this system's roles read in the Users API's enum: the administrator is `admin`, the
    /// operations team (the mediator) `coordinator`, governance `executive`; other roles have no
    /// counterpart there and are not listed.
    static let eoscRoles: [(ours: String, eosc: String)] = [
        ("operator", "coordinator"), ("admin", "admin"), ("governance", "executive"),
    ]

    /// `GET /api/v1/users/{uid}`: `{uid, roles, providers, catalogues}`. Anyone else than the
    /// user or an admin gets the marketplace's `401 {"error": "Not authorized"}`.
    func showUser(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let caller = try await auth.authenticate(request)
        let uid = params["user_id"] ?? ""
        guard caller.uid == uid || caller.hasRole("admin") else { throw APIError.message(401, "Not authorized") }
        guard let user = try await db({ try $0.userRoles(uid: uid) }) else {
            let body: JSONValue = ["error": "User not found", "message": .string("User with uid '\(uid)' does not exist")]
            return .json(404, body)
        }
        let roles = Self.eoscRoles.filter { user.roles.contains($0.ours) }.map { JSONValue.string($0.eosc) }
        return .json(200, [
            "uid": .string(user.uid), "roles": .array(roles),
            "providers": .array(user.providers.map(JSONValue.string)),
            // This system has no catalogue administrators (a catalogue is a client of the APIs).
            "catalogues": .array([]),
        ] as JSONValue)
    }
}
