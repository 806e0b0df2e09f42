import Synchronization

/// A named question `/readyz` asks before saying the process can take traffic: "can I reach the
/// database?", "is the broker connection up?".
///
/// A check that does not answer within the timeout counts as failing. It is not awaited beyond
/// that (it is cancelled and left behind), because a readiness probe that hangs with the
/// database is exactly the probe an orchestrator needs to see fail.
public struct ReadinessCheck: Sendable {
    /// How a check ended, as reported in the `/readyz` body.
    public enum Outcome: String, Sendable, Equatable {
        /// The check answered `true` in time.
        case ok
        /// The check answered `false`.
        case failing
        /// The check did not answer in time; reported apart from `failing` because a hang
        /// (a full connection pool, a lost network) needs another fix than a refusal.
        case timeout
    }

    /// The key in the `/readyz` body, e.g. `database`.
    public let name: String
    /// Answers `true` when the dependency is usable.
    public let check: @Sendable () async -> Bool

    /// A check named `name`; `check` should be cheap (a `SELECT 1`, a flag read).
    public init(_ name: String, _ check: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.check = check
    }

    /// Runs the check, returning no later than about `timeout` even if the check never returns.
    public func run(timeout: Duration) async -> Outcome {
        let race = FirstOutcome()
        let check = self.check
        let work = Task { race.offer(await check() ? .ok : .failing) }
        let timer = Task {
            if (try? await Task.sleep(for: timeout)) != nil { race.offer(.timeout) }
        }
        let outcome = await race.wait()
        work.cancel()
        timer.cancel()
        return outcome
    }
}

/// Hands the first of several offered outcomes to one waiter; later offers are dropped.
///
/// A task group cannot do this: it waits for every child, and the point is not to wait for a
/// check that hangs.
private final class FirstOutcome: Sendable {
    private enum State {
        case empty
        case offered(ReadinessCheck.Outcome)
        case waiting(CheckedContinuation<ReadinessCheck.Outcome, Never>)
        case done
    }

    private let state = Mutex(State.empty)

    func offer(_ outcome: ReadinessCheck.Outcome) {
        let waiter = state.withLock { state -> CheckedContinuation<ReadinessCheck.Outcome, Never>? in
            switch state {
            case .empty:
                state = .offered(outcome)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .offered, .done:
                return nil
            }
        }
        waiter?.resume(returning: outcome)
    }

    func wait() async -> ReadinessCheck.Outcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> ReadinessCheck.Outcome? in
                switch state {
                case .offered(let outcome):
                    state = .done
                    return outcome
                case .empty:
                    state = .waiting(continuation)
                    return nil
                case .waiting, .done:
                    preconditionFailure("FirstOutcome has a single waiter")
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
