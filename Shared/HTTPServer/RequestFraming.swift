import HTTPCore

/// Checks on a request's headers that libmicrohttpd 0.9.75 does not make, applied before the body
/// is read.
///
/// - Differing duplicate `Content-Length`: MHD silently uses the first, while a proxy in front
///   may use the last: the request-smuggling shape. 400 and close.
/// - A `Transfer-Encoding` other than exactly `chunked` (e.g. `gzip, chunked`): MHD neither
///   decodes nor rejects it and waits for a body it cannot frame until the idle timeout.
///   RFC 9112 §6.1 asks for 501. Close, since the body's end is unknown.
/// - `Content-Length` over the body limit: 413 now, instead of after reading the whole body.
enum RequestFraming {
    /// The response that rejects these headers, or `nil` when the request may proceed.
    /// The connection must be closed after any rejection: the unread body would otherwise be
    /// taken for the next request.
    static func rejection(for headers: HTTPHeaders, maxBodyBytes: Int) -> HTTPResponse? {
        let lengths = headers.values(for: "Content-Length").map { $0.trimmingSpaces() }
        if Set(lengths).count > 1 {
            return .json(400, ["error": "conflicting Content-Length headers"])
        }
        let codings = headers.values(for: "Transfer-Encoding")
        if !codings.isEmpty && (codings.count > 1 || codings[0].trimmingSpaces().lowercased() != "chunked") {
            return .json(501, ["error": "unsupported Transfer-Encoding"])
        }
        // A value that is not a number was already refused by libmicrohttpd with 400.
        if let length = lengths.first.flatMap({ UInt64($0) }), length > UInt64(max(maxBodyBytes, 0)) {
            return .json(413, ["error": "request body too large"])
        }
        return nil
    }
}
