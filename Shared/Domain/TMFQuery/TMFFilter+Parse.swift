import Foundation

extension TMFFilter {
    /// Reads the filter of a TMF630 list request from its query items.
    ///
    /// `items` are the request's query items, already percent-decoded and split at the first
    /// `=`; names in `reserved` (`fields`, `offset`, `limit`, `sort`) are not attributes and are
    /// skipped. Accepted: `attr=v`, `a.b.c=v`, `attr.eq|ne|gt|gte|lt|lte|regex=v`, the symbolic
    /// forms as they arrive decoded (`attr>=v` is name `attr>`, `attr<=v` is `attr<`, `attr!=v`
    /// is `attr!`, `attr*=v` and `attr=~v` are regex, `attr>v` / `attr<v` with no `=` are a name
    /// holding the symbol and an empty value), `attr=a,b` and a repeated `attr=a&attr=b` for OR.
    /// With `knownRoots`, an attribute whose first element is not in it is refused, so a typo is
    /// a 400 rather than an empty list.
    public static func parse(
        _ items: [(name: String, value: String)], reserved: Set<String>, knownRoots: Set<String>? = nil
    ) throws(TMFQueryError) -> TMFFilter {
        try build(items.filter { !reserved.contains($0.name) }, knownRoots: knownRoots, owner: "ProductOrder")
    }

    /// Reads a hub listener's `query` (`eventType=ProductOrderStateChangeEvent&event.productOrder.state=completed`).
    ///
    /// The string is what the client registered, still percent-encoded: it is split at `&`, each
    /// part at its first `=`, and names and values are decoded (`%XX`, `+` for a space) before
    /// being read as ``parse(_:reserved:knownRoots:)`` reads query items, with no reserved names.
    /// A leading `?` is ignored; an empty query is a filter that matches every event.
    public static func parse(query: String, knownRoots: Set<String>? = nil) throws(TMFQueryError) -> TMFFilter {
        var items: [(name: String, value: String)] = []
        var text = Substring(query)
        if text.first == "?" { text = text.dropFirst() }
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let eq = part.firstIndex(of: "=") {
                name = part[..<eq]
                value = part[part.index(after: eq)...]
            } else {
                (name, value) = (part, "")
            }
            guard let decodedName = percentDecoded(name), let decodedValue = percentDecoded(value) else {
                throw TMFQueryError(field: "query", reason: "is not correctly percent-encoded: \(part)")
            }
            items.append((decodedName, decodedValue))
        }
        return try build(items, knownRoots: knownRoots, owner: "the event")
    }

    /// Parses every item and merges those of one attribute and operator into one condition.
    private static func build(
        _ items: [(name: String, value: String)], knownRoots: Set<String>?, owner: String
    ) throws(TMFQueryError) -> TMFFilter {
        var conditions: [Condition] = []
        var written: [String] = []
        for item in items {
            let term = try Term(name: item.name, value: item.value)
            if let roots = knownRoots, let root = term.path.first, !roots.contains(root) {
                throw TMFQueryError(field: term.attribute, reason: "is not an attribute of \(owner) that can be filtered")
            }
            if let i = conditions.firstIndex(where: { $0.path == term.path && $0.op == term.op }) {
                conditions[i].values += term.values
            } else {
                conditions.append(Condition(path: term.path, op: term.op, values: term.values))
                written.append(term.attribute)
            }
        }
        for (condition, attribute) in zip(conditions, written) {
            switch condition.op {
            case .gt, .gte, .lt, .lte:
                if condition.values.count > 1 {
                    throw TMFQueryError(field: attribute, reason: "can be compared with \(condition.op.rawValue) to only one value")
                }
            case .regex:
                for pattern in condition.values where (try? NSRegularExpression(pattern: pattern)) == nil {
                    throw TMFQueryError(field: attribute, reason: "is not a valid regular expression: \(pattern)")
                }
            default:
                break
            }
        }
        return TMFFilter(conditions: conditions)
    }
}

/// One query item read as attribute, operator and values, before merging.
private struct Term {
    var attribute: String
    var path: [String]
    var op: TMFFilter.Op
    var values: [String]

    init(name: String, value: String) throws(TMFQueryError) {
        var attribute = name
        var op = TMFFilter.Op.eq
        var text = value
        if let (before, symbolOp, after) = Self.inlineSymbol(in: name) {
            // `attr>v` or `attr%3E%3Dv`: no `=` split the pair, so the name holds operator and value.
            (attribute, op) = (before, symbolOp)
            text = value.isEmpty ? after : after + "=" + value
        } else if let last = name.last, let symbolOp = Self.suffixSymbols[last] {
            (attribute, op) = (String(name.dropLast()), symbolOp)
        } else if let dot = name.lastIndex(of: "."), let dotted = TMFFilter.Op(rawValue: String(name[name.index(after: dot)...])) {
            (attribute, op) = (String(name[..<dot]), dotted)
        }
        if op == .eq, text.hasPrefix("~") {
            op = .regex
            text.removeFirst()
        }
        guard !attribute.isEmpty else {
            throw TMFQueryError(field: name, reason: "a filter needs an attribute name")
        }
        let path = attribute.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.contains(where: \.isEmpty) else {
            throw TMFQueryError(field: attribute, reason: "has an empty attribute name between its dots")
        }
        // A regular expression keeps its commas (`a{1,3}`); it has `|` for alternatives.
        let values = op == .regex ? [text] : text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !values.contains(where: \.isEmpty) else {
            throw TMFQueryError(field: attribute, reason: values.count > 1 ? "has an empty value in its list" : "needs a value to compare with")
        }
        self.attribute = attribute
        self.path = path
        self.op = op
        self.values = values
    }

    /// `attr=v` forms whose `=` was the operator's: `attr>` is `>=`, `attr<` is `<=`, `attr!` is
    /// `!=`, `attr*` is `*=` (regex).
    private static let suffixSymbols: [Character: TMFFilter.Op] = [">": .gte, "<": .lte, "!": .ne, "*": .regex]

    /// A `>` or `<` inside the name (not at its end), optionally followed by `=`, or a `!=`:
    /// the attribute before it, the operator, and the text after it.
    private static func inlineSymbol(in name: String) -> (String, TMFFilter.Op, String)? {
        guard let i = name.firstIndex(where: { $0 == ">" || $0 == "<" || $0 == "!" }) else { return nil }
        let next = name.index(after: i)
        let withEquals = next < name.endIndex && name[next] == "="
        let symbol = name[i]
        if symbol == "!" && !withEquals { return nil }
        let rest = withEquals ? name.index(after: next) : next
        guard rest < name.endIndex else { return nil }
        let op: TMFFilter.Op
        switch (symbol, withEquals) {
        case (">", false): op = .gt
        case (">", true): op = .gte
        case ("<", false): op = .lt
        case ("<", true): op = .lte
        default: op = .ne
        }
        return (String(name[..<i]), op, String(name[rest...]))
    }
}

/// Decodes `%XX` escapes and `+` (a space in form encoding); `nil` for a broken escape or bytes
/// that are not UTF-8, which the caller reports instead of guessing.
private func percentDecoded(_ text: Substring) -> String? {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
        switch byte {
        case UInt8(ascii: "+"):
            bytes.append(UInt8(ascii: " "))
        case UInt8(ascii: "%"):
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        default:
            bytes.append(byte)
        }
    }
    return String(validating: bytes, as: UTF8.self)
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
