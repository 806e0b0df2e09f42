public import HTTPCore
import HTTPServer
import Synchronization

/// A real HTTP server playing an OMS trigger endpoint that answers from a script: the first
/// requests get the scripted answers in order (a status, after an optional delay), later ones
/// the standing answer. Every request is recorded with the time it arrived.
///
/// Used to make deliveries fail a given number of times (`503, 503, then 204`) or time out (an
/// answer slower than the notifier's delivery timeout).
public final class ScriptedReceiver: Sendable {
    /// How one request is answered.
    public struct Answer: Sendable {
        public var status: Int
        public var delay: Duration

        public init(_ status: Int, after delay: Duration = .zero) {
            self.status = status
            self.delay = delay
        }
    }

    /// A request as received, with its arrival time.
    public struct Received: Sendable {
        public let request: HTTPRequest
        public let at: ContinuousClock.Instant
    }

    private struct State {
        var script: [Answer]
        var standing: Answer
        var received: [Received] = []
    }

    private final class Box: Sendable {
        let state: Mutex<State>
        init(_ state: State) { self.state = Mutex(state) }
    }

    private let box: Box
    private let server: HTTPServer

    /// Starts listening on 127.0.0.1 on a free port.
    /// - Parameters:
    ///   - script: the answers to the first requests, in order.
    ///   - then: the answer to every request after the script (204 by default).
    public init(script: [Answer] = [], then standing: Answer = Answer(204)) throws {
        let box = Box(State(script: script, standing: standing))
        self.box = box
        server = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0)) { request in
            let answer = box.state.withLock { s -> Answer in
                s.received.append(Received(request: request, at: .now))
                return s.script.isEmpty ? s.standing : s.script.removeFirst()
            }
            if answer.delay > .zero { try? await Task.sleep(for: answer.delay) }
            return HTTPResponse(status: answer.status)
        }
    }

    public var port: Int { server.port }
    public var url: String { "http://127.0.0.1:\(server.port)/trigger" }

    /// Every request received so far, oldest first.
    public var received: [Received] { box.state.withLock { $0.received } }

    /// Every request received so far, oldest first, without times.
    public var requests: [HTTPRequest] { received.map(\.request) }

    /// Drops what is left of the script and answers `status` (after `delay`) from now on.
    public func answer(_ status: Int, after delay: Duration = .zero) {
        box.state.withLock { s in
            s.script = []
            s.standing = Answer(status, after: delay)
        }
    }

    /// Stops the server (waits for answers being delayed).
    public func stop() async { await server.shutdown() }
}
