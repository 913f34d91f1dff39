#include "op.h"
#include "background.h"
#include "pool.h"
#include "engine.h"
#include "error.h"
#include "completion.h"
#include "extension.h"
#include "file.h"
#include "object.h"
#include "rio.h"
#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

static atomic_uint next_thread_id = 1;
static _Thread_local uint32_t thread_id;

uint32_t op_thread_id(void)
{
    if (thread_id == 0)
        thread_id = atomic_fetch_add(&next_thread_id, 1);
    return thread_id;
}


static struct op *record_get(void)
{
    return pool_get(sizeof(struct op));
}

static void record_put(struct op *op)
{
    pool_put(op);
}

/*
 * An op's side record (struct op_msg, struct op_ext_state) is taken from
 * the same pool when it fits in a record, as the common ones do (AcceptEx,
 * ConnectEx, an address and up to three buffers), so that steady-state I/O
 * does not allocate; a larger one comes from malloc.
 */
static void *side_get(size_t size)
{
    void *side = size <= sizeof(struct op) ? (void *)record_get() : malloc(size);
    if (side != NULL)
        memset(side, 0, size);
    return side;
}

static void side_put(void *side, size_t size)
{
    if (side == NULL)
        return;
    if (size <= sizeof(struct op))
        record_put(side);
    else
        free(side);
}

static size_t msg_size(unsigned count)
{
    return sizeof(struct op_msg) + count * sizeof(struct iovec);
}

struct op *op_alloc(struct sock *sock, enum req_kind kind, LPOVERLAPPED ovl)
{
    struct op *op = record_get();
    if (op == NULL) {
        error_set(WSAENOBUFS);
        return NULL;
    }
    memset(op, 0, sizeof(*op));
    op->packet.ovl = ovl;
    op->sock = sock;
    atomic_fetch_add_explicit(&sock->refs, 1, memory_order_relaxed);
    op->req.fd = sock->fd;
    op->req.kind = (unsigned char)kind;
    op->issuer = op_thread_id();
    return op;
}

void op_free(struct op *op)
{
    struct sock *sock = op->sock;
    if (op->ext == EXT_FILE) {
        file_op_free(op);
        return;
    }
    if (op->ext == EXT_RIO) {
        rio_op_release(op->rio);
        side_put(op->rio, sizeof(*op->rio));
    } else if (op->ext != EXT_NONE) {
        if (op->ext == EXT_ACCEPTEX && op->x->accept.target != NULL)
            sock_release(op->x->accept.target);
        side_put(op->x, sizeof(*op->x));
    } else if (op->msg != NULL) {
        if (op->req.kind == REQ_SEND)
            free(op->msg->owned);
        side_put(op->msg, msg_size(op->msg->count));
    }
    record_put(op);
    sock_release(sock);
}

struct packet *op_posted_packet(DWORD bytes, ULONG_PTR key, LPOVERLAPPED ovl)
{
    struct op *op = record_get();
    if (op == NULL)
        return NULL;
    op->packet.key = key;
    op->packet.ovl = ovl;
    op->packet.bytes = bytes;
    op->packet.status = STATUS_SUCCESS;
    op->ext = EXT_POSTED;
    return &op->packet;
}

struct engine *op_engine(const struct op *op)
{
    switch (op->where) {
    case IN_BACKGROUND_ENGINE:
        return background_engine();
    case IN_PORT_ENGINE:
        return port_engine(op->sock->port);
    case IN_RIO_ENGINE:
        return rio_request_engine(op);   /* its reaper was set before it started */
    default:
        return NULL;
    }
}

void packet_release(struct packet *pk)
{
    struct op *op = (struct op *)pk;
    if (op->ext == EXT_POSTED)
        record_put(op);
    else
        op_free(op);
}

