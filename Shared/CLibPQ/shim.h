#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
#include <libpq-fe.h>
#include <poll.h>

/* Waits until the connection's socket is readable or `timeout_ms` passes.
   Returns >0 when readable, 0 on timeout, <0 on error (errno set). */
static inline int clibpq_wait_readable(int fd, int timeout_ms) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    return poll(&p, 1, timeout_ms);
}
#endif
