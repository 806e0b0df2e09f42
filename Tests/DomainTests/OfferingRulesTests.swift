import Domain
import Testing
import Wire

@Suite("Offering API rules: OMS settings of offers, order types, URLs")
struct OfferingRulesTests {
    // MARK: internal / primary_oms_id / oms_params normalization

    static let normalizations: [(OrderType, Bool, Bool)] = OrderType.allCases.flatMap { t in [(t, false, false), (t, true, t == .orderRequired)] }

    @Test("internal survives only for order_required; primary OMS and oms_params only when internal; blanks stripped",
          arguments: normalizations)
    func normalization(type: OrderType, isInternal: Bool, keepsInternal: Bool) {
        let given = OfferOMSSettings(isInternal: isInternal, primaryOMSID: 7,
                                     omsParams: ["a": "x", "b": "", "c": " ", "d": nil, "e": false, "f": [], "g": [:], "h": 0, "i": true])
        let normalized = given.normalized(orderType: type)
        #expect(normalized.isInternal == keepsInternal)
        if keepsInternal {
            #expect(normalized.primaryOMSID == 7)
            #expect(normalized.omsParams == ["a": "x", "h": 0, "i": true])
        } else {
            #expect(normalized == OfferOMSSettings(isInternal: false))
        }
    }

    // MARK: OMS checks

    struct OMSCase: Sendable, CustomTestStringConvertible {
        let label: String
        let settings: OfferOMSSettings
        let primary: OfferOMSSettings.PrimaryOMS?
        let defaultOMS: OMSCustomParams?
        let expected: [String: [String]]
        var testDescription: String { label }
    }

    static let optional = OMSCustomParams(["order_target": .optional])
    static let mandatory = OMSCustomParams(["order_target": .optional, "queue": .mandatory(default: "main")])
    static let empty = OMSCustomParams()

    static func internalOffer(_ primary: Int64?, _ params: [String: JSONValue] = [:]) -> OfferOMSSettings {
        OfferOMSSettings(isInternal: true, primaryOMSID: primary, omsParams: params)
    }

    static let omsCases: [OMSCase] = [
        OMSCase(label: "not internal: nothing is checked", settings: OfferOMSSettings(isInternal: false), primary: nil,
                defaultOMS: mandatory, expected: [:]),
        OMSCase(label: "primary OMS that does not exist", settings: internalOffer(9), primary: .missing, defaultOMS: optional,
                expected: ["primary_oms": ["doesn't exist"]]),
        OMSCase(label: "primary OMS not available to the resource", settings: internalOffer(9),
                primary: .found(available: false, customParams: empty), defaultOMS: optional,
                expected: ["primary_oms": ["has to be available in the service scope"]]),
        OMSCase(label: "params for an OMS without custom params", settings: internalOffer(9, ["x": "1"]),
                primary: .found(available: true, customParams: empty), defaultOMS: optional,
                expected: ["oms_params": ["must be blank if primary OMS' custom params are blank"]]),
        OMSCase(label: "no params for an OMS without custom params", settings: internalOffer(9),
                primary: .found(available: true, customParams: empty), defaultOMS: mandatory, expected: [:]),
        OMSCase(label: "mandatory params of the primary OMS missing entirely", settings: internalOffer(9),
                primary: .found(available: true, customParams: mandatory), defaultOMS: optional,
                expected: ["oms_params": ["can't be blank"]]),
        OMSCase(label: "a key the OMS does not define", settings: internalOffer(9, ["queue": "q", "colour": "red"]),
                primary: .found(available: true, customParams: mandatory), defaultOMS: nil,
                expected: ["oms_params": ["additional unspecified keys added"]]),
        OMSCase(label: "a key the OMS does not define, no mandatory params (stricter than the marketplace)",
                settings: internalOffer(9, ["colour": "red"]), primary: .found(available: true, customParams: optional),
                defaultOMS: nil, expected: ["oms_params": ["additional unspecified keys added"]]),
        OMSCase(label: "a mandatory key missing", settings: internalOffer(9, ["order_target": "x@y.z"]),
                primary: .found(available: true, customParams: mandatory), defaultOMS: nil,
                expected: ["oms_params": ["missing mandatory keys"]]),
        OMSCase(label: "every mandatory key given", settings: internalOffer(9, ["queue": "q"]),
                primary: .found(available: true, customParams: mandatory), defaultOMS: nil, expected: [:]),
        OMSCase(label: "unavailable and wrong params: both reported",
                settings: internalOffer(9, ["colour": "red"]), primary: .found(available: false, customParams: mandatory),
                defaultOMS: nil, expected: ["primary_oms": ["has to be available in the service scope"],
                                            "oms_params": ["additional unspecified keys added"]]),
        OMSCase(label: "no primary: the default OMS's custom params apply", settings: internalOffer(nil),
                primary: nil, defaultOMS: mandatory, expected: ["oms_params": ["can't be blank"]]),
        OMSCase(label: "no primary, optional default params, none given", settings: internalOffer(nil),
                primary: nil, defaultOMS: optional, expected: [:]),
        OMSCase(label: "no primary, optional default params, one given", settings: internalOffer(nil, ["order_target": "a@b.c"]),
                primary: nil, defaultOMS: optional, expected: [:]),
        OMSCase(label: "no primary and no default OMS: params must be blank", settings: internalOffer(nil, ["x": "1"]),
                primary: nil, defaultOMS: nil, expected: ["oms_params": ["must be blank"]]),
    ]

