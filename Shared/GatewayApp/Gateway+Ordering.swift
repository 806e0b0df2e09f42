import Contracts
import Domain
import HTTPCore
import Storage
import Wire

/// Parameter values and the rendering of order results.
extension Gateway {
    /// Values keyed by parameter id: `{"cpu": 4}`, or the marketplace's list `[{"id": "cpu", "value": 4}]`.
    static func submittedValues(_ value: JSONValue?) throws -> [String: JSONValue] {
        switch value {
        case nil, .null?: return [:]
        case .object(let o)?: return o
        case .array(let items)?:
            var out: [String: JSONValue] = [:]
            for item in items {
                guard let id = item["id"]?.stringValue, let v = item["value"] else {
                    throw APIError.field("parameters", "must be an object of values by parameter id")
                }
                out[id] = v
            }
            return out
        default:
            throw APIError.field("parameters", "must be an object of values by parameter id")
        }
    }

    /// Checks values against the offer's definitions; every problem is reported, each under
    /// `parameters.<id>`.
    static func validate(_ submitted: [String: JSONValue], against offer: OfferRecord,
                         field: String = "parameters") throws -> [OfferProperty] {
        let definitions: [OfferParameter]
        do {
            definitions = try OfferParameter.parseDefinitions(offer.parameters)
        } catch {
            throw APIError.message(409, "This offer's parameters are misconfigured; it cannot be ordered now")
        }
        do {
            return try OfferProperty.validated(definitions: definitions, submitted: submitted,
                                               today: CalendarDate(utcDayOf: .now()))
        } catch {
            var fields: [String: [String]] = [:]
            for problem in error.problems {
                fields["\(field).\(problem.parameterID)", default: []].append(problem.message)
            }
            throw APIError.fields(400, fields)
        }
    }

    static func renderProject(_ reply: CommandReply, base: String) throws -> HTTPResponse {
        guard let project = reply.project else { throw APIError.message(500, "Internal server error") }
        return .json(reply.status, Representation.project(project),
                     headers: ["Location": "\(base)/api/v1/projects/\(project.id)"])
    }

    static func renderItems(_ reply: CommandReply, base: String) throws -> HTTPResponse {
        guard let items = reply.items, let first = items.first else { throw APIError.message(500, "Internal server error") }
        let revealing = Set(reply.writtenSecretKeys ?? [])
        let location = "\(base)/api/v1/projects/\(first.projectID)/project_items/\(first.iid)"
        if items.count == 1 {
            return .json(reply.status, Representation.item(first, revealing: revealing), headers: ["Location": location])
        }
        return .json(reply.status, ["project_items": .array(items.map { Representation.item($0, revealing: revealing) })] as JSONValue,
                     headers: ["Location": location])
    }
}

/// `from_id` / `limit` as the EOSC Ordering API reads them.
enum Paging {
    static func parse(_ request: HTTPRequest, defaultLimit: Int = 20) throws -> (Int64, Int) {
        var fromID: Int64 = 0
        if let text = request.queryValue("from_id") {
            // Ruby's to_i: non-numeric reads as 0; negative is refused.
            let parsed = Int64(text.prefix { $0 == "-" || $0.isNumber }) ?? 0
            guard parsed >= 0 else { throw APIError.message(400, "'from_id' must be a non-negative integer") }
            fromID = parsed
        }
        var limit = defaultLimit
        if let text = request.queryValue("limit") {
            guard let parsed = Int(text), parsed > 0 else { throw APIError.message(400, "'limit' must be a positive integer") }
            limit = min(parsed, 1000)
        }
        return (fromID, limit)
    }
}
