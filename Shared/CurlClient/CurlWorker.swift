internal import CCurl
import ThreadExecutor

/// One libcurl easy handle on its own OS thread.
///
/// `curl_easy_perform` blocks, so it must never run on the cooperative pool; this actor's
/// executor is a ``ThreadExecutor`` and every isolated method runs on that thread. The handle
/// is kept between transfers (`curl_easy_reset` clears the options but keeps the connection
/// cache), so consecutive requests to one host reuse the connection (HTTP keep-alive, SMTP
/// session). An easy handle must not be used by two threads at once, which the actor's
/// serial executor guarantees.
actor CurlWorker {
    private let executor: ThreadExecutor
    /// The `CURL *`, created lazily on this actor's thread and never handed out.
    private var handle: UnsafeMutableRawPointer?
    private var closed = false
    /// CURLOPT_ERRORBUFFER: libcurl writes a NUL-terminated message of at most CURL_ERROR_SIZE
    /// bytes here during perform. Owned by the actor (freed in deinit) so that the handle
    /// never holds a dangling pointer between transfers.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(name: String) {
        CurlGlobal.ensureInitialized()
        executor = ThreadExecutor(name: name)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    /// Thrown when a transfer reaches a worker after ``close()``.
    struct Closed: Error {}

    /// A handle with every option reset to its default and the settings all transfers share
    /// already applied: no signals (a threaded process must not use SIGALRM for timeouts),
    /// both timeouts, the error buffer and the cancellation check through `context`.
    ///
    /// - Important: `context` is stored in the handle as a raw pointer; the caller must keep
    ///   it alive (`withExtendedLifetime`) until `curl_easy_perform` has returned.
    func prepareHandle(
        context: TransferContext, timeout: Duration, connectTimeout: Duration
    ) throws -> UnsafeMutableRawPointer {
        if closed { throw Closed() }
        let handle: UnsafeMutableRawPointer
        if let existing = self.handle {
            curl_easy_reset(existing)
            handle = existing
        } else {
            guard let created = curl_easy_init() else {
                throw CurlFailure(code: CURLE_FAILED_INIT, errorBuffer: "curl_easy_init failed")
            }
            self.handle = created
            handle = created
        }
        errorBuffer[0] = 0
        try check(ccurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds))
        try check(ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS,
                                    min(connectTimeout, timeout).curlMilliseconds))
        try check(ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0))
        try check(ccurl_setopt_xferinfo_cb(handle, ccurlProgress))
        try check(ccurl_setopt_ptr(handle, CURLOPT_XFERINFODATA, context.userdata))
        return handle
    }

    /// Turns a setup `CURLcode` into a thrown ``CurlFailure``.
    func check(_ code: CURLcode) throws(CurlFailure) {
        guard code == CURLE_OK else { throw failure(code, handle: nil) }
    }

    /// The failure of the transfer that just ended on `handle`, with libcurl's message and the
    /// server's last status or reply code.
    func failure(_ code: CURLcode, handle: UnsafeMutableRawPointer?) -> CurlFailure {
        var responseCode = 0
        if let handle { _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode) }
        return CurlFailure(code: code, errorBuffer: String(cString: errorBuffer), responseCode: responseCode)
    }

    /// Frees the handle (closing its cached connections) and refuses later transfers. Runs
    /// after the transfers already queued on this actor, so it drains rather than aborts.
    func close() {
        closed = true
        if let handle { curl_easy_cleanup(handle) }
        handle = nil
    }

    isolated deinit {
        // Isolated (SE-0371): runs on the worker thread, the only one that may touch the handle.
        if let handle { curl_easy_cleanup(handle) }
        errorBuffer.deallocate()
        executor.shutdown()  // the thread exits after this job; nothing can enqueue any more
    }
}
