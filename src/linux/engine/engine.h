/*
 * The interface between the front end and an I/O engine. An engine is given
 * requests (one kernel operation on one descriptor), starts them, cancels
 * them and reports each one's raw result (bytes, or -errno) exactly once.
 * It sees nothing of Win32: no OVERLAPPED, no port, no error code, no
 * extension function. The front end, written once for all engines, turns
 * results into what Windows reports.
 */
#ifndef IOCPCOMPAT_ENGINE_H
#define IOCPCOMPAT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

enum req_kind {
    REQ_RECV,      /* recvmsg into buf (or msg) */
    REQ_SEND,      /* sendmsg of buf (or msg) */
    REQ_POLL_IN,   /* wait for data without taking it: the result is the poll mask */
    REQ_POLL_OUT,  /* wait until a connection attempt has an outcome: the poll mask */
    REQ_ACCEPT,    /* accept a connection: the result is the new descriptor */
    REQ_CONNECT,   /* connect to to.addr */
    REQ_READ_AT,   /* read into buf at off (a regular file) */
    REQ_WRITE_AT,  /* write buf at off; flags RWF_APPEND: at the end whatever off says */
};

/* What the submitter knows of a receive's or send's descriptor. */
enum req_hint {
    REQ_HINT_NONE,
    /* Trying it now would likely find nothing: an attempt just met EAGAIN,
     * or the last stream receive came back short (the queue was drained).
     * An engine that can arm its wait without losing readiness that came
     * meanwhile waits before trying (io_uring). submit() consumes it. */
    REQ_HINT_NOT_READY,
};

/*
 * One request. Its owner keeps it alive and unchanged from submit() until the
 * engine reports it; then it is the owner's again (to resubmit or to free).
 */
struct engine_request {
    struct engine_request *link;   /* the engine's, while the request is in it */
    int fd;
    int res;                       /* the engine's: the result until it is reported */
    int flags;                     /* MSG_* of a receive or send; RWF_* of a file transfer */
    unsigned char kind;            /* enum req_kind */
    unsigned char hint;            /* enum req_hint */
    bool stream;                   /* on a stream socket: a short receive leaves no data behind */
    /* The request is in every pending receive, most of an idle
     * connection's memory: a file transfer's offset takes the place of the
     * message header that it never has. */
    union {
        struct msghdr *msg;        /* several buffers or an address; NULL: buf alone */
        uint64_t off;              /* REQ_READ_AT, REQ_WRITE_AT */
    };
    union {
        struct iovec buf;          /* REQ_RECV, REQ_SEND without msg; REQ_READ_AT, REQ_WRITE_AT */
        struct {
            const struct sockaddr *addr;
            socklen_t addrlen;
        } to;                      /* REQ_CONNECT */
    };
};

struct engine;

enum engine_outlook {
    /* It would cost a system call of its own, or its result would go to
     * another thread (the one waiting on the engine). */
    ENGINE_AT_ONCE,
    /* It would wait in the engine for this thread's next wait and go to
     * the kernel within that wait's system call (see uring.c). */
    ENGINE_HOLDS,
    /* Its descriptor is known not ready for it: it would wait for
     * readiness, at no cost (see epoll.c). */
    ENGINE_NOT_READY,
};

struct engine_report {
    struct engine_request *req;
    int res;            /* bytes, poll mask or descriptor; or -errno */
};

struct engine_vtable {
    const char *name;
    /* Starts req in the kernel. 0, or -errno when it could not be started. */
    int (*submit)(struct engine *e, struct engine_request *req);
    /* Asks the kernel to stop req; its report still comes, exactly once. */
    void (*cancel)(struct engine *e, struct engine_request *req);
    /* Waits up to timeout_ms (-1: forever) for results. Returns how many
     * were stored in out (0 on timeout or wake). One thread at a time. */
    int (*wait)(struct engine *e, int timeout_ms, struct engine_report *out, int max);
    /* True when results wait to be reaped. Cheap (no system call). Any thread. */
    int (*ready)(struct engine *e);
    /* How submitting req from the calling thread would fare now: the front
     * end's reason to try it at once first, or not. A hint, cheap; any
     * thread. */
    enum engine_outlook (*outlook)(struct engine *e, const struct engine_request *req);
    /* Makes a concurrent or the next wait return early. Any thread. */
    void (*wake)(struct engine *e);
    /* The calling thread will not wait on this engine again soon: it is
     * about to block elsewhere, or goes back to the program with nothing.
     * An engine that keeps this thread's submissions for its next wait
     * (see uring.c) lets them go now. Any thread. */
    void (*thread_away)(struct engine *e);
    /* fd is about to be closed or replaced (dup3), and every request on it
     * has been reported: the engine drops what it keeps about it. Any thread. */
    void (*fd_closing)(struct engine *e, int fd);
    void (*destroy)(struct engine *e);
};

struct engine {
    const struct engine_vtable *vt;
};

/* Why engine_create failed. */
enum engine_failure {
    ENGINE_OK,
    ENGINE_REFUSED,     /* an unknown IOCPCOMPAT_BACKEND, or an explicit choice that cannot be honoured */
    ENGINE_NO_MEMORY,
};

/* Creates the engine IOCPCOMPAT_BACKEND selects. */
enum engine_failure engine_create(struct engine **out);

int engine_uring_create(struct engine **out);   /* 0 or -errno */
int engine_epoll_create(struct engine **out);   /* 0 or -errno */

/* One non-blocking try of req: its result (bytes, poll mask, descriptor) or
 * -errno, -EAGAIN when it would block. A connect found under way becomes a
 * REQ_POLL_OUT. errno is left as found. */
int request_try(struct engine_request *req);

/* One recvmsg/sendmsg (or recv/send) of req's buffers with extra_flags
 * added: bytes, or -1 with errno set. */
ssize_t request_transfer(const struct engine_request *req, int extra_flags);

#endif
