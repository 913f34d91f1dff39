/*
 * RIO completion queues. A CQ is a ring of results that the program
 * dequeues (rio_ring.h, shared with the Windows build's overlapped
 * provider). RIONotify arms one notification: the next result that may
 * notify, or one already there, posts one packet to the CQ's port or sets
 * its event, and disarms it.
 */
#include "rio.h"
#include "error.h"
#include "lock.h"
#include "object.h"
#include "op.h"
#include "port.h"
#include "rio_ring.h"

#include <stdlib.h>
#include <string.h>

struct rio_cq {
    struct object obj;
    struct lock lock;
    struct rio_ring ring;
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
    for (ULONG i = 0; i < cq->ring.count; i++)
        rio_rq_release(rio_ring_at(&cq->ring, i)->rq);
    if (cq->port != NULL)
        port_release(cq->port);
    if (cq->attend != NULL)
        port_release(cq->attend);
    rio_ring_free(&cq->ring);
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
    if (!rio_ring_size_ok(size)) {
        error_set(WSAEINVAL);
        return RIO_INVALID_CQ;
    }
    struct rio_cq *cq = calloc(1, sizeof(*cq));
    if (cq == NULL || !rio_ring_init(&cq->ring, size)) {
        free(cq);
        error_set(WSAENOBUFS);
        return RIO_INVALID_CQ;
    }
    object_init(&cq->obj, &cq_ops);
    lock_init(&cq->lock);
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
    bool fits = rio_ring_reserve(&cq->ring, n);
    lock_release(&cq->lock);
    return fits;
}

void rio_cq_unreserve(struct rio_cq *cq, ULONG n)
{
    lock_acquire(&cq->lock);
    rio_ring_unreserve(&cq->ring, n);
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
    for (unsigned i = 0; i < n; i++)
        rio_ring_push(&cq->ring, &results[i], rq, send);
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
    struct port *target = cq->ring.count > 0 ? fire(cq) : NULL;
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
    struct rio_ring_entry e;
    while (taken < n && taken < TAKE_BATCH && rio_ring_pop(&cq->ring, &e)) {
        out[taken] = e.result;
        done[taken] = e.rq;
        rio_rq_credit(e.rq, e.send);
        taken++;
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
    if (cq == NULL || !rio_ring_size_ok(size)) {
        if (cq != NULL)
            rio_cq_release(cq);
        error_set(WSAEINVAL);
        return FALSE;
    }
    lock_acquire(&cq->lock);
    DWORD code = rio_ring_resize(&cq->ring, size);
    lock_release(&cq->lock);
    rio_cq_release(cq);
    if (code != 0) {
        error_set(code);
        return FALSE;
    }
    return TRUE;
}
