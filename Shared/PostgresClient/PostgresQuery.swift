public import Foundation

/// SQL text with `$n` placeholders and their values, built by string interpolation.
///
/// Modelled on postgres-nio's `PostgresQuery`: every interpolated value becomes a bind
/// parameter, never text in the statement, so the easy way to write a query is the safe one:
///
///     let q: PostgresQuery = "SELECT * FROM users WHERE email = \(email)"
///     // sql: "SELECT * FROM users WHERE email = $1", binds: [email]
///
/// Raw SQL that must be spliced (an identifier known at compile time) goes through
/// `init(unsafeSQL:)`, which stands out in review.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var sql: String
    public private(set) var binds: [String?]

    /// A statement with no parameters, or with `$n` placeholders and explicit binds.
    public init(unsafeSQL sql: String, binds: [String?] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        sql = value
        binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        binds = stringInterpolation.binds
    }

    public var description: String { sql }

    /// Builds the SQL and binds of an interpolated query.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql = ""
        var binds: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) { sql += literal }

        /// Appends a value as the next `$n` parameter.
        public mutating func appendInterpolation(_ value: some PostgresBindable) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
        }

        /// Appends an optional value; `nil` binds SQL NULL. (A separate overload so the compiler
        /// does not warn about interpolating an optional.)
        public mutating func appendInterpolation<T: PostgresBindable>(_ value: T?) {
            binds.append(value?.postgresText)
            sql += "$\(binds.count)"
        }

        /// Splices raw SQL. Only for identifiers and fragments written in the code, never input.
        public mutating func appendInterpolation(unsafeRaw fragment: String) { sql += fragment }
    }
}

/// A Swift value that can be sent as a PostgreSQL text-format parameter.
///
/// Values are sent as text and typed by the server from context; add a cast in the SQL
/// (`$1::jsonb`, `$1::uuid[]`) where the context is ambiguous.
public protocol PostgresBindable: Sendable {
    /// The value in PostgreSQL's text input format, or `nil` for NULL.
    var postgresText: String? { get }
}

extension String: PostgresBindable { public var postgresText: String? { self } }
extension Substring: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int64: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int32: PostgresBindable { public var postgresText: String? { String(self) } }
extension Bool: PostgresBindable { public var postgresText: String? { self ? "true" : "false" } }
extension Double: PostgresBindable { public var postgresText: String? { String(self) } }
extension UUID: PostgresBindable { public var postgresText: String? { uuidString.lowercased() } }

/// `nil` binds SQL NULL (and is `NULL` inside an array literal).
extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String? { self?.postgresText }
}

extension Array: PostgresBindable where Element: PostgresBindable {
    /// A PostgreSQL array literal (`{"a","b"}`), every element quoted and escaped.
    ///
    /// Built in one pass over UTF-8: outbox batches bind arrays of whole JSON documents, and
    /// Foundation's `replacingOccurrences` made this the processor's hottest function.
    public var postgresText: String? {
        var out: [UInt8] = [123]  // {
        out.reserveCapacity(count * 16)
        for (i, element) in enumerated() {
            if i > 0 { out.append(44) }  // ,
            guard let text = element.postgresText else {
                out.append(contentsOf: [78, 85, 76, 76])  // NULL
                continue
            }
            out.append(34)  // "
            for byte in text.utf8 {
                if byte == 92 || byte == 34 { out.append(92) }  // escape \ and "
                out.append(byte)
            }
            out.append(34)
        }
        out.append(125)  // }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Bytes sent as `bytea` in hex form.
public struct PostgresBytes: PostgresBindable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var postgresText: String? {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [92, 120]  // "\x"
        out.reserveCapacity(2 + bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
