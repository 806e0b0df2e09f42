import CRabbitMQ
import Foundation

extension AMQPConnection {
    /// Starts consuming `queue` with manual acks (unless `noAck`), at most `prefetch` unacked.
    /// - Returns: the consumer tag.
    @discardableResult
    public func consume(queue: String, prefetch: Int, noAck: Bool = false, exclusive: Bool = false) throws -> String {
        let conn = try channelReady()
        if prefetch > 0 {
            _ = amqp_basic_qos(conn, channel, 0, UInt16(clamping: prefetch), 0)
            try check(amqp_get_rpc_reply(conn), "basic.qos")
        }
        let ok = AMQPArena.with { a in
            amqp_basic_consume(conn, channel, a.bytes(queue), amqp_empty_bytes, 0, noAck ? 1 : 0, exclusive ? 1 : 0,
                               amqp_empty_table)
        }
        try check(amqp_get_rpc_reply(conn), "consume \(queue)")
        guard let ok else { throw AMQPError(code: .protocolError, message: "basic.consume-ok missing") }
        return string(ok.pointee.consumer_tag)
    }

    /// Stops a consumer; deliveries already sent stay unacked until acked or the channel closes.
    public func cancel(consumerTag: String) throws {
        let conn = try channelReady()
        AMQPArena.with { a in _ = amqp_basic_cancel(conn, channel, a.bytes(consumerTag)) }
        try check(amqp_get_rpc_reply(conn), "cancel")
    }

    /// Waits up to `timeout` for a first delivery, then takes up to `max` that are already
    /// buffered without waiting. An empty array means the time passed.
    ///
    /// If the broker closes the channel meanwhile, the deliveries read in this call are dropped
    /// (their tags died with the channel; the broker redelivers them) and the error is thrown.
    public func nextDeliveries(max: Int, timeout: Duration) throws -> [AMQPDelivery] {
        guard let conn = state else { throw closedError() }
        var out: [AMQPDelivery] = []
        var wait = timeout
        while out.count < max {
            amqp_maybe_release_buffers(conn)
            var envelope = amqp_envelope_t()
            var tv = timeval(wait)
            let reply = amqp_consume_message(conn, &envelope, &tv, 0)
            if reply.reply_type == AMQP_RESPONSE_NORMAL {
                // Copy everything out, then free rabbitmq-c's envelope buffers.
                out.append(AMQPDelivery(deliveryTag: envelope.delivery_tag, redelivered: envelope.redelivered != 0,
                                        exchange: string(envelope.exchange), routingKey: string(envelope.routing_key),
                                        body: array(envelope.message.body),
                                        properties: AMQPProperties(envelope.message.properties)))
                amqp_destroy_envelope(&envelope)
                wait = .zero
                continue
            }
            guard reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION else {
                teardown()
                throw AMQPError(code: .connectionClosed, message: "consume: unexpected reply")
            }
            if reply.library_error == AMQP_STATUS_TIMEOUT.rawValue { break }
            guard reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue else {
                let message = "consume: \(errorString(reply.library_error))"
                teardown()
                throw AMQPError(code: .connectionClosed, message: message)
            }
            // A frame other than basic.deliver is waiting: read it.
            var frame = amqp_frame_t()
            let status = amqp_simple_wait_frame(conn, &frame)
            guard status == AMQP_STATUS_OK.rawValue else {
                teardown()
                throw AMQPError(code: .connectionClosed, message: "consume: \(errorString(status))")
            }
            guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { continue }
            let method = frame.payload.method
            if method.id == AMQP_BASIC_CANCEL_METHOD {
                throw AMQPError(code: .channelClosed, message: "the broker cancelled the consumer (queue deleted?)")
            }
            try handleServerClose(methodID: method.id, decoded: method.decoded, context: "consume")
        }
        return out
    }

    /// Acknowledges one delivery, or every delivery up to `deliveryTag` when `multiple`.
    public func ack(_ deliveryTag: UInt64, multiple: Bool = false) throws {
        guard let conn = state, channelOpen else { throw closedError() }
        let status = amqp_basic_ack(conn, channel, deliveryTag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else {
            teardown()
            throw AMQPError(code: .connectionClosed, message: "ack: \(errorString(status))")
        }
    }

    /// Rejects deliveries; with `requeue` the broker redelivers them (flagged `redelivered`).
    public func nack(_ deliveryTag: UInt64, multiple: Bool = false, requeue: Bool) throws {
        guard let conn = state, channelOpen else { throw closedError() }
        let status = amqp_basic_nack(conn, channel, deliveryTag, multiple ? 1 : 0, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else {
            teardown()
            throw AMQPError(code: .connectionClosed, message: "nack: \(errorString(status))")
        }
    }
}
