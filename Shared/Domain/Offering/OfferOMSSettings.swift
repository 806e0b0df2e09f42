public import Wire

/// Which OMS handles an offer's orders and with what extra values: the offer's `internal`,
/// `primary_oms_id` and `oms_params`, with the marketplace's rules (research §3).
public struct OfferOMSSettings: Hashable, Sendable {
    /// Ordered through this system (only meaningful for `order_required`).
    public var isInternal: Bool
    /// The OMS that handles the offer's items; `nil` means the default OMS.
    public var primaryOMSID: Int64?
    /// Values for the primary OMS's `custom_params`.
    public var omsParams: [String: JSONValue]

    /// Builds settings as given; ``normalized(orderType:)`` applies the marketplace's rules.
    public init(isInternal: Bool, primaryOMSID: Int64? = nil, omsParams: [String: JSONValue] = [:]) {
        self.isInternal = isInternal
        self.primaryOMSID = primaryOMSID
        self.omsParams = omsParams
    }

    /// What the marketplace stores before validating: `internal` forced false unless
    /// `order_required`; primary OMS and `oms_params` dropped unless internal; blank
    /// `oms_params` values stripped (Ruby's `present?`: null, false, blank text, empty
    /// array or object).
    public func normalized(orderType: OrderType) -> OfferOMSSettings {
        let isInternal = orderType == .orderRequired && self.isInternal
        guard isInternal else { return OfferOMSSettings(isInternal: false) }
        return OfferOMSSettings(isInternal: true, primaryOMSID: primaryOMSID,
                                omsParams: omsParams.filter { !Self.isBlank($0.value) })
    }

    /// Ruby's `blank?` for a JSON value.
    public static func isBlank(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .bool(false): return true
        case .string(let s): return s.allSatisfy(\.isWhitespace)
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        default: return false
        }
    }

    /// What is known about the named primary OMS.
    public enum PrimaryOMS: Hashable, Sendable {
        /// No OMS has that id.
        case missing
        /// The OMS exists; `available` when the resource may use it (default, global, dedicated
        /// to the resource, or a provider group of its provider).
        case found(available: Bool, customParams: OMSCustomParams)
    }

    /// The problems of normalized settings, keyed `primary_oms` and `oms_params` with the
    /// marketplace's messages. `primary` describes ``primaryOMSID`` when set; `defaultOMS` is the
    /// default OMS's custom params (`nil` when there is no default OMS), which apply to an
    /// internal offer without a primary OMS.
    ///
    /// One deliberate difference: keys the OMS does not define are refused whenever the OMS
    /// has custom params, not only when some are mandatory (the marketplace then lets any key
    /// through, which an OMS cannot interpret).
    public func problems(primary: PrimaryOMS?, defaultOMS: OMSCustomParams?) -> FieldErrors {
        var errors = FieldErrors()
        guard isInternal else { return errors }
        let current: OMSCustomParams?
        switch (primaryOMSID, primary) {
        case (nil, _):
            current = defaultOMS
        case (_?, .missing?), (_?, nil):
            errors.add("primary_oms", "doesn't exist")
            return errors
        case (_?, .found(let available, let params)?):
            if !available { errors.add("primary_oms", "has to be available in the service scope") }
            current = params
        }
        guard let current else {
            if !omsParams.isEmpty { errors.add("oms_params", "must be blank") }
            return errors
        }
        if current.isEmpty {
            if !omsParams.isEmpty { errors.add("oms_params", "must be blank if primary OMS' custom params are blank") }
        } else if !current.mandatoryNames.isEmpty && omsParams.isEmpty {
            errors.add("oms_params", "can't be blank")
        } else if !Set(omsParams.keys).isSubset(of: Set(current.params.keys)) {
            errors.add("oms_params", "additional unspecified keys added")
        } else if !current.mandatoryNames.isSubset(of: Set(omsParams.keys)) {
            errors.add("oms_params", "missing mandatory keys")
        }
        return errors
    }
}
