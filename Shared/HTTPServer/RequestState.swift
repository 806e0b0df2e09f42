import HTTPCore
import Synchronization

/// One request's progress, shared by libmicrohttpd's thread (which reads the body and queues the
/// response) and the Swift task that runs the handler.
///
/// It lives in the connection's `*con_cls` slot from the first call of the access handler until
/// the completion callback releases it, so the phases below are all the coordination needed.
final class RequestState: Sendable {
    private enum Phase {
        /// Reading the body.
        case reading
        /// The handler runs; the connection is suspended.
        case handling
        /// The handler returned; the connection is being resumed to send this.
        case ready(HTTPResponse)
        /// A response has been queued; later calls have nothing to do.
        case answered
    }

    private struct Fields {
        var request: HTTPRequest
        var phase: Phase
        /// Body bytes received, including those discarded once over the limit.
        var received = 0
        var admitted = false
    }

    /// What the access handler should do on the call that ends the upload.
    enum Next {
        /// Hand this request to the handler (the body is complete and within the limit).
        case dispatch(HTTPRequest)
        /// Queue this response now.
        case respond(HTTPResponse)
        /// Nothing to do on this call.
        case none
    }

    private let fields: Mutex<Fields>

    /// A request that will read its body and then go to the handler.
    init(request: HTTPRequest) {
        fields = Mutex(Fields(request: request, phase: .reading))
    }

    /// A request answered in the first call (rejected on its headers); it never reaches the handler.
    init(answering request: HTTPRequest) {
        fields = Mutex(Fields(request: request, phase: .answered))
    }

    /// Appends a body chunk while the body is within `limit`; past it, drops what was kept and only
    /// counts, so an oversized upload costs no memory. Returns the total received so far.
    func receive(_ chunk: UnsafeRawBufferPointer, limit: Int) -> Int {
        fields.withLock { f in
            f.received += chunk.count
            if f.received <= limit {
                f.request.body.append(contentsOf: chunk)
            } else if !f.request.body.isEmpty {
                f.request.body = []
            }
            return f.received
        }
    }

    /// Decides what the call that ends the upload (or the call after a resume) does.
    func next(limit: Int) -> Next {
        fields.withLock { f in
            switch f.phase {
            case .reading:
                if f.received > limit {
                    f.phase = .answered
                    return .respond(.json(413, ["error": "request body too large"]))
                }
                f.phase = .handling
                return .dispatch(f.request)
            case .ready(let response):
                f.phase = .answered
                return .respond(response)
            case .handling, .answered:
                return .none
            }
        }
    }

    /// Records the handler's response; the caller resumes the connection next.
    func complete(with response: HTTPResponse) {
        fields.withLock { $0.phase = .ready(response) }
    }

    /// Records that the shutdown gate counted this request, so completion uncounts it.
    func markAdmitted() {
        fields.withLock { $0.admitted = true }
    }

    /// The handler will not run (the server is stopping); the caller answers at once.
    func markAnswered() {
        fields.withLock { $0.phase = .answered }
    }

    /// Whether the shutdown gate counted this request.
    var wasAdmitted: Bool { fields.withLock { $0.admitted } }
}
