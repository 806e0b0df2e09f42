public import Foundation
import JSONSchema
public import Wire

/// The TMF622 v4.0.0 swagger document, shipped unmodified, so request bodies are checked
/// against TM Forum's own definitions (types, enums, required members, date-time formats) with
/// a message that names the offending attribute.
public enum TMFSpec {
    static let fileName = "tmf622-v4.swagger.json"

    /// The document's bytes (served as is by the gateway).
    public static let document: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "tmf622-v4.swagger", withExtension: "json"),
              let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("the TMF622 swagger is missing from the resource bundle \(Bundle.module.bundlePath)")
        }
        return Array(data)
    }()

    static let store: SchemaStore = {
        do {
            return SchemaStore(documents: [fileName: try OrderedJSON.parse(document)])
        } catch {
            fatalError("the shipped TMF622 swagger does not parse: \(error)")
        }
    }()

    /// The first way `value` breaks the definition `name` (e.g. `ProductOrder_Create`), as a
    /// message such as `The property '#/productOrderItem/0/action' value "x" did not match one
    /// of the following values: add, modify, delete, noChange`, or nil when it conforms.
    public static func violation(of value: JSONValue, definition name: String) -> String? {
        store.validate(value, against: "\(fileName)#/definitions/\(name)")?.message
    }
}

extension TMFSpec {
    /// The first-level attribute names of a definition (what list filters may name).
    public static func attributeNames(_ definition: String) -> Set<String> {
        guard let object = (try? OrderedJSON.parse(document))?["definitions"]?[definition]?["properties"]?.members else { return [] }
        return Set(object.map(\.key))
    }

    /// The attribute a violation message is about, as a dotted path (`productOrderItem.0.action`),
    /// or nil when the message names the whole body.
    public static func field(of message: String) -> String? {
        guard let start = message.range(of: "'#/") else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        let path = rest[..<end].split(separator: "/").joined(separator: ".")
        return path.isEmpty ? nil : path
    }
}
