/// How an offer is obtained (EOSC `order_type`), which decides whether this system passes the
/// order to a provider at all.
public enum OrderType: String, CaseIterable, Hashable, Sendable, Codable {
    /// Open access: the user just uses the service.
    case openAccess = "open_access"
    /// Open access without even a login.
    case fullyOpenAccess = "fully_open_access"
    /// The provider must act on an order.
    case orderRequired = "order_required"
    /// Anything else the provider describes.
    case other

    /// Whether an order for an offer of this type is handled by this system and its OMSes:
    /// only `order_required` offers that are `internal` (otherwise the user orders at the
    /// provider's `order_url`, or needs no order).
    public func isOrderableThroughSystem(internal isInternal: Bool) -> Bool {
        self == .orderRequired && isInternal
    }
}

extension ProjectItemStatus {
    /// The status a new project item starts in (research §8): `created/created` when the system
    /// orders it from the provider, `ready/ready` when there is nothing for a provider to do
    /// here (open access, or ordered externally at the offer's `order_url`).
    public static func initial(orderType: OrderType, internal isInternal: Bool) -> ProjectItemStatus {
        orderType.isOrderableThroughSystem(internal: isInternal) ? .created : .ready
    }
}
