/*
 * RIO request queues and their requests. A request queue belongs to its
 * socket and ends with it (Windows has no call that closes one): closesocket
 * aborts what is pending and removes the handle, and the record goes once
 * the last result naming it has been dequeued.
 *
 * A request becomes an op in the socket's receive or send queue, behind the
 * earlier ones of its direction (so sends reach the wire, and receives fill,
 * in order) and started as WSARecv/WSASend are. RIO_MSG_DEFER keeps it in
 * the request queue until a commit: RIO_MSG_COMMIT_ONLY, or the next
 * request of its direction without RIO_MSG_DEFER.
 *
 * On a stream, sends that would wait in the socket's queue behind one
 * another (a committed batch, or sends posted while an earlier one is in
 * the kernel) are gathered into one op: one sendmsg of all their buffers,
 * then one result per request, in order. The bytes on the wire and the
 * results are what separate sends give; the kernel sees one call and one
 * segment train instead of one per request, which is where a broadcast
 * to many sessions spends its time.
 */
#include "rio.h"
#include "engine.h"
#include "error.h"
#include "lock.h"
#include "object.h"
#include "op.h"
#include "port.h"
#include "socket.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include <ws2tcpip.h>

enum { RECV_SIDE, SEND_SIDE };

struct rio_rq {
    struct object obj;
    struct sock *sock;          /* a reference */
    struct rio_cq *cq[2];       /* by side; references */
    ULONGLONG context;          /* SocketContext */
    atomic_uint outstanding[2]; /* requests whose result has not been dequeued */
    ULONG max[2];               /* under sock->lock */
    struct opq deferred[2];     /* RIO_MSG_DEFER requests not committed yet; under sock->lock */
    /* The port whose engine runs its requests and whose waiters reap them,
     * with a reference; chosen at the first request, under sock->lock. */
    struct port *reaper;
    HANDLE handle;
    UT_hash_handle by_sock;     /* in queue_of_sock, keyed by sock */
};

/* Each socket's request queue (a reference), kept here rather than in the
 * socket record, which every connection carries whether it uses RIO or
 * not. Looked up only to create a queue and at closesocket of a RIO socket;
 * taken after the socket's lock. */
static struct rio_rq *queue_of_sock;
static struct lock queue_of_sock_lock;

static struct rio_rq *queue_find_locked(struct sock *s)
{
    struct rio_rq *rq = NULL;
    HASH_FIND(by_sock, queue_of_sock, &s, sizeof(s), rq);
    return rq;
}

/* The most requests one op carries (a sendmsg takes up to IOV_MAX buffers). */
#define GATHER_MAX 64

struct gather_part {
    ULONGLONG context;
    ULONG length;
    bool notify;
};

/* The requests after an op's own that it carries: part[0] is the op's own
 * request, and every later part holds a reference to the request queue. */
struct rio_gather {
    unsigned count;
    struct gather_part part[GATHER_MAX];
    struct iovec iov[GATHER_MAX];
};

static void rq_destroy(struct object *obj)
{
    struct rio_rq *rq = (struct rio_rq *)obj;
    rio_cq_unreserve(rq->cq[RECV_SIDE], rq->max[RECV_SIDE]);
    rio_cq_unreserve(rq->cq[SEND_SIDE], rq->max[SEND_SIDE]);
    rio_cq_release(rq->cq[RECV_SIDE]);
    rio_cq_release(rq->cq[SEND_SIDE]);
    if (rq->reaper != NULL)
        port_release(rq->reaper);
    sock_release(rq->sock);
    free(rq);
}

static const struct object_ops rq_ops = {
    .type = OBJECT_RIO_RQ, .close = NULL, .destroy = rq_destroy, .wait = NULL,
};

void rio_rq_release(struct rio_rq *rq)
{
    object_release(&rq->obj);
}

void rio_rq_credit(struct rio_rq *rq, bool send)
{
    atomic_fetch_sub_explicit(&rq->outstanding[send ? SEND_SIDE : RECV_SIDE], 1,
                              memory_order_release);
}

static struct rio_rq *rq_find(RIO_RQ handle)
{
    return (struct rio_rq *)object_find((HANDLE)handle, OBJECT_RIO_RQ);
}

