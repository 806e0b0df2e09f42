import Wire

/// One validation run: walks a schema the way the gem's `JSON::Schema::Validator#validate` does.
///
/// The gem loops over the schema's members in document order and hands each keyword it knows to
/// its attribute class, which raises at the first problem (`validate!` records nothing). So the
/// reported problem is the first one met in that walk, which is why schemas are ``OrderedJSON``.
/// Keywords are the gem's draft-4 set plus `const` (drafts 6 and 7, the gem's default validator
/// in recent versions; only response schemas use it here). The draft-3 `disallow` and `extends`,
/// which the gem's draft-4 validator also accepts, are not supported: no EOSC schema uses them.
struct SchemaValidator {
    let store: SchemaStore
    let options: SchemaOptions

    /// Validates `data` (found at `path` in the document being checked) against `schema`,
    /// which lives in `document` (for resolving relative `$ref`s).
    func validate(_ schema: OrderedJSON, _ document: String, _ data: JSONValue,
                  _ path: [String]) throws(SchemaViolation) {
        guard let members = schema.members else { return }
        if options.nullable, data == .null, schema["nullable"] == .bool(true) { return }
        for member in members {
            let value = member.value
            switch member.key {
            case "type": try checkType(value, data, path)
            case "allOf": try checkAllOf(value, document, data, path)
            case "anyOf": try checkAnyOf(value, document, data, path)
            case "oneOf": try checkOneOf(value, document, data, path)
            case "not": try checkNot(value, document, data, path)
            case "$ref": try checkRef(value, document, data, path)
            case "format": try checkFormat(value, data, path)
            case "maximum", "minimum": try checkNumericLimit(member.key, value, schema, data, path)
            case "minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength":
                try checkSizeLimit(member.key, value, data, path)
            case "uniqueItems": try checkUniqueItems(data, path)
            case "multipleOf": try checkMultipleOf(value, data, path)
            case "enum": try checkEnum(value, data, path)
            case "const": try checkConst(value, data, path)
            case "pattern": try checkPattern(value, data, path)
            case "properties": try checkProperties(value, document, data, path)
            case "required": try checkRequired(value, data, path)
            case "patternProperties": try checkPatternProperties(value, document, data, path)
            case "additionalProperties": try checkAdditionalProperties(value, schema, document, data, path)
            case "items": try checkItems(value, document, data, path)
            case "additionalItems": try checkAdditionalItems(value, schema, document, data, path)
            case "dependencies": try checkDependencies(value, document, data, path)
            default: continue
            }
        }
    }

    /// The gem's `build_fragment`: `#/` followed by the path joined with `/`, unescaped.
    static func fragment(_ path: [String]) -> String { "#/" + path.joined(separator: "/") }

    func violation(_ path: [String], _ text: String) -> SchemaViolation {
        SchemaViolation("The property '\(Self.fragment(path))' \(text)")
    }

    // MARK: type

    /// `type` as a name or a list of names (a union); unknown names and schemas in a union match
    /// anything, as in the gem.
    func checkType(_ type: OrderedJSON, _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        let union: Bool
        let types: [OrderedJSON]
        if case .array(let list) = type { (union, types) = (true, list) } else { (union, types) = (false, [type]) }
        if types.contains(where: { Self.matches(data, type: $0) }) { return }
        let names = types.map { $0.stringValue ?? "(schema)" }.joined(separator: ", ")
        let which = union ? "one or more of the following types" : "the following type"
        throw violation(path, "of type \(data.typeName) did not match \(which): \(names)")
    }

    static func matches(_ data: JSONValue, type: OrderedJSON) -> Bool {
        guard case .string(let name) = type else { return true }
        switch (name, data) {
        case ("string", .string), ("integer", .int), ("number", .int), ("number", .double), ("boolean", .bool),
             ("object", .object), ("array", .array), ("null", .null):
            return true
        case ("string", _), ("integer", _), ("number", _), ("boolean", _), ("object", _), ("array", _), ("null", _):
            return false
        default:
            return true
        }
    }

    // MARK: objects

    /// Each listed property the data has, in the schema's order. (Draft 4: absence is `required`'s job.)
    func checkProperties(_ properties: OrderedJSON, _ document: String, _ data: JSONValue,
                         _ path: [String]) throws(SchemaViolation) {
        guard case .object(let fields) = data, let list = properties.members else { return }
        for property in list {
            guard let value = fields[property.key] else { continue }
            try validate(property.value, document, value, path + [property.key])
        }
    }

    func checkRequired(_ required: OrderedJSON, _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard case .object(let fields) = data, let names = required.arrayValue else { return }
        for name in names {
            let key = RubyText.toS(name)
            if fields[key] == nil { throw violation(path, "did not contain a required property of '\(key)'") }
        }
    }

    func checkPatternProperties(_ patterns: OrderedJSON, _ document: String, _ data: JSONValue,
                                _ path: [String]) throws(SchemaViolation) {
        guard case .object(let fields) = data, let list = patterns.members else { return }
        for pattern in list {
            for key in Self.keys(of: fields) where RubyRegex.matches(pattern.key, key) {
                try validate(pattern.value, document, fields[key] ?? .null, path + [key])
            }
        }
    }

    /// Members not named by `properties` nor matched by `patternProperties`: each checked against
    /// a schema, or refused when the schema says `false`. As in the gem, only when the schema's
    /// `type` is absent or exactly `"object"`.
    func checkAdditionalProperties(_ additional: OrderedJSON, _ schema: OrderedJSON, _ document: String,
                                   _ data: JSONValue, _ path: [String]) throws(SchemaViolation) {
        guard case .object(let fields) = data else { return }
        if let type = schema["type"], type != .string("object") { return }
        let named = Set(schema["properties"]?.members?.map(\.key) ?? [])
        let patterns = schema["patternProperties"]?.members?.map(\.key) ?? []
        let extra = Self.keys(of: fields).filter { key in
            !named.contains(key) && !patterns.contains { RubyRegex.matches($0, key) }
        }
        if case .object = additional {
            for key in extra { try validate(additional, document, fields[key] ?? .null, path + [key]) }
            return
        }
        guard additional == .bool(false), !extra.isEmpty else { return }
        let list = "[" + extra.map { RubyText.inspect($0) }.joined(separator: ", ") + "]"
        throw violation(path, "contains additional properties \(list) outside of the schema when none are allowed")
    }

    /// `dependencies` (draft 4): a list of properties that must then be present, or a schema the
    /// whole object must then match.
    func checkDependencies(_ dependencies: OrderedJSON, _ document: String, _ data: JSONValue,
                           _ path: [String]) throws(SchemaViolation) {
        guard case .object(let fields) = data, let list = dependencies.members else { return }
        for dependency in list where fields[dependency.key] != nil {
            switch dependency.value {
            case .array(let names):
                for name in names where fields[RubyText.toS(name)] == nil {
                    throw violation(path, "has a property '\(dependency.key)' that depends on a missing property '\(RubyText.toS(name))'")
                }
            case .object:
                try validate(dependency.value, document, data, path)
            default:
                continue
            }
        }
    }

    /// An object's keys in a stable order. Ruby would use the order of the request body, which a
    /// `JSONValue` does not keep; this matters only when several properties fail at one level.
    static func keys(of fields: [String: JSONValue]) -> [String] { fields.keys.sorted() }
}
