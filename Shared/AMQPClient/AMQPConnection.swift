import CRabbitMQ
import Foundation
import ThreadExecutor

/// One rabbitmq-c connection with one channel, isolated to its own OS thread.
///
/// rabbitmq-c connections are not thread-safe and their calls block, so each connection is an
/// actor on a ``ThreadExecutor``. Use one connection for publishing (with confirms) and another
/// for consuming: on a shared one, confirms and deliveries would interleave in the frame reader.
///
/// When the broker closes the channel (404 for a missing exchange, 406 for a mismatched
/// declaration), the call throws `.channelClosed` after the wrapper has sent `channel.close-ok`;
/// the next call reopens the channel (and re-enables confirms). When the connection breaks,
/// calls throw `.connectionClosed`; make a new connection.
public actor AMQPConnection {
    let executor: ThreadExecutor
    public let configuration: AMQPConfiguration
    /// `amqp_connection_state_t`, owned by this actor; `nil` once closed or broken.
    var state: OpaquePointer?
    let channel: amqp_channel_t = 1
    var channelOpen = false
    var confirmsEnabled = false
    /// The publish sequence number the broker will give the next message on this channel.
    var nextPublishSeq: UInt64 = 1

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(configuration: AMQPConfiguration) {
        self.configuration = configuration
        executor = ThreadExecutor(name: "amqp-\(configuration.connectionName)")
    }

    /// Connects, logs in and opens the channel.
    public static func connect(_ configuration: AMQPConfiguration) async throws -> AMQPConnection {
        let connection = AMQPConnection(configuration: configuration)
        try await connection.open()
        return connection
    }

    isolated deinit {
        if let state { amqp_destroy_connection(state) }
        executor.shutdown()
    }

    /// Whether the connection is usable as far as this side knows (no round trip).
    public var isOpen: Bool { state != nil }

    /// Closes the connection politely; later calls throw `.connectionClosed`.
    public func close() {
        guard let conn = state else { return }
        _ = amqp_channel_close(conn, channel, AMQP_REPLY_SUCCESS)
        _ = amqp_connection_close(conn, AMQP_REPLY_SUCCESS)
        amqp_destroy_connection(conn)
        state = nil
        channelOpen = false
    }

    // MARK: - Topology

    /// Declares a durable exchange (idempotent when the declaration matches).
    public func declareExchange(_ name: String, type: String, durable: Bool = true, autoDelete: Bool = false,
                                arguments: [String: AMQPFieldValue] = [:]) throws {
        let conn = try channelReady()
        AMQPArena.with { a in
            _ = amqp_exchange_declare(conn, channel, a.bytes(name), a.bytes(type), 0, durable ? 1 : 0,
                                      autoDelete ? 1 : 0, 0, a.table(arguments))
        }
        try check(amqp_get_rpc_reply(conn), "declare exchange \(name)")
    }

    /// Declares a queue; an empty name asks the broker to name it (for exclusive reply queues).
    @discardableResult
    public func declareQueue(_ name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
                             passive: Bool = false, arguments: [String: AMQPFieldValue] = [:]) throws -> AMQPQueueInfo {
        let conn = try channelReady()
        let ok = AMQPArena.with { a in
            amqp_queue_declare(conn, channel, a.bytes(name), passive ? 1 : 0, durable ? 1 : 0, exclusive ? 1 : 0,
                               autoDelete ? 1 : 0, a.table(arguments))
        }
        try check(amqp_get_rpc_reply(conn), "declare queue \(name)")
        guard let ok else { throw AMQPError(code: .protocolError, message: "queue.declare-ok missing") }
        // The reply lives in rabbitmq-c's frame pool until the next amqp_maybe_release_buffers.
        return AMQPQueueInfo(name: string(ok.pointee.queue), messageCount: Int(ok.pointee.message_count),
                             consumerCount: Int(ok.pointee.consumer_count))
    }

    /// Binds a queue to an exchange.
    public func bindQueue(_ queue: String, exchange: String, routingKey: String) throws {
        let conn = try channelReady()
        AMQPArena.with { a in
            _ = amqp_queue_bind(conn, channel, a.bytes(queue), a.bytes(exchange), a.bytes(routingKey), amqp_empty_table)
        }
        try check(amqp_get_rpc_reply(conn), "bind \(queue) to \(exchange)")
    }

    /// Deletes a queue (tests and clean-up).
    public func deleteQueue(_ name: String) throws {
        let conn = try channelReady()
        AMQPArena.with { a in _ = amqp_queue_delete(conn, channel, a.bytes(name), 0, 0) }
        try check(amqp_get_rpc_reply(conn), "delete queue \(name)")
    }

    // MARK: - Connection plumbing

    func open() throws {
        guard let conn = amqp_new_connection() else { throw AMQPError(code: .connectionFailed, message: "out of memory") }
        guard let socket = amqp_tcp_socket_new(conn) else {
            amqp_destroy_connection(conn)
            throw AMQPError(code: .connectionFailed, message: "cannot create socket")
        }
        var timeout = timeval(configuration.connectTimeout)
        let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(conn)
            throw AMQPError(code: .connectionFailed,
                            message: "cannot connect to \(configuration.host):\(configuration.port): \(errorString(status))")
        }
        crmq_enable_keepalive(amqp_get_sockfd(conn))
        let login = crmq_login_plain_named(conn, configuration.vhost, 0, 131_072, Int32(configuration.heartbeatSeconds),
                                           configuration.user, configuration.password, configuration.connectionName)
        state = conn
        do {
            try check(login, "login")
            try openChannel()
        } catch let error as AMQPError {
            teardown()
            throw AMQPError(code: .connectionFailed, message: error.message, replyCode: error.replyCode)
        }
    }

    func openChannel() throws {
        guard let conn = state else { throw closedError() }
        _ = amqp_channel_open(conn, channel)
        try check(amqp_get_rpc_reply(conn), "open channel")
        channelOpen = true
        nextPublishSeq = 1
        if confirmsEnabled {
            _ = amqp_confirm_select(conn, channel)
            try check(amqp_get_rpc_reply(conn), "confirm.select")
        }
    }

    /// The connection handle with an open channel, reopening a channel the broker closed.
    func channelReady() throws -> OpaquePointer {
        guard let conn = state else { throw closedError() }
        amqp_maybe_release_buffers(conn)
        if !channelOpen { try openChannel() }
        return conn
    }

    func teardown() {
        if let state { amqp_destroy_connection(state) }
        state = nil
        channelOpen = false
    }

    func closedError() -> AMQPError { AMQPError(code: .connectionClosed, message: "connection is closed") }

    /// Turns an RPC reply into success or an error, acknowledging broker-side closes.
    func check(_ reply: amqp_rpc_reply_t, _ context: String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            try handleServerClose(methodID: reply.reply.id, decoded: reply.reply.decoded, context: context)
            throw AMQPError(code: .protocolError, message: "\(context): unexpected method \(reply.reply.id)")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let message = "\(context): \(errorString(reply.library_error))"
            teardown()
            throw AMQPError(code: .connectionClosed, message: message)
        default:
            teardown()
            throw AMQPError(code: .connectionClosed, message: "\(context): no reply")
        }
    }

    /// Handles `channel.close` / `connection.close` from the broker: sends the matching close-ok
    /// and throws. Returns normally for any other method.
    func handleServerClose(methodID: amqp_method_number_t, decoded: UnsafeMutableRawPointer?, context: String) throws {
        guard let conn = state else { throw closedError() }
        if methodID == AMQP_CHANNEL_CLOSE_METHOD, let decoded {
            let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let code = Int(close.reply_code), text = string(close.reply_text)
            _ = crmq_send_channel_close_ok(conn, channel)
            channelOpen = false
            throw AMQPError(code: .channelClosed, message: "\(context): \(text)", replyCode: code)
        }
        if methodID == AMQP_CONNECTION_CLOSE_METHOD, let decoded {
            let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            let code = Int(close.reply_code), text = string(close.reply_text)
            _ = crmq_send_connection_close_ok(conn)
            teardown()
            throw AMQPError(code: .connectionClosed, message: "\(context): \(text)", replyCode: code)
        }
    }
}

func errorString(_ status: Int32) -> String {
    guard let p = amqp_error_string2(status) else { return "status \(status)" }
    return String(cString: p)
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(max(0, seconds)), tv_usec: Int(max(0, attoseconds / 1_000_000_000_000)))
    }
}
