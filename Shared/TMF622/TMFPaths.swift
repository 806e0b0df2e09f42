/// Where the TMF622 resources live, so hrefs agree between the gateway's answers and the
/// processor's hub events.
public enum TMFPaths {
    public static let base = "/tmf-api/productOrderingManagement/v4"

    public static func productOrder(_ publicURL: String, _ id: String) -> String { "\(publicURL)\(base)/productOrder/\(id)" }
    public static func cancelProductOrder(_ publicURL: String, _ id: String) -> String {
        "\(publicURL)\(base)/cancelProductOrder/\(id)"
    }
    public static func hub(_ publicURL: String, _ id: String) -> String { "\(publicURL)\(base)/hub/\(id)" }
}

/// A catalogue reference as a TMF client names it in `productOffering.id`: an offer is
/// `<resource>/<offer id>` (the form EOSC bundles already use), a bundle `<resource>/bundles/<bundle id>`.
/// The resource may be its slug, numeric id or PID (a PID may itself contain `/`, so the
/// reference is read from the right).
public enum OfferingReference: Sendable, Hashable {
    case offer(resource: String, iid: Int64)
    case bundle(resource: String, iid: Int64)

    public init?(_ text: String) {
        guard let slash = text.lastIndex(of: "/") else { return nil }
        let head = String(text[..<slash]), tail = text[text.index(after: slash)...]
        guard !tail.isEmpty, tail.allSatisfy({ $0 >= "0" && $0 <= "9" }), let iid = Int64(tail), iid > 0 else { return nil }
        if head.hasSuffix("/bundles") {
            let resource = String(head.dropLast("/bundles".count))
            guard !resource.isEmpty else { return nil }
            self = .bundle(resource: resource, iid: iid)
        } else {
            guard !head.isEmpty else { return nil }
            self = .offer(resource: head, iid: iid)
        }
    }

    /// The canonical text for an offer of a resource with this slug.
    public static func offer(slug: String, iid: Int64) -> String { "\(slug)/\(iid)" }
    public static func bundle(slug: String, iid: Int64) -> String { "\(slug)/bundles/\(iid)" }
}
