public import Wire

/// TMF630 attribute selection (`?fields=state,orderDate`): a partial representation of a resource.
///
/// Clients ask for only the attributes they read so lists of large orders stay small; `id`,
/// `href` and `@type` always come back, as TM Forum's reference implementation does, so a partial
/// resource can still be identified and fetched whole.
public enum TMFFields {
    /// The selected attribute names of a `fields` parameter, or `nil` when it is absent (everything).
    ///
    /// A comma list with blanks around names allowed. `fields=none` selects nothing beyond the
    /// always-kept attributes (an empty set). An empty list or an empty name is refused with field
    /// `fields` rather than read as "everything", which would hide the client's mistake.
    public static func parse(_ value: String?) throws(TMFQueryError) -> Set<String>? {
        guard let value else { return nil }
        let names = value.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)
        if names.count == 1 && names[0].isEmpty {
            throw TMFQueryError(field: "fields", reason: "needs at least one attribute name")
        }
        if names.contains(where: \.isEmpty) {
            throw TMFQueryError(field: "fields", reason: "has an empty attribute name in its list")
        }
        if names.count == 1 && names[0] == "none" { return [] }
        for name in names where name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            throw TMFQueryError(field: "fields", reason: "has an empty attribute name between the dots of \(name)")
        }
        return Set(names)
    }

    /// `document` reduced to the selected attributes plus `alwaysKept`; unchanged when `fields` is nil.
    ///
    /// A dotted name (`productOrderItem.state`) keeps that sub-attribute, and the `id` beside it,
    /// inside the object or each element of the array the first name holds, so a client can read
    /// the states of all items without their products. An array document (a list) is reduced
    /// element by element.
    public static func select(_ document: JSONValue, fields: Set<String>?, alwaysKept: Set<String> = ["id", "href", "@type"]) -> JSONValue {
        guard let fields else { return document }
        switch document {
        case .array(let elements):
            return .array(elements.map { select($0, fields: fields, alwaysKept: alwaysKept) })
        case .object(let members):
            var whole = alwaysKept
            var nested: [String: Set<String>] = [:]
            for name in fields {
                if let dot = name.firstIndex(of: ".") {
                    nested[String(name[..<dot]), default: []].insert(String(name[name.index(after: dot)...]))
                } else {
                    whole.insert(name)
                }
            }
            var kept: [String: JSONValue] = [:]
            for (key, value) in members {
                if whole.contains(key) {
                    kept[key] = value
                } else if let inner = nested[key], let reduced = reduce(value, to: inner) {
                    kept[key] = reduced
                }
            }
            return .object(kept)
        default:
            return document
        }
    }

    /// The sub-attributes `inner` of an object or of each object in an array, with its `id`;
    /// `nil` when the value has no sub-attributes to select from.
    private static func reduce(_ value: JSONValue, to inner: Set<String>) -> JSONValue? {
        switch value {
        case .object:
            return select(value, fields: inner, alwaysKept: ["id"])
        case .array(let elements):
            return .array(elements.compactMap { reduce($0, to: inner) })
        default:
            return nil
        }
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
