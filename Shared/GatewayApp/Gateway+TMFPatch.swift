import Contracts
import Domain
import HTTPCore
import Storage
import TMF622
import Wire

/// `PATCH /productOrder/{id}`: `application/merge-patch+json` (also plain `application/json`)
/// or `application/json-patch+json`, applied to the order as the client reads it. Only header
/// attributes change this way; the server's attributes, the state and the items do not (a
/// change of characteristics is a new order that replaces this one).
extension Gateway {
    /// What may not be patched, with why.
    static let notPatchable: [String: String] = [
        "id": "is set by the server", "href": "is set by the server", "orderDate": "is set by the server",
        "completionDate": "is set by the server", "cancellationDate": "is set by the server",
        "expectedCompletionDate": "is set by the server",
        "orderRelationship": "is set by the server: to replace this order, create a new one with orderRelationship replaces",
    ]

    func patchProductOrder(_ request: HTTPRequest, _ params: PathParameters) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let base = commands.publicURL
        let render: @Sendable (CommandReply) throws -> HTTPResponse = { reply in
            guard let order = reply.order else { throw TMFError(500, "internalError", "Internal server error") }
            return .json(200, TMFRepresentation.productOrder(order, publicURL: base))
        }
        let commandHeader = Self.commandHeader(request, caller)
        if let replayed = try await tmfReplay(request, commandHeader, render: render) { return replayed }
        let kind = try Self.patchKind(request)
        let patch: JSONValue
        do {
            patch = try WireFormat.decode(JSONValue.self, from: request.body)
        } catch {
            throw TMFError(400, "invalidBody", "The request body is not valid JSON")
        }
        let order = try await readableOrder(params, caller)
        guard caller.canChange(order) else { throw TMFError.forbidden }
        if TMFOrderState(rawValue: order.state)?.isFinal == true {
            throw TMFError(409, "orderIsFinal", "The order is \(order.state), a final state: it can no longer be changed")
        }
        let current = TMFRepresentation.productOrder(order, publicURL: base)
        let patched: JSONValue
        switch kind {
        case .merge:
            guard case .object = patch else { throw TMFError(400, "invalidBody", "A merge patch must be a JSON object") }
            patched = JSONMergePatch.apply(patch, to: current)
        case .json:
            do {
                patched = try JSONPatch.apply(patch, to: current)
            } catch {
                throw TMFError(400, "invalidPatch", "operation \(error.index) (\(error.path)): \(error.reason)",
                               field: error.path.isEmpty ? nil : error.path)
            }
        }
        guard case .object(var after) = patched, case .object(let before) = current else {
            throw TMFError(400, "invalidPatch", "The patched order must stay a JSON object")
        }
        // Clients generated from the v4 swagger must send `productOrderItem` (ProductOrder_Update
        // requires it): items restated as they are (each attribute given equal to the stored
        // one) are no change.
        if let items = after["productOrderItem"], let stored = before["productOrderItem"], Self.restates(items, stored) {
            after["productOrderItem"] = stored
        }
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        for key in changed {
            if let why = Self.notPatchable[key] { throw TMFError.invalid(key, why) }
        }
        if changed.contains("state") {
            let requested = after["state"]?.stringValue ?? ""
            if let from = TMFOrderState(rawValue: order.state), let to = TMFOrderState(rawValue: requested), !from.canMove(to: to) {
                throw TMFError(409, "invalidTransition", "state: the TMF622 state machine does not go from \(order.state) to \(requested)",
                               field: "state")
            }
            throw TMFError.invalid("state", "follows the providers' work on the items; to cancel the order, create a cancelProductOrder")
        }
        if changed.contains("productOrderItem") {
            throw TMFError(409, "newOrderRequired", "productOrderItem: a change of the items or their characteristics needs a new order that replaces this one: POST productOrder with orderRelationship [{\"relationshipType\": \"replaces\", \"id\": \"\(order.publicID)\"}]",
                           field: "productOrderItem")
        }
        guard !changed.isEmpty else { return .json(200, current) }
        var update = after
        for key in Self.notPatchable.keys { update[key] = nil }
        update["state"] = nil
        try Self.checkTMF(.object(update), "ProductOrder_Update")
        var header = order.tmf.objectValue ?? [:]
        for key in changed { header[key] = after[key] }
        let command = UpdateTMFOrderCommand(header: commandHeader, publicID: order.publicID, headerTMF: .object(header),
                                            changedFields: changed, baseHeader: order.tmf)
        return try await commands.send(command, type: CommandType.updateTMFOrder, header: commandHeader, render: render)
    }

    /// Whether `given` says nothing `stored` does not: objects give a subset of the stored
    /// members with equal values, arrays the same elements in the same order.
    static func restates(_ given: JSONValue, _ stored: JSONValue) -> Bool {
        switch (given, stored) {
        case (.object(let g), .object(let s)):
            return g.allSatisfy { key, value in s[key].map { restates(value, $0) } ?? false }
        case (.array(let g), .array(let s)):
            return g.count == s.count && zip(g, s).allSatisfy { restates($0, $1) }
        case (.int(let g), .double(let s)): return Double(g) == s
        case (.double(let g), .int(let s)): return g == Double(s)
        default:
            return given == stored
        }
    }

    enum PatchKind { case merge, json }

    static func patchKind(_ request: HTTPRequest) throws -> PatchKind {
        switch request.mediaType {
        case "application/merge-patch+json", "application/json", nil: return .merge
        case "application/json-patch+json": return .json
        case let other?:
            throw TMFError(415, "unsupportedMediaType",
                           "Content-Type \(other) is not supported: use application/merge-patch+json or application/json-patch+json")
        }
    }
}
