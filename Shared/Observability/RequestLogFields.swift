public import Wire
public import HTTPCore

/// The fields of one access-log line, for `logger.info("request", requestLogFields(...))`.
///
/// The query string and every header but `User-Agent` and `X-Request-ID` are left out: tokens
/// travel in headers (`X-User-Token`, `Authorization`) and some clients put secrets in query
/// strings, and a log line must never carry a credential. Log a specific parameter yourself
/// when it matters (the events cursor's `from_timestamp`).
public func requestLogFields(_ request: HTTPRequest, status: Int, duration: Duration) -> [String: JSONValue] {
    let (seconds, attoseconds) = duration.components
    // Milliseconds with microsecond resolution: readable, and exact enough to sort slow requests.
    let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    var fields: [String: JSONValue] = [
        "method": .string(request.method),
        "path": .string(request.path),
        "status": .int(Int64(status)),
        "duration_ms": .double(Double(micros) / 1000),
        "bytes_in": .int(Int64(request.body.count)),
    ]
    if let remote = request.remoteAddress { fields["remote"] = .string(remote) }
    if let agent = request.header("User-Agent") { fields["user_agent"] = .string(agent) }
    if let id = request.header("X-Request-ID") { fields["request_id"] = .string(id) }
    return fields
}
