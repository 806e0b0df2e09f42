public import Wire

/// JSON Merge Patch (RFC 7386): the PATCH format TMF630 makes mandatory
/// (`application/merge-patch+json`, and plain `application/json` read the same way).
///
/// A client sends the attributes it changes; `null` deletes one, an object merges into the object
/// it replaces, and anything else (arrays included) replaces the old value whole. Pure, so the
/// gateway can compute the patched resource, validate it, and only then send a command.
public enum JSONMergePatch {
    /// `target` with `patch` applied, exactly as RFC 7386 §2 `MergePatch(Target, Patch)`.
    ///
    /// A patch that is not an object replaces the target whole; a target that is not an object is
    /// treated as an empty object when the patch is one.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let members) = target { result = members } else { result = [:] }
        for (name, value) in changes {
            if value == .null {
                result.removeValue(forKey: name)
            } else {
                result[name] = apply(value, to: result[name] ?? .null)
            }
        }
        return .object(result)
    }
}
