/*
 * Request queues of the overlapped provider. A request queue belongs to
 * its socket and ends with it (RIO has no call that closes one): closesocket
 * aborts what is pending and removes the handle, and the record goes once
 * the last result naming it has been dequeued.
 *
 * Each request is one overlapped WSARecv/WSASend (WSARecvFrom/WSASendTo
 * for RIOReceiveEx/RIOSendEx), started in the order of its direction, so
 * that sends reach the wire, and receives fill, in order. RIO_MSG_DEFER
 * keeps it here until a commit: RIO_MSG_COMMIT_ONLY, or the next request of
 * its direction without RIO_MSG_DEFER. The requests' OVERLAPPEDs carry the
 * queue's event, low bit set (no packet reaches a port the socket may be
 * associated with); a thread-pool wait on it collects the finished ones,
 * each direction in order, into the completion queues.
 */
#include "rio.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ws2tcpip.h>

enum { RECV_SIDE, SEND_SIDE };

struct req {
    OVERLAPPED ov;
    struct req *next;
    WSABUF buf;
    ULONGLONG context;          /* RequestContext */
    bool notify;                /* not sent with RIO_MSG_DONT_NOTIFY */
    bool waitall;
    bool failed_at_once;        /* the call itself failed: at_once_status is the result */
    LONG at_once_status;
    struct sockaddr *remote;    /* RIOReceiveEx/RIOSendEx: the address buffer, or NULL */
    INT remote_length;
    DWORD flags;                /* WSARecv's flags, in and out */
};

struct reqq {
    struct req *head, *tail;
};

struct rio_rq {
    struct rio_object obj;
    CRITICAL_SECTION lock;
    SOCKET socket;
    struct rio_cq *cq[2];       /* by side; references */
    ULONGLONG context;          /* SocketContext */
    volatile LONG outstanding[2];   /* requests whose result has not been dequeued */
    ULONG max[2];
    struct reqq deferred[2];    /* RIO_MSG_DEFER requests not committed yet */
    struct reqq started[2];     /* started, in order, until collected */
    HANDLE event;               /* auto-reset; set when a request finishes */
    PTP_WAIT wait;
    bool closing;               /* closesocket began */
    bool dead;                  /* the last reference went: the wait's callback frees it */
    ULONG_PTR handle;
};

static void reqq_push(struct reqq *q, struct req *r)
{
    r->next = NULL;
    if (q->tail != NULL)
        q->tail->next = r;
    else
        q->head = r;
    q->tail = r;
}

static struct req *reqq_pop(struct reqq *q)
{
    struct req *r = q->head;
    if (r != NULL) {
        q->head = r->next;
        if (q->head == NULL)
            q->tail = NULL;
    }
    return r;
}

static void rq_free(struct rio_rq *rq)
{
    if (rq->wait != NULL)
        CloseThreadpoolWait(rq->wait);
    if (rq->event != NULL)
        CloseHandle(rq->event);
    DeleteCriticalSection(&rq->lock);
    free(rq);
}

/* No request holds a reference, so none is started: what is left is the
 * record, which the wait's callback frees, as only it knows when no
 * callback of the wait can run any more. */
static void rq_destroy(struct rio_object *obj)
{
    struct rio_rq *rq = (struct rio_rq *)obj;
    rio_cq_unreserve(rq->cq[RECV_SIDE], rq->max[RECV_SIDE]);
    rio_cq_unreserve(rq->cq[SEND_SIDE], rq->max[SEND_SIDE]);
    rio_cq_release(rq->cq[RECV_SIDE]);
    rio_cq_release(rq->cq[SEND_SIDE]);
    EnterCriticalSection(&rq->lock);
    rq->dead = true;
    LeaveCriticalSection(&rq->lock);
    SetEvent(rq->event);
}

void rio_rq_retain(struct rio_rq *rq)
{
    rio_object_retain(&rq->obj);
}

void rio_rq_release(struct rio_rq *rq)
{
    rio_object_release(&rq->obj);
}

void rio_rq_credit(struct rio_rq *rq, bool send)
{
    InterlockedDecrement(&rq->outstanding[send ? SEND_SIDE : RECV_SIDE]);
}

static struct rio_rq *rq_find(RIO_RQ handle)
{
    return (struct rio_rq *)rio_handle_find((ULONG_PTR)handle, RIO_KIND_RQ);
}

