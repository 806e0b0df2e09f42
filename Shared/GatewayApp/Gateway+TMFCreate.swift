import Contracts
import Domain
import HTTPCore
import Storage
import TMF622
import Wire

/// `POST /productOrder`: checked against TM Forum's `ProductOrder_Create`, then each item's
/// offering and characteristics exactly as an EOSC order's offer and parameters.
extension Gateway {
    /// Attributes the server sets; a client sending one gets a 400 naming it.
    static let serverOwnedOrderAttributes = ["id", "href", "orderDate", "state", "completionDate", "cancellationDate",
                                             "expectedCompletionDate"]

    /// A JSON object body for a TMF endpoint (400 for anything else; 415 for a non-JSON type).
    static func tmfObjectBody(_ request: HTTPRequest) throws -> [String: JSONValue] {
        if let type = request.mediaType, type != "application/json", !type.hasSuffix("+json") {
            throw TMFError(415, "unsupportedMediaType", "Content-Type must be application/json")
        }
        guard let value = try? WireFormat.decode(JSONValue.self, from: request.body) else {
            throw TMFError(400, "invalidBody", "The request body is not valid JSON")
        }
        guard case .object(let object) = value else { throw TMFError(400, "invalidBody", "The request body must be a JSON object") }
        return object
    }

    /// Checks a body against a definition of the TMF622 swagger.
    static func checkTMF(_ body: JSONValue, _ definition: String) throws {
        if let message = TMFSpec.violation(of: body, definition: definition) {
            let field = TMFSpec.field(of: message)
            throw TMFError(400, "invalidAttribute", message, field: field)
        }
    }

    func createProductOrder(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try await tmfCaller(request)
        let base = commands.publicURL
        let render: @Sendable (CommandReply) throws -> HTTPResponse = { reply in
            guard let order = reply.order else { throw TMFError(500, "internalError", "Internal server error") }
            let document = TMFRepresentation.productOrder(order, publicURL: base)
            return .json(201, document, headers: ["Location": TMFPaths.productOrder(base, order.publicID)])
        }
        let commandHeader = Self.commandHeader(request, caller)
        if let replayed = try await tmfReplay(request, commandHeader, render: render) { return replayed }
        let body = try Self.tmfObjectBody(request)
        try Self.checkTMF(.object(body), "ProductOrder_Create")
        for key in Self.serverOwnedOrderAttributes where body[key] != nil {
            throw TMFError.invalid(key, "is set by the server; leave it out of the request")
        }
        let replaces = try await replacedOrder(body["orderRelationship"], caller)
        var lines: [OrderLine] = []
        var itemTMF: [String: JSONValue] = [:]
        var problems: [String: [String]] = [:]
        for (index, item) in (body["productOrderItem"]?.arrayValue ?? []).enumerated() {
            let field = "productOrderItem[\(index)]"
            do {
                let itemLines = try await orderLines(item, field: field)
                for line in itemLines where lines.contains(where: { $0.lineID == line.lineID }) {
                    throw TMFError.invalid("\(field).id", "\"\(line.lineID)\" is used by another item of this order")
                }
                lines += itemLines
                var kept = item.objectValue ?? [:]
                for key in ["id", "state", "productOffering", "productOrderItemRelationship"] { kept[key] = nil }
                if var product = kept["product"]?.objectValue {
                    product["productCharacteristic"] = nil
                    kept["product"] = .object(product)
                }
                if let id = itemLines.first?.lineID { itemTMF[id] = .object(kept) }
            } catch let error as APIError where error.status == 400 {
                problems.merge(error.fieldMessages ?? [field: [error.description]]) { $0 + $1 }
            }
        }
        guard problems.isEmpty else { throw TMFError(APIError.fields(400, problems)) }
        var header = body
        header["productOrderItem"] = nil
        header["orderRelationship"] = nil
        let description = body["description"]?.stringValue?.trimmingSpaces() ?? ""
        let project = ProjectAttributes(name: description.isEmpty ? "Product order" : String(description.prefix(200)))
        let command = CreateTMFOrderCommand(header: commandHeader, project: project, replacesPublicID: replaces, lines: lines,
                                            itemTMF: itemTMF, headerTMF: .object(header))
        return try await commands.send(command, type: CommandType.createTMFOrder, header: commandHeader, render: render)
    }

    /// The order named by `orderRelationship` (`relationshipType: replaces`), which must be one
    /// the caller may change; other relationship types are not supported.
    func replacedOrder(_ value: JSONValue?, _ caller: TMFCaller) async throws -> String? {
        guard let value, !value.isNull else { return nil }
        guard case .array(let relationships) = value else { throw TMFError.invalid("orderRelationship", "must be an array") }
        var replaced: String?
        for (index, relationship) in relationships.enumerated() {
            let field = "orderRelationship[\(index)]"
            guard let id = relationship["id"]?.stringValue, !id.isEmpty else { throw TMFError.invalid("\(field).id", "is required") }
            guard relationship["relationshipType"]?.stringValue == "replaces" else {
                throw TMFError.invalid("\(field).relationshipType", "must be \"replaces\" (the only relationship an order can declare)")
            }
            guard replaced == nil else { throw TMFError.invalid(field, "an order replaces at most one order") }
            guard let order = try await db({ try $0.findOrder(publicID: id) }), caller.canRead(order), caller.canChange(order) else {
                throw TMFError.invalid("\(field).id", "names no order of yours (\(id))")
            }
            replaced = order.publicID
        }
        return replaced
    }

