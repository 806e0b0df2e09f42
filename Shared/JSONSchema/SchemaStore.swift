public import Wire

/// A set of JSON-schema documents that refer to each other by relative `$ref`, validated the way
/// the Ruby json-schema gem (`JSON::Validator.validate!`) does: draft-4 keywords, checked in the
/// order the schema lists them, stopping at the first failure, with the gem's message text.
///
/// Documents are named by their path relative to a common root (`offer/offer_write.json`), so
/// `offer_definitions.json#offer` in that file means `offer/offer_definitions.json`, member `offer`.
public struct SchemaStore: Sendable {
    /// Every document by its relative path.
    public let documents: [String: OrderedJSON]

    public init(documents: [String: OrderedJSON]) {
        self.documents = documents
    }

    /// Parses every `.json` source; other files (notes) are left out.
    public init(parsing sources: [String: [UInt8]]) throws(SchemaLoadError) {
        var documents: [String: OrderedJSON] = [:]
        for (path, bytes) in sources where path.hasSuffix(".json") {
            do {
                documents[path] = try OrderedJSON.parse(bytes)
            } catch {
                throw SchemaLoadError(path: path, reason: error.description)
            }
        }
        self.init(documents: documents)
    }

    /// Validates `data` against the document (or `document#fragment`) at `reference` and returns
    /// the first violation, or `nil` when the data conforms.
    public func validate(_ data: JSONValue, against reference: String,
                         options: SchemaOptions = .gem) -> SchemaViolation? {
        validate(data, schema: .object([OrderedJSON.Member("$ref", .string(reference))]), in: "", options: options)
    }

    /// Validates `data` against `schema`, whose relative `$ref`s are read from the location of
    /// the document `base` (e.g. a response schema written inside `ordering_swagger.json`).
    public func validate(_ data: JSONValue, schema: OrderedJSON, in base: String,
                         options: SchemaOptions = .gem) -> SchemaViolation? {
        do {
            try SchemaValidator(store: self, options: options).validate(schema, base, data, [])
            return nil
        } catch {
            return error
        }
    }

    /// Every `$ref` in every document that names nothing in the store, as `document: ref`
    /// (a packaging check: the files refer to each other by relative path).
    public func unresolvedReferences() -> [String] {
        var out: [String] = []
        func walk(_ value: OrderedJSON, _ document: String) {
            switch value {
            case .object(let members):
                for member in members {
                    if member.key == "$ref", case .string(let ref) = member.value, resolve(ref, from: document) == nil {
                        out.append("\(document): \(ref)")
                    }
                    walk(member.value, document)
                }
            case .array(let items):
                for item in items { walk(item, document) }
            default:
                return
            }
        }
        for (path, document) in documents { walk(document, path) }
        return out.sorted()
    }

    /// The schema a `$ref` names, seen from `document`, with the document it lives in.
    func resolve(_ ref: String, from document: String) -> (schema: OrderedJSON, document: String)? {
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let location = parts.isEmpty ? "" : String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        let target: String
        if location.isEmpty {
            target = document
        } else if location.contains("://") {
            return nil
        } else if location.hasPrefix("/") {
            target = Self.normalize(String(location.dropFirst()))
        } else {
            target = Self.normalize(Self.directory(of: document) + location)
        }
        guard var schema = documents[target] else { return nil }
        // The gem walks the fragment by `/`-separated names, skipping empty ones: `#offer`
        // and `#/definitions/x` both work; array elements are addressed by index.
        for name in fragment.split(separator: "/") {
            switch schema {
            case .object:
                guard let next = schema[String(name)] else { return nil }
                schema = next
            case .array(let items):
                guard let i = Int(name), items.indices.contains(i) else { return nil }
                schema = items[i]
            default:
                return nil
            }
        }
        return (schema, target)
    }

    /// `a/b/c.json` → `a/b/`; a document at the root → empty.
    static func directory(of document: String) -> String {
        guard let slash = document.lastIndex(of: "/") else { return "" }
        return String(document[...slash])
    }

    /// Removes `.` and resolves `..` segments (`a/b/../c` → `a/c`); `..` above the root is dropped.
    static func normalize(_ path: String) -> String {
        var out: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !out.isEmpty { out.removeLast() }
            default: out.append(segment)
            }
        }
        return out.joined(separator: "/")
    }
}

/// How strictly to read a schema.
public struct SchemaOptions: Sendable, Equatable {
    /// Accept `null` where a schema says `"nullable": true` (OpenAPI 3.0). The gem ignores that
    /// keyword, so request bodies are checked without it; response checks use it.
    public var nullable: Bool

    public init(nullable: Bool = false) {
        self.nullable = nullable
    }

    /// Exactly what the marketplace's gem checks (request bodies).
    public static let gem = SchemaOptions()
    /// OpenAPI 3.0 reading of the same schemas (responses described in the swagger documents).
    public static let openAPI = SchemaOptions(nullable: true)
}

/// The first way a value breaks a schema, in the gem's words, e.g.
/// `The property '#/status' of type string did not match the following type: object`.
public struct SchemaViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message the marketplace answers in `{"error": "<message>"}`.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// A schema document that is not valid JSON.
public struct SchemaLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "\(path): \(reason)" }
}
