public import Wire

/// An OMS's trigger as the OMS self-service API writes it:
/// `{"url": …, "method": "get|post|put", "authorization": {"type": "basic", "user": …, "password": …}}`.
///
/// The same shape the Ordering API reads (`oms_read.json`), so an adapter can send back what it
/// read. `method` defaults to `post`; `authorization` is optional and only HTTP Basic exists.
public struct OMSTriggerSettings: Hashable, Sendable {
    /// The URL called once per event.
    public var url: String
    /// `get`, `post` or `put`.
    public var method: String
    /// HTTP Basic credentials, when the OMS wants them.
    public var user: String?
    /// The password that goes with ``user``.
    public var password: String?

    /// The trigger methods the marketplace knows.
    public static let methods = ["get", "post", "put"]

    /// Builds settings from checked values.
    public init(url: String, method: String = "post", user: String? = nil, password: String? = nil) {
        self.url = url
        self.method = method
        self.user = user
        self.password = password
    }

    /// Reads a `trigger` object; every problem is reported under `trigger.<field>`.
    public init(json: JSONValue) throws(FieldErrors) {
        var errors = FieldErrors()
        guard case .object(let o) = json else { throw FieldErrors(["trigger": ["must be an object"]]) }
        for key in o.keys.sorted() where !["url", "method", "authorization"].contains(key) {
            errors.add("trigger.\(key)", "is not a known property")
        }
        var url = ""
        switch o["url"] {
        case .string(let s)? where OfferRules.isHTTPURL(s): url = s
        case .string(let s)? where s.allSatisfy(\.isWhitespace): errors.add("trigger.url", "can't be blank")
        case nil, .null?: errors.add("trigger.url", "can't be blank")
        default: errors.add("trigger.url", "must be an http:// or https:// URL")
        }
        var method = "post"
        switch o["method"] {
        case nil, .null?: break
        case .string(let s)? where Self.methods.contains(s.lowercased()): method = s.lowercased()
        default: errors.add("trigger.method", "must be one of: get, post, put")
        }
        var user: String?, password: String?
        switch o["authorization"] {
        case nil, .null?: break
        case .object(let a)?:
            for key in a.keys.sorted() where !["type", "user", "password"].contains(key) {
                errors.add("trigger.authorization.\(key)", "is not a known property")
            }
            if let type = a["type"], type != .null, type != "basic" {
                errors.add("trigger.authorization.type", "must be basic")
            }
            for (field, target) in [("user", 0), ("password", 1)] {
                guard case .string(let s)? = a[field], !s.isEmpty else {
                    errors.add("trigger.authorization.\(field)", "can't be blank")
                    continue
                }
                if target == 0 { user = s } else { password = s }
            }
            if user?.contains(":") == true { errors.add("trigger.authorization.user", "must not contain ':' (HTTP Basic)") }
        default:
            errors.add("trigger.authorization", "must be an object")
        }
        try errors.throwIfAny()
        self.init(url: url, method: method, user: user, password: password)
    }
}
