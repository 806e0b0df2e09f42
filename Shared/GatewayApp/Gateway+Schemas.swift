import EOSCSpecs
import HTTPCore
import Wire

/// Request bodies checked against the marketplace's own JSON schemas (`specs/eosc`), and the
/// original spec documents served read-only for clients and generators.
extension Gateway {
    /// Throws `400 {"error": "<message>"}` with the json-schema gem's message for the first way
    /// `body` breaks the schema file `schemaFile` (relative to `specs/eosc`, e.g.
    /// `project_item/project_item_update.json`), as the marketplace answers.
    static func checkSchema(_ body: JSONValue, _ schemaFile: String) throws {
        guard EOSCSpecs.document(schemaFile) != nil else { throw UnknownSchema(file: schemaFile) }
        if let message = EOSCSpecs.validate(body, against: schemaFile) {
            throw APIError.message(400, message)
        }
    }

    /// A schema name that is not one of the shipped files: a programming error, answered 500.
    struct UnknownSchema: Error, CustomStringConvertible {
        let file: String
        var description: String { "no EOSC schema file \(file)" }
    }

    /// `GET /api_docs/swagger/v1/<path>`: the three API documents and every schema they refer to,
    /// byte for byte, at the marketplace's URLs, so a generator that follows relative `$ref`s from
    /// `…/ordering_swagger.json` finds each file. Only the shipped `.json` files; anything else 404.
    func addSpecRoutes(to r: inout Router) {
        // Read and parse the files now: a missing resource bundle stops the gateway at start
        // with a clear message, not at the first PATCH.
        _ = EOSCSpecs.schemas
        let base = "/api_docs/swagger/v1"
        for pattern in [base + "/:a", base + "/:a/:b", base + "/:a/:b/:c"] {
            r.add("GET", pattern) { request, _ in Self.specDocument(request) }
        }
    }

    static func specDocument(_ request: HTTPRequest) -> HTTPResponse {
        let prefix = "/api_docs/swagger/v1/"
        let path = request.path.split(separator: "/").dropFirst(3).joined(separator: "/")
        guard request.path.hasPrefix(prefix), path.hasSuffix(".json"), let bytes = EOSCSpecs.document(path) else {
            return APIError.message(404, "Not found").response
        }
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: bytes)
    }
}
