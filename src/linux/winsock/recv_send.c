/*
 * WSARecv, WSASend, WSARecvFrom and WSASendTo share one path: validate as
 * Windows does, try the operation at once when that is worth it (the call
 * then returns 0, and a packet is still queued unless skip-on-success is
 * set; see tried_at_once), else queue it behind the socket's earlier
 * operations of the same direction and let the engine finish it.
 */
#include "completion.h"
#include "engine.h"
#include "error.h"
#include "extension.h"
#include "netevents.h"
#include "op.h"
#include "socket.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>

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
    void *owned;                /* a send's memory, the op's once it is built (send_owned) */
    LPWSAMSG wsamsg;            /* WSARecvMsg */
};

/* A TCP stream reads as ended though the peer sent no FIN: this side shut
 * its receive direction (shutdown(SD_RECEIVE)), which Windows reports. */
static bool receive_shut_locally(int fd)
{
    int state = sock_tcp_state(fd);
    return state == TCP_ESTABLISHED || state == TCP_FIN_WAIT1 || state == TCP_FIN_WAIT2;
}

/* SIO_UDP_CONNRESET FALSE: a port unreachable that answered an earlier
 * datagram is not reported; its error is dropped from the socket, and the
 * transfer is tried again. */
static bool unreported_connreset(struct sock *s, int err)
{
    if (err != ECONNREFUSED || s->stream || !s->udp_connreset_off)
        return false;
    sock_drain_errors(s->fd);
    return true;
}

