import Synchronization

/// A one-shot signal that asks services to stop gracefully.
///
/// Distinct from task cancellation on purpose: a cancelled task would abort in-flight work (a
/// half-handled delivery, a request waiting for its reply); graceful shutdown lets it finish.
public final class ShutdownSignal: Sendable {
    private struct State {
        var triggered = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether shutdown was requested.
    public var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Requests shutdown and wakes every waiter. Later calls do nothing.
    public func trigger() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard !s.triggered else { return [] }
            s.triggered = true
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until shutdown is requested or the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.triggered || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Sleeps for `duration` unless shutdown comes first.
    /// - Returns: `true` if the full duration passed, `false` if shutdown (or cancellation) cut it short.
    @discardableResult
    public func sleep(for duration: Duration) async -> Bool {
        if isTriggered { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await Task.sleep(for: duration)
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                await self.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first && !isTriggered
        }
    }
}
