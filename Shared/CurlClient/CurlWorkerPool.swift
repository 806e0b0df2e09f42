import Synchronization

/// N ``CurlWorker``s shared by one client, each with its own thread and easy handle.
///
/// A transfer goes to the worker with the fewest transfers in flight, so a slow peer holds up
/// only its own worker while the others keep going.
final class CurlWorkerPool: Sendable {
    private struct State {
        var inFlight: [Int]
        var isShutdown = false
    }

    private let workers: [CurlWorker]
    private let state: Mutex<State>

    init(count: Int, label: String) {
        precondition(count >= 1, "a curl client needs at least one worker")
        workers = (0..<count).map { CurlWorker(name: "\(label)-\($0)") }
        state = Mutex(State(inFlight: Array(repeating: 0, count: count)))
    }

    /// Runs `operation` on the least busy worker. If the task is cancelled meanwhile, the flag
    /// passed to `operation` is set and the transfer aborts at its next progress callback.
    /// Returns `nil` without running anything once ``shutdown()`` has begun.
    func withWorker<T: Sendable>(
        _ operation: (CurlWorker, CancelFlag) async throws -> T
    ) async throws -> T? {
        let index: Int? = state.withLock { state in
            guard !state.isShutdown else { return nil }
            let index = state.inFlight.indices.min { state.inFlight[$0] < state.inFlight[$1] }!
            state.inFlight[index] += 1
            return index
        }
        guard let index else { return nil }
        defer { state.withLock { $0.inFlight[index] -= 1 } }
        let flag = CancelFlag()
        return try await withTaskCancellationHandler {
            try await operation(workers[index], flag)
        } onCancel: {
            flag.cancel()
        }
    }

    /// Refuses new transfers, waits for the ones in flight, then frees every handle. The
    /// threads end when the pool is released.
    func shutdown() async {
        state.withLock { $0.isShutdown = true }
        for worker in workers { await worker.close() }
    }
}
