/*
 * libmicrohttpd 0.9.75 for Swift.
 *
 * Swift cannot call variadic C functions (MHD_start_daemon, MHD_get_daemon_info,
 * MHD_get_connection_info) nor receive a va_list callback, so the fixed-signature
 * `cmhd_` functions below do those calls in C. Everything else is imported directly.
 */
#ifndef CMHD_SHIM_H
#define CMHD_SHIM_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/* A log sink Swift can implement: one line, already formatted, valid only during the call. */
typedef void (*cmhd_log_fn)(void *cls, const char *line);

/* Where MHD's log lines go. The caller owns this struct and must keep it alive (at a fixed
 * address) until MHD_stop_daemon has returned, because MHD keeps the pointer as its logger cls. */
struct cmhd_logger {
    cmhd_log_fn fn;
    void *cls;
};

/* The MHD_LogCallback handed to MHD: formats the printf-style message into a stack buffer
 * (long lines are truncated) and passes the text on. */
static inline void cmhd_log_trampoline(void *cls, const char *format, va_list args) {
    const struct cmhd_logger *logger = (const struct cmhd_logger *) cls;
    char line[1024];
    vsnprintf(line, sizeof line, format, args);
    logger->fn(logger->cls, line);
}

/* The daemon's limits. `host` is read during cmhd_start only. */
struct cmhd_settings {
    const char *host;                  /* numeric IPv4 or IPv6 address */
    uint16_t port;                     /* 0 = ephemeral */
    unsigned int flags;                /* MHD_FLAG bits; MHD_USE_IPv6 is added for a v6 host */
    unsigned int thread_pool_size;
    unsigned int connection_limit;
    unsigned int per_ip_connection_limit; /* 0 = unlimited */
    unsigned int timeout_seconds;      /* idle timeout, 0 = none */
    size_t connection_memory_limit;    /* bytes per connection for headers and read buffer */
};

/* Starts a daemon with every option the wrapper uses. Returns NULL on failure, with
 * *invalid_host = 1 when `host` is not a numeric address (MHD then was not called).
 * The logger goes first so that start-up failures are routed too. MHD copies nothing from
 * `addr` after bind, so a stack address is fine; `handler_cls`, `completed_cls` and `logger`
 * must outlive the daemon. */
static inline struct MHD_Daemon *
cmhd_start(const struct cmhd_settings *settings,
           MHD_AccessHandlerCallback handler, void *handler_cls,
           MHD_RequestCompletedCallback completed, void *completed_cls,
           struct cmhd_logger *logger, int *invalid_host) {
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    const struct sockaddr *addr;
    unsigned int flags = settings->flags;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    *invalid_host = 0;
    if (inet_pton(AF_INET, settings->host, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(settings->port);
        addr = (const struct sockaddr *) &v4;
    } else if (inet_pton(AF_INET6, settings->host, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(settings->port);
        addr = (const struct sockaddr *) &v6;
        flags |= MHD_USE_IPv6;
    } else {
        *invalid_host = 1;
        return NULL;
    }
    return MHD_start_daemon(flags, settings->port, NULL, NULL, handler, handler_cls,
        MHD_OPTION_EXTERNAL_LOGGER, cmhd_log_trampoline, (void *) logger,
        MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
        MHD_OPTION_THREAD_POOL_SIZE, settings->thread_pool_size,
        MHD_OPTION_CONNECTION_LIMIT, settings->connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, settings->per_ip_connection_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, settings->timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, settings->connection_memory_limit,
        MHD_OPTION_STRICT_FOR_CLIENT, (int) 1,
        MHD_OPTION_END);
}

/* The port the daemon listens on (the real one when started with port 0); 0 if unknown. */
static inline uint16_t cmhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/* Writes the peer's IP address as text into `buffer` (caller-owned, `size` bytes,
 * INET6_ADDRSTRLEN is enough). Returns 1 on success, 0 if the address is unknown. */
static inline int cmhd_client_address(struct MHD_Connection *connection, char *buffer, size_t size) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return 0;
    const struct sockaddr *addr = info->client_addr;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) addr;
        return inet_ntop(AF_INET, &in->sin_addr, buffer, (socklen_t) size) != NULL;
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) addr;
        return inet_ntop(AF_INET6, &in6->sin6_addr, buffer, (socklen_t) size) != NULL;
    }
    return 0;
}

/* After MHD_quiesce_daemon: makes the kernel refuse new connections on the listening socket
 * at once (Linux moves a listening socket to CLOSE on shutdown), while the descriptor stays
 * open, because MHD's threads may still hold it until MHD_stop_daemon returns. */
static inline void cmhd_refuse_connections(int listen_fd) {
    (void) shutdown(listen_fd, SHUT_RDWR);
}

/* Closes the descriptor MHD_quiesce_daemon handed over; call after MHD_stop_daemon. */
static inline void cmhd_close_listener(int listen_fd) {
    (void) close(listen_fd);
}

#endif
