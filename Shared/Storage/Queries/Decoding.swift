import Contracts
import Foundation
import PostgresClient
import Wire

extension PostgresRow {
    func timestamp(_ column: String) throws -> Timestamp {
        guard let t = try optionalTimestamp(column) else {
            throw PostgresError(code: .decoding, message: "column \(column) is NULL")
        }
        return t
    }

    func optionalTimestamp(_ column: String) throws -> Timestamp? {
        guard let text = try optionalString(column) else { return nil }
        guard let t = Timestamp(parsing: text) else {
            throw PostgresError(code: .decoding, message: "column \(column): not a timestamp: \(text)")
        }
        return t
    }

    func json(_ column: String) throws -> JSONValue {
        guard let text = try optionalString(column) else { return .null }
        do {
            return try WireFormat.decode(JSONValue.self, from: text)
        } catch {
            throw PostgresError(code: .decoding, message: "column \(column): not JSON")
        }
    }
}

/// Encodes a value as JSON text for a `jsonb` parameter.
func jsonText(_ value: some Encodable) throws -> String { try WireFormat.encodeString(value) }
