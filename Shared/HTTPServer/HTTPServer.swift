public import HTTPCore
import Synchronization

/// An HTTP/1.1 server that hands each complete request to an async Swift handler.
///
/// It is a thin, safe layer over libmicrohttpd 0.9.75, which does the parsing, keep-alive,
/// pipelining, `100-continue`, timeouts and connection limits on its own thread pool. Handlers run
/// as Swift tasks, never on those threads, so a slow handler holds no parser thread. The wrapper
/// adds what 0.9.75 lacks: it refuses conflicting `Content-Length` headers and unknown transfer
/// codings, rejects an oversized body before reading it, and shuts down without aborting.
///
/// ```swift
/// let server = try HTTPServer(configuration: .init(port: 8080)) { request in
///     await router.handle(request)
/// }
/// // ... on SIGTERM:
/// await server.shutdown()
/// ```
public final class HTTPServer: Sendable {
    private let daemon: Daemon
    private let stopping = Mutex<Task<Void, Never>?>(nil)

    /// Starts listening before it returns, so a port conflict or a bad configuration fails here and
    /// not at the first request.
    ///
    /// - Parameters:
    ///   - configuration: the address and limits; see ``HTTPServerConfiguration``.
    ///   - handler: called once per request with its whole body; its response is sent as is. It
    ///     should enforce its own timeouts: ``shutdown()`` waits for it.
    /// - Throws: ``HTTPServerError`` with code `invalidConfiguration` or `startFailed`.
    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                handler: @escaping HTTPHandler) throws {
        daemon = try Daemon(configuration: configuration, handler: handler)
    }

    /// The port the server listens on; with a configured port of 0 this is the one the kernel
    /// chose, which is how tests and clients find it.
    public var port: Int { daemon.port }

    /// Stops gracefully: new connections are refused at once, requests already handed to the
    /// handler are answered (with `Connection: close`), and then the server stops, closing idle
    /// keep-alive connections. Safe to call more than once or concurrently; every call returns
    /// when the server has stopped.
    ///
    /// - Important: this waits for handlers without a deadline, because stopping libmicrohttpd
    ///   while a request waits for its handler would abort the process. Give handlers timeouts.
    public func shutdown() async {
        let task = stopping.withLock { task in
            if let task { return task }
            let daemon = self.daemon
            // An unstructured task, so cancelling the caller cannot leave the server half stopped.
            let started = Task { await daemon.stop() }
            task = started
            return started
        }
        await task.value
    }

    /// A server dropped without ``shutdown()`` still stops gracefully, in the background.
    deinit {
        let started = stopping.withLock { $0 != nil }
        if !started {
            let daemon = self.daemon
            Task { await daemon.stop() }
        }
    }
}
