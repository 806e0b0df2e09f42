import Wire

/// Reads the fields of one JSON object of a parameter, collecting a ``ParameterProblem`` for each
/// missing or mistyped field instead of stopping at the first, and naming the field by its path
/// (`config.minimum`).
struct JSONFields {
    private let members: [String: JSONValue]
    private let path: String
    let parameterID: String
    private(set) var problems: [ParameterProblem] = []

    init(_ members: [String: JSONValue], parameterID: String, path: String = "") {
        self.members = members
        self.parameterID = parameterID
        self.path = path
    }

    /// The member, or `nil` when absent or JSON `null` (the schema treats both as "not given").
    func value(_ key: String) -> JSONValue? {
        guard let v = members[key], v != .null else { return nil }
        return v
    }

    mutating func report(_ key: String, _ message: String) {
        problems.append(ParameterProblem(code: .malformed, parameterID: parameterID, field: path + key, message: message))
    }

    mutating func absorb(_ other: JSONFields) { problems += other.problems }

    mutating func requiredString(_ key: String) -> String? {
        guard let v = value(key) else { report(key, "is required"); return nil }
        guard case .string(let s) = v else { report(key, "must be a string (got \(v.typeName))"); return nil }
        return s
    }

    mutating func optionalString(_ key: String) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { report(key, "must be a string or null (got \(v.typeName))"); return nil }
        return s
    }

    /// A string, also accepting a JSON integer as its decimal text (attribute values are strings in
    /// the schema, but providers write `4` for integer constants).
    mutating func requiredText(_ key: String) -> String? {
        guard let v = value(key) else { report(key, "is required"); return nil }
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        default: report(key, "must be a string (got \(v.typeName))"); return nil
        }
    }

    mutating func requiredInteger(_ key: String) -> Int64? {
        guard let v = value(key) else { report(key, "is required"); return nil }
        guard let i = v.intValue else { report(key, "must be an integer (got \(v.typeName))"); return nil }
        return i
    }

    mutating func optionalInteger(_ key: String) -> Int64? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { report(key, "must be an integer or null (got \(v.typeName))"); return nil }
        return i
    }

    mutating func optionalBool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { report(key, "must be true, false or null (got \(v.typeName))"); return nil }
        return b
    }

    /// One of the raw values of `E`, restricted to `allowed` when given (e.g. `range` takes only
    /// `integer` as `value_type`).
    mutating func requiredEnum<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type,
                                                                   allowed: [E]? = nil) -> E?
    where E.RawValue == String {
        let choices = allowed ?? Array(E.allCases)
        let names = choices.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        let rule = choices.count == 1 ? "must be \(names)" : "must be one of \(names)"
        guard let v = value(key) else { report(key, "is required (\(rule))"); return nil }
        guard case .string(let s) = v else { report(key, "\(rule) (got \(v.typeName))"); return nil }
        guard let e = choices.first(where: { $0.rawValue == s }) else {
            report(key, "\(rule) (got \"\(s)\")")
            return nil
        }
        return e
    }

    /// The nested object at `key` (usually `config`), or `nil` with a problem when required.
    mutating func object(_ key: String, required: Bool) -> JSONFields? {
        guard let v = value(key) else {
            if required { report(key, "is required") }
            return nil
        }
        guard case .object(let o) = v else { report(key, "must be an object (got \(v.typeName))"); return nil }
        return JSONFields(o, parameterID: parameterID, path: path + key + ".")
    }

    /// An array of JSON strings and integers (the choices of `select` and `multiselect`).
    mutating func requiredChoices(_ key: String) -> [JSONValue]? {
        guard let v = value(key) else { report(key, "is required"); return nil }
        guard case .array(let items) = v else { report(key, "must be an array (got \(v.typeName))"); return nil }
        var out: [JSONValue] = []
        for (n, item) in items.enumerated() {
            if case .string = item {
                out.append(item)
            } else if let i = item.intValue {
                out.append(.int(i))
            } else {
                report("\(key)[\(n)]", "must be a string or an integer (got \(item.typeName))")
            }
        }
        return out.count == items.count ? out : nil
    }
}
