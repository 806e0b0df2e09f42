internal import CCurl

/// `curl_global_init` must run once before any other libcurl call, and before other threads
/// use libcurl. A global `let` is initialised exactly once, thread-safely (`swift_once`), on
/// first use, which is ``ensureInitialized()`` in every worker's init.
enum CurlGlobal {
    private static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Runs `curl_global_init` on first call; later calls return the first result.
    /// `curl_global_cleanup` is never called: the process ends instead.
    @discardableResult
    static func ensureInitialized() -> CURLcode { initResult }
}

/// A failed `curl_easy_perform` (or a setup step), before it is turned into the public
/// ``HTTPClientError`` or ``SMTPError``.
struct CurlFailure: Error {
    var code: CURLcode
    var message: String
    /// The last HTTP status or SMTP reply code the server sent, 0 if none.
    var responseCode: Int

    /// `message` from the handle's error buffer when libcurl filled it, else the generic text.
    init(code: CURLcode, errorBuffer: String, responseCode: Int = 0) {
        self.code = code
        self.responseCode = responseCode
        if errorBuffer.isEmpty {
            // curl_easy_strerror returns a static string; copying it is all we need.
            message = String(cString: curl_easy_strerror(code))
        } else {
            message = errorBuffer
        }
    }

    /// The `CURLcode` as a plain number, for the public errors.
    var number: Int { Int(code.rawValue) }

    var isTimeout: Bool { code == CURLE_OPERATION_TIMEDOUT }
    var isConnectFailure: Bool { code == CURLE_COULDNT_CONNECT }
    var isResolveFailure: Bool { code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY }
    var isInvalidURL: Bool { code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL }
    var isTLSFailure: Bool {
        [CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
         CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
         CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE,
         CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
         CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED].contains(code)
    }
    var isAbortedByCallback: Bool { code == CURLE_ABORTED_BY_CALLBACK }
}

extension Duration {
    /// Whole milliseconds for `CURLOPT_*_MS`, at least 1: libcurl reads 0 as "no limit".
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        if total.overflow || seconds < 0 { return seconds < 0 ? 1 : Int.max }
        return max(1, Int(total.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}
