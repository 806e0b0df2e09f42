import Contracts
import Domain
import Storage
import Wire

/// The EOSC Ordering API's JSON shapes (`specs/eosc/*/…_read.json`), built from stored records.
enum Representation {
    static func oms(_ oms: OMSRecord) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .int(oms.id), "name": .string(oms.name), "type": .string(oms.type), "default": .bool(oms.isDefault),
        ]
        if let params = oms.customParams.objectValue, !params.isEmpty { o["custom_params"] = oms.customParams }
        if let url = oms.triggerURL {
            var trigger: [String: JSONValue] = ["url": .string(url), "method": .string(oms.triggerMethod)]
            if let user = oms.triggerUser {
                trigger["authorization"] = ["type": "basic", "user": .string(user), "password": .string(oms.triggerPassword ?? "")]
            }
            o["trigger"] = .object(trigger)
        }
        return .object(o)
    }

    static func project(_ p: ProjectRecord) -> JSONValue {
        let a = p.attributes
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return [
            "id": .int(p.id),
            "owner": [
                "uid": .string(p.ownerUID), "email": .string(p.ownerEmail),
                "name": .string([p.ownerFirstName, p.ownerLastName].filter { !$0.isEmpty }.joined(separator: " ")),
                "first_name": .string(p.ownerFirstName), "last_name": .string(p.ownerLastName),
            ],
            "project_items": .array(p.itemIIDs.map(JSONValue.int)),
            "attributes": [
                "name": .string(a.name), "customer_typology": text(a.customerTypology), "organization": text(a.organization),
                "department": text(a.department), "department_webpage": text(a.departmentWebpage),
                "scientific_domains": .array(a.scientificDomains.map(JSONValue.string)), "country": text(a.country),
                "collaboration_countries": .array(a.collaborationCountries.map(JSONValue.string)),
                "user_group_name": text(a.userGroupName),
            ],
        ]
    }

    /// An item with `user_secrets` obfuscated except the keys written by the current request.
    static func item(_ i: ProjectItemRecord, revealing: Set<String> = []) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .int(i.iid), "project_id": .int(i.projectID),
            "status": ["value": .string(i.statusValue), "type": .string(i.statusType)],
            "attributes": attributes(i),
            "user_secrets": .object(UserSecrets(i.userSecrets).obfuscated(revealing: revealing).mapValues(JSONValue.string)),
        ]
        if let params = i.omsParams.objectValue, !params.isEmpty { o["oms_params"] = i.omsParams }
        return .object(o)
    }

    /// The item's `attributes`, with the OMS's `external_ref` (an extension) when it set one:
    /// the read schema allows no new top-level property, `attributes` is a free object.
    static func attributes(_ i: ProjectItemRecord) -> JSONValue {
        guard let ref = i.externalRef, case .object(var a) = i.attributes else { return i.attributes }
        a["external_ref"] = .string(ref)
        return .object(a)
    }

    static func event(_ e: EventRecord) -> JSONValue {
        var o: [String: JSONValue] = [
            "timestamp": .string(e.createdAt.rfc3339), "type": .string(e.type), "resource": .string(e.resource),
            "project_id": .int(e.projectID),
        ]
        if let iid = e.projectItemIID { o["project_item_id"] = .int(iid) }
        if let m = e.messageID { o["message_id"] = .int(m) }
        if e.type == "update" { o["changes"] = e.changes }
        return .object(o)
    }
}