/* Statuses an overlapped socket call ends with, as RIO reports them. */
static LONG status_of(struct rio_rq *rq, struct req *r, ULONG *bytes)
{
    if (r->failed_at_once) {
        *bytes = 0;
        return r->at_once_status;
    }
    DWORD status = (DWORD)r->ov.Internal;
    *bytes = 0;
    /* closesocket ends a plain overlapped call with STATUS_CONNECTION_ABORTED
     * (Wine: STATUS_HANDLES_CLOSED), a RIO request with WSA_OPERATION_ABORTED. */
    if (rq->closing && status != 0)
        return WSA_OPERATION_ABORTED;
    switch (status) {
    case 0:
        *bytes = (ULONG)r->ov.InternalHigh;
        return 0;
    case 0x80000005:   /* STATUS_BUFFER_OVERFLOW: a datagram larger than the buffer */
        *bytes = (ULONG)r->ov.InternalHigh;
        return WSAEMSGSIZE;
    case 0xC0000120:   /* STATUS_CANCELLED: CancelIoEx */
        return WSA_OPERATION_ABORTED;
    case 0xC000020D:   /* STATUS_CONNECTION_RESET */
    case 0xC000013C:   /* STATUS_REMOTE_DISCONNECT */
        return WSAECONNRESET;
    case 0xC0000241:   /* STATUS_CONNECTION_ABORTED */
    case 0xC000013B:   /* STATUS_LOCAL_DISCONNECT */
        return WSAECONNABORTED;
    default: {
        /* The rest as Winsock names them; the socket may be gone by now. */
        DWORD got = 0, flags = 0;
        if (WSAGetOverlappedResult(rq->socket, &r->ov, &got, FALSE, &flags))
            return 0;
        int code = WSAGetLastError();
        return code == WSAENOTSOCK ? WSAECONNABORTED : code;
    }
    }
}

static bool finished(const struct req *r)
{
    return r->failed_at_once || *(volatile ULONG_PTR *)&r->ov.Internal != 0x103 /* STATUS_PENDING */;
}

/* Moves the finished requests, each direction in order, into their CQs.
 * rq locked. */
static void collect_locked(struct rio_rq *rq)
{
    for (int side = RECV_SIDE; side <= SEND_SIDE; side++) {
        struct req *r;
        while ((r = rq->started[side].head) != NULL && finished(r)) {
            reqq_pop(&rq->started[side]);
            RIORESULT result;
            result.Status = status_of(rq, r, &result.BytesTransferred);
            result.SocketContext = rq->context;
            result.RequestContext = r->context;
            bool notify = r->notify;
            free(r);
            /* The request's reference to rq goes with its result. */
            rio_cq_push(rq->cq[side], &result, rq, side == SEND_SIDE, notify);
        }
    }
}

static VOID CALLBACK rq_signalled(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WAIT wait,
                                  TP_WAIT_RESULT result)
{
    (void)instance;
    (void)wait;
    (void)result;
    struct rio_rq *rq = context;
    EnterCriticalSection(&rq->lock);
    collect_locked(rq);
    bool dead = rq->dead;
    if (!dead)
        SetThreadpoolWait(rq->wait, rq->event, NULL);
    LeaveCriticalSection(&rq->lock);
    if (dead)
        rq_free(rq);   /* CloseThreadpoolWait may be called from the wait's own callback */
}

/* Starts r, the next request of its direction. rq locked. */
static void start_locked(struct rio_rq *rq, int side, struct req *r)
{
    reqq_push(&rq->started[side], r);
    memset(&r->ov, 0, sizeof(r->ov));
    r->ov.hEvent = (HANDLE)((ULONG_PTR)rq->event | 1);
    int rc;
    if (side == SEND_SIDE) {
        rc = r->remote != NULL
                 ? WSASendTo(rq->socket, &r->buf, 1, NULL, 0, r->remote, r->remote_length, &r->ov, NULL)
                 : WSASend(rq->socket, &r->buf, 1, NULL, 0, &r->ov, NULL);
    } else {
        r->flags = r->waitall ? MSG_WAITALL : 0;
        rc = r->remote != NULL
                 ? WSARecvFrom(rq->socket, &r->buf, 1, NULL, &r->flags, r->remote, &r->remote_length,
                               &r->ov, NULL)
                 : WSARecv(rq->socket, &r->buf, 1, NULL, &r->flags, &r->ov, NULL);
    }
    if (rc != 0) {
        int code = WSAGetLastError();
        if (code != WSA_IO_PENDING) {
            r->failed_at_once = true;
            r->at_once_status = code;
        }
    }
}

static void commit_locked(struct rio_rq *rq, int side)
{
    struct req *r;
    while ((r = reqq_pop(&rq->deferred[side])) != NULL)
        start_locked(rq, side, r);
}

/* Counts one more request against its side; false when the side is full. rq locked. */
static bool take_slot(struct rio_rq *rq, int side)
{
    if ((ULONG)rq->outstanding[side] >= rq->max[side])
        return false;
    InterlockedIncrement(&rq->outstanding[side]);
    return true;
}

