/// A query parameter of a TMF630 request (filter, `fields`, `sort`, `offset`, `limit`) or a hub
/// listener's `query` that cannot be read.
///
/// TMF630 wants bad query input answered with 400 naming what is wrong, never ignored and never a
/// 500, so every parser here throws this one shape: the gateway maps it to TMF's error body and a
/// hub registration to its 400 without knowing which parser failed.
public struct TMFQueryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The parameter or attribute as the client wrote it (`state`, `orderDate`, `fields`, `limit`).
    public var field: String
    /// What is wrong with it, phrased to follow the field name: `limit` "must not be more than 1000".
    public var reason: String

    /// Makes an error for `field`; `reason` reads as the rest of a sentence that starts with it.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `field reason`, e.g. `limit must not be more than 1000`, for logs and TMF's `reason`.
    public var description: String { field.isEmpty ? reason : "\(field) \(reason)" }
}
