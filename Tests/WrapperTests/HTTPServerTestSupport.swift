import HTTPCore
import HTTPServer
import Synchronization

/// Runs `body` against a fresh server on an ephemeral port and always shuts it down.
func withServer<T>(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                   handler: @escaping HTTPHandler,
                   _ body: (HTTPServer) async throws -> T) async throws -> T {
    let server = try HTTPServer(configuration: configuration, handler: handler)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// What the handler saw: every request, and how many handlers ran at once.
final class HandlerLog: Sendable {
    private struct State {
        var requests: [HTTPRequest] = []
        var inside = 0
        var maxInside = 0
    }

    private let state = Mutex(State())

    func record(_ request: HTTPRequest) { state.withLock { $0.requests.append(request) } }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }
    var calls: Int { state.withLock { $0.requests.count } }

    /// Marks a handler as running; returns how many run now.
    @discardableResult
    func enter(_ request: HTTPRequest) -> Int {
        state.withLock { s in
            s.requests.append(request)
            s.inside += 1
            s.maxInside = max(s.maxInside, s.inside)
            return s.inside
        }
    }

    func leave() { state.withLock { $0.inside -= 1 } }

    var inside: Int { state.withLock { $0.inside } }
    var maxInside: Int { state.withLock { $0.maxInside } }
}

/// A one-way gate a handler can wait on until the test opens it.
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let open = state.withLock { s in
                if !s.open { s.waiters.append(continuation) }
                return s.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { s in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { state.withLock { $0.open } }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
