import Dispatch
import Foundation
import Wire

/// Runs an executable's services until SIGTERM or SIGINT, then shuts them down gracefully.
///
/// Modelled on swift-service-lifecycle's `ServiceGroup` and `UnixSignalsSequence`: signals are
/// ignored at the C level and observed through `DispatchSource`, which is async-signal-safe.
public struct ServiceGroup: Sendable {
    public let services: [any Service]
    public let logger: Logger
    public let shutdown: ShutdownSignal
    /// How long services get to finish after the signal before the process exits anyway.
    public let gracePeriod: Duration

    public init(services: [any Service], logger: Logger, shutdown: ShutdownSignal = ShutdownSignal(),
                gracePeriod: Duration = .seconds(25)) {
        self.services = services
        self.logger = logger
        self.shutdown = shutdown
        self.gracePeriod = gracePeriod
    }

    /// Runs every service; returns the process exit code (0 after a clean shutdown).
    public func run() async -> Int32 {
        let signals = SignalObserver(signals: [SIGTERM, SIGINT]) { [shutdown, logger] signal in
            logger.info("shutdown requested", ["signal": .int(Int64(signal))])
            shutdown.trigger()
        }
        defer { signals.cancel() }
        let failed = await withTaskGroup(of: Bool.self) { group in
            // Services are named under `component`: `service` is the logger's fixed field (the
            // executable) and would overwrite the name of the service that failed.
            for service in services {
                group.addTask { [shutdown, logger] in
                    do {
                        try await service.run(shutdown)
                        if !shutdown.isTriggered {
                            logger.error("service stopped unexpectedly", ["component": .string(service.name)])
                            shutdown.trigger()
                            return true
                        }
                        return false
                    } catch {
                        logger.error("service failed", ["component": .string(service.name),
                                                        "error": .string(String(describing: error))])
                        shutdown.trigger()
                        return true
                    }
                }
            }
            group.addTask { [shutdown, logger, gracePeriod] in
                // This task is cancelled once every service has returned; only a grace period that
                // really ran out may exit. Swallowing the cancellation (`try? Task.sleep`) made
                // every clean shutdown exit(1) here before `run` could return 0.
                await shutdown.wait()
                do {
                    try await Task.sleep(for: gracePeriod)
                } catch {
                    return false
                }
                logger.error("grace period over; exiting with services still running")
                exit(1)
            }
            var failed = false
            for _ in services {
                if let result = await group.next() { failed = failed || result }
            }
            group.cancelAll()
            return failed
        }
        logger.info("stopped", ["clean": .bool(!failed)])
        return failed ? 1 : 0
    }
}

/// Observes POSIX signals through Dispatch, so the handler runs on a queue, not in signal context.
final class SignalObserver {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() { for source in sources { source.cancel() } }
}