static bool reserve_both(struct rio_cq *rcq, ULONG nrecv, struct rio_cq *scq, ULONG nsend)
{
    if (rcq == scq)
        return (uint64_t)nrecv + nsend <= ULONG_MAX && rio_cq_reserve(rcq, nrecv + nsend);
    if (!rio_cq_reserve(rcq, nrecv))
        return false;
    if (rio_cq_reserve(scq, nsend))
        return true;
    rio_cq_unreserve(rcq, nrecv);
    return false;
}

/* What RIOCreateRequestQueue refuses about the socket, or 0. */
static DWORD socket_error_for_queue(const struct sock *s)
{
    int type = 0;
    socklen_t len = sizeof(type);
    if (getsockopt(s->fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
        return WSAENOTSOCK;
    if (type != SOCK_STREAM && type != SOCK_DGRAM)
        return WSAEOPNOTSUPP;
    if (!s->registered_io)
        return WSAEINVAL;
    return 0;
}

static RIO_RQ refuse(struct sock *s, struct rio_cq *rcq, struct rio_cq *scq, DWORD code)
{
    if (rcq != NULL)
        rio_cq_release(rcq);
    if (scq != NULL)
        rio_cq_release(scq);
    if (s != NULL)
        sock_release(s);
    error_set(code);
    return RIO_INVALID_RQ;
}

/* Gives s its queue: false when s already has one or is closing. */
static bool attach(struct sock *s, struct rio_rq *rq)
{
    lock_acquire(&s->lock);
    lock_acquire(&queue_of_sock_lock);
    bool ok = !s->closed && queue_find_locked(s) == NULL;
    if (ok) {
        object_retain(&rq->obj);
        HASH_ADD(by_sock, queue_of_sock, sock, sizeof(rq->sock), rq);
    }
    lock_release(&queue_of_sock_lock);
    lock_release(&s->lock);
    return ok;
}

RIO_RQ PASCAL rio_create_request_queue(SOCKET so, ULONG max_recv, ULONG max_recv_buffers,
                                       ULONG max_send, ULONG max_send_buffers, RIO_CQ recv_cq,
                                       RIO_CQ send_cq, PVOID context)
{
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return RIO_INVALID_RQ;
    DWORD code = socket_error_for_queue(s);
    if (code != 0)
        return refuse(s, NULL, NULL, code);
    if ((max_recv == 0 && max_send == 0) || (max_recv > 0 && max_recv_buffers == 0) ||
        (max_send > 0 && max_send_buffers == 0))
        return refuse(s, NULL, NULL, WSAEINVAL);
    struct rio_cq *rcq = rio_cq_find(recv_cq);
    struct rio_cq *scq = rio_cq_find(send_cq);
    if (rcq == NULL || scq == NULL)
        return refuse(s, rcq, scq, WSAEINVAL);
    if (!reserve_both(rcq, max_recv, scq, max_send))
        return refuse(s, rcq, scq, WSAENOBUFS);
    struct rio_rq *rq = calloc(1, sizeof(*rq));
    if (rq == NULL) {
        rio_cq_unreserve(rcq, max_recv);
        rio_cq_unreserve(scq, max_send);
        return refuse(s, rcq, scq, WSAENOBUFS);
    }
    object_init(&rq->obj, &rq_ops);
    rq->sock = s;   /* the reference sock_for_call took */
    rq->cq[RECV_SIDE] = rcq;
    rq->cq[SEND_SIDE] = scq;
    rq->max[RECV_SIDE] = max_recv;
    rq->max[SEND_SIDE] = max_send;
    rq->context = (ULONGLONG)(ULONG_PTR)context;
    object_retain(&rq->obj);   /* the handle's, and one for the lines below */
    rq->handle = object_publish(&rq->obj);
    if (rq->handle == NULL) {
        rio_rq_release(rq);
        error_set(WSAENOBUFS);
        return RIO_INVALID_RQ;
    }
    if (!attach(s, rq)) {
        struct object *own = object_unpublish(rq->handle, OBJECT_RIO_RQ);
        if (own != NULL)
            object_release(own);
        rio_rq_release(rq);
        error_set(WSAEINVAL);
        return RIO_INVALID_RQ;
    }
    RIO_RQ handle = (RIO_RQ)rq->handle;
    rio_rq_release(rq);
    return handle;
}

/* The reaping port's engine forgets fd, if it is not the socket's own
 * (sock_forget_fd tells that one and the background's). s locked. */
static void forget_fd(struct rio_rq *rq, struct sock *s)
{
    if (rq->reaper == NULL || rq->reaper == s->port)
        return;
    struct engine *e = port_engine(rq->reaper);
    e->vt->fd_closing(e, s->fd);
}

void rio_sock_forget_fd(struct sock *s)
{
    lock_acquire(&queue_of_sock_lock);
    struct rio_rq *rq = queue_find_locked(s);
    lock_release(&queue_of_sock_lock);
    /* rq stays: only rio_sock_closing, under s's lock, takes it out. */
    if (rq != NULL)
        forget_fd(rq, s);
}

void rio_sock_closing(struct sock *s)
{
    lock_acquire(&queue_of_sock_lock);
    struct rio_rq *rq = queue_find_locked(s);
    if (rq != NULL)
        HASH_DELETE(by_sock, queue_of_sock, rq);
    lock_release(&queue_of_sock_lock);
    if (rq == NULL)
        return;
    forget_fd(rq, s);
    for (int side = RECV_SIDE; side <= SEND_SIDE; side++) {
        struct op *op;
        while ((op = opq_pop(&rq->deferred[side])) != NULL)
            op_finish_now(op, STATUS_CANCELLED, 0, false);
    }
    struct object *own = object_unpublish(rq->handle, OBJECT_RIO_RQ);
    if (own != NULL)
        object_release(own);
    rio_rq_release(rq);   /* the socket's */
}

void rio_op_release(struct op_rio *r)
{
    if (r->gather != NULL) {
        for (unsigned i = 1; i < r->gather->count; i++)
            rio_rq_release(r->rq);
        free(r->gather);
        r->gather = NULL;
    }
    if (r->rq != NULL)
        rio_rq_release(r->rq);
    r->rq = NULL;
}

/* Whether op, a send of rq that waits unstarted, may carry one more. */
static bool gathers(const struct op *op, const struct rio_rq *rq)
{
    return op->ext == EXT_RIO && op->req.kind == REQ_SEND && op->rio->rq == rq &&
           op->rio->hdr.msg_name == NULL && op->done == 0 && op->cancel == CANCEL_NONE &&
           op_engine(op) == NULL && (op->rio->gather == NULL || op->rio->gather->count < GATHER_MAX);
}

/* The op a new stream send of rq may join instead of becoming one: the
 * last deferred one, or with none deferred (and deferred false) the last
 * that waits in the socket's queue behind the one in the kernel. sock
 * locked. */
static struct op *gather_target(struct rio_rq *rq, bool deferred)
{
    struct sock *s = rq->sock;
    struct op *last = rq->deferred[SEND_SIDE].tail;
    if (last == NULL && !deferred && s->sendq.tail != s->sendq.head)
        last = s->sendq.tail;
    return last != NULL && gathers(last, rq) ? last : NULL;
}

/* Adds a send of buf to op, which takes the caller's reference to the
 * request queue; false when memory for the gather record is short. */
static bool gather_into(struct op *op, struct iovec buf, ULONGLONG context, bool notify)
{
    struct op_rio *r = op->rio;
    struct rio_gather *g = r->gather;
    if (g == NULL) {
        g = malloc(sizeof(*g));
        if (g == NULL)
            return false;
        g->count = 1;
        g->part[0] = (struct gather_part){ r->context, op->total, r->notify };
        g->iov[0] = op->req.buf;
        r->gather = g;
        r->hdr.msg_iov = g->iov;
        r->hdr.msg_iovlen = 1;
        op->req.msg = &r->hdr;
    }
    g->part[g->count] = (struct gather_part){ context, (ULONG)buf.iov_len, notify };
    g->iov[g->count] = buf;
    g->count++;
    r->hdr.msg_iovlen++;
    op->total += (DWORD)buf.iov_len;
    return true;
}

/* Starts the deferred requests of one side, in order. sock locked. */
static void commit_locked(struct rio_rq *rq, int side)
{
    struct op *op;
    while ((op = opq_pop(&rq->deferred[side])) != NULL)
        recv_send_start_locked(rq->sock, op);
}

/* Counts one more request against its side; false when the side is full.
 * sock locked (max may change under it). */
static bool take_slot(struct rio_rq *rq, int side)
{
    ULONG max = rq->max[side];
    unsigned n = atomic_load_explicit(&rq->outstanding[side], memory_order_acquire);
    do {
        if (n >= max)
            return false;
    } while (!atomic_compare_exchange_weak_explicit(&rq->outstanding[side], &n, n + 1,
                                                    memory_order_acq_rel, memory_order_acquire));
    return true;
}

/* What a request names: its data buffer and its remote address. */
struct request_spec {
    int side;
    const RIO_BUF *data;
    ULONG count;
    const RIO_BUF *remote;
    DWORD flags;
    PVOID context;
};

/* The remote address a RIOSendEx names: its length by family, or 0. */
static socklen_t send_address_length(const SOCKADDR_INET *a)
{
    if (a->si_family == AF_INET)
        return sizeof(struct sockaddr_in);
    if (a->si_family == AF_INET6)
        return sizeof(struct sockaddr_in6);
    return 0;
}

/* Fills op's buffers from spec; 0 or the Winsock error. */
static DWORD set_buffers(struct op *op, const struct request_spec *spec)
{
    char *base = NULL;
    ULONG len = 0;
    if (spec->count == 1) {
        DWORD code = rio_buffer_span(spec->data, &base);
        if (code != 0)
            return code;
        len = spec->data->Length;
    }
    op->req.buf.iov_base = base;
    op->req.buf.iov_len = len;
    op->total = len;
    if (spec->remote == NULL)
        return 0;
    char *addr;
    DWORD code = rio_buffer_span(spec->remote, &addr);
    if (code != 0)
        return code;
    if (spec->remote->Length < sizeof(SOCKADDR_INET))
        return WSAEFAULT;
    struct msghdr *hdr = &op->rio->hdr;
    hdr->msg_name = addr;
    if (spec->side == SEND_SIDE) {
        hdr->msg_namelen = send_address_length((const SOCKADDR_INET *)(void *)addr);
        if (hdr->msg_namelen == 0)
            return WSAEAFNOSUPPORT;
    } else {
        hdr->msg_namelen = spec->remote->Length;
    }
    hdr->msg_iov = &op->req.buf;
    hdr->msg_iovlen = spec->count;
    op->req.msg = hdr;
    return 0;
}

/* The kernel's flags for a request, as WSARecv/WSASend set them. */
static int kernel_flags(const struct sock *s, const struct request_spec *spec)
{
    if (spec->side == SEND_SIDE)
        return MSG_NOSIGNAL | (s->stream ? MSG_WAITALL : 0);
    if (!s->stream)
        return MSG_TRUNC;   /* a datagram's real size shows truncation */
    return (spec->flags & RIO_MSG_WAITALL) ? MSG_WAITALL : 0;
}

/* The op that carries a request, or NULL with *code the error. Takes the
 * caller's reference to rq. */
static struct op *build(struct rio_rq *rq, const struct request_spec *spec, DWORD *code)
{
    struct sock *s = rq->sock;
    struct op *op = op_alloc(s, spec->side == SEND_SIDE ? REQ_SEND : REQ_RECV, NULL);
    if (op == NULL || !op_set_rio(op)) {
        if (op != NULL)
            op_free(op);
        rio_rq_release(rq);
        *code = WSAENOBUFS;
        return NULL;
    }
    op->rio->rq = rq;
    op->rio->context = (ULONGLONG)(ULONG_PTR)spec->context;
    op->rio->notify = !(spec->flags & RIO_MSG_DONT_NOTIFY);
    *code = set_buffers(op, spec);
    if (*code != 0) {
        op_free(op);
        return NULL;
    }
    op->req.flags = kernel_flags(s, spec);
    op->req.stream = s->stream;
    return op;
}

static BOOL fail(struct rio_rq *rq, DWORD code)
{
    if (rq != NULL)
        rio_rq_release(rq);
    error_set(code);
    return FALSE;
}

#define REQUEST_FLAGS (RIO_MSG_DONT_NOTIFY | RIO_MSG_DEFER | RIO_MSG_WAITALL | RIO_MSG_COMMIT_ONLY)

static BOOL commit_only(struct rio_rq *rq, const struct request_spec *spec)
{
    if (spec->flags != RIO_MSG_COMMIT_ONLY || spec->data != NULL || spec->count != 0 ||
        spec->remote != NULL)
        return fail(rq, WSAEINVAL);
    lock_acquire(&rq->sock->lock);
    commit_locked(rq, spec->side);
    lock_release(&rq->sock->lock);
    rio_rq_release(rq);
    return TRUE;
}

/* The socket's port if it has one; else, as RIO servers seldom associate
 * their sockets, the port a CQ notifies, whose waiters are the ones that
 * will dequeue. None: the background thread serves it until there is one.
 * sock locked. */
static void choose_reaper(struct rio_rq *rq)
{
    struct port *p = rq->sock->port;
    if (p == NULL)
        p = rio_cq_notify_port(rq->cq[RECV_SIDE]);
    if (p == NULL)
        p = rio_cq_notify_port(rq->cq[SEND_SIDE]);
    if (p == NULL)
        return;
    port_retain(p);
    rq->reaper = p;
    rio_cq_attend_port(rq->cq[RECV_SIDE], p);
    rio_cq_attend_port(rq->cq[SEND_SIDE], p);
}

struct engine *rio_request_engine(const struct op *op)
{
    struct port *p = op->rio->rq->reaper;
    return p != NULL ? port_engine(p) : NULL;
}

/* Queues op, a new request, and commits unless it is deferred. sock locked. */
static void queue_locked(struct rio_rq *rq, const struct request_spec *spec, struct op *op)
{
    if (rq->reaper == NULL)
        choose_reaper(rq);
    if (op != NULL)
        opq_push(&rq->deferred[spec->side], op);
    if (!(spec->flags & RIO_MSG_DEFER))
        commit_locked(rq, spec->side);
}

/* A stream send joins a waiting send (gather_target) when it can: true
 * when it has, the reference to rq being the joined op's. sock locked. */
static bool joined(struct rio_rq *rq, const struct request_spec *spec)
{
    if (spec->side != SEND_SIDE || !rq->sock->stream || spec->remote != NULL || spec->count != 1)
        return false;
    struct op *into = gather_target(rq, spec->flags & RIO_MSG_DEFER);
    if (into == NULL)
        return false;
    char *base;
    if (rio_buffer_span(spec->data, &base) != 0)
        return false;   /* build() reports it */
    struct iovec buf = { base, spec->data->Length };
    return gather_into(into, buf, (ULONGLONG)(ULONG_PTR)spec->context,
                       !(spec->flags & RIO_MSG_DONT_NOTIFY));
}

static BOOL request(RIO_RQ handle, const struct request_spec *spec)
{
    if (spec->flags & ~(DWORD)REQUEST_FLAGS)
        return fail(NULL, WSAEINVAL);
    struct rio_rq *rq = rq_find(handle);
    if (rq == NULL)
        return fail(NULL, WSAEINVAL);
    if (spec->flags & RIO_MSG_COMMIT_ONLY)
        return commit_only(rq, spec);
    struct sock *s = rq->sock;
    /* One buffer or none; none only for a datagram (an empty one, or one
     * whose payload is not wanted). */
    if (spec->count > 1 || (spec->count == 1) != (spec->data != NULL) ||
        (spec->count == 0 && s->stream))
        return fail(rq, WSAEINVAL);
    lock_acquire(&s->lock);
    if (!take_slot(rq, spec->side)) {
        lock_release(&s->lock);
        return fail(rq, WSAENOBUFS);
    }
    if (joined(rq, spec)) {
        queue_locked(rq, spec, NULL);
        lock_release(&s->lock);
        error_set(0);
        return TRUE;
    }
    lock_release(&s->lock);
    DWORD code;
    struct op *op = build(rq, spec, &code);
    if (op == NULL) {
        rio_rq_credit(rq, spec->side == SEND_SIDE);
        error_set(code);
        return FALSE;
    }
    lock_acquire(&s->lock);
    queue_locked(rq, spec, op);
    lock_release(&s->lock);
    error_set(0);
    return TRUE;
}

/* Local addresses, control data and flags of RIOReceiveEx/RIOSendEx are
 * not offered: such a request fails rather than go without them. */
static bool extras_ok(PRIO_BUF local, PRIO_BUF control, PRIO_BUF flags)
{
    if (local == NULL && control == NULL && flags == NULL)
        return true;
    error_set(WSAEOPNOTSUPP);
    return false;
}

BOOL PASCAL rio_receive(RIO_RQ rq, PRIO_BUF data, ULONG count, DWORD flags, PVOID context)
{
    struct request_spec spec = { RECV_SIDE, data, count, NULL, flags, context };
    return request(rq, &spec);
}

int PASCAL rio_receive_ex(RIO_RQ rq, PRIO_BUF data, ULONG count, PRIO_BUF local, PRIO_BUF remote,
                          PRIO_BUF control, PRIO_BUF flags_buf, DWORD flags, PVOID context)
{
    if (!extras_ok(local, control, flags_buf))
        return FALSE;
    struct request_spec spec = { RECV_SIDE, data, count, remote, flags, context };
    return request(rq, &spec);
}

BOOL PASCAL rio_send(RIO_RQ rq, PRIO_BUF data, ULONG count, DWORD flags, PVOID context)
{
    struct request_spec spec = { SEND_SIDE, data, count, NULL, flags, context };
    return request(rq, &spec);
}

BOOL PASCAL rio_send_ex(RIO_RQ rq, PRIO_BUF data, ULONG count, PRIO_BUF local, PRIO_BUF remote,
                        PRIO_BUF control, PRIO_BUF flags_buf, DWORD flags, PVOID context)
{
    if (!extras_ok(local, control, flags_buf))
        return FALSE;
    struct request_spec spec = { SEND_SIDE, data, count, remote, flags, context };
    return request(rq, &spec);
}

BOOL PASCAL rio_resize_request_queue(RIO_RQ handle, DWORD max_recv, DWORD max_send)
{
    struct rio_rq *rq = rq_find(handle);
    if (rq == NULL || (max_recv == 0 && max_send == 0))
        return fail(rq, WSAEINVAL);
    DWORD code = 0;
    struct sock *s = rq->sock;
    lock_acquire(&s->lock);
    ULONG want[2] = { max_recv, max_send };
    for (int side = RECV_SIDE; side <= SEND_SIDE && code == 0; side++)
        if (want[side] < atomic_load(&rq->outstanding[side]))
            code = WSAETOOMANYREFS;
    ULONG grow[2] = { 0, 0 };
    for (int side = RECV_SIDE; side <= SEND_SIDE; side++)
        if (want[side] > rq->max[side])
            grow[side] = want[side] - rq->max[side];
    if (code == 0 && !reserve_both(rq->cq[RECV_SIDE], grow[RECV_SIDE], rq->cq[SEND_SIDE], grow[SEND_SIDE]))
        code = WSAENOBUFS;
    if (code == 0) {
        for (int side = RECV_SIDE; side <= SEND_SIDE; side++) {
            if (want[side] < rq->max[side])
                rio_cq_unreserve(rq->cq[side], rq->max[side] - want[side]);
            rq->max[side] = want[side];
        }
    }
    lock_release(&s->lock);
    if (code != 0)
        return fail(rq, code);
    rio_rq_release(rq);
    return TRUE;
}

struct port *rio_request_finished(struct op *op, DWORD status, DWORD bytes)
{
    struct op_rio *r = op->rio;
    struct rio_rq *rq = r->rq;
    bool send = op->req.kind == REQ_SEND;
    bool counted = status == STATUS_SUCCESS || status == STATUS_BUFFER_OVERFLOW;
    struct rio_gather *g = r->gather;
    RIORESULT results[GATHER_MAX];
    unsigned count = 1;
    bool notify = r->notify;
    results[0] = (RIORESULT){
        .Status = status == STATUS_SUCCESS ? 0 : (LONG)status_to_wsa(status),
        .BytesTransferred = counted ? bytes : 0,
        .SocketContext = rq->context,
        .RequestContext = r->context,
    };
    if (g != NULL) {
        /* Of a gathered send that failed, the requests wholly on the wire
         * before the failure succeeded. */
        DWORD sent = status == STATUS_SUCCESS ? op->total : op->done;
        LONG failed = results[0].Status;
        count = g->count;
        notify = false;
        for (unsigned i = 0; i < count; i++) {
            const struct gather_part *part = &g->part[i];
            bool ok = part->length <= sent;
            sent = ok ? sent - part->length : 0;
            results[i] = (RIORESULT){
                .Status = ok ? 0 : failed,
                .BytesTransferred = ok ? part->length : 0,
                .SocketContext = rq->context,
                .RequestContext = part->context,
            };
            notify |= part->notify;
        }
        free(g);
        r->gather = NULL;
    }
    r->rq = NULL;   /* the CQ holds the references now, one per result */
    ULONG_PTR key = 0;
    LPOVERLAPPED ovl = NULL;
    struct port *target = rio_cq_push(rq->cq[send ? SEND_SIDE : RECV_SIDE], results, count, rq,
                                      send, notify, &key, &ovl);
    if (target == NULL) {
        op_free(op);
        return NULL;
    }
    op_become_notification(op, key, ovl);
    return target;
}
