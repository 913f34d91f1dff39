/*
 * RIO completion queues. A CQ is a ring of results that the program
 * dequeues. Requests count against their queue until their result is
 * dequeued, and the outstanding counts of all the request queues on a CQ
 * never exceed its size, so a push always has room (as on Windows, where a
 * CQ cannot overflow either). RIONotify arms one notification: the next
 * result that may notify, or one already there, posts one packet to the
 * CQ's port or sets its event, and disarms it.
 */
#include "rio.h"
#include "error.h"
#include "lock.h"
#include "object.h"
#include "op.h"
#include "port.h"

#include <stdlib.h>
#include <string.h>

struct cq_entry {
    RIORESULT result;
    struct rio_rq *rq;      /* a reference: the request still counts against it */
    bool send;
};

struct rio_cq {
    struct object obj;
    struct lock lock;
    struct cq_entry *ring;
    ULONG size;
    ULONG head;             /* the oldest result */
    ULONG count;
    ULONG reserved;         /* outstanding counts of the request queues on it */
    bool armed;
    bool closed;            /* RIOCloseCompletionQueue: results are dropped */
    RIO_NOTIFICATION_COMPLETION_TYPE type;   /* 0: polled only */
    HANDLE event;
    BOOL notify_reset;
    struct port *port;      /* RIO_IOCP_COMPLETION's, with a reference */
    ULONG_PTR key;
    LPOVERLAPPED ovl;
    struct port *attend;    /* where its sockets' results are reaped, if a port (a reference) */
};

static void cq_destroy(struct object *obj)
{
    struct rio_cq *cq = (struct rio_cq *)obj;
    for (ULONG i = 0; i < cq->count; i++) {
        struct cq_entry *e = &cq->ring[(cq->head + i) % cq->size];
        rio_rq_release(e->rq);
    }
    if (cq->port != NULL)
        port_release(cq->port);
    if (cq->attend != NULL)
        port_release(cq->attend);
    free(cq->ring);
    free(cq);
}

static const struct object_ops cq_ops = {
    .type = OBJECT_RIO_CQ, .close = NULL, .destroy = cq_destroy, .wait = NULL,
};

struct rio_cq *rio_cq_find(RIO_CQ handle)
{
    return (struct rio_cq *)object_find((HANDLE)handle, OBJECT_RIO_CQ);
}

void rio_cq_release(struct rio_cq *cq)
{
    object_release(&cq->obj);
}

static bool size_ok(DWORD size)
{
    return size > 0 && size <= RIO_MAX_CQ_SIZE;
}

/* The notification a new CQ is given: 0, or the Winsock error. */
static DWORD take_notification(struct rio_cq *cq, const RIO_NOTIFICATION_COMPLETION *n)
{
    if (n == NULL)
        return 0;
    switch (n->Type) {
    case RIO_EVENT_COMPLETION:
        if (n->Event.EventHandle == NULL)
            return WSAEINVAL;
        cq->event = n->Event.EventHandle;
        cq->notify_reset = n->Event.NotifyReset;
        break;
    case RIO_IOCP_COMPLETION:
        cq->port = port_get(n->Iocp.IocpHandle);
        if (cq->port == NULL)
            return WSAEINVAL;
        cq->key = (ULONG_PTR)n->Iocp.CompletionKey;
        cq->ovl = (LPOVERLAPPED)n->Iocp.Overlapped;
        break;
    default:
        return WSAEINVAL;
    }
    cq->type = n->Type;
    return 0;
}

RIO_CQ PASCAL rio_create_completion_queue(DWORD size, PRIO_NOTIFICATION_COMPLETION notify)
{
    if (!size_ok(size)) {
        error_set(WSAEINVAL);
        return RIO_INVALID_CQ;
    }
    struct rio_cq *cq = calloc(1, sizeof(*cq));
    /* Untouched pages of a large ring cost nothing until results fill them. */
    struct cq_entry *ring = cq != NULL ? malloc((size_t)size * sizeof(*ring)) : NULL;
    if (ring == NULL) {
        free(cq);
        error_set(WSAENOBUFS);
        return RIO_INVALID_CQ;
    }
    object_init(&cq->obj, &cq_ops);
    lock_init(&cq->lock);
    cq->ring = ring;
    cq->size = size;
    DWORD code = take_notification(cq, notify);
    if (code != 0) {
        rio_cq_release(cq);
        error_set(code);
        return RIO_INVALID_CQ;
    }
    HANDLE h = object_publish(&cq->obj);
    if (h == NULL) {
        error_set(WSAENOBUFS);
        return RIO_INVALID_CQ;
    }
    return (RIO_CQ)h;
}

