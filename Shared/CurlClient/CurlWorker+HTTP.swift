import HTTPCore
internal import CCurl

extension CurlWorker {
    /// Sends one HTTP request on this worker's handle and returns whatever status came back.
    ///
    /// The request was validated by ``HTTPClient`` (method and header names are tokens, no
    /// CR or LF anywhere), so nothing here can inject a header.
    func performHTTP(_ request: OutgoingRequest, cancel: CancelFlag) throws -> OutgoingResponse {
        let context = TransferContext(cancel: cancel, maxResponseBytes: request.maxResponseBytes)
        let sendsBody = !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method)

        // CURLOPT_HTTPHEADER keeps a pointer to this list, not a copy: it must live until
        // curl_easy_perform returns. curl_slist_append copies each string. Freed on every path.
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        var lines = request.headers.map { name, value in
            // "Name:" with nothing after it would delete a header libcurl adds; "Name;" is
            // libcurl's spelling for a header sent with an empty value.
            value.isEmpty ? "\(name);" : "\(name): \(value)"
        }
        // Without these two, libcurl would add a form Content-Type to a body the caller did
        // not label, and wait up to a second for "100 Continue" before a large body.
        if sendsBody && !request.headers.contains("Content-Type") { lines.append("Content-Type:") }
        if !request.headers.contains("Expect") { lines.append("Expect:") }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw CurlFailure(code: CURLE_OUT_OF_MEMORY, errorBuffer: "curl_slist_append failed")
            }
            headerList = appended
        }

        // The handle holds `context` as a raw pointer until perform returns; keep it alive.
        defer { withExtendedLifetime(context) {} }
        let handle = try prepareHandle(context: context, timeout: request.timeout,
                                       connectTimeout: request.connectTimeout)
        // String options are copied by libcurl, so Swift's temporary C strings suffice.
        try check(ccurl_setopt_str(handle, CURLOPT_URL, request.url))
        try check(ccurl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        try check(ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        try check(ccurl_setopt_write_cb(handle, CURLOPT_WRITEFUNCTION, ccurlWriteBody))
        try check(ccurl_setopt_ptr(handle, CURLOPT_WRITEDATA, context.userdata))
        try check(ccurl_setopt_write_cb(handle, CURLOPT_HEADERFUNCTION, ccurlWriteHeader))
        try check(ccurl_setopt_ptr(handle, CURLOPT_HEADERDATA, context.userdata))

        let code = try request.body.withUnsafeBytes { body throws(CurlFailure) -> CURLcode in
            if sendsBody {
                // CURLOPT_POSTFIELDS is not copied: `body` is valid only inside this
                // closure, which is why curl_easy_perform runs inside it too.
                try check(ccurl_set_post_body(handle, body.baseAddress, curl_off_t(body.count)))
                if request.method != "POST" {
                    try check(ccurl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, request.method))
                }
            } else if request.method == "GET" {
                try check(ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1))
            } else if request.method == "HEAD" {
                try check(ccurl_setopt_long(handle, CURLOPT_NOBODY, 1))
            } else {
                try check(ccurl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, request.method))
            }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            var failure = failure(code, handle: handle)
            if context.exceededLimit {
                failure.message = "response body exceeds \(request.maxResponseBytes) bytes"
            }
            throw HTTPTransferFailure(curl: failure, exceededLimit: context.exceededLimit,
                                      cancelled: context.cancel.isCancelled && failure.isAbortedByCallback)
        }
        var status = 0
        try check(ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return OutgoingResponse(status: status, headers: context.headers, body: context.body)
    }
}

/// A failed HTTP transfer with what the callbacks saw, for ``HTTPClient`` to classify.
struct HTTPTransferFailure: Error {
    var curl: CurlFailure
    var exceededLimit: Bool
    var cancelled: Bool
}
