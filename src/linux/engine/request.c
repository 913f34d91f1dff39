/*
 * The system calls behind a request, for the engines that make them
 * themselves (epoll) and for the front end's immediate and blocking paths.
 */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <sys/uio.h>
#include <unistd.h>

ssize_t request_transfer(const struct engine_request *req, int extra_flags)
{
    if (req->kind == REQ_SEND) {
        /* A send finishes whole because the front end resumes it after a
         * short write; the kernel's send takes no MSG_WAITALL. */
        int flags = (req->flags & ~MSG_WAITALL) | extra_flags;
        return req->msg != NULL ? sendmsg(req->fd, req->msg, flags)
                                : send(req->fd, req->buf.iov_base, req->buf.iov_len, flags);
    }
    int flags = req->flags | extra_flags;
    return req->msg != NULL ? recvmsg(req->fd, req->msg, flags)
                            : recv(req->fd, req->buf.iov_base, req->buf.iov_len, flags);
}

/* Returns the descriptor's flags, after making it non-blocking. */
static int nonblocking_begin(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK))
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    return flags;
}

/* Restores the flags nonblocking_begin returned, leaving errno alone. */
static void nonblocking_end(int fd, int flags)
{
    int err = errno;
    if (flags >= 0 && !(flags & O_NONBLOCK))
        fcntl(fd, F_SETFL, flags);
    errno = err;
}

/* A regular file never reports "would block": the transfer happens now,
 * taking what time the device takes. */
static ssize_t transfer_at(const struct engine_request *req)
{
    if (req->kind == REQ_READ_AT)
        return pread(req->fd, req->buf.iov_base, req->buf.iov_len, (off_t)req->off);
    return pwritev2(req->fd, &req->buf, 1, (off_t)req->off, req->flags);
}

int request_try(struct engine_request *req)
{
    int saved = errno;
    ssize_t n;
    switch (req->kind) {
    case REQ_READ_AT:
    case REQ_WRITE_AT:
        do
            n = transfer_at(req);
        while (n < 0 && errno == EINTR);
        break;
    case REQ_RECV:
    case REQ_SEND:
        n = request_transfer(req, MSG_DONTWAIT);
        break;
    case REQ_POLL_IN:
    case REQ_POLL_OUT: {
        /* The mask, as the kernel's own poll request reports it. */
        struct pollfd pfd = { req->fd, req->kind == REQ_POLL_IN ? POLLIN : POLLOUT, 0 };
        n = poll(&pfd, 1, 0);
        if (n == 0) {
            n = -1;
            errno = EAGAIN;
        } else if (n > 0) {
            n = pfd.revents;
        }
        break;
    }
    case REQ_ACCEPT: {
        /* accept() and connect() take no MSG_DONTWAIT: the socket is made
         * non-blocking for the call alone. */
        int flags = nonblocking_begin(req->fd);
        n = accept4(req->fd, NULL, NULL, SOCK_CLOEXEC);
        nonblocking_end(req->fd, flags);
        break;
    }
    case REQ_CONNECT: {
        int flags = nonblocking_begin(req->fd);
        n = connect(req->fd, req->to.addr, req->to.addrlen);
        /* After a failed attempt Linux answers the next connect() once with
         * ECONNABORTED; the new attempt is what the caller asked for. */
        if (n < 0 && errno == ECONNABORTED)
            n = connect(req->fd, req->to.addr, req->to.addrlen);
        nonblocking_end(req->fd, flags);
        if (n < 0 && errno == EINPROGRESS) {
            req->kind = REQ_POLL_OUT;   /* under way: what is left is to wait for its outcome */
            errno = EAGAIN;
        }
        break;
    }
    default:
        n = -1;
        errno = EINVAL;
        break;
    }
    int res = n < 0 ? -errno : (int)n;
    errno = saved;
    return res;
}
