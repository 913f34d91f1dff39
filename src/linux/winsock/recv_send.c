/*
 * WSARecv, WSASend, WSARecvFrom and WSASendTo share one path: validate as
 * Windows does, try the operation at once when that can succeed (the call
 * then returns 0, and a packet is still queued unless skip-on-success is
 * set), else queue it behind the socket's earlier operations of the same
 * direction and let the engine finish it.
 */
#include "completion.h"
#include "engine.h"
#include "error.h"
#include "op.h"
#include "socket.h"

#include <errno.h>
#include <netinet/tcp.h>

struct request {
    enum req_kind kind;
    const WSABUF *bufs;
    DWORD count;
    LPDWORD bytes;              /* set on immediate success */
    int msg_flags;
    LPDWORD flags;              /* WSARecv's in/out flags */
    struct sockaddr *addr;      /* WSASendTo's target, WSARecvFrom's source */
    socklen_t addrlen;
    LPINT fromlen;
};

/* A TCP stream reads as ended though the peer sent no FIN: this side shut
 * its receive direction (shutdown(SD_RECEIVE)), which Windows reports. */
static bool receive_shut_locally(int fd)
{
    struct tcp_info info;
    socklen_t len = sizeof(info);
    int saved = errno;
    int rc = getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len);
    errno = saved;
    if (rc != 0)
        return false;
    return info.tcpi_state == TCP_ESTABLISHED || info.tcpi_state == TCP_FIN_WAIT1 ||
           info.tcpi_state == TCP_FIN_WAIT2;
}

/* The Winsock code for an operation that failed before it could pend. */
static DWORD immediate_error(struct sock *s, int err)
{
    if (err == ECONNRESET)
        s->reset = true;
    if (err == EPIPE)
        return s->reset ? WSAECONNRESET : WSAESHUTDOWN;
    return status_socket_error(err);
}

static int fail(struct sock *s, struct op *op, DWORD code)
{
    if (op != NULL)
        op_free(op);
    sock_release(s);
    error_set(code);
    return SOCKET_ERROR;
}

/* Without an OVERLAPPED the call blocks, as a plain recv/send would. */
static int run_blocking(struct sock *s, struct op *op, const struct request *rq)
{
    int saved = errno;
    ssize_t n = request_transfer(&op->req, 0);
    int err = errno;
    errno = saved;
    if (n < 0) {
        lock_acquire(&s->lock);
        DWORD code = immediate_error(s, err);
        lock_release(&s->lock);
        return fail(s, op, code);
    }
    if (rq->bytes)
        *rq->bytes = (DWORD)n;
    if (rq->flags)
        *rq->flags = 0;
    if (rq->fromlen && rq->addr) {
        const struct sockaddr *from = rq->addr;
        *rq->fromlen = from->sa_family == AF_INET6 ? (int)sizeof(struct sockaddr_in6)
                                                   : (int)sizeof(struct sockaddr_in);
    }
    op_free(op);
    sock_release(s);
    error_set(0);
    return 0;
}

