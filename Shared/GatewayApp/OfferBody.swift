import Domain
import Storage
import Wire

/// The fields of an offer a client wrote (`offer_write.json` for POST, `offer_update.json` for
/// PATCH), each `nil` when absent, with its type checked.
///
/// Properties the schema allows but that are not written here (`id`, `bundled_offers`, unknown
/// names) are ignored, as the marketplace ignores them, so a client may send back an offer it
/// read; bundles are written through the bundle API.
struct OfferPatch: Sendable {
    var name: String?
    var description: String?
    var orderType: OrderType?
    var offerCategory: String?
    /// `.some(nil)` when the client cleared it.
    var orderURL: String??
    var isInternal: Bool?
    var primaryOMSID: Int64?
    var omsParams: [String: JSONValue]?
    /// The parameter definitions, validated by every definition rule, in the stored shape.
    var parameters: JSONValue?
    /// Fields of the wrong type or not allowed; reported with the model rules' errors, so a
    /// client sees every problem at once.
    private(set) var shapeErrors = FieldErrors()

    init(_ fields: [String: JSONValue]) {
        var errors = FieldErrors()
        func text(_ key: String) -> String? {
            switch fields[key] {
            case nil: return nil
            case .string(let s)?:
                if s.allSatisfy(\.isWhitespace) { errors.add(key, "can't be blank") }
                return s
            case .null?: errors.add(key, "can't be blank"); return nil
            default: errors.add(key, "must be a string"); return nil
            }
        }
        name = text("name")
        description = text("description")
        if let type = text("order_type") {
            orderType = OrderType(rawValue: type)
            if orderType == nil && !type.allSatisfy(\.isWhitespace) { errors.add("order_type", "is not included in the list") }
        }
        switch fields["offer_category"] {
        case nil: break
        case .string(let s)? where OfferRules.categories.contains(s): offerCategory = s
        case .null?: errors.add("offer_category", "must exist")
        default: errors.add("offer_category", "is not included in the list")
        }
        switch fields["order_url"] {
        case nil: break
        case .null?: orderURL = .some(nil)
        case .string(let s)?:
            if !s.allSatisfy(\.isWhitespace), !OfferRules.isHTTPURL(s) { errors.add("order_url", "is not a valid URL") }
            orderURL = .some(s)
        default: errors.add("order_url", "must be a string or null")
        }
        switch fields["internal"] {
        case nil: break
        case .bool(let b)?: isInternal = b
        default: errors.add("internal", "must be true or false")
        }
        switch fields["primary_oms_id"] {
        case nil: break
        case let value? where value.intValue != nil: primaryOMSID = value.intValue
        default: errors.add("primary_oms_id", "must be an integer")
        }
        switch fields["oms_params"] {
        case nil: break
        case .object(let o)?: omsParams = o
        default: errors.add("oms_params", "must be an object")
        }
        if let value = fields["parameters"] {
            parameters = Self.parameters(value, &errors)
        }
        if fields["status"] != nil { errors.add("status", "can't be set through the API; offers are published when created") }
        shapeErrors = errors
    }

    /// Every shape and definition problem of the parameter list, each under
    /// `parameters.<id>` (or `parameters[<position>]` for a parameter without a usable id).
    private static func parameters(_ value: JSONValue, _ errors: inout FieldErrors) -> JSONValue? {
        guard case .array = value else {
            errors.add("parameters", "must be an array")
            return nil
        }
        do throws(ParameterValidationError) {
            return .array(try OfferParameter.parseDefinitions(value).map(\.json))
        } catch {
            for problem in error.problems {
                let key = problem.parameterID.hasPrefix("parameters") ? problem.parameterID : "parameters.\(problem.parameterID)"
                errors.add(key, problem.field.map { "\($0): \(problem.message)" } ?? problem.message)
            }
            return nil
        }
    }

    /// Merges the patch into `base` (nil when creating) and applies the marketplace's rules:
    /// presence, OMS settings (normalized then checked against the OMSes), the service's order
    /// type. `omses` answers what the rules need to know about OMSes.
    func merged(into base: OfferFields?, service: ServiceRecord, omses: OMSFacts,
                otherPublishedTypes: [OrderType]) throws(FieldErrors) -> OfferFields {
        var errors = shapeErrors
        let name = name ?? base?.name ?? ""
        let description = description ?? base?.description ?? ""
        if name.allSatisfy(\.isWhitespace) { errors.add("name", "can't be blank") }
        if description.allSatisfy(\.isWhitespace) { errors.add("description", "can't be blank") }
        let orderType = orderType ?? base.flatMap { OrderType(rawValue: $0.orderType) }
        if orderType == nil && errors.messages["order_type"] == nil { errors.add("order_type", "can't be blank") }
        let category = offerCategory ?? base?.offerCategory
        if base == nil && category == nil && errors.messages["offer_category"] == nil { errors.add("offer_category", "must exist") }
        // OMS rules need every OMS field read correctly, or they would judge a value the client did not send.
        let omsFieldsRead = ["internal", "primary_oms_id", "oms_params"].allSatisfy { errors.messages[$0] == nil }

        var params = omsParams ?? base?.omsParams.objectValue ?? [:]
        // As the marketplace's update: naming a primary OMS without custom params clears the params.
        if base != nil, omsParams == nil, let id = primaryOMSID, Self.hasNoCustomParams(omses.primary(id)) {
            params = [:]
        }
        var settings = OfferOMSSettings(isInternal: isInternal ?? base?.isInternal ?? false,
                                        primaryOMSID: primaryOMSID ?? base?.primaryOMSID, omsParams: params)
        if let orderType {
            settings = settings.normalized(orderType: orderType)
            if omsFieldsRead {
                errors.merge(settings.problems(primary: settings.primaryOMSID.map(omses.primary), defaultOMS: omses.defaultParams))
            }
            if let service = OrderType(rawValue: service.orderType),
               let problem = OfferRules.orderTypeProblem(offer: orderType, service: service, otherPublished: otherPublishedTypes) {
                errors.add("order_type", problem)
            }
        }
        try errors.throwIfAny()
        return OfferFields(name: name, description: description, orderType: orderType!.rawValue,
                           orderURL: orderURL ?? base?.orderURL, offerCategory: category, isInternal: settings.isInternal,
                           primaryOMSID: settings.primaryOMSID, omsParams: .object(settings.omsParams),
                           parameters: parameters ?? base?.parameters ?? .array([]))
    }

    private static func hasNoCustomParams(_ primary: OfferOMSSettings.PrimaryOMS) -> Bool {
        if case .found(_, let params) = primary { return params.isEmpty }
        return false
    }
}

/// What the offer rules need to know about OMSes, read once per write.
struct OMSFacts: Sendable {
    /// Custom params of the OMSes looked up (those available to the resource and any named), by id.
    var customParams: [Int64: OMSCustomParams]
    /// The OMSes the resource may use.
    var available: Set<Int64>
    /// The default OMS's custom params; `nil` when there is no default OMS.
    var defaultParams: OMSCustomParams?

    func primary(_ id: Int64) -> OfferOMSSettings.PrimaryOMS {
        guard let params = customParams[id] else { return .missing }
        return .found(available: available.contains(id), customParams: params)
    }
}
