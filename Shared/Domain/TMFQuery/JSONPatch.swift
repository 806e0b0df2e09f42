public import Wire

/// JSON Patch (RFC 6902, `application/json-patch+json`): the PATCH format TMF630 offers for what
/// a merge patch cannot say, such as changing one element of `productOrderItem`.
///
/// Operations apply in order to an immutable value, so a failing operation leaves nothing half
/// applied: the caller gets either the fully patched document or an error and keeps the original.
public enum JSONPatch {
    /// `target` after every operation of `operations` (a JSON array of RFC 6902 operations).
    ///
    /// Supports `add`, `remove`, `replace`, `move`, `copy` and `test` with RFC 6901 pointers
    /// (`~0` for `~`, `~1` for `/`, `-` for the end of an array). Members an operation does not
    /// use are ignored, as RFC 6902 §4 requires.
    public static func apply(_ operations: JSONValue, to target: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard case .array(let list) = operations else {
            throw JSONPatchError(index: -1, path: "", reason: "a JSON Patch document must be an array of operations")
        }
        var document = target
        for (index, operation) in list.enumerated() {
            do {
                document = try applyOne(operation, to: document)
            } catch {
                throw JSONPatchError(index: index, path: error.path, reason: error.reason)
            }
        }
        return document
    }

    /// One operation; errors carry index 0 and are renumbered by the caller.
    private static func applyOne(_ operation: JSONValue, to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard case .object(let members) = operation else { throw failure("", "an operation must be a JSON object") }
        guard case .string(let op)? = members["op"], ["add", "remove", "replace", "move", "copy", "test"].contains(op) else {
            throw failure("", "op must be one of add, remove, replace, move, copy, test")
        }
        let path = try pointer(members["path"], name: "path")
        switch op {
        case "add":
            return try add(try required(members["value"], path), at: path, in: document)
        case "remove":
            return try remove(at: path, in: document)
        case "replace":
            let value = try required(members["value"], path)
            guard path.value(in: document) != nil else { throw missing(path) }
            return try update(document, path.tokens[...], path) { _ throws(JSONPatchError) in value }
        case "move":
            let from = try pointer(members["from"], name: "from")
            guard let value = from.value(in: document) else { throw missing(from) }
            if from.isProperPrefix(of: path) { throw failure(path.text, "a location cannot be moved into one of its children") }
            if from == path { return document }
            return try add(value, at: path, in: try remove(at: from, in: document))
        case "copy":
            let from = try pointer(members["from"], name: "from")
            guard let value = from.value(in: document) else { throw missing(from) }
            return try add(value, at: path, in: document)
        default:
            let value = try required(members["value"], path)
            guard let current = path.value(in: document) else { throw missing(path) }
            guard current.jsonEquals(value) else { throw failure(path.text, "test failed: \(path.text) is not equal to the given value") }
            return document
        }
    }

    /// RFC 6902 §4.1: sets an object member, inserts into an array (`-` appends), or replaces the
    /// whole document; the parent must exist.
    private static func add(_ value: JSONValue, at path: JSONPointer, in document: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard let last = path.tokens.last else { return value }
        return try update(document, path.tokens.dropLast(), path) { parent throws(JSONPatchError) in
            switch parent {
            case .object(var members):
                members[last] = value
                return .object(members)
            case .array(var elements):
                if last == "-" {
                    elements.append(value)
                } else {
                    guard let i = JSONPointer.index(last) else { throw badIndex(path, last) }
                    guard i <= elements.count else { throw failure(path.text, "the path \(path.text) is past the end of the array") }
                    elements.insert(value, at: i)
                }
                return .array(elements)
            default:
                throw missing(path)
            }
        }
    }

    /// RFC 6902 §4.2: removes an existing member or element (later elements shift left).
    private static func remove(at path: JSONPointer, in document: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard let last = path.tokens.last else { throw failure(path.text, "the whole document cannot be removed") }
        return try update(document, path.tokens.dropLast(), path) { parent throws(JSONPatchError) in
            switch parent {
            case .object(var members):
                guard members.removeValue(forKey: last) != nil else { throw missing(path) }
                return .object(members)
            case .array(var elements):
                guard let i = JSONPointer.index(last) else { throw badIndex(path, last) }
                guard i < elements.count else { throw missing(path) }
                elements.remove(at: i)
                return .array(elements)
            default:
                throw missing(path)
            }
        }
    }

    /// `document` with the value at `tokens` replaced by `change(value)`; every step must exist.
    private static func update(
        _ document: JSONValue, _ tokens: ArraySlice<String>, _ path: JSONPointer,
        _ change: (JSONValue) throws(JSONPatchError) -> JSONValue
    ) throws(JSONPatchError) -> JSONValue {
        guard let token = tokens.first else { return try change(document) }
        switch document {
        case .object(var members):
            guard let child = members[token] else { throw missing(path) }
            members[token] = try update(child, tokens.dropFirst(), path, change)
            return .object(members)
        case .array(var elements):
            guard let i = JSONPointer.index(token) else { throw badIndex(path, token) }
            guard i < elements.count else { throw missing(path) }
            elements[i] = try update(elements[i], tokens.dropFirst(), path, change)
            return .array(elements)
        default:
            throw missing(path)
        }
    }

    private static func pointer(_ member: JSONValue?, name: String) throws(JSONPatchError) -> JSONPointer {
        guard let member else { throw failure("", "\(name) is required") }
        guard case .string(let text) = member else { throw failure("", "\(name) must be a string holding a JSON Pointer") }
        guard let pointer = JSONPointer(text) else {
            throw failure(text, "\(name) \(text) is not a JSON Pointer (it must be empty or start with /, and ~ must be followed by 0 or 1)")
        }
        return pointer
    }

    private static func required(_ value: JSONValue?, _ path: JSONPointer) throws(JSONPatchError) -> JSONValue {
        guard let value else { throw failure(path.text, "value is required") }
        return value
    }

    private static func missing(_ path: JSONPointer) -> JSONPatchError { failure(path.text, "the path \(path.text) does not exist") }

    private static func badIndex(_ path: JSONPointer, _ token: String) -> JSONPatchError {
        failure(path.text, "the path \(path.text) has \(token) where an array index is expected (digits without a leading zero)")
    }

    private static func failure(_ path: String, _ reason: String) -> JSONPatchError {
        JSONPatchError(index: 0, path: path, reason: reason)
    }
}

/// Why a JSON Patch could not be applied, so the PATCH endpoint can answer 400 (or 409 for a
/// failed `test`, at the caller's choice) naming the operation and pointer the client must fix.
public struct JSONPatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 0-based position of the failing operation; -1 when the document is not an array.
    public var index: Int
    /// The pointer that failed: the operation's `path`, or its `from` when that one is wrong
    /// (empty when the operation has none to blame).
    public var path: String
    /// A sentence for the client: "the path /x does not exist", "value is required"…
    public var reason: String

    /// An error at operation `index` about pointer `path`.
    public init(index: Int, path: String, reason: String) {
        self.index = index
        self.path = path
        self.reason = reason
    }

    /// `operation 2: the path /x does not exist`, for TMF's error `reason`.
    public var description: String { index < 0 ? reason : "operation \(index): \(reason)" }
}
