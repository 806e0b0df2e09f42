import Foundation

/// A serial executor that owns one OS thread.
///
/// The C libraries we use (libpq, rabbitmq-c, libcurl easy handles) block the calling thread.
/// The cooperative pool has only as many threads as cores (two here), so one blocking call on it
/// stalls the whole process. An actor whose `unownedExecutor` is a `ThreadExecutor` runs every
/// isolated method on its own thread instead, where blocking is harmless.
///
/// Corelibs Dispatch on Linux has no `DispatchSerialQueue`, so the executor is a plain thread
/// draining a job list under a condition variable.
public final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `stopped` are only touched with `condition` held.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    /// Starts the thread at once; it lives until ``shutdown()`` and the last job has run.
    /// - Parameter name: a label for debugging (Linux does not show it in `/proc`).
    public init(name: String) {
        let thread = Thread { [self] in self.runLoop() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread finish the jobs already queued, then exit.
    public func shutdown() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty && stopped {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
