import Domain
import Wire

/// The fixed content of `omsctl seed-demo`: one provider with one orderable offer, handled by
/// the provider's own OMS (triggered at a URL), with SOMBO as the default OMS.
///
/// Everything is keyed by a stable name (provider pid, service slug, OMS name, user uid), which
/// is what makes the seed idempotent: a re-run updates these rows instead of adding new ones.
enum DemoCatalogue {
    static let providerPID = "demo-provider"
    static let providerName = "Demo Provider"
    /// Two days, the marketplace's usual commitment.
    static let responseTimeSeconds = 2 * 24 * 3600

    static let serviceSlug = "demo-compute"
    static let servicePID = "demo-provider.demo-compute"
    static let serviceName = "Demo Compute"
    static let serviceDescription = "Virtual machines for research workloads, ordered through the demo provider's OMS."
    static let serviceCategories = ["Compute"]

    static let offerIID: Int64 = 1
    static let offerName = "Small VM"
    static let offerDescription = "A small virtual machine: choose the number of CPUs and a flavour."
    static let offerCategory = "service_category-compute"

    static let defaultOMSName = "SOMBO"
    static let defaultOMSCustomParams: JSONValue = ["order_target": ["mandatory": false]]
    static let providerOMSName = "Demo Provider OMS"

    static let researcherUID = "demo-researcher"
    static let omsAdminUID = "demo-oms-admin"
    static let operatorUID = "demo-operator"
    static let defaultOperatorEmail = "operator@example.org"
    static let defaultTriggerUser = "demo"
    static let defaultTriggerPassword = "demo-secret"

    /// The offer's parameters: what a researcher chooses when ordering. Every parameter needs a
    /// value in an order, so this list and the demo order of `deploy/up.sh` (`cpu`, `flavour`)
    /// change together.
    static let parameters: [OfferParameter] = [
        OfferParameter(id: "cpu", label: "CPUs", description: "Number of virtual CPUs",
                       kind: .range(.init(minimum: 1, maximum: 8, unit: "CPU"))),
        OfferParameter(id: "flavour", label: "Flavour", description: "Memory and disk size",
                       kind: .select(.init(values: ["small", "medium", "large"], mode: .dropdown, valueType: .string))),
    ]

    /// The parameters in the EOSC JSON shape, checked by the same rules the Offering API applies,
    /// so the demo can never seed an offer the gateway would refuse to order.
    static func parametersJSON() throws -> JSONValue {
        let json = JSONValue.array(parameters.map(\.json))
        do {
            _ = try OfferParameter.parseDefinitions(json)
        } catch {
            throw CtlError(.failed, "the demo offer's parameters are invalid: \(error)")
        }
        return json
    }
}
