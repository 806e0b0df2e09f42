import Foundation

/// Management-API actions on a test's vhost that simulate broker-side failures: closing the
/// connections a service holds, and refusing new ones for a while (an outage that keeps queues).
extension TestBroker {
    /// The names of the client connections open in this vhost, as the management API lists them.
    public func connectionNames() async throws -> [String] {
        try await connections().map(\.name)
    }

    /// The names of the queues in this vhost (the management API lists new queues at once).
    public func queueNames() async throws -> [String] {
        let data = try await Self.management("GET", "/api/queues/\(Self.encode(vhost))", body: nil)
        let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return list.compactMap { $0["name"] as? String }
    }

    /// Closes one connection from the broker side (the client reads `connection.close`, 320).
    /// A connection that is already gone is not an error.
    public func closeConnection(_ name: String) async throws {
        do {
            try await Self.management("DELETE", "/api/connections/\(Self.encode(name))", body: nil)
        } catch let error as TestSupportError where error.description.contains("answered 404") {
            return
        }
    }

    /// Waits until the management API lists a connection not in `known` and returns its name.
    /// The management API learns of new connections with a short delay.
    public func newConnection(besides known: Set<String>, timeout: Duration = .seconds(10)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let name = try await connectionNames().first(where: { !known.contains($0) }) { return name }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError("no new connection in vhost \(vhost) within \(timeout)")
    }

    /// Creates this vhost again after ``delete()`` (empty: no queues, no exchanges), with guest's
    /// permissions. Delete then recreate is a broker outage that closes every connection at once.
    public func recreate() async throws {
        try await Self.management("PUT", "/api/vhosts/\(Self.encode(vhost))", body: nil)
        try await grantAccess()
    }

    /// Takes guest's permissions on this vhost away: new connections are refused at
    /// `connection.open`, while queues and their messages stay. Open channels keep a cache of
    /// the checks they already passed, so this does not stop a connection that is already working.
    public func revokeAccess() async throws {
        try await Self.management("DELETE", "/api/permissions/\(Self.encode(vhost))/guest", body: nil)
    }

    /// Gives guest its permissions on this vhost back (the end of the outage).
    public func grantAccess() async throws {
        try await Self.management("PUT", "/api/permissions/\(Self.encode(vhost))/guest",
                                  body: #"{"configure":".*","write":".*","read":".*"}"#)
    }
}
