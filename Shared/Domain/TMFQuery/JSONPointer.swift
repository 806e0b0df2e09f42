import Wire

/// An RFC 6901 JSON Pointer (`/productOrderItem/0/quantity`) split into reference tokens, for
/// ``JSONPatch``.
struct JSONPointer: Hashable {
    /// The unescaped tokens; empty for the whole document (`""`).
    var tokens: [String]
    /// The pointer as written, for error messages.
    var text: String

    /// Parses `text`; `nil` unless it is empty or starts with `/` and every `~` is `~0` or `~1`.
    init?(_ text: String) {
        self.text = text
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.first == "/" else { return nil }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var escaping = false
            for c in raw {
                if escaping {
                    guard c == "0" || c == "1" else { return nil }
                    token.append(c == "0" ? "~" : "/")
                    escaping = false
                } else if c == "~" {
                    escaping = true
                } else {
                    token.append(c)
                }
            }
            guard !escaping else { return nil }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// Whether `other` points strictly inside the value this pointer points at.
    func isProperPrefix(of other: JSONPointer) -> Bool {
        tokens.count < other.tokens.count && Array(other.tokens.prefix(tokens.count)) == tokens
    }

    /// The array index a token names: `0` or digits without a leading zero. `-` and anything
    /// else (`01`, `+1`, `1e0`) is not an index.
    static func index(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ (48...57).contains($0) }),
              token == "0" || token.first != "0" else { return nil }
        return Int(token)
    }

    /// The value this pointer names in `document`, or `nil` when there is none.
    func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let member = members[token] else { return nil }
                current = member
            case .array(let elements):
                guard let i = Self.index(token), i < elements.count else { return nil }
                current = elements[i]
            default:
                return nil
            }
        }
        return current
    }
}

extension JSONValue {
    /// JSON equality as RFC 6902 `test` defines it: numbers by value (`1` equals `1.0`), objects
    /// regardless of member order, arrays element by element.
    func jsonEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Int64(exactly: b) == a
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.jsonEquals($1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { value.jsonEquals($0) } ?? false }
        default:
            return self == other
        }
    }
}
