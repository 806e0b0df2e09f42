/// The Offering API's offer rules that are not about OMSes or parameters (research §3).
public enum OfferRules {
    /// The EOSC `offer_category` vocabulary (`offer_definitions.json`).
    public static let categories = [
        "service_category-compute", "service_category-data_source", "service_category-storage",
        "service_category-training", "service_category-other",
    ]

    /// The marketplace's rule tying offers to their service's `order_type`: at least one
    /// published offer must have the service's order type. So an offer may differ from the
    /// service only when another published offer (`otherPublished`, this one excluded) has it.
    /// - Returns: the `order_type` error, or `nil` when the offer may be saved.
    public static func orderTypeProblem(offer: OrderType, service: OrderType, otherPublished: [OrderType]) -> String? {
        guard offer != service, !otherPublished.contains(service) else { return nil }
        return "must be the same as in the service: \(service.rawValue)"
    }

    /// Whether `text` is an absolute http(s) URL with a host and no spaces (the marketplace's
    /// `mp_url` rule for `order_url` and OMS trigger URLs).
    public static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") { rest = lower.dropFirst(8) } else if lower.hasPrefix("http://") { rest = lower.dropFirst(7) } else { return false }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !host.hasPrefix(":") && !text.contains { $0.isWhitespace }
    }
}
