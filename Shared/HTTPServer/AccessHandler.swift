import CMicroHTTPD
import HTTPCore

/// The C callbacks libmicrohttpd calls, and the request flow they implement.
///
/// MHD calls the access handler several times per request on one of its pool threads:
/// 1. headers only (`*con_cls` is NULL): check the framing, build the request, store its state;
/// 2. once per body chunk: copy it;
/// 3. with no data once the body is complete: suspend the connection and run the handler in a
///    Swift task, which stores the response and resumes the connection;
/// 4. after the resume: queue the response.
/// Responses are queued on a later call than the first, because MHD 0.9.75 adds
/// `Connection: close` to a response queued in the first call, which would lose keep-alive.
/// Context reaches these functions only through `cls` (a closure that captures cannot be a C
/// function pointer), and none of them may block: they run on MHD's few threads.
enum AccessHandler {
    /// `MHD_AccessHandlerCallback`. `cls` is the daemon's `ServerContext` (retained by the daemon
    /// until MHD has stopped). `url` and `method` live in MHD's connection pool during the call;
    /// `uploadData` is MHD's read buffer, reused after we return, so chunks are copied.
    /// `*slot` (`con_cls`) holds a retained `RequestState` until the completion callback.
    static let callback: MHD_AccessHandlerCallback = { cls, connection, url, method, _, uploadData, uploadSize, slot in
        guard let cls, let connection, let uploadSize, let slot else { return .NO }
        let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
        guard let stored = slot.pointee else {
            return begin(context, connection, url: url, method: method, slot: slot)
        }
        let state = Unmanaged<RequestState>.fromOpaque(stored).takeUnretainedValue()
        if uploadSize.pointee > 0 {
            let chunk = UnsafeRawBufferPointer(start: uploadData, count: uploadSize.pointee)
            let received = state.receive(chunk, limit: context.maxBodyBytes)
            uploadSize.pointee = 0  // consumed; MHD would otherwise offer the same bytes again
            // Past the limit the rest is read and dropped so the client still gets its 413;
            // a sender that keeps streaming far past it is cut off instead.
            return received > discardLimit(context.maxBodyBytes) ? .NO : .YES
        }
        return proceed(context, connection, state)
    }

    /// `MHD_RequestCompletedCallback`: the response was sent, or the connection failed or closed.
    /// Called exactly once per request whose `*slot` we set; it releases the state and uncounts
    /// an admitted request, which is what lets a draining shutdown finish.
    static let completed: MHD_RequestCompletedCallback = { cls, _, slot, _ in
        guard let cls, let slot, let stored = slot.pointee else { return }
        slot.pointee = nil
        let state = Unmanaged<RequestState>.fromOpaque(stored).takeRetainedValue()
        if state.wasAdmitted {
            Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue().finished()
        }
    }

    /// `cmhd_log_fn`: one formatted line from MHD's logger; `line` is a stack buffer in the shim,
    /// valid during the call. `cls` is the `ServerContext`, as for the other callbacks.
    static let log: cmhd_log_fn = { cls, line in
        guard let cls, let line else { return }
        Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue().log(String(cString: line))
    }

    /// Bytes read before an oversized chunked body is cut off without a response.
    static func discardLimit(_ maxBodyBytes: Int) -> Int {
        maxBodyBytes + max(maxBodyBytes, 1 << 20)
    }

    /// First call: the head is parsed, no body has been read.
    private static func begin(_ context: ServerContext, _ connection: OpaquePointer,
                              url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?,
                              slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> MHD_Result {
        let headers = ConnectionValues.headers(of: connection)
        let request = HTTPRequest(method: method.map { String(cString: $0) } ?? "GET",
                                  path: url.map { String(cString: $0) } ?? "/",
                                  query: ConnectionValues.arguments(of: connection),
                                  headers: headers,
                                  remoteAddress: ConnectionValues.clientAddress(of: connection))
        if let rejection = RequestFraming.rejection(for: headers, maxBodyBytes: context.maxBodyBytes) {
            // Answer before the body is read; the state only marks the request as answered.
            slot.pointee = Unmanaged.passRetained(RequestState(answering: request)).toOpaque()
            return ResponseQueue.queue(rejection, on: connection, close: true)
        }
        slot.pointee = Unmanaged.passRetained(RequestState(request: request)).toOpaque()
        return .YES
    }

    /// The body is complete, or the handler's response is ready.
    private static func proceed(_ context: ServerContext, _ connection: OpaquePointer,
                                _ state: RequestState) -> MHD_Result {
        switch state.next(limit: context.maxBodyBytes) {
        case .none:
            return .YES
        case .respond(let response):
            return ResponseQueue.queue(response, on: connection, close: context.isDraining)
        case .dispatch(let request):
            guard case .admitted = context.admit() else {
                // The daemon is about to stop and must not find a suspended connection.
                state.markAnswered()
                return ResponseQueue.queue(.json(503, ["error": "server is shutting down"]),
                                           on: connection, close: true)
            }
            state.markAdmitted()
            // Suspending frees this MHD thread for other connections while Swift works. MHD will
            // not touch the connection again until it is resumed, so the pointer stays valid.
            MHD_suspend_connection(connection)
            let suspended = SuspendedConnection(connection)
            let handler = context.handler
            Task {
                let response = await handler(request)
                state.complete(with: response)
                // Thread-safe; MHD then calls the access handler again, which queues the response.
                MHD_resume_connection(suspended.pointer)
            }
            return .YES
        }
    }
}

/// A suspended `MHD_Connection *` carried into the handler's task.
///
/// `@unchecked Sendable`: the task only passes it to `MHD_resume_connection`, which MHD documents
/// as callable from any thread, and the connection cannot be freed while suspended.
struct SuspendedConnection: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
