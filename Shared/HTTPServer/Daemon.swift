import CMicroHTTPD
import HTTPCore
import Synchronization

/// Owns one running `MHD_Daemon` and everything its callbacks point to, and stops it safely.
final class Daemon: Sendable {
    /// The C-side resources; created in `init`, freed once by `stop()` after `MHD_stop_daemon`.
    ///
    /// `@unchecked Sendable`: the pointers are only used by `init` and by `stop()`, which runs its
    /// body at most once; MHD's own threads reach the same objects only through `cls`.
    private struct Resources: @unchecked Sendable {
        let daemon: OpaquePointer
        /// The retained `ServerContext`, passed as `cls` to every callback.
        let context: UnsafeMutableRawPointer
        /// Heap-allocated so its address is stable for MHD, which keeps it as the logger's `cls`.
        let logger: UnsafeMutablePointer<cmhd_logger>
    }

    let port: Int
    private let context: ServerContext
    private let resources: Resources
    private let stopped = Mutex(false)

    /// Validates the configuration and starts listening before it returns.
    init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler) throws(HTTPServerError) {
        try configuration.validate()
        let context = ServerContext(handler: handler, maxBodyBytes: configuration.maxBodyBytes,
                                    libraryLog: configuration.libraryLog)
        let contextPointer = Unmanaged.passRetained(context).toOpaque()
        let logger = UnsafeMutablePointer<cmhd_logger>.allocate(capacity: 1)
        logger.initialize(to: cmhd_logger(fn: AccessHandler.log, cls: contextPointer))

        // Internal polling threads with a pool over epoll; suspend/resume (which also turns on
        // MHD_USE_ITC, needed by MHD_quiesce_daemon) lets Swift tasks answer asynchronously; the
        // error log goes to our logger, not to stderr.
        let flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
            | MHD_ALLOW_SUSPEND_RESUME.rawValue | MHD_USE_ERROR_LOG.rawValue
        var invalidHost: Int32 = 0
        let started: OpaquePointer? = configuration.host.withCString { host in
            // `host` is only read during cmhd_start.
            var settings = cmhd_settings(
                host: host, port: UInt16(configuration.port), flags: flags,
                thread_pool_size: UInt32(configuration.threadPoolSize),
                connection_limit: UInt32(configuration.connectionLimit),
                per_ip_connection_limit: UInt32(configuration.perIPConnectionLimit),
                timeout_seconds: UInt32(configuration.idleTimeoutSeconds),
                connection_memory_limit: configuration.maxHeaderBytes)
            return cmhd_start(&settings, AccessHandler.callback, contextPointer,
                              AccessHandler.completed, contextPointer, logger, &invalidHost)
        }
        let startupLines = context.endStartup()
        guard let started else {
            // MHD did not keep any of the pointers: undo both allocations.
            logger.deinitialize(count: 1)
            logger.deallocate()
            Unmanaged<ServerContext>.fromOpaque(contextPointer).release()
            if invalidHost != 0 {
                throw HTTPServerError(code: .invalidConfiguration,
                                      message: "host must be a numeric IPv4 or IPv6 address, not \"\(configuration.host)\"")
            }
            let reason = startupLines.isEmpty ? "" : ": " + startupLines.joined(separator: "; ")
            throw HTTPServerError(code: .startFailed,
                                  message: "could not listen on \(configuration.host):\(configuration.port)\(reason)")
        }
        self.context = context
        self.resources = Resources(daemon: started, context: contextPointer, logger: logger)
        self.port = Int(cmhd_bound_port(started))
    }

    /// Stops accepting, waits for every request already handed to the handler to be answered,
    /// then stops the daemon. Only the first call does anything.
    func stop() async {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        // We now own the listening socket. Shutting it down makes the kernel refuse new
        // connections at once; it is closed only after MHD_stop_daemon, as MHD's threads may still
        // hold the descriptor until then.
        let listener = MHD_quiesce_daemon(resources.daemon)
        if listener >= 0 { cmhd_refuse_connections(listener) }
        // MHD_stop_daemon aborts the process if a connection is suspended: wait until none can be.
        await context.drain()
        // Closes idle keep-alive connections; their completion callbacks run inside this call,
        // so the context must still be alive here. It joins MHD's threads, which exit promptly
        // once signalled, so blocking this task's thread for it is brief.
        MHD_stop_daemon(resources.daemon)
        if listener >= 0 { cmhd_close_listener(listener) }
        resources.logger.deinitialize(count: 1)
        resources.logger.deallocate()
        Unmanaged<ServerContext>.fromOpaque(resources.context).release()
    }
}