static bool reserve_both(struct rio_cq *rcq, ULONG nrecv, struct rio_cq *scq, ULONG nsend)
{
    if (rcq == scq)
        return (uint64_t)nrecv + nsend <= 0xFFFFFFFFu && rio_cq_reserve(rcq, nrecv + nsend);
    if (!rio_cq_reserve(rcq, nrecv))
        return false;
    if (rio_cq_reserve(scq, nsend))
        return true;
    rio_cq_unreserve(rcq, nrecv);
    return false;
}

static RIO_RQ refuse(struct rio_cq *rcq, struct rio_cq *scq, DWORD code)
{
    if (rcq != NULL)
        rio_cq_release(rcq);
    if (scq != NULL)
        rio_cq_release(scq);
    WSASetLastError(code);
    return RIO_INVALID_RQ;
}

/* What RIOCreateRequestQueue refuses about the socket, or 0. */
static DWORD socket_error_for_queue(SOCKET s)
{
    int type = 0, len = sizeof(type);
    if (getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) != 0)
        return WSAENOTSOCK;
    if (type != SOCK_STREAM && type != SOCK_DGRAM)
        return WSAEOPNOTSUPP;
    return rio_socket_is_registered(s) ? 0 : WSAEINVAL;
}

RIO_RQ PASCAL rio_create_request_queue(SOCKET s, ULONG max_recv, ULONG max_recv_buffers,
                                       ULONG max_send, ULONG max_send_buffers, RIO_CQ recv_cq,
                                       RIO_CQ send_cq, PVOID context)
{
    DWORD code = socket_error_for_queue(s);
    if (code != 0)
        return refuse(NULL, NULL, code);
    if ((max_recv == 0 && max_send == 0) || (max_recv > 0 && max_recv_buffers == 0) ||
        (max_send > 0 && max_send_buffers == 0))
        return refuse(NULL, NULL, WSAEINVAL);
    struct rio_cq *rcq = rio_cq_find(recv_cq);
    struct rio_cq *scq = rio_cq_find(send_cq);
    if (rcq == NULL || scq == NULL)
        return refuse(rcq, scq, WSAEINVAL);
    struct rio_rq *rq = calloc(1, sizeof(*rq));
    if (rq == NULL)
        return refuse(rcq, scq, WSAENOBUFS);
    InitializeCriticalSection(&rq->lock);
    rq->event = CreateEventW(NULL, FALSE, FALSE, NULL);
    rq->wait = rq->event != NULL ? CreateThreadpoolWait(rq_signalled, rq, NULL) : NULL;
    if (rq->wait == NULL) {
        rq_free(rq);
        return refuse(rcq, scq, WSAENOBUFS);
    }
    if (!reserve_both(rcq, max_recv, scq, max_send)) {
        rq_free(rq);
        return refuse(rcq, scq, WSAENOBUFS);
    }
    rio_object_init(&rq->obj, RIO_KIND_RQ, rq_destroy);
    rq->socket = s;
    rq->cq[RECV_SIDE] = rcq;
    rq->cq[SEND_SIDE] = scq;
    rq->max[RECV_SIDE] = max_recv;
    rq->max[SEND_SIDE] = max_send;
    rq->context = (ULONGLONG)(ULONG_PTR)context;
    SetThreadpoolWait(rq->wait, rq->event, NULL);
    rio_object_retain(&rq->obj);   /* the handle's, and one for the lines below */
    rq->handle = rio_handle_publish(&rq->obj);
    if (rq->handle == 0) {
        rio_rq_release(rq);
        WSASetLastError(WSAENOBUFS);
        return RIO_INVALID_RQ;
    }
    if (!rio_socket_attach(s, rq)) {
        struct rio_object *own = rio_handle_unpublish(rq->handle, RIO_KIND_RQ);
        if (own != NULL)
            rio_object_release(own);
        rio_rq_release(rq);
        WSASetLastError(WSAEINVAL);
        return RIO_INVALID_RQ;
    }
    RIO_RQ handle = (RIO_RQ)rq->handle;
    rio_rq_release(rq);
    return handle;
}

void rio_rq_closing(struct rio_rq *rq)
{
    EnterCriticalSection(&rq->lock);
    collect_locked(rq);   /* what finished before keeps its own status */
    rq->closing = true;
    for (int side = RECV_SIDE; side <= SEND_SIDE; side++) {
        struct req *r;
        while ((r = reqq_pop(&rq->deferred[side])) != NULL) {
            r->failed_at_once = true;
            r->at_once_status = WSA_OPERATION_ABORTED;
            reqq_push(&rq->started[side], r);
        }
    }
    LeaveCriticalSection(&rq->lock);
}

