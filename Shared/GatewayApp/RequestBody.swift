import HTTPCore
import Wire

/// Reads a JSON object body, with errors in the EOSC shape that name the field.
struct RequestBody {
    let fields: [String: JSONValue]

    /// Parses the body; 415 for a non-JSON content type, 400 for malformed JSON or a non-object.
    init(_ request: HTTPRequest) throws {
        if let type = request.mediaType, type != "application/json", !type.hasSuffix("+json") {
            throw APIError.message(415, "Content-Type must be application/json")
        }
        guard !request.body.isEmpty else { throw APIError.message(400, "The request body must be a JSON object") }
        let value: JSONValue
        do {
            value = try WireFormat.decode(JSONValue.self, from: request.body)
        } catch {
            throw APIError.message(400, "The request body is not valid JSON")
        }
        guard case .object(let o) = value else { throw APIError.message(400, "The request body must be a JSON object") }
        fields = o
    }

    /// Refuses properties the schema does not allow (`additionalProperties: false`).
    func onlyAllowed(_ names: Set<String>) throws {
        let unknown = fields.keys.filter { !names.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw APIError.fields(400, Dictionary(uniqueKeysWithValues: unknown.map { ($0, ["is not a known property"]) }))
        }
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = fields[name], !value.isNull else { throw APIError.field(name, "can't be blank") }
        guard case .string(let s) = value else { throw APIError.field(name, "must be a string") }
        guard !s.trimmingSpaces().isEmpty else { throw APIError.field(name, "can't be blank") }
        return s
    }

    func optionalString(_ name: String) throws -> String? {
        guard let value = fields[name], !value.isNull else { return nil }
        guard case .string(let s) = value else { throw APIError.field(name, "must be a string") }
        return s
    }

    func optionalBool(_ name: String) throws -> Bool? {
        guard let value = fields[name], !value.isNull else { return nil }
        guard case .bool(let b) = value else { throw APIError.field(name, "must be true or false") }
        return b
    }

    func stringArray(_ name: String) throws -> [String] {
        guard let value = fields[name], !value.isNull else { return [] }
        guard case .array(let items) = value, let strings = Optional(items.compactMap(\.stringValue)),
              strings.count == items.count else {
            throw APIError.field(name, "must be an array of strings")
        }
        return strings
    }

    /// An integer, also given as a string of digits (ids in URLs and clients often are).
    func requiredInt(_ name: String) throws -> Int64 {
        guard let value = fields[name], !value.isNull else { throw APIError.field(name, "can't be blank") }
        if let i = value.intValue { return i }
        if case .string(let s) = value, let i = Int64(s) { return i }
        throw APIError.field(name, "must be an integer")
    }

    /// A string or an integer, as text (resource ids may be slugs or numbers).
    func requiredIdentifier(_ name: String) throws -> String {
        guard let value = fields[name], !value.isNull else { throw APIError.field(name, "can't be blank") }
        if let i = value.intValue { return String(i) }
        if case .string(let s) = value, !s.isEmpty { return s }
        throw APIError.field(name, "must be an id")
    }
}

/// Parses a path parameter that must be a positive integer; anything else is "not found".
func pathID(_ params: PathParameters, _ name: String, notFound: APIError) throws -> Int64 {
    guard let text = params[name], let id = Int64(text), id > 0 else { throw notFound }
    return id
}
