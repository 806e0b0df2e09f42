import HTTPCore
import Wire

/// An error on a TMF622 path, in TM Forum's `Error` resource: `code` (stable, for programs),
/// `reason` (one line naming the attribute when one is at fault), `message` (detail), `status`
/// (the HTTP status as a string), `@type`. `field` is an extension naming the attribute alone.
struct TMFError: Error, HTTPResponseError, CustomStringConvertible {
    let status: Int
    let code: String
    let reason: String
    let message: String?
    let field: String?

    init(_ status: Int, _ code: String, _ reason: String, message: String? = nil, field: String? = nil) {
        self.status = status
        self.code = code
        self.reason = reason
        self.message = message
        self.field = field
    }

    var response: HTTPResponse {
        var body: [String: JSONValue] = ["code": .string(code), "reason": .string(reason), "status": .string(String(status)),
                                         "@type": "Error"]
        body["message"] = .string(message ?? reason)
        if let field { body["field"] = .string(field) }
        return .json(status, JSONValue.object(body))
    }

    var description: String { "\(status) \(code): \(reason)" }

    /// A bad attribute: `<field>: <problem>`.
    static func invalid(_ field: String, _ problem: String) -> TMFError {
        TMFError(400, "invalidAttribute", "\(field): \(problem)", field: field)
    }

    static func notFound(_ resource: String, _ id: String) -> TMFError {
        TMFError(404, "notFound", "No \(resource) with id \(id)")
    }

    static let unauthorized = TMFError(401, "unauthorized", "A valid token is required (Authorization: Bearer <token>)")
    static let forbidden = TMFError(403, "forbidden", "You are not authorized to perform this action")

    /// The default code for a status.
    static func code(for status: Int) -> String {
        switch status {
        case 400: return "invalidRequest"
        case 401: return "unauthorized"
        case 403: return "forbidden"
        case 404: return "notFound"
        case 405: return "methodNotAllowed"
        case 409: return "conflict"
        case 415: return "unsupportedMediaType"
        case 422: return "unprocessable"
        case 503: return "unavailable"
        default: return status >= 500 ? "internalError" : "error"
        }
    }

    /// The same problem as an EOSC-shaped error (shared helpers throw those) in TMF's shape.
    init(_ error: APIError) {
        switch error.body {
        case .string(let text):
            self.init(error.status, Self.code(for: error.status), text)
        case .object(let fields):
            let sorted = fields.keys.sorted()
            let problems = sorted.map { key in
                "\(key): " + (fields[key]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "; ")
            }
            self.init(error.status, error.status == 400 ? "invalidAttribute" : Self.code(for: error.status),
                      problems.first ?? "invalid request", message: problems.joined(separator: "\n"), field: sorted.first)
        default:
            self.init(error.status, Self.code(for: error.status), "Request refused")
        }
    }
}
