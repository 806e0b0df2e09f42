public import HTTPCore
import HTTPServer
import Synchronization

/// A real HTTP server that records every request it gets: the OMS end of triggers.
public final class TriggerReceiver: Sendable {
    private let server: HTTPServer
    private let recorder: Recorder

    final class Recorder: Sendable {
        let state: Mutex<(requests: [HTTPRequest], status: Int)>
        init(status: Int) { state = Mutex(([], status)) }
    }

    /// Starts listening on 127.0.0.1 on a free port, answering `status` (204 by default).
    public init(status: Int = 204) throws {
        let recorder = Recorder(status: status)
        self.recorder = recorder
        server = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0)) { request in
            let status = recorder.state.withLock { s -> Int in
                s.requests.append(request)
                return s.status
            }
            return HTTPResponse(status: status)
        }
    }

    public var port: Int { server.port }
    public var url: String { "http://127.0.0.1:\(server.port)/trigger" }

    /// Every request received so far, in order.
    public var requests: [HTTPRequest] { recorder.state.withLock { $0.requests } }

    /// Changes the status answered from now on (e.g. 503 to make deliveries fail).
    public func answer(_ status: Int) { recorder.state.withLock { $0.status = status } }

    public func stop() async { await server.shutdown() }
}