    /// One TMF item as order lines: one for an offer, one per offer for a bundle (the main
    /// offer's line keeps the item id, the others are `<id>.<n>` and relate to it).
    func orderLines(_ item: JSONValue, field: String) async throws -> [OrderLine] {
        let id = item["id"]?.stringValue ?? ""
        guard !id.trimmingSpaces().isEmpty else { throw TMFError.invalid("\(field).id", "can't be blank") }
        guard item["action"]?.stringValue == "add" else {
            throw TMFError.invalid("\(field).action", "only \"add\" is supported: to change a product's characteristics, order it anew with orderRelationship [{\"relationshipType\": \"replaces\", \"id\": <the order>}]")
        }
        if item["state"] != nil { throw TMFError.invalid("\(field).state", "is set by the server; leave it out of the request") }
        if let quantity = item["quantity"], quantity != .int(1) {
            throw TMFError.invalid("\(field).quantity", "must be 1: each item orders one instance of an offering (add items for more)")
        }
        guard let offeringID = item["productOffering"]?["id"]?.stringValue else {
            throw TMFError.invalid("\(field).productOffering", "is required for action add")
        }
        guard let reference = OfferingReference(offeringID) else {
            throw TMFError.invalid("\(field).productOffering.id",
                                   "must name an offering as <resource>/<offer id> or <resource>/bundles/<bundle id>")
        }
        var values = try Self.characteristics(item["product"]?["productCharacteristic"], field: field)
        let characteristicField = "\(field).product.productCharacteristic"
        switch reference {
        case .offer(let resource, let iid):
            let offer: OfferRecord
            do {
                offer = try await publishedOffer(resourceID: resource, iid: iid)
            } catch let error as APIError where error.status == 404 {
                throw TMFError.invalid("\(field).productOffering.id", "names no available offering (\(offeringID))")
            }
            let (requestVoucher, voucherID) = Self.voucherValues(&values, offer: offer)
            do {
                try Self.checkVoucher(offer, requestVoucher: requestVoucher, voucherID: voucherID)
            } catch let error as APIError {
                throw APIError.fields(400, Dictionary(uniqueKeysWithValues: (error.fieldMessages ?? [:]).map { ("\(characteristicField).\($0.key)", $0.value) }))
            }
            let properties = try Self.validate(values, against: offer, field: characteristicField)
            return [OrderLine(lineID: id, offerID: offer.id, offerProperties: properties.map(\.json), requestVoucher: requestVoucher,
                              voucherID: voucherID)]
        case .bundle(let resource, let iid):
            let requestVoucher = values.removeValue(forKey: "request_voucher")?.boolValue ?? false
            let voucherID = values.removeValue(forKey: "voucher_id")?.stringValue
            var byOffer: [String: JSONValue] = [:]
            for (name, value) in values {
                guard let slash = name.lastIndex(of: "/") else {
                    throw TMFError.invalid("\(characteristicField).\(name)", "a bundle's characteristics are named <resource>/<offer id>/<parameter id>")
                }
                let offer = String(name[..<slash]), parameter = String(name[name.index(after: slash)...])
                var values = byOffer[offer]?.objectValue ?? [:]
                values[parameter] = value
                byOffer[offer] = .object(values)
            }
            let bundleLines: [OrderLine]
            do {
                bundleLines = try await self.bundleLines(resourceID: resource, bundleIID: iid, parameters: .object(byOffer),
                                                         requestVoucher: requestVoucher, voucherID: voucherID)
            } catch let error as APIError where error.status == 404 {
                throw TMFError.invalid("\(field).productOffering.id", "names no available bundle (\(offeringID))")
            } catch let error as APIError where error.status == 400 {
                var renamed: [String: [String]] = [:]
                for (key, messages) in error.fieldMessages ?? [:] {
                    let rest = key.hasPrefix("parameters.") ? String(key.dropFirst("parameters.".count)) : key
                    renamed["\(characteristicField).\(Self.bundleCharacteristicName(rest))", default: []] += messages
                }
                throw APIError.fields(400, renamed)
            }
            return bundleLines.enumerated().map { index, line in
                var line = line
                line.lineID = index == 0 ? id : "\(id).\(index)"
                line.parentLineID = index == 0 ? nil : id
                return line
            }
        }
    }

    /// `<resource>/<offer iid>.<parameter>` (the EOSC bundle error key) as the characteristic name.
    static func bundleCharacteristicName(_ key: String) -> String {
        guard let dot = key.lastIndex(of: ".") else { return key }
        return key[..<dot] + "/" + key[key.index(after: dot)...]
    }

    /// The characteristics as parameter values by name; a name given twice is refused.
    static func characteristics(_ value: JSONValue?, field: String) throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (index, characteristic) in (value?.arrayValue ?? []).enumerated() {
            guard let name = characteristic["name"]?.stringValue, !name.isEmpty else {
                throw TMFError.invalid("\(field).product.productCharacteristic[\(index)].name", "is required")
            }
            guard out[name] == nil else {
                throw TMFError.invalid("\(field).product.productCharacteristic[\(index)].name", "\"\(name)\" is given twice")
            }
            out[name] = characteristic["value"] ?? .null
        }
        return out
    }

    /// The EOSC voucher fields travel as characteristics `request_voucher` and `voucher_id`
    /// (unless the offer has parameters of those names).
    static func voucherValues(_ values: inout [String: JSONValue], offer: OfferRecord) -> (Bool, String?) {
        let ids = Set((offer.parameters.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
        var request = false
        var voucher: String?
        if !ids.contains("request_voucher"), let value = values.removeValue(forKey: "request_voucher") {
            request = value.boolValue ?? (value.stringValue == "true")
        }
        if !ids.contains("voucher_id"), let value = values.removeValue(forKey: "voucher_id") { voucher = value.stringValue }
        return (request, voucher)
    }
}
