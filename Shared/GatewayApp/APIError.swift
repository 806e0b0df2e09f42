import HTTPCore
import Wire

/// An error answered in the EOSC marketplace's shape: `{"error": "<message>"}`, or
/// `{"error": {"<field>": ["<message>"]}}` when it is about fields of the request.
///
/// The messages clients may match on are kept verbatim from the marketplace.
struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    let status: Int
    let body: JSONValue

    var response: HTTPResponse { .json(status, JSONValue.object(["error": body])) }
    var description: String { "\(status) \((try? WireFormat.encodeString(body)) ?? "")" }

    static func message(_ status: Int, _ text: String) -> APIError { APIError(status: status, body: .string(text)) }

    /// Field errors, e.g. `["parameters.cpu": ["must be an integer from 1 to 8"]]`.
    static func fields(_ status: Int = 400, _ errors: [String: [String]]) -> APIError {
        APIError(status: status, body: .object(errors.mapValues { .array($0.map(JSONValue.string)) }))
    }

    static func field(_ name: String, _ message: String) -> APIError { fields(400, [name: [message]]) }

    static let unauthorized = message(401, "You need to sign in or sign up before continuing.")
    static let forbidden = message(403, "You are not authorized to perform this action.")
    static let omsNotFound = message(404, "OMS not found")
    static let projectNotFound = message(404, "Project not found")
    static let itemNotFound = message(404, "Project item not found")
    static let offerNotFound = message(404, "Offer not found")
    static let resourceNotFound = message(404, "Resource not found")
    static let unavailable = message(503, "The service is temporarily unavailable; retry later")
}