static ULONG take_all(struct rio_cq *cq, PRIORESULT out, ULONG n);

/* The record lives on while request queues name it; the results it holds
 * go now, and so do the references they hold to request queues (which
 * hold references to it). */
VOID PASCAL rio_close_completion_queue(RIO_CQ handle)
{
    struct rio_cq *cq = (struct rio_cq *)object_unpublish((HANDLE)handle, OBJECT_RIO_CQ);
    if (cq == NULL)
        return;
    lock_acquire(&cq->lock);
    cq->closed = true;
    cq->armed = false;
    lock_release(&cq->lock);
    RIORESULT dropped[16];
    while (take_all(cq, dropped, 16) > 0)
        ;
    rio_cq_release(cq);
}

bool rio_cq_reserve(struct rio_cq *cq, ULONG n)
{
    lock_acquire(&cq->lock);
    bool fits = n <= cq->size - cq->reserved;
    if (fits)
        cq->reserved += n;
    lock_release(&cq->lock);
    return fits;
}

void rio_cq_unreserve(struct rio_cq *cq, ULONG n)
{
    lock_acquire(&cq->lock);
    cq->reserved -= n;
    lock_release(&cq->lock);
}

struct port *rio_cq_notify_port(const struct rio_cq *cq)
{
    return cq->port;   /* set at creation, then constant */
}

void rio_cq_attend_port(struct rio_cq *cq, struct port *port)
{
    lock_acquire(&cq->lock);
    if (cq->attend == NULL) {
        port_retain(port);
        cq->attend = port;
    }
    lock_release(&cq->lock);
}

/* The armed notification goes off now. cq locked; returns the port a
 * packet is due on (with a reference). */
static struct port *fire(struct rio_cq *cq)
{
    cq->armed = false;
    if (cq->type == RIO_EVENT_COMPLETION) {
        SetEvent(cq->event);
        return NULL;
    }
    port_retain(cq->port);
    return cq->port;
}

struct port *rio_cq_push(struct rio_cq *cq, const RIORESULT *results, unsigned n,
                         struct rio_rq *rq, bool send, bool notify, ULONG_PTR *key,
                         LPOVERLAPPED *ovl)
{
    lock_acquire(&cq->lock);
    if (cq->closed) {
        lock_release(&cq->lock);
        for (unsigned i = 0; i < n; i++) {
            rio_rq_credit(rq, send);
            rio_rq_release(rq);
        }
        return NULL;
    }
    /* The reservations keep count <= size: a full ring would mean a request
     * that was never counted. */
    for (unsigned i = 0; i < n; i++) {
        struct cq_entry *e = &cq->ring[(cq->head + cq->count) % cq->size];
        e->result = results[i];
        e->rq = rq;
        e->send = send;
        cq->count++;
    }
    struct port *target = NULL;
    if (notify && cq->armed) {
        target = fire(cq);
        *key = cq->key;
        *ovl = cq->ovl;
    }
    lock_release(&cq->lock);
    return target;
}

