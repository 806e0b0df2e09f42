/// Why a TMF622 order refused a lifecycle step, with a stable code for the API's error body
/// (409 Conflict) and a reason a client can read without knowing the state machine.
public struct TMFLifecycleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable kind of refusal, for callers that branch on it and for the TMF error `code`.
    public var code: Code
    /// Plain words naming the state at fault, e.g. "The order is completed, a final state: it
    /// can no longer be changed".
    public var reason: String

    /// Builds an error.
    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// Kinds of refusal.
    public enum Code: String, CaseIterable, Hashable, Sendable {
        /// The order is completed, cancelled, rejected, failed or partial: nothing changes it.
        case orderIsFinal = "order_is_final"
        /// A cancellation is already being assessed or carried out.
        case cancellationInProgress = "cancellation_in_progress"
        /// A cancellation step was asked for while no cancellation is under way.
        case noCancellationInProgress = "no_cancellation_in_progress"
    }

    /// The order is in `state`, a final one.
    public static func orderIsFinal(_ state: TMFOrderState) -> TMFLifecycleError {
        TMFLifecycleError(code: .orderIsFinal,
                          reason: "The order is \(state.rawValue), a final state: it can no longer be changed")
    }

    /// The order is already in `state` (`assessingCancellation` or `pendingCancellation`).
    public static func cancellationInProgress(_ state: TMFOrderState) -> TMFLifecycleError {
        TMFLifecycleError(code: .cancellationInProgress,
                          reason: "The order is \(state.rawValue): a cancellation is already in progress")
    }

    /// The order is in `state` and no cancellation is being assessed or carried out.
    public static func noCancellationInProgress(_ state: TMFOrderState) -> TMFLifecycleError {
        TMFLifecycleError(code: .noCancellationInProgress,
                          reason: "The order is \(state.rawValue): no cancellation is in progress")
    }

    /// `order_is_final: The order is completed, …`, for logs.
    public var description: String { "\(code.rawValue): \(reason)" }
}
