/// TMF630 pagination (`?offset=20&limit=10`) read and bounded in one place.
///
/// The gateway caps a page so one request cannot load every order into memory; TMF630 allows
/// that when the total is reported in `X-Total-Count`. A value the client wrote wrongly (not an
/// integer, negative, over the cap) is a 400 naming the parameter, never silently corrected, so
/// a client paging through a list does not skip or repeat orders without knowing.
public enum TMFPaging {
    /// The 0-based index of the first item and the page size.
    ///
    /// `offset` defaults to 0 and must be an integer ≥ 0; `limit` defaults to `defaultLimit` and
    /// must be an integer from 1 to `maxLimit`.
    public static func parse(offset: String?, limit: String?, defaultLimit: Int, maxLimit: Int) throws(TMFQueryError) -> (offset: Int, limit: Int) {
        var first = 0
        if let offset {
            guard let value = decimal(offset), value >= 0 else {
                throw TMFQueryError(field: "offset", reason: "must be an integer of 0 or more")
            }
            first = value
        }
        var size = defaultLimit
        if let limit {
            guard let value = decimal(limit), value >= 1 else {
                throw TMFQueryError(field: "limit", reason: "must be an integer from 1 to \(maxLimit)")
            }
            guard value <= maxLimit else {
                throw TMFQueryError(field: "limit", reason: "must not be more than \(maxLimit), the maximum page size")
            }
            size = value
        }
        return (first, size)
    }

    /// Decimal digits with an optional `-`; no blanks, `+` or exponent. Too many digits for an
    /// `Int` saturate, so `limit=99999999999999999999` is "over the maximum", not "not a number".
    private static func decimal(_ text: String) -> Int? {
        let digits = text.first == "-" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text) ?? (text.first == "-" ? Int.min : Int.max)
    }
}
