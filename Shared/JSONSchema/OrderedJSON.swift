public import Wire

/// JSON that keeps the order of object members as written.
///
/// The Ruby json-schema gem checks a schema's keywords, `properties` and `required` in the order
/// the schema file lists them, and reports the first failure; which failure comes first is part
/// of the message a client sees. `JSONValue` holds objects in a dictionary, so schema documents
/// are read into this type instead. It also tells `1` from `1.0`, as Ruby does.
public enum OrderedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([OrderedJSON])
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable {
        public let key: String
        public let value: OrderedJSON

        public init(_ key: String, _ value: OrderedJSON) {
            self.key = key
            self.value = value
        }
    }

    /// The value of the first member named `key` when this is an object.
    public subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The members in document order, or `nil` when this is not an object.
    public var members: [Member]? {
        if case .object(let m) = self { return m }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var arrayValue: [OrderedJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The same JSON as a `JSONValue` (member order is lost).
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.jsonValue))
        case .object(let m):
            var o: [String: JSONValue] = [:]
            for member in m { o[member.key] = member.value.jsonValue }
            return .object(o)
        }
    }

    /// Parses a complete JSON text (RFC 8259; a later duplicate key replaces the earlier value
    /// in place, as Ruby's `JSON.parse` keeps the first position and the last value).
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> OrderedJSON {
        var parser = OrderedJSONParser(Array(bytes))
        return try parser.parseDocument()
    }

    /// Parses JSON text given as a string.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> OrderedJSON {
        try parse(Array(text.utf8))
    }
}

/// Malformed JSON text, with the byte offset where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
