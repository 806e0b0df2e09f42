import CMicroHTTPD
import HTTPCore

/// Turns an ``HTTPResponse`` into a queued libmicrohttpd response.
enum ResponseQueue {
    /// Headers the transport owns: MHD writes `Content-Length` from the body (and refuses to
    /// take one from us), and we never send a chunked or otherwise encoded body.
    private static let framingHeaders: Set<String> = ["content-length", "transfer-encoding"]

    /// Queues `response` on `connection`; only valid inside an access-handler call for it.
    ///
    /// - Parameter close: add `Connection: close` (a rejected request whose body was not read,
    ///   or a server that is shutting down).
    /// - Returns: MHD's verdict, to be returned from the access handler (`.NO` closes the socket).
    static func queue(_ response: HTTPResponse, on connection: OpaquePointer, close: Bool) -> MHD_Result {
        // A final response needs a 2xx-5xx code (1xx are interim, and MHD refuses others); a
        // handler bug must not leave the client hanging.
        let response = (200...599).contains(response.status)
            ? response : .json(500, ["error": "invalid response status"])
        // RESPMEM_MUST_COPY: MHD copies the bytes before returning, so the borrowed body pointer
        // only needs to live for this call.
        let created = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                            .RESPMEM_MUST_COPY)
        }
        guard let created else { return .NO }
        // Queueing takes MHD's own reference; ours is dropped once this function returns.
        defer { MHD_destroy_response(created) }
        for (name, value) in response.headers where !framingHeaders.contains(name.lowercased()) {
            // MHD copies both strings. It refuses values with CR or LF (header injection); such a
            // header is dropped rather than failing the whole response.
            _ = MHD_add_response_header(created, name, value)
        }
        if close && response.headers["Connection"]?.lowercased() != "close" {
            _ = MHD_add_response_header(created, "Connection", "close")
        }
        return MHD_queue_response(connection, UInt32(response.status), created)
    }
}