static bool set_buffers(struct op *op, const WSABUF *bufs, DWORD count, struct sockaddr *addr,
                        socklen_t addrlen, LPINT fromlen, LPWSAMSG wsamsg)
{
    struct iovec *iov = &op->req.buf;
    if (count > 1 || addr != NULL || wsamsg != NULL) {
        if (count > UIO_MAXIOV) {
            error_set(WSAENOBUFS);
            return false;
        }
        op->msg = side_get(msg_size(count));
        if (op->msg == NULL) {
            error_set(WSAENOBUFS);
            return false;
        }
        op->msg->count = count;
        iov = op->msg->iov;
        op->msg->hdr.msg_iov = iov;
        op->msg->hdr.msg_iovlen = count;
        op->msg->hdr.msg_name = addr;
        op->msg->hdr.msg_namelen = addr != NULL ? addrlen : 0;
        op->msg->fromlen = fromlen;
        op->msg->wsamsg = wsamsg;
        op->msg->owned = NULL;
        op->msg->hdr.msg_control = wsamsg != NULL && wsamsg->Control.len > 0 ? wsamsg->Control.buf : NULL;
        op->msg->hdr.msg_controllen = op->msg->hdr.msg_control != NULL ? wsamsg->Control.len : 0;
        op->msg->hdr.msg_flags = 0;
        op->req.msg = &op->msg->hdr;
    }
    size_t total = 0;
    for (DWORD i = 0; i < count; i++) {
        if (bufs[i].buf == NULL && bufs[i].len != 0) {
            error_set(WSAEFAULT);
            return false;
        }
        iov[i].iov_base = bufs[i].buf;
        iov[i].iov_len = bufs[i].len;
        total += bufs[i].len;
    }
    /* Windows counts an operation's bytes in a DWORD. */
    if (total > UINT32_MAX) {
        error_set(WSAENOBUFS);
        return false;
    }
    op->total = (DWORD)total;
    return true;
}

bool op_set_owned(struct op *op, void *owned)
{
    if (op->msg == NULL) {
        /* The one inline buffer moves to a message, which has room for owned. */
        struct op_msg *msg = side_get(msg_size(1));
        if (msg == NULL) {
            error_set(WSAENOBUFS);
            return false;
        }
        memset(msg, 0, sizeof *msg);
        msg->count = 1;
        msg->iov[0] = op->req.buf;
        msg->hdr.msg_iov = msg->iov;
        msg->hdr.msg_iovlen = 1;
        op->msg = msg;
        op->req.msg = &msg->hdr;
    }
    op->msg->owned = owned;
    return true;
}

bool op_set_buffers(struct op *op, const WSABUF *bufs, DWORD count, struct sockaddr *addr,
                    socklen_t addrlen, LPINT fromlen)
{
    return set_buffers(op, bufs, count, addr, addrlen, fromlen, NULL);
}

bool op_set_message(struct op *op, LPWSAMSG msg)
{
    return set_buffers(op, msg->lpBuffers, msg->dwBufferCount, msg->name,
                       msg->name != NULL ? (socklen_t)msg->namelen : 0, NULL, msg);
}

void op_report_message(struct op *op)
{
    struct op_msg *m = op->msg;
    if (m == NULL)
        return;
    if (m->fromlen != NULL && m->hdr.msg_name != NULL)
        *m->fromlen = sockaddr_length(m->hdr.msg_name, m->hdr.msg_namelen);
    if (m->wsamsg != NULL) {
        if (m->wsamsg->name != NULL)
            m->wsamsg->namelen = sockaddr_length(m->hdr.msg_name, m->hdr.msg_namelen);
        m->wsamsg->Control.len = (ULONG)m->hdr.msg_controllen;
        m->wsamsg->dwFlags = (ULONG)(m->hdr.msg_flags & (MSG_CTRUNC | MSG_TRUNC | MSG_OOB));
    }
}

bool op_set_rio(struct op *op)
{
    op->rio = side_get(sizeof(*op->rio));
    if (op->rio == NULL) {
        error_set(WSAENOBUFS);
        return false;
    }
    op->ext = EXT_RIO;
    return true;
}

void op_become_notification(struct op *op, ULONG_PTR key, LPOVERLAPPED ovl)
{
    struct sock *sock = op->sock;
    side_put(op->rio, sizeof(*op->rio));
    op->ext = EXT_POSTED;
    op->sock = NULL;
    op->packet.key = key;
    op->packet.ovl = ovl;
    op->packet.bytes = 0;
    op->packet.status = STATUS_SUCCESS;
    sock_release(sock);
}

bool op_set_ext(struct op *op, enum op_ext ext)
{
    op->x = side_get(sizeof(*op->x));
    if (op->x == NULL) {
        error_set(WSAENOBUFS);
        return false;
    }
    op->ext = (unsigned char)ext;
    return true;
}

