import Contracts
import Domain
import Wire

/// The `external_ref` extension of `PATCH /api/v1/oms/{id}/projects/{p}/project_items/{i}`: an
/// OMS stores its own reference for an item (`"external_ref": "HELP-123"`, or `null` to clear)
/// and reads it back in `attributes.external_ref`.
///
/// The spec's update schema allows no other property, so the value is taken out of the body
/// before the schema check and validated here; a body with only `external_ref` is accepted
/// although the schema requires `status` or `user_secrets`.
extension Gateway {
    /// Splits the body into the extension's value (`nil`: not given) and the rest.
    static func takeExternalRef(_ body: RequestBody) throws -> (rest: RequestBody, update: ExternalRefUpdate?) {
        guard let value = body.fields["external_ref"] else { return (body, nil) }
        var rest = body.fields
        rest["external_ref"] = nil
        do {
            return (RequestBody(fields: rest), ExternalRefUpdate(try ExternalRef.parse(value)))
        } catch {
            throw APIError.field(error.field, error.message)
        }
    }
}

extension RequestBody {
    /// A body already parsed (what is left once an extension's properties are taken out).
    init(fields: [String: JSONValue]) { self.fields = fields }
}

extension ItemUpdateBody {
    /// A body that changes neither status nor secrets (only the `external_ref` extension).
    init() {}
}
