import HTTPCore
import Synchronization

/// What the C callbacks reach through their `void *cls`: the handler, the body limit, the log
/// sink, and the gate that makes shutdown safe.
///
/// The gate exists because `MHD_stop_daemon` aborts the process if any connection is suspended.
/// Every request handed to a Swift task is counted; shutdown waits until the count is zero and,
/// in the same critical section, closes the gate so no new request can be suspended after that.
final class ServerContext: Sendable {
    /// Whether a finished request may be handed to the handler.
    enum Admission {
        /// Counted as in flight; ``finished()`` must follow exactly once.
        case admitted
        /// The daemon is about to stop: answer at once, do not suspend.
        case refused
    }

    private struct Gate {
        var inFlight = 0
        /// Shutdown has begun: responses carry `Connection: close` so clients do not reuse them.
        var draining = false
        /// In-flight reached zero during draining; `MHD_stop_daemon` may run, nothing may suspend.
        var stopping = false
        var drained: CheckedContinuation<Void, Never>?
    }

    let handler: HTTPHandler
    let maxBodyBytes: Int
    private let libraryLog: (@Sendable (String) -> Void)?
    private let gate = Mutex(Gate())
    /// Lines logged while the daemon starts, kept so a failed start can say why; `nil` afterwards.
    private let startupLines = Mutex<[String]?>([])

    init(handler: @escaping HTTPHandler, maxBodyBytes: Int, libraryLog: (@Sendable (String) -> Void)?) {
        self.handler = handler
        self.maxBodyBytes = maxBodyBytes
        self.libraryLog = libraryLog
    }

    // MARK: Shutdown gate

    /// Called before suspending a connection for the handler.
    func admit() -> Admission {
        gate.withLock { gate in
            if gate.stopping { return .refused }
            gate.inFlight += 1
            return .admitted
        }
    }

    /// Called once per admitted request, when libmicrohttpd reports it complete (sent or failed).
    func finished() {
        let drained: CheckedContinuation<Void, Never>? = gate.withLock { gate in
            gate.inFlight -= 1
            guard gate.inFlight == 0, gate.draining, let waiter = gate.drained else { return nil }
            gate.drained = nil
            gate.stopping = true
            return waiter
        }
        drained?.resume()
    }

    /// Whether responses should ask the client to close the connection (shutdown has begun).
    var isDraining: Bool { gate.withLock { $0.draining } }

    /// Starts draining and returns once no admitted request is left; after that nothing can be
    /// suspended any more, so stopping the daemon is safe.
    func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = gate.withLock { gate in
                gate.draining = true
                if gate.inFlight == 0 {
                    gate.stopping = true
                    return true
                }
                gate.drained = continuation
                return false
            }
            if idle { continuation.resume() }
        }
    }

    // MARK: Library log

    /// One line from libmicrohttpd's logger.
    func log(_ line: String) {
        let line = line.hasSuffix("\n") ? String(line.dropLast()) : line
        startupLines.withLock { $0?.append(line) }
        libraryLog?(line)
    }

    /// Stops collecting start-up lines and returns them.
    func endStartup() -> [String] {
        startupLines.withLock { lines in
            defer { lines = nil }
            return lines ?? []
        }
    }
}