/* The Winsock code for an operation that failed before it could pend. */
static DWORD immediate_error(struct sock *s, int err)
{
    if (!s->stream && err == ECONNREFUSED) {
        sock_drain_errors(s->fd);
        return WSAECONNRESET;   /* a port unreachable, as Windows reports it */
    }
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

static int succeed(struct sock *s)
{
    sock_release(s);
    error_set(0);   /* Winsock clears the last error on success */
    return 0;
}

/* A call that finished at once writes its count and no flags; one that
 * pends leaves both to WSAGetOverlappedResult. */
static void report_immediate(const struct request *rq, DWORD bytes)
{
    if (rq->bytes)
        *rq->bytes = bytes;
    if (rq->flags)
        *rq->flags = 0;
}

/* What Windows refuses before anything is queued, or 0. */
static DWORD validation_error(struct sock *s, const struct request *rq,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (rq->count == 0)
        return WSAEINVAL;
    if (rq->bufs == NULL || (rq->kind != REQ_SEND && rq->flags == NULL && rq->wsamsg == NULL))
        return WSAEFAULT;
    if (routine != NULL) {
        /* A port-associated socket cannot also take completion routines;
         * without a port they would need alertable waits, not offered here. */
        lock_acquire(&s->lock);
        bool associated = s->port != NULL;
        lock_release(&s->lock);
        return associated ? WSAEINVAL : WSAEOPNOTSUPP;
    }
    return 0;
}

/* A zero-byte receive on a stream completes when data arrives and takes
 * none of it, which is what a wait for input does. */
static enum req_kind kernel_kind(const struct sock *s, const struct request *rq)
{
    if (rq->kind == REQ_RECV && rq->count == 1 && rq->bufs[0].len == 0 && s->stream)
        return REQ_POLL_IN;
    return rq->kind;
}

/* Datagrams: a send is never partial, and MSG_TRUNC makes a receive report
 * a datagram's full size so truncation can be told. (On a stream MSG_TRUNC
 * would discard data.) */
static int kernel_flags(const struct sock *s, enum req_kind kind, int msg_flags)
{
    if (s->stream)
        return msg_flags;
    msg_flags &= ~MSG_WAITALL;
    if (kind == REQ_RECV)
        msg_flags |= MSG_TRUNC;
    return msg_flags;
}

/* The op that carries the call, or NULL with *code the Winsock error. */
static struct op *build_op(struct sock *s, const struct request *rq, LPWSAOVERLAPPED ovl,
                           DWORD *code)
{
    enum req_kind kind = kernel_kind(s, rq);
    struct op *op = op_alloc(s, kind, ovl);
    if (op == NULL) {
        free(rq->owned);
        *code = WSAENOBUFS;
        return NULL;
    }
    bool set = rq->wsamsg != NULL
                   ? op_set_message(op, rq->wsamsg)
                   : op_set_buffers(op, rq->bufs, rq->count, rq->addr, rq->addrlen, rq->fromlen);
    if (!set || (rq->owned != NULL && !op_set_owned(op, rq->owned))) {
        *code = GetLastError();
        free(rq->owned);
        op_free(op);
        return NULL;
    }
    op->req.flags = kernel_flags(s, kind, rq->msg_flags);
    op->req.stream = s->stream;
    return op;
}

/* Without an OVERLAPPED the call blocks, as a plain recv/send would. */
static int run_blocking(struct sock *s, struct op *op, const struct request *rq)
{
    int saved = errno;
    ssize_t n = request_transfer(&op->req, 0);
    int err = errno;
    while (n < 0 && unreported_connreset(s, err)) {
        n = request_transfer(&op->req, 0);
        err = errno;
    }
    errno = saved;
    if (n < 0) {
        lock_acquire(&s->lock);
        DWORD code = immediate_error(s, err);
        lock_release(&s->lock);
        return fail(s, op, code);
    }
    if (op->req.kind == REQ_RECV)
        op_report_message(op);
    if (!s->stream && op->req.kind == REQ_RECV && (size_t)n > op->total)
        return fail(s, op, WSAEMSGSIZE);   /* MSG_TRUNC gave the datagram's size */
    if (rq->wsamsg != NULL && (rq->wsamsg->dwFlags & MSG_CTRUNC))
        return fail(s, op, WSAEMSGSIZE);   /* as Windows: the control data did not fit */
    report_immediate(rq, (DWORD)n);
    op_free(op);
    return succeed(s);
}

/* Why an overlapped call on s cannot start, or 0. s locked. */
static DWORD state_error(const struct sock *s)
{
    if (s->closed)
        return WSAENOTSOCK;
    if (s->reset && s->stream)
        return WSAECONNRESET;
    return 0;
}

/* The try wrote part of a stream send: the rest waits in the kernel queue. */
static bool sent_in_part(const struct sock *s, const struct op *op, int res)
{
    return op->req.kind == REQ_SEND && s->stream && (size_t)res < op->total;
}

/* The try read an end of stream that is this side's own shutdown. */
static bool ended_by_local_shutdown(const struct sock *s, const struct op *op, int res)
{
    return res == 0 && op->req.kind == REQ_RECV && s->stream && op->total > 0 &&
           receive_shut_locally(s->fd);
}

/* The try finished op: 0 with the result written out and op gone to its
 * completion, or the error (op still the caller's). s locked. */
static DWORD finish_at_once(struct op *op, const struct request *rq, int res)
{
    DWORD status, bytes;
    op_outcome(op, res, &status, &bytes);
    if (status != STATUS_SUCCESS)
        return status_to_wsa(status);
    report_immediate(rq, bytes);
    op_finish_now(op, status, bytes, true);
    return 0;
}

/*
 * Tries op at once. False: it goes to the kernel queue (nothing was ready,
 * or a short write left a rest). True: the call is over, with *code its
 * outcome as finish_at_once gives it. s locked.
 */
static bool over_at_once(struct sock *s, struct op *op, const struct request *rq, DWORD *code)
{
    int res = request_try(&op->req);
    if (res < 0 && unreported_connreset(s, -res))
        res = request_try(&op->req);
    if (res == -EAGAIN) {
        op->req.hint = REQ_HINT_NOT_READY;
        return false;
    }
    if (res < 0) {
        *code = immediate_error(s, -res);
        return true;
    }
    if (sent_in_part(s, op, res)) {
        op->done = (DWORD)res;
        op_skip_sent(op, (size_t)res);
        op->req.hint = REQ_HINT_NOT_READY;
        return false;
    }
    if (ended_by_local_shutdown(s, op, res)) {
        *code = WSAESHUTDOWN;
        return true;
    }
    *code = finish_at_once(op, rq, res);
    return true;
}

/*
 * Whether op is tried at once before it goes to the kernel. Row R3 lets an
 * operation that could finish at once pend instead (either way it completes
 * once, with its packet), so this is chosen for speed, from what the engine
 * and the socket have shown:
 * - a descriptor the engine knows not ready would make the attempt futile;
 * - where the engine holds this thread's submissions for its next wait
 *   (io_uring, for a worker between two packets), the kernel makes the
 *   attempt within that wait's system call, so a send or a receive costs
 *   no system call of its own; a stream receive that follows one which
 *   filled its buffers is still tried, its data being very likely there
 *   already, and one that follows a short receive (the queue was drained)
 *   has the kernel wait for data before trying;
 * - otherwise the attempt is the cheapest way: a result found now needs
 *   no trip through another thread.
 * s locked.
 */
static bool tried_at_once(struct sock *s, struct op *op)
{
    unsigned char where;
    struct engine *e = sock_engine(s, op, &where);
    enum engine_outlook outlook = e != NULL ? e->vt->outlook(e, &op->req) : ENGINE_AT_ONCE;
    if (outlook == ENGINE_NOT_READY)
        return false;
    if (outlook == ENGINE_AT_ONCE)
        return true;
    /* A RIO send is tried even so: its result goes to a CQ that the
     * program reads right after, and one that the kernel makes within the
     * wait would first have to be reaped, then pushed there. */
    if (op->ext == EXT_RIO && op->req.kind == REQ_SEND)
        return true;
    if (op->req.kind != REQ_RECV || !s->stream)
        return false;
    if (s->last_recv == RECV_SEEN_SHORT)
        op->req.hint = REQ_HINT_NOT_READY;
    return s->last_recv == RECV_SEEN_FILLED;
}

void recv_send_start_locked(struct sock *s, struct op *op)
{
    struct opq *q = op->req.kind == REQ_SEND ? &s->sendq : &s->recvq;
    if (s->closed) {
        op_finish_now(op, STATUS_CANCELLED, 0, false);
        return;
    }
    if (opq_empty(q) && tried_at_once(s, op)) {
        int res = request_try(&op->req);
        if (res < 0 && unreported_connreset(s, -res))
            res = request_try(&op->req);
        if (res == -EAGAIN) {
            op->req.hint = REQ_HINT_NOT_READY;
        } else if (res >= 0 && sent_in_part(s, op, res)) {
            op->done = (DWORD)res;
            op_skip_sent(op, (size_t)res);
            op->req.hint = REQ_HINT_NOT_READY;
        } else {
            DWORD status, bytes;
            op_outcome(op, res, &status, &bytes);
            op_finish_now(op, status, bytes, false);
            return;
        }
    }
    opq_push(q, op);
    if (q->head == op)
        sock_start_head(s, q);
}

/* Queues op behind the earlier operations of its direction; the call
 * reports pending. Called with s locked; unlocks it. */
static int pend(struct sock *s, struct opq *q, struct op *op, LPWSAOVERLAPPED ovl)
{
    completion_mark_pending(ovl);
    opq_push(q, op);
    if (q->head == op)
        sock_start_head(s, q);
    lock_release(&s->lock);
    sock_release(s);
    error_set(WSA_IO_PENDING);
    return SOCKET_ERROR;
}

/* With an OVERLAPPED: tried at once only when nothing of its direction
 * waits before it, so that operations keep their posting order. */
static int run_overlapped(struct sock *s, struct op *op, const struct request *rq,
                          LPWSAOVERLAPPED ovl)
{
    struct opq *q = op->req.kind == REQ_SEND ? &s->sendq : &s->recvq;
    lock_acquire(&s->lock);
    DWORD code = state_error(s);
    if (code != 0) {
        lock_release(&s->lock);
        return fail(s, op, code);
    }
    if (opq_empty(q) && tried_at_once(s, op) && over_at_once(s, op, rq, &code)) {
        lock_release(&s->lock);
        return code == 0 ? succeed(s) : fail(s, op, code);
    }
    return pend(s, q, op, ovl);
}

static int issue(SOCKET so, const struct request *rq, LPWSAOVERLAPPED ovl,
                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct sock *s = sock_for_call(so);
    if (s == NULL) {
        free(rq->owned);
        return SOCKET_ERROR;
    }
    DWORD code = validation_error(s, rq, routine);
    if (code != 0) {
        free(rq->owned);
        return fail(s, NULL, code);
    }
    struct op *op = build_op(s, rq, ovl, &code);
    if (op == NULL)
        return fail(s, NULL, code);
    if (ovl == NULL)
        return run_blocking(s, op, rq);
    return run_overlapped(s, op, rq, ovl);
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
    int rc = issue(s, &rq, ovl, routine);
    netevents_after((int)s, FD_READ | FD_OOB);
    return rc;
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
    int rc = issue(s, &rq, ovl, routine);
    netevents_after((int)s, FD_READ | FD_OOB);
    return rc;
}

/* WSARecvMsg and WSASendMsg take a message with room for an IPv4 address
 * at least, on a datagram socket; false with the error set otherwise. */
static bool message_call_ok(SOCKET s, LPWSAMSG msg)
{
    if (msg == NULL || (msg->name != NULL && msg->namelen < (INT)sizeof(struct sockaddr_in))) {
        error_set(WSAEFAULT);
        return false;
    }
    struct sock *rec = sock_for_call(s);
    if (rec == NULL)
        return false;
    bool stream = rec->stream;
    sock_release(rec);
    if (stream) {
        error_set(WSAEOPNOTSUPP);
        return false;
    }
    return true;
}

/* WSARecvMsg (through WSAID_WSARECVMSG): WSARecvFrom with a control
 * buffer, on datagram sockets. */
INT PASCAL recv_send_recv_msg(SOCKET s, LPWSAMSG msg, LPDWORD bytes, LPWSAOVERLAPPED ovl,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (!message_call_ok(s, msg))
        return SOCKET_ERROR;
    DWORD flags = msg->dwFlags;
    msg->dwFlags = 0;
    struct request rq = {
        .kind = REQ_RECV, .bufs = msg->lpBuffers, .count = msg->dwBufferCount, .bytes = bytes,
        .msg_flags = recv_flags(&flags), .flags = NULL, .wsamsg = msg,
    };
    int rc = issue(s, &rq, ovl, routine);
    netevents_after((int)s, FD_READ | FD_OOB);
    return rc;
}

/* A send that would block re-enables FD_WRITE (WSAEventSelect). */
static int send_issued(SOCKET s, int rc)
{
    if (rc == SOCKET_ERROR && netevents_any() && WSAGetLastError() == WSAEWOULDBLOCK)
        netevents_reenable((int)s, FD_WRITE);
    return rc;
}

/* WSASendMsg (exported, and through WSAID_WSASENDMSG): WSASendTo with a
 * control buffer, on datagram sockets as on Windows. */
int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD bytes, LPWSAOVERLAPPED ovl,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (!message_call_ok(s, msg))
        return SOCKET_ERROR;
    struct request rq = {
        .kind = REQ_SEND, .bufs = msg->lpBuffers, .count = msg->dwBufferCount, .bytes = bytes,
        .msg_flags = (int)(flags & (MSG_OOB | MSG_DONTROUTE)) | MSG_NOSIGNAL, .wsamsg = msg,
    };
    return send_issued(s, issue(s, &rq, ovl, routine));
}

int WSAAPI WSASend(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD bytes, DWORD flags,
                   LPWSAOVERLAPPED ovl, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct request rq = {
        .kind = REQ_SEND, .bufs = bufs, .count = count, .bytes = bytes,
        .msg_flags = (int)(flags & (MSG_OOB | MSG_DONTROUTE)) | MSG_NOSIGNAL | MSG_WAITALL,
    };
    return send_issued(s, issue(s, &rq, ovl, routine));
}

int send_owned(SOCKET s, WSABUF *bufs, DWORD count, LPWSAOVERLAPPED ovl, void *owned)
{
    struct request rq = {
        .kind = REQ_SEND, .bufs = bufs, .count = count,
        .msg_flags = MSG_NOSIGNAL | MSG_WAITALL, .owned = owned,
    };
    return issue(s, &rq, ovl, NULL);
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
    return send_issued(s, issue(s, &rq, ovl, routine));
}