void op_skip_sent(struct op *op, size_t n)
{
    if (op->req.msg == NULL) {
        op->req.buf.iov_base = (char *)op->req.buf.iov_base + n;
        op->req.buf.iov_len -= n;
        return;
    }
    struct msghdr *hdr = op->req.msg;
    while (n > 0 && hdr->msg_iovlen > 0) {
        struct iovec *v = hdr->msg_iov;
        if (n < v->iov_len) {
            v->iov_base = (char *)v->iov_base + n;
            v->iov_len -= n;
            return;
        }
        n -= v->iov_len;
        hdr->msg_iov++;
        hdr->msg_iovlen--;
    }
}

static int socket_error(int fd)
{
    int err = 0;
    socklen_t len = sizeof(err);
    int saved = errno;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = 0;
    errno = saved;
    return err;
}

/*
 * When a reset arrives, the kernel reports it to whichever pending operation
 * looks first; the others see an ordinary end of stream. Windows fails them
 * all with the reset, so an end of stream on a TCP connection that is
 * already CLOSED (no FIN exchange leads there while data could still flow
 * in) is taken as the reset it was.
 */
static bool ended_by_reset(struct sock *sock, int fd)
{
    return sock->reset || sock_tcp_state(fd) == TCP_CLOSE;
}

void op_outcome(struct op *op, int res, DWORD *status, DWORD *bytes)
{
    struct sock *sock = op->sock;
    bool plain = op_is_transfer(op);
    *bytes = 0;
    bool stream_ended = plain && sock->stream && res >= 0 &&
                        ((op->req.kind == REQ_RECV && res == 0 && op->total > 0) ||
                         (op->req.kind == REQ_POLL_IN && (res & (POLLHUP | POLLRDHUP | POLLERR))));
    if (stream_ended) {
        /* After closesocket the descriptor may already belong to another
         * socket, so it is not asked; the close aborted the receive. */
        int err = 0;
        if (sock->closed)
            err = ECANCELED;
        else if (op->req.kind == REQ_POLL_IN && (res & POLLERR))
            err = socket_error(op->req.fd);
        if (err == 0 && !sock->closed && ended_by_reset(sock, op->req.fd))
            err = ECONNRESET;
        if (err != 0)
            res = -err;
    }
    if (res < 0) {
        int err = -res;
        if (plain && !sock->stream && err == ECONNREFUSED) {
            sock_drain_errors(sock->fd);
            *status = STATUS_PORT_UNREACHABLE;
            return;
        }
        if (err == ECANCELED &&
            (op->cancel == CANCEL_ABORT || (op->cancel == CANCEL_NONE && plain && sock->closed)))
            *status = STATUS_CONNECTION_ABORTED;
        else
            *status = status_from_errno(err);
        if (plain && (err == ECONNRESET || err == EPIPE))
            sock->reset = true;
        return;
    }
    *status = STATUS_SUCCESS;
    switch (op->req.kind) {
    case REQ_RECV:
        *bytes = (DWORD)res;
        if (plain && sock->stream && res > 0)
            sock->last_recv = (size_t)res < op->total ? RECV_SEEN_SHORT : RECV_SEEN_FILLED;
        if (!sock->stream && (size_t)res > op->total) {
            /* MSG_TRUNC reports a datagram's real size: it did not fit. */
            *bytes = (DWORD)op->total;
            *status = STATUS_BUFFER_OVERFLOW;
        }
        if (op->ext == EXT_NONE)
            op_report_message(op);
        break;
    case REQ_SEND:
        *bytes = op->done + (DWORD)res;
        break;
    default:
        break;
    }
}

int op_socket_error(int fd)
{
    return socket_error(fd);
}

