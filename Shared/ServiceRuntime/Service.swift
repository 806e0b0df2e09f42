/// A long-running part of an executable: an HTTP server, a consumer, the outbox relay.
///
/// Modelled on swift-service-lifecycle's `Service`: `run` works until `shutdown` is triggered,
/// then stops taking new work, finishes what it holds and returns. Throwing means the service
/// failed; the group then shuts the others down and the process exits non-zero.
public protocol Service: Sendable {
    /// A short name for logs.
    var name: String { get }
    /// Runs until `shutdown` is triggered (return normally) or the service fails (throw).
    func run(_ shutdown: ShutdownSignal) async throws
}
