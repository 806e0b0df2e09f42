public import Foundation

/// The rows of one statement's result, with values in PostgreSQL's text format.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// Column names, in order.
    public let columns: [String]
    let values: [[String?]]
    /// The number of rows the statement affected (INSERT/UPDATE/DELETE), or 0.
    public let affectedRows: Int

    public init(columns: [String], values: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }
    public subscript(position: Int) -> PostgresRow { PostgresRow(columns: columns, values: values[position]) }
}

/// One row; read columns by name with typed accessors that throw a `.decoding` error on a
/// missing column, an unexpected NULL or a malformed value.
public struct PostgresRow: Sendable {
    public let columns: [String]
    public let values: [String?]

    /// The raw text of `column`, `nil` for NULL.
    public func raw(_ column: String) throws -> String? {
        guard let i = columns.firstIndex(of: column) else {
            throw PostgresError(code: .decoding, message: "no column \(column) in result (\(columns.joined(separator: ", ")))")
        }
        return values[i]
    }

    public func isNull(_ column: String) throws -> Bool { try raw(column) == nil }

    public func string(_ column: String) throws -> String { try required(column, try raw(column)) }
    public func optionalString(_ column: String) throws -> String? { try raw(column) }

    public func int(_ column: String) throws -> Int64 { try required(column, try optionalInt(column)) }
    public func optionalInt(_ column: String) throws -> Int64? {
        try parse(column) { Int64($0) }
    }

    public func double(_ column: String) throws -> Double { try required(column, try optionalDouble(column)) }
    public func optionalDouble(_ column: String) throws -> Double? { try parse(column) { Double($0) } }

    public func bool(_ column: String) throws -> Bool { try required(column, try optionalBool(column)) }
    public func optionalBool(_ column: String) throws -> Bool? {
        try parse(column) { $0 == "t" ? true : $0 == "f" ? false : nil }
    }

    public func uuid(_ column: String) throws -> UUID { try required(column, try optionalUUID(column)) }
    public func optionalUUID(_ column: String) throws -> UUID? { try parse(column) { UUID(uuidString: $0) } }

    /// A `text[]` or other one-dimensional array column (NULL elements become empty strings).
    public func stringArray(_ column: String) throws -> [String] {
        guard let text = try raw(column) else { return [] }
        guard let parsed = PostgresArrayLiteral.parse(text) else {
            throw PostgresError(code: .decoding, message: "column \(column): not an array literal: \(text)")
        }
        return parsed.map { $0 ?? "" }
    }

    /// An `int8[]` column.
    public func intArray(_ column: String) throws -> [Int64] {
        try stringArray(column).map { item in
            guard let v = Int64(item) else {
                throw PostgresError(code: .decoding, message: "column \(column): not an integer: \(item)")
            }
            return v
        }
    }

    /// A `bytea` column (hex output format).
    public func bytes(_ column: String) throws -> [UInt8] {
        let text = try string(column)
        guard text.hasPrefix("\\x"), text.utf8.count % 2 == 0 else {
            throw PostgresError(code: .decoding, message: "column \(column): not hex bytea")
        }
        var out: [UInt8] = []
        var high: UInt8?
        for c in text.utf8.dropFirst(2) {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: throw PostgresError(code: .decoding, message: "column \(column): not hex bytea")
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }

    private func required<T>(_ column: String, _ value: T?) throws -> T {
        guard let value else { throw PostgresError(code: .decoding, message: "column \(column) is NULL") }
        return value
    }

    private func parse<T>(_ column: String, _ conversion: (String) -> T?) throws -> T? {
        guard let text = try raw(column) else { return nil }
        guard let v = conversion(text) else {
            throw PostgresError(code: .decoding, message: "column \(column): cannot read \(T.self) from \(text)")
        }
        return v
    }
}

/// Parses PostgreSQL's text form of a one-dimensional array: `{a,"b c",NULL,"d\"e"}`.
enum PostgresArrayLiteral {
    static func parse(_ text: String) -> [String?]? {
        var chars = Array(text.unicodeScalars)[...]
        guard chars.popFirst() == "{", chars.popLast() == "}" else { return nil }
        var items: [String?] = []
        if chars.isEmpty { return items }
        while true {
            if chars.first == "\"" {
                chars.removeFirst()
                var item = String.UnicodeScalarView()
                while let c = chars.popFirst() {
                    if c == "\\" { if let n = chars.popFirst() { item.append(n) }; continue }
                    if c == "\"" { break }
                    item.append(c)
                }
                items.append(String(item))
            } else {
                var item = String.UnicodeScalarView()
                while let c = chars.first, c != "," { item.append(c); chars.removeFirst() }
                let s = String(item)
                items.append(s == "NULL" ? nil : s)
            }
            guard let sep = chars.popFirst() else { return items }
            guard sep == "," else { return nil }
        }
    }
}