struct port *op_finish_locked(struct op *op, DWORD status, DWORD bytes, bool inline_success)
{
    struct sock *sock = op->sock;
    if (op->ext == EXT_RIO)
        return rio_request_finished(op, status, bytes);
    if (op->ext == EXT_ACCEPTEX)
        extension_accept_finished(op);
    op->packet.key = sock->key;
    op->packet.bytes = bytes;
    op->packet.status = status;
    bool packet_due = completion_record(
        op->packet.ovl, status, bytes, sock->port != NULL,
        inline_success && (sock->notify_modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    if (sock->waiters > 0) {
        atomic_fetch_add_explicit(&sock->completions, 1, memory_order_relaxed);
        futex_wake(&sock->completions, INT_MAX);
    }
    if (!packet_due) {
        op_free(op);
        return NULL;
    }
    port_retain(sock->port);
    return sock->port;
}

void op_finish_now(struct op *op, DWORD status, DWORD bytes, bool inline_success)
{
    struct port *target = op_finish_locked(op, status, bytes, inline_success);
    if (target != NULL) {
        port_deliver(target, &op->packet);
        port_release(target);
    }
}

/*
 * Whether op goes back to the kernel instead of finishing with *res. A step
 * that succeeded is always taken in (an accepted connection is put under
 * the caller's socket, so nothing leaks); when the op was cancelled or its
 * socket closed meanwhile, what would be its next step becomes the
 * cancellation instead.
 */
static bool resumes(struct op *op, int *res)
{
    bool stopping = op->cancel != CANCEL_NONE || op->sock->closed;
    /* The kernel cancels what a thread submitted when that thread exits;
     * Windows does not (spec R15), so such an operation is started again. */
    if (*res == -ECANCELED || *res == -EINTR || *res == -EAGAIN) {
        if (stopping) {
            *res = -ECANCELED;
            return false;
        }
        if (op->req.kind == REQ_CONNECT)
            op->req.kind = REQ_POLL_OUT;   /* the attempt is under way: wait for its outcome */
        return true;
    }
    bool more = false;
    if (op->req.kind == REQ_SEND && *res > 0 && op->done + (DWORD)*res < op->total) {
        op->done += (DWORD)*res;
        op_skip_sent(op, (size_t)*res);
        more = true;
    } else if (op->ext != EXT_NONE && *res >= 0) {
        more = extension_next_step(op, res);
    }
    if (more && stopping) {
        *res = -ECANCELED;
        return false;
    }
    return more;
}

struct port *op_complete(struct op *op, int res)
{
    struct sock *sock = op->sock;
    struct opq *q = sock_queue_of(sock, op);
    struct port *target;

    atomic_fetch_add_explicit(&sock->refs, 1, memory_order_relaxed);
    lock_acquire(&sock->lock);
    struct engine *ran_on = op_engine(op);
    op->where = IN_NO_ENGINE;
    if (resumes(op, &res)) {
        sock_restart(sock, op);
        lock_release(&sock->lock);
        sock_release(sock);
        return NULL;
    }
    /* AcceptEx waits for the first data on the accepted socket's descriptor
     * in the listener's engine, which that socket's closesocket does not
     * tell: the engine lets go of the descriptor now, so that nothing of it
     * outlives the file (the epoll engine keeps state per descriptor). */
    if (op->req.fd != sock->fd && ran_on != NULL)
        ran_on->vt->fd_closing(ran_on, op->req.fd);
    DWORD status, bytes;
    op_outcome(op, res, &status, &bytes);
    opq_remove(q, op);
    target = op_finish_locked(op, status, bytes, false);
    if (q != &sock->otherq && !opq_empty(q))
        sock_start_head(sock, q);
    lock_release(&sock->lock);
    sock_release(sock);
    return target;
}

DWORD op_associate(HANDLE file, struct port *port, ULONG_PTR key)
{
    if (handle_is_object(file)) {
        struct file *f = file_find(file);
        if (f == NULL)
            return ERROR_INVALID_PARAMETER;
        DWORD err = file_associate(f, port, key);
        file_release(f);
        return err;
    }
    struct sock *sock = sock_from_handle(file);
    if (sock == NULL)
        return ERROR_INVALID_HANDLE;
    DWORD err = ERROR_SUCCESS;
    lock_acquire(&sock->lock);
    /* A handle stays with the first port it is associated with. */
    if (sock->port != NULL || sock->closed) {
        err = ERROR_INVALID_PARAMETER;
    } else {
        port_retain(port);
        sock->port = port;
        sock->key = key;
    }
    lock_release(&sock->lock);
    sock_release(sock);
    return err;
}

void op_complete_reports(const struct engine_report *reports, int n, struct port *here,
                         struct packet ***tail)
{
    for (int i = 0; i < n; i++) {
        struct op *op = op_of(reports[i].req);
        struct port *target = op->ext == EXT_FILE ? file_op_complete(op, reports[i].res)
                                                  : op_complete(op, reports[i].res);
        if (target == NULL)
            continue;
        if (target == here) {
            op->packet.next = NULL;
            **tail = &op->packet;
            *tail = &op->packet.next;
        } else {
            port_deliver(target, &op->packet);
        }
        port_release(target);
    }
}
