/// The limits of an ``HTTPServer``, fixed when it starts.
///
/// Every field has a default that suits a service behind a load balancer on a small machine, so a
/// service sets only what its environment overrides. ``validate()`` runs before the server starts,
/// so a bad value fails at start with a clear message instead of as a strange runtime behaviour.
public struct HTTPServerConfiguration: Sendable {
    /// The numeric IPv4 or IPv6 address to listen on. Default `127.0.0.1`, so nothing is exposed
    /// by accident; use `0.0.0.0` in a container. Host names are not resolved.
    public var host: String
    /// The TCP port. Default 0: the kernel picks a free port, which ``HTTPServer/port`` reports
    /// (what tests want).
    public var port: Int
    /// Threads that parse HTTP and call into Swift. Default 4 (two per core here): they never run
    /// handler code, which goes to Swift tasks, so a few suffice.
    public var threadPoolSize: Int
    /// Open connections at most, over all threads; more are refused. Default 1024.
    /// Must be at least ``threadPoolSize``, because each thread gets a share.
    public var connectionLimit: Int
    /// Open connections at most from one IP address. Default 0, no limit: behind a proxy every
    /// client shares the proxy's address.
    public var perIPConnectionLimit: Int
    /// Seconds a connection may stay silent before it is closed. Default 15. 0 disables the
    /// timeout. A request waiting for its handler is not idle and is never cut by this.
    public var idleTimeoutSeconds: Int
    /// Memory per connection for the request line, the headers and the read buffer; a larger head
    /// gets 431. Default 64 KiB.
    public var maxHeaderBytes: Int
    /// The largest request body a handler will see. Default 1 MiB. A larger `Content-Length` gets
    /// 413 before the body is read; a chunked body that grows past it gets 413 at its end.
    public var maxBodyBytes: Int
    /// Receives libmicrohttpd's own diagnostic lines (failed accepts, limits reached, malformed
    /// requests), so a service can put them in its structured log. Default `nil`: they are dropped,
    /// except that a failure to start is always reported in the thrown ``HTTPServerError``.
    /// Called on the server's threads; must not block.
    public var libraryLog: (@Sendable (String) -> Void)?

    /// - Parameters: see each property for its meaning and why its default was chosen.
    public init(host: String = "127.0.0.1", port: Int = 0, threadPoolSize: Int = 4,
                connectionLimit: Int = 1024, perIPConnectionLimit: Int = 0, idleTimeoutSeconds: Int = 15,
                maxHeaderBytes: Int = 64 * 1024, maxBodyBytes: Int = 1024 * 1024,
                libraryLog: (@Sendable (String) -> Void)? = nil) {
        self.host = host
        self.port = port
        self.threadPoolSize = threadPoolSize
        self.connectionLimit = connectionLimit
        self.perIPConnectionLimit = perIPConnectionLimit
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.libraryLog = libraryLog
    }

    /// Checks the ranges libmicrohttpd accepts, so a mistake is reported by name at start-up
    /// rather than as a refused start or a silently clamped value.
    public func validate() throws(HTTPServerError) {
        func require(_ ok: Bool, _ message: String) throws(HTTPServerError) {
            if !ok { throw HTTPServerError(code: .invalidConfiguration, message: message) }
        }
        try require(!host.isEmpty, "host must be a numeric IPv4 or IPv6 address")
        try require((0...65535).contains(port), "port must be between 0 and 65535, not \(port)")
        try require((1...1024).contains(threadPoolSize),
                    "threadPoolSize must be between 1 and 1024, not \(threadPoolSize)")
        try require(connectionLimit >= threadPoolSize && connectionLimit <= Int(Int32.max),
                    "connectionLimit must be at least threadPoolSize (\(threadPoolSize)), not \(connectionLimit)")
        try require((0...Int(Int32.max)).contains(perIPConnectionLimit),
                    "perIPConnectionLimit must be 0 (no limit) or positive, not \(perIPConnectionLimit)")
        try require((0...Int(Int32.max)).contains(idleTimeoutSeconds),
                    "idleTimeoutSeconds must be 0 (no timeout) or positive, not \(idleTimeoutSeconds)")
        try require(maxHeaderBytes >= 4096, "maxHeaderBytes must be at least 4096, not \(maxHeaderBytes)")
        try require(maxBodyBytes >= 0, "maxBodyBytes must not be negative, not \(maxBodyBytes)")
    }
}
