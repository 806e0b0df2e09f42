#ifndef CRABBITMQ_SHIM_H
#define CRABBITMQ_SHIM_H
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/* amqp_login is variadic, which Swift cannot call. */
static inline amqp_rpc_reply_t
crmq_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                 int frame_max, int heartbeat, const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat,
                      AMQP_SASL_METHOD_PLAIN, user, password);
}

/* Logs in and names the connection (shown by the broker's management UI), so an operator can
   tell services apart. amqp_login_with_properties is variadic too. `name` only needs to live for
   the call: the table is serialised into the login frame before it returns. */
static inline amqp_rpc_reply_t
crmq_login_plain_named(amqp_connection_state_t state, const char *vhost, int channel_max, int frame_max,
                       int heartbeat, const char *user, const char *password, const char *name) {
    amqp_table_entry_t entry;
    entry.key = amqp_cstring_bytes("connection_name");
    entry.value.kind = AMQP_FIELD_KIND_UTF8;
    entry.value.value.bytes = amqp_cstring_bytes(name);
    amqp_table_t properties;
    properties.num_entries = 1;
    properties.entries = &entry;
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, &properties,
                                      AMQP_SASL_METHOD_PLAIN, user, password);
}

/* With heartbeats off (rabbitmq-c only services them inside library calls), TCP keepalive is
   what notices a silently dead peer. Best effort: errors are ignored. */
static inline void crmq_enable_keepalive(int fd) {
    int on = 1, idle = 10, interval = 5, count = 3;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

/* Acknowledges a broker-initiated channel.close so the channel number can be reopened. */
static inline int crmq_send_channel_close_ok(amqp_connection_state_t state, amqp_channel_t channel) {
    amqp_channel_close_ok_t ok;
    ok.dummy = 0;
    return amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
}

/* Acknowledges a broker-initiated connection.close. */
static inline int crmq_send_connection_close_ok(amqp_connection_state_t state) {
    amqp_connection_close_ok_t ok;
    ok.dummy = 0;
    return amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
}
#endif
