/// A reference to an offer of any resource, written `"<resource slug>/<offer id>"` as the
/// marketplace writes `bundled_offers`.
public struct OfferReference: Hashable, Sendable, CustomStringConvertible {
    /// The resource's slug (or numeric id).
    public var resource: String
    /// The offer's per-resource id.
    public var iid: Int64

    /// Builds a reference.
    public init(resource: String, iid: Int64) {
        self.resource = resource
        self.iid = iid
    }

    /// Parses `"slug/3"`; `nil` unless there are exactly two non-empty parts and a positive id.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let iid = Int64(parts[1]), iid > 0 else { return nil }
        self.init(resource: String(parts[0]), iid: iid)
    }

    /// `slug/3`.
    public var description: String { "\(resource)/\(iid)" }
}

/// The composition rules of a bundle (this system's bundle write API; the marketplace has
/// none): a main offer of the bundle's resource plus at least one other offer, each once.
public enum BundleRules {
    /// Problems of the `offers` list that need no database: each entry a `"<slug>/<id>"`
    /// string, at least one, no repeats, and not the main offer (given as its reference,
    /// when known). Existence and publication are checked against the catalogue afterwards.
    /// - Returns: the parsed references (valid ones only) and the `offers` errors.
    public static func parseOffers(_ entries: [String], main: OfferReference?) -> ([OfferReference], FieldErrors) {
        var errors = FieldErrors()
        var references: [OfferReference] = []
        if entries.isEmpty { errors.add("offers", "are required. Please add at least one") }
        var seen: Set<OfferReference> = []
        for entry in entries {
            guard let reference = OfferReference(parsing: entry) else {
                errors.add("offers", "\"\(entry)\" must be written \"<resource id>/<offer id>\"")
                continue
            }
            if reference == main {
                errors.add("offers", "\"\(entry)\" is the main offer; list only the offers bundled with it")
            } else if !seen.insert(reference).inserted {
                errors.add("offers", "\"\(entry)\" is listed more than once")
            } else {
                references.append(reference)
            }
        }
        return (references, errors)
    }
}
