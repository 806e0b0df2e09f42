public import Wire

/// The order of a TMF list (`?sort=-orderDate,id`), as TM Forum's reference implementation reads it.
///
/// Paging with `offset`/`limit` is only stable when the order is, so a list sorts by these keys
/// with the same value comparison as filters: date-times by instant (not by their text, which
/// varies with the offset written), numbers numerically, and documents missing a key last.
public struct TMFSort: Sendable, Hashable {
    /// The keys, most significant first.
    public var keys: [Key]

    /// One sort key: an attribute path and its direction.
    public struct Key: Sendable, Hashable {
        /// The dotted path split at the dots; an array on the way sorts by its first value.
        public var path: [String]
        /// `-name`: largest first.
        public var descending: Bool

        /// A key on `path`, ascending unless `descending`.
        public init(path: [String], descending: Bool = false) {
            self.path = path
            self.descending = descending
        }
    }

    /// A sort by `keys`, most significant first.
    public init(keys: [Key]) {
        self.keys = keys
    }

    /// The sort of a `sort` parameter, or `nil` when it is absent (the caller's own order).
    ///
    /// A comma list of attribute names, each optionally prefixed by `-` (descending) or `+`
    /// (ascending; a `+` that arrived as a space after form decoding is accepted too). An empty
    /// list or name is refused with field `sort`.
    public static func parse(_ value: String?) throws(TMFQueryError) -> TMFSort? {
        guard let value else { return nil }
        var keys: [Key] = []
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            var name = part.drop(while: \.isWhitespace)
            while name.last?.isWhitespace == true { name = name.dropLast() }
            var descending = false
            if name.first == "-" || name.first == "+" {
                descending = name.first == "-"
                name = name.dropFirst()
            }
            let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.contains(where: \.isEmpty) else {
                throw TMFQueryError(field: "sort", reason: value.isEmpty ? "needs at least one attribute name" : "has an empty attribute name in \(value)")
            }
            keys.append(Key(path: path, descending: descending))
        }
        return TMFSort(keys: keys)
    }

    /// Whether `a` sorts before `b`: a strict weak order for `sorted(by:)`.
    ///
    /// The first key on which they differ decides; a document missing a key (or holding `null`)
    /// comes after one that has it, whichever the direction.
    public func areInIncreasingOrder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        for key in keys {
            let va = a.values(at: key.path).first { $0 != .null }
            let vb = b.values(at: key.path).first { $0 != .null }
            switch (va, vb) {
            case (nil, nil):
                continue
            case (nil, _?):
                return false
            case (_?, nil):
                return true
            case (let x?, let y?):
                let order = TMFValueOrder.order(x, y)
                if order != 0 { return key.descending ? order > 0 : order < 0 }
            }
        }
        return false
    }
}
