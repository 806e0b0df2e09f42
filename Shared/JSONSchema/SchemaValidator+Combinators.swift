import Wire

/// `allOf`, `anyOf`, `oneOf`, `not` and `$ref`, with the gem's quirks kept on purpose because
/// clients see their messages.
extension SchemaValidator {
    /// Every sub-schema is tried; the error reported is the message of the *last* one that
    /// failed, unchanged (recent gem versions re-raise it, which is why an offer body with a bad
    /// parameter answers `The property '#/parameters/0' …` although the check sits in an `allOf`).
    func checkAllOf(_ list: OrderedJSON, _ document: String, _ data: JSONValue,
                    _ path: [String]) throws(SchemaViolation) {
        guard let schemas = list.arrayValue else { return }
        var last: SchemaViolation?
        for schema in schemas {
            do {
                try validate(schema, document, data, path)
            } catch {
                last = error
            }
        }
        if let last { throw last }
    }

    /// The first sub-schema that passes ends the check; none passing is one message about the whole.
    func checkAnyOf(_ list: OrderedJSON, _ document: String, _ data: JSONValue,
                    _ path: [String]) throws(SchemaViolation) {
        guard let schemas = list.arrayValue else { return }
        for schema in schemas {
            do {
                try validate(schema, document, data, path)
                return
            } catch {
                continue
            }
        }
        throw violation(path, "of type \(data.typeName) did not match one or more of the required schemas")
    }

    /// Exactly one sub-schema must pass; the inner messages are not shown.
    func checkOneOf(_ list: OrderedJSON, _ document: String, _ data: JSONValue,
                    _ path: [String]) throws(SchemaViolation) {
        guard let schemas = list.arrayValue else { return }
        var failures = 0
        for schema in schemas {
            do {
                try validate(schema, document, data, path)
            } catch {
                failures += 1
            }
        }
        if failures == schemas.count - 1 { return }
        if failures == schemas.count {
            throw violation(path, "of type \(data.typeName) did not match any of the required schemas")
        }
        throw violation(path, "of type \(data.typeName) matched more than one of the required schemas")
    }

    func checkNot(_ schema: OrderedJSON, _ document: String, _ data: JSONValue,
                  _ path: [String]) throws(SchemaViolation) {
        do {
            try validate(schema, document, data, path)
        } catch {
            return
        }
        throw violation(path, "of type \(data.typeName) matched the disallowed schema")
    }

    /// A reference to the same or another document; other keywords beside `$ref` are still
    /// checked, as the gem does (it treats `$ref` as one more keyword).
    func checkRef(_ ref: OrderedJSON, _ document: String, _ data: JSONValue,
                  _ path: [String]) throws(SchemaViolation) {
        guard case .string(let text) = ref else {
            throw violation(path, "was not a valid schema")
        }
        guard let (schema, target) = store.resolve(text, from: document) else {
            let base = SchemaStore.directory(of: document)
            throw SchemaViolation("The referenced schema '\(text.hasPrefix("#") ? document + text : base + text)' cannot be found")
        }
        try validate(schema, target, data, path)
    }
}
