import JSONSchema
import Wire

/// Response checking against the operations of `ordering_swagger.json`, `offering_swagger.json`
/// and `users_swagger.json` (the APIs this system must answer like the marketplace).
extension EOSCSpecs {
    /// One documented operation: method, path template (`/api/v1/oms/{oms_id}`), its responses.
    struct Operation: Sendable {
        let method: String
        let template: String
        let segments: [String?]
        let responses: OrderedJSON
        let document: String
    }

    /// The documents whose operations responses are checked against.
    public static let operationDocuments = ["ordering_swagger.json", "offering_swagger.json", "users_swagger.json"]

    static let operations: [Operation] = {
        var out: [Operation] = []
        for document in operationDocuments {
            guard let paths = schemas.documents[document]?["paths"]?.members else { continue }
            for path in paths {
                let segments = path.key.split(separator: "/").map { s -> String? in
                    s.hasPrefix("{") && s.hasSuffix("}") ? nil : String(s)
                }
                for operation in path.value.members ?? [] {
                    guard let responses = operation.value["responses"] else { continue }
                    out.append(Operation(method: operation.key.uppercased(), template: path.key, segments: segments,
                                         responses: responses, document: document))
                }
            }
        }
        return out
    }()

    /// The documented operation for a concrete request path (query string allowed), preferring
    /// the template with the most literal segments.
    static func operation(method: String, path: String) -> Operation? {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        let parts = bare.split(separator: "/").map(String.init)
        let candidates = operations.filter { op in
            op.method == method.uppercased() && op.segments.count == parts.count
                && zip(op.segments, parts).allSatisfy { template, part in template == nil || template == part }
        }
        return candidates.max { a, b in a.segments.compactMap { $0 }.count < b.segments.compactMap { $0 }.count }
    }

    /// How a response of this system breaks the EOSC specs, or `nil` when it conforms or when
    /// the specs do not describe the request.
    ///
    /// - Requests the three documents do not describe (other paths, or a method a path does not
    ///   list) are not judged: the specs say nothing about them.
    /// - A documented status is checked against its schema, read as OpenAPI 3.0 (`nullable`
    ///   honoured); a documented status without content (DELETE's 200) must have an empty body.
    /// - An undocumented error status (4xx or 5xx, e.g. the 401 every endpoint can answer, or a
    ///   503 during an outage) must still be the EOSC error shape, `error.json`, as every
    ///   documented error is.
    /// - `202 Accepted` is this system's answer when the processor has not replied in time
    ///   (a documented difference from the marketplace); it is not judged.
    /// - Any other undocumented status is a violation.
    public static func responseViolation(method: String, path: String, status: Int, body: [UInt8]) -> String? {
        guard let op = operation(method: method, path: path) else { return nil }
        let name = "\(op.method) \(op.template) \(status)"
        let schema: OrderedJSON
        if let documented = op.responses[String(status)] {
            guard let declared = documented["content"]?["application/json"]?["schema"] else {
                let empty = body.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
                return empty ? nil : "\(name): the spec documents no body, but the response has one"
            }
            schema = declared
        } else if status == 202 {
            return nil
        } else if status >= 400 {
            schema = .object([OrderedJSON.Member("$ref", .string("error.json"))])
        } else {
            return "\(name): status \(status) is not documented for \(op.method) \(op.template)"
        }
        let value: OrderedJSON
        do {
            value = try OrderedJSON.parse(body)
        } catch {
            return "\(name): the body is not JSON (\(error))"
        }
        guard let violation = schemas.validate(value.jsonValue, schema: schema, in: op.document, options: .openAPI) else {
            return nil
        }
        return "\(name): \(violation.message)"
    }
}