void rio_rq_closed(struct rio_rq *rq)
{
    struct rio_object *own = rio_handle_unpublish(rq->handle, RIO_KIND_RQ);
    if (own != NULL)
        rio_object_release(own);
    EnterCriticalSection(&rq->lock);
    collect_locked(rq);
    LeaveCriticalSection(&rq->lock);
    rio_rq_release(rq);
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

/* Fills r from spec; 0 or the Winsock error. */
static DWORD set_buffers(struct req *r, const struct request_spec *spec)
{
    char *base = NULL;
    ULONG len = 0;
    if (spec->count == 1) {
        DWORD code = rio_buffer_span(spec->data, &base);
        if (code != 0)
            return code;
        len = spec->data->Length;
    }
    r->buf.buf = base;
    r->buf.len = len;
    if (spec->remote == NULL)
        return 0;
    char *addr;
    DWORD code = rio_buffer_span(spec->remote, &addr);
    if (code != 0)
        return code;
    if (spec->remote->Length < sizeof(SOCKADDR_INET))
        return WSAEFAULT;
    r->remote = (struct sockaddr *)(void *)addr;
    if (spec->side == RECV_SIDE) {
        r->remote_length = (INT)spec->remote->Length;
    } else if (r->remote->sa_family == AF_INET) {
        r->remote_length = sizeof(struct sockaddr_in);
    } else if (r->remote->sa_family == AF_INET6) {
        r->remote_length = sizeof(struct sockaddr_in6);
    } else {
        return WSAEAFNOSUPPORT;
    }
    return 0;
}

static BOOL fail(struct rio_rq *rq, DWORD code)
{
    if (rq != NULL)
        rio_rq_release(rq);
    WSASetLastError(code);
    return FALSE;
}

#define REQUEST_FLAGS (RIO_MSG_DONT_NOTIFY | RIO_MSG_DEFER | RIO_MSG_WAITALL | RIO_MSG_COMMIT_ONLY)

static bool is_stream(SOCKET s)
{
    int type = 0, len = sizeof(type);
    return getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == 0 && type == SOCK_STREAM;
}

static BOOL request(RIO_RQ handle, const struct request_spec *spec)
{
    if (spec->flags & ~(DWORD)REQUEST_FLAGS)
        return fail(NULL, WSAEINVAL);
    struct rio_rq *rq = rq_find(handle);
    if (rq == NULL)
        return fail(NULL, WSAEINVAL);
    if (spec->flags & RIO_MSG_COMMIT_ONLY) {
        if (spec->flags != RIO_MSG_COMMIT_ONLY || spec->data != NULL || spec->count != 0 ||
            spec->remote != NULL)
            return fail(rq, WSAEINVAL);
        EnterCriticalSection(&rq->lock);
        commit_locked(rq, spec->side);
        collect_locked(rq);
        LeaveCriticalSection(&rq->lock);
        rio_rq_release(rq);
        WSASetLastError(0);
        return TRUE;
    }
    /* One buffer or none; none only for a datagram. */
    if (spec->count > 1 || (spec->count == 1) != (spec->data != NULL) ||
        (spec->count == 0 && is_stream(rq->socket)))
        return fail(rq, WSAEINVAL);
    struct req *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return fail(rq, WSAENOBUFS);
    DWORD code = set_buffers(r, spec);
    if (code != 0) {
        free(r);
        return fail(rq, code);
    }
    r->context = (ULONGLONG)(ULONG_PTR)spec->context;
    r->notify = !(spec->flags & RIO_MSG_DONT_NOTIFY);
    r->waitall = (spec->flags & RIO_MSG_WAITALL) != 0;
    EnterCriticalSection(&rq->lock);
    if (rq->closing || !take_slot(rq, spec->side)) {
        code = rq->closing ? WSAEINVAL : WSAENOBUFS;
        LeaveCriticalSection(&rq->lock);
        free(r);
        return fail(rq, code);
    }
    /* From here the request holds the reference rq_find took. */
    reqq_push(&rq->deferred[spec->side], r);
    if (!(spec->flags & RIO_MSG_DEFER)) {
        commit_locked(rq, spec->side);
        collect_locked(rq);
    }
    LeaveCriticalSection(&rq->lock);
    WSASetLastError(0);
    return TRUE;
}

/* Local addresses, control data and flags of RIOReceiveEx/RIOSendEx are
 * not offered: such a request fails rather than go without them. */
static bool extras_ok(PRIO_BUF local, PRIO_BUF control, PRIO_BUF flags)
{
    if (local == NULL && control == NULL && flags == NULL)
        return true;
    WSASetLastError(WSAEOPNOTSUPP);
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
    EnterCriticalSection(&rq->lock);
    ULONG want[2] = { max_recv, max_send };
    for (int side = RECV_SIDE; side <= SEND_SIDE && code == 0; side++)
        if (want[side] < (ULONG)rq->outstanding[side])
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
    LeaveCriticalSection(&rq->lock);
    if (code != 0)
        return fail(rq, code);
    rio_rq_release(rq);
    return TRUE;
}