INT PASCAL rio_notify(RIO_CQ handle)
{
    struct rio_cq *cq = rio_cq_find(handle);
    if (cq == NULL)
        return WSAEINVAL;
    lock_acquire(&cq->lock);
    if (cq->type == 0) {
        lock_release(&cq->lock);
        rio_cq_release(cq);
        return WSAEINVAL;   /* made without a notification: polled only */
    }
    if (cq->armed) {
        lock_release(&cq->lock);
        rio_cq_release(cq);
        return WSAEALREADY;
    }
    if (cq->type == RIO_EVENT_COMPLETION && cq->notify_reset)
        ResetEvent(cq->event);
    cq->armed = true;
    struct port *target = cq->count > 0 ? fire(cq) : NULL;
    ULONG_PTR key = cq->key;
    LPOVERLAPPED ovl = cq->ovl;
    lock_release(&cq->lock);
    INT rc = ERROR_SUCCESS;
    if (target != NULL) {
        struct packet *pk = op_posted_packet(0, key, ovl);
        if (pk != NULL) {
            port_deliver(target, pk);
        } else {
            lock_acquire(&cq->lock);
            cq->armed = true;   /* not fired after all */
            lock_release(&cq->lock);
            rc = WSAENOBUFS;
        }
        port_release(target);
    }
    rio_cq_release(cq);
    return rc;
}

/* Results are taken this many at a time, so that the references they held
 * are dropped with cq unlocked (a request queue's end takes its CQs' locks). */
#define TAKE_BATCH 64

/* Takes up to n results out of cq; their request queues go in done. */
static ULONG take(struct rio_cq *cq, PRIORESULT out, ULONG n, struct rio_rq **done)
{
    ULONG taken = 0;
    lock_acquire(&cq->lock);
    while (taken < n && taken < TAKE_BATCH && cq->count > 0) {
        struct cq_entry *e = &cq->ring[cq->head];
        out[taken] = e->result;
        done[taken] = e->rq;
        rio_rq_credit(e->rq, e->send);
        taken++;
        cq->head = (cq->head + 1) % cq->size;
        cq->count--;
    }
    lock_release(&cq->lock);
    return taken;
}

static ULONG take_all(struct rio_cq *cq, PRIORESULT out, ULONG n)
{
    struct rio_rq *done[TAKE_BATCH];
    ULONG total = 0, got;
    do {
        got = take(cq, out + total, n - total, done);
        for (ULONG i = 0; i < got; i++)
            rio_rq_release(done[i]);
        total += got;
    } while (got == TAKE_BATCH && total < n);
    return total;
}

ULONG PASCAL rio_dequeue_completion(RIO_CQ handle, PRIORESULT out, ULONG n)
{
    struct rio_cq *cq = rio_cq_find(handle);
    if (cq == NULL || (out == NULL && n > 0)) {
        if (cq != NULL)
            rio_cq_release(cq);
        error_set(WSAEINVAL);
        return RIO_CORRUPT_CQ;
    }
    ULONG taken = take_all(cq, out, n);
    if (taken == 0 && n > 0) {
        lock_acquire(&cq->lock);
        struct port *attend = cq->attend;
        if (attend != NULL)
            port_retain(attend);
        lock_release(&cq->lock);
        if (attend != NULL) {
            /* Results may wait in the engine of a port nobody waits on. */
            port_attend(attend);
            port_release(attend);
            taken = take_all(cq, out, n);
        }
    }
    rio_cq_release(cq);
    return taken;
}

BOOL PASCAL rio_resize_completion_queue(RIO_CQ handle, DWORD size)
{
    struct rio_cq *cq = rio_cq_find(handle);
    if (cq == NULL || !size_ok(size)) {
        if (cq != NULL)
            rio_cq_release(cq);
        error_set(WSAEINVAL);
        return FALSE;
    }
    DWORD code = 0;
    lock_acquire(&cq->lock);
    if (size < cq->reserved || size < cq->count) {
        code = WSAETOOMANYREFS;
    } else if (size != cq->size) {
        struct cq_entry *ring = malloc((size_t)size * sizeof(*ring));
        if (ring == NULL) {
            code = WSAENOBUFS;
        } else {
            for (ULONG i = 0; i < cq->count; i++)
                ring[i] = cq->ring[(cq->head + i) % cq->size];
            free(cq->ring);
            cq->ring = ring;
            cq->head = 0;
            cq->size = size;
        }
    }
    lock_release(&cq->lock);
    rio_cq_release(cq);
    if (code != 0) {
        error_set(code);
        return FALSE;
    }
    return TRUE;
}