    @Test("primary OMS and oms_params are checked against the OMS's custom params", arguments: omsCases)
    func omsChecks(row: OMSCase) {
        #expect(row.settings.problems(primary: row.primary, defaultOMS: row.defaultOMS) == FieldErrors(row.expected))
    }

    // MARK: order type tied to the service

    @Test("an offer may differ from its service's order type only if another published offer has it", arguments: [
        (OrderType.orderRequired, OrderType.orderRequired, [OrderType](), nil as String?),
        (.openAccess, .orderRequired, [], "must be the same as in the service: order_required"),
        (.openAccess, .orderRequired, [.openAccess, .other], "must be the same as in the service: order_required"),
        (.openAccess, .orderRequired, [.orderRequired], nil),
        (.orderRequired, .orderRequired, [.openAccess], nil),
        (.other, .fullyOpenAccess, [.openAccess, .fullyOpenAccess], nil),
    ])
    func orderType(offer: OrderType, service: OrderType, others: [OrderType], expected: String?) {
        #expect(OfferRules.orderTypeProblem(offer: offer, service: service, otherPublished: others) == expected)
    }

    @Test("URLs are absolute http(s) with a host and no blanks", arguments: [
        ("https://example.org/order", true), ("http://localhost:8080", true), ("HTTPS://EXAMPLE.ORG", true),
        ("ftp://example.org", false), ("https://", false), ("https://:80/x", false), ("example.org", false),
        ("https://exa mple.org", false), ("", false), ("mailto:a@b.c", false),
    ])
    func urls(text: String, valid: Bool) {
        #expect(OfferRules.isHTTPURL(text) == valid)
    }

    @Test("field errors keep each message once, in order, and merge")
    func fieldErrors() {
        var errors = FieldErrors()
        #expect(errors.isEmpty)
        errors.add("name", "can't be blank")
        errors.add("name", "can't be blank")
        errors.add("name", "is too long")
        errors.merge(FieldErrors(["offers": ["x"], "name": ["is too long", "z"]]))
        #expect(errors.messages == ["name": ["can't be blank", "is too long", "z"], "offers": ["x"]])
        #expect(errors.description == "name: can't be blank; name: is too long; name: z; offers: x")
        #expect(throws: FieldErrors.self) { try errors.throwIfAny() }
        #expect(throws: Never.self) { try FieldErrors().throwIfAny() }
    }
}