static int issue(SOCKET so, struct request *rq, LPWSAOVERLAPPED ovl,
                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return SOCKET_ERROR;
    if (rq->count == 0)
        return fail(s, NULL, WSAEINVAL);
    if (rq->bufs == NULL || (rq->kind != REQ_SEND && rq->flags == NULL))
        return fail(s, NULL, WSAEFAULT);
    if (routine != NULL) {
        /* A port-associated socket cannot also take completion routines;
         * without a port they would need alertable waits, not offered here. */
        lock_acquire(&s->lock);
        bool associated = s->port != NULL;
        lock_release(&s->lock);
        return fail(s, NULL, associated ? WSAEINVAL : WSAEOPNOTSUPP);
    }

    enum req_kind kind = rq->kind;
    if (kind == REQ_RECV && rq->count == 1 && rq->bufs[0].len == 0 && s->stream)
        kind = REQ_POLL_IN;
    struct op *op = op_alloc(s, kind, ovl);
    if (op == NULL)
        return fail(s, NULL, WSAENOBUFS);
    if (!op_set_buffers(op, rq->bufs, rq->count, rq->addr, rq->addrlen, rq->fromlen)) {
        DWORD code = GetLastError();
        return fail(s, op, code);
    }
    op->req.flags = rq->msg_flags;
    if (!s->stream) {
        /* Datagrams: a send is never partial, and MSG_TRUNC makes a receive
         * report a datagram's full size so truncation can be told. (On a
         * stream MSG_TRUNC would discard data.) */
        op->req.flags &= ~MSG_WAITALL;
        if (kind == REQ_RECV)
            op->req.flags |= MSG_TRUNC;
    }
    if (ovl == NULL)
        return run_blocking(s, op, rq);

    struct opq *q = kind == REQ_SEND ? &s->sendq : &s->recvq;
    lock_acquire(&s->lock);
    if (s->closed) {
        lock_release(&s->lock);
        return fail(s, op, WSAENOTSOCK);
    }
    if (s->reset && s->stream) {
        lock_release(&s->lock);
        return fail(s, op, WSAECONNRESET);
    }
    if (opq_empty(q)) {
        int res = request_try(&op->req);
        if (res == -EAGAIN) {
            /* goes to the kernel queue below */
        } else if (res < 0) {
            DWORD code = immediate_error(s, -res);
            lock_release(&s->lock);
            return fail(s, op, code);
        } else if (kind == REQ_SEND && s->stream && (size_t)res < op->total) {
            /* A short write: the rest goes through the kernel queue. */
            op->done = (DWORD)res;
            op_skip_sent(op, (size_t)res);
        } else {
            if (res == 0 && kind == REQ_RECV && s->stream && op->total > 0 &&
                receive_shut_locally(s->fd)) {
                lock_release(&s->lock);
                return fail(s, op, WSAESHUTDOWN);
            }
            DWORD status, bytes;
            op_outcome(op, res, &status, &bytes);
            if (status != STATUS_SUCCESS) {
                lock_release(&s->lock);
                return fail(s, op, status_to_wsa(status));
            }
            if (rq->bytes)
                *rq->bytes = bytes;
            if (rq->flags)
                *rq->flags = 0;
            op_finish_now(op, status, bytes, true);
            lock_release(&s->lock);
            sock_release(s);
            error_set(0);   /* Winsock clears the last error on success */
            return 0;
        }
    }

    completion_mark_pending(ovl);
    opq_push(q, op);
    if (q->head == op)
        sock_start_head(s, q);
    lock_release(&s->lock);
    sock_release(s);
    error_set(WSA_IO_PENDING);
    return SOCKET_ERROR;
}

static int recv_flags(LPDWORD flags)
{
    return flags ? (int)(*flags & (MSG_PEEK | MSG_OOB | MSG_WAITALL)) : 0;
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD bytes, LPDWORD flags,
                   LPWSAOVERLAPPED ovl, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct request rq = {
        .kind = REQ_RECV, .bufs = bufs, .count = count, .bytes = bytes,
        .msg_flags = recv_flags(flags), .flags = flags,
    };
    return issue(s, &rq, ovl, routine);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD bytes, LPDWORD flags,
                       struct sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED ovl,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (from != NULL && (fromlen == NULL || *fromlen < (int)sizeof(struct sockaddr_in))) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    struct request rq = {
        .kind = REQ_RECV, .bufs = bufs, .count = count, .bytes = bytes,
        .msg_flags = recv_flags(flags), .flags = flags,
        .addr = from, .addrlen = from ? (socklen_t)*fromlen : 0, .fromlen = from ? fromlen : NULL,
    };
    return issue(s, &rq, ovl, routine);
}

int WSAAPI WSASend(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD bytes, DWORD flags,
                   LPWSAOVERLAPPED ovl, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct request rq = {
        .kind = REQ_SEND, .bufs = bufs, .count = count, .bytes = bytes,
        .msg_flags = (int)(flags & (MSG_OOB | MSG_DONTROUTE)) | MSG_NOSIGNAL | MSG_WAITALL,
    };
    return issue(s, &rq, ovl, routine);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD bytes, DWORD flags,
                     const struct sockaddr *to, int tolen, LPWSAOVERLAPPED ovl,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (to != NULL && tolen < (int)sizeof(struct sockaddr_in)) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    struct request rq = {
        .kind = REQ_SEND, .bufs = bufs, .count = count, .bytes = bytes,
        .msg_flags = (int)(flags & (MSG_OOB | MSG_DONTROUTE)) | MSG_NOSIGNAL | MSG_WAITALL,
        .addr = (struct sockaddr *)to, .addrlen = to ? (socklen_t)tolen : 0,
    };
    return issue(s, &rq, ovl, routine);
}
