public import Contracts

/// Who may do what with a TMF622 order. The customer (the order's user) reads, changes and
/// cancels it; data administrators of a provider with an item in it read it (the provider side
/// of the PSS "View" operations; providers change orders through their OMS and the Ordering
/// API); operators, governance and admins read every order; only admins delete.
public struct TMFCaller: Sendable, Hashable {
    public var userID: Int64
    public var roles: [String]
    public var providerIDs: [Int64]

    public init(userID: Int64, roles: [String], providerIDs: [Int64]) {
        self.userID = userID
        self.roles = roles
        self.providerIDs = providerIDs
    }

    /// Operators (the back office), governance and admins see every order.
    public var seesAll: Bool { roles.contains("operator") || roles.contains("governance") || roles.contains("admin") }
    public var isAdmin: Bool { roles.contains("admin") }

    public func canRead(_ order: OrderRecord) -> Bool {
        seesAll || order.userID == userID || order.items.contains { providerIDs.contains($0.providerID) }
    }

    /// Changing or cancelling an order is the customer's (and an admin's, for support).
    public func canChange(_ order: OrderRecord) -> Bool { order.userID == userID || isAdmin }

    public init(listener: HubListenerRecord) {
        self.init(userID: listener.userID, roles: listener.ownerRoles, providerIDs: listener.ownerProviderIDs)
    }
}
