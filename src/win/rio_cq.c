/*
 * Completion queues of the overlapped provider: a ring of results the
 * program dequeues (rio_ring.h, shared with the Linux front end).
 * RIONotify arms one notification: the next result that may notify, or
 * one already there, posts one packet to the CQ's port
 * (PostQueuedCompletionStatus: 0 bytes, the key and the OVERLAPPED the CQ
 * was made with) or sets its event, and disarms it.
 */
#include "rio.h"
#include "rio_ring.h"

#include <stdlib.h>

struct rio_cq {
    struct rio_object obj;
    CRITICAL_SECTION lock;
    struct rio_ring ring;
    bool armed;
    bool closed;            /* RIOCloseCompletionQueue: results are dropped */
    RIO_NOTIFICATION_COMPLETION_TYPE type;   /* 0: polled only */
    HANDLE event;
    BOOL notify_reset;
    HANDLE port;
    ULONG_PTR key;
    LPOVERLAPPED ovl;
};

static void cq_destroy(struct rio_object *obj)
{
    struct rio_cq *cq = (struct rio_cq *)obj;
    for (ULONG i = 0; i < cq->ring.count; i++)
        rio_rq_release(rio_ring_at(&cq->ring, i)->rq);
    DeleteCriticalSection(&cq->lock);
    rio_ring_free(&cq->ring);
    free(cq);
}

struct rio_cq *rio_cq_find(RIO_CQ handle)
{
    return (struct rio_cq *)rio_handle_find((ULONG_PTR)handle, RIO_KIND_CQ);
}

void rio_cq_release(struct rio_cq *cq)
{
    rio_object_release(&cq->obj);
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
        if (n->Iocp.IocpHandle == NULL || n->Iocp.IocpHandle == INVALID_HANDLE_VALUE)
            return WSAEINVAL;
        cq->port = n->Iocp.IocpHandle;
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
        WSASetLastError(WSAEINVAL);
        return RIO_INVALID_CQ;
    }
    struct rio_cq *cq = calloc(1, sizeof(*cq));
    if (cq == NULL || !rio_ring_init(&cq->ring, size)) {
        free(cq);
        WSASetLastError(WSAENOBUFS);
        return RIO_INVALID_CQ;
    }
    rio_object_init(&cq->obj, RIO_KIND_CQ, cq_destroy);
    InitializeCriticalSection(&cq->lock);
    DWORD code = take_notification(cq, notify);
    if (code != 0) {
        rio_cq_release(cq);
        WSASetLastError(code);
        return RIO_INVALID_CQ;
    }
    ULONG_PTR h = rio_handle_publish(&cq->obj);
    if (h == 0) {
        WSASetLastError(WSAENOBUFS);
        return RIO_INVALID_CQ;
    }
    return (RIO_CQ)h;
}

static ULONG take_all(struct rio_cq *cq, PRIORESULT out, ULONG n);

/* The record lives on while request queues name it; the results it holds
 * go now. */
VOID PASCAL rio_close_completion_queue(RIO_CQ handle)
{
    struct rio_cq *cq = (struct rio_cq *)rio_handle_unpublish((ULONG_PTR)handle, RIO_KIND_CQ);
    if (cq == NULL)
        return;
    EnterCriticalSection(&cq->lock);
    cq->closed = true;
    cq->armed = false;
    LeaveCriticalSection(&cq->lock);
    RIORESULT dropped[16];
    while (take_all(cq, dropped, 16) > 0)
        ;
    rio_cq_release(cq);
}

bool rio_cq_reserve(struct rio_cq *cq, ULONG n)
{
    EnterCriticalSection(&cq->lock);
    bool fits = rio_ring_reserve(&cq->ring, n);
    LeaveCriticalSection(&cq->lock);
    return fits;
}

void rio_cq_unreserve(struct rio_cq *cq, ULONG n)
{
    EnterCriticalSection(&cq->lock);
    rio_ring_unreserve(&cq->ring, n);
    LeaveCriticalSection(&cq->lock);
}

/* The armed notification goes off. cq locked: a packet posted before the
 * lock is let go cannot be overtaken by the next RIONotify's. */
static void fire(struct rio_cq *cq)
{
    cq->armed = false;
    if (cq->type == RIO_EVENT_COMPLETION)
        SetEvent(cq->event);
    else
        PostQueuedCompletionStatus(cq->port, 0, cq->key, cq->ovl);
}

void rio_cq_push(struct rio_cq *cq, const RIORESULT *result, struct rio_rq *rq, bool send,
                 bool notify)
{
    EnterCriticalSection(&cq->lock);
    if (cq->closed) {
        LeaveCriticalSection(&cq->lock);
        rio_rq_credit(rq, send);
        rio_rq_release(rq);
        return;
    }
    rio_ring_push(&cq->ring, result, rq, send);
    if (notify && cq->armed)
        fire(cq);
    LeaveCriticalSection(&cq->lock);
}

INT PASCAL rio_notify(RIO_CQ handle)
{
    struct rio_cq *cq = rio_cq_find(handle);
    if (cq == NULL)
        return WSAEINVAL;
    INT rc = ERROR_SUCCESS;
    EnterCriticalSection(&cq->lock);
    if (cq->type == 0) {
        rc = WSAEINVAL;   /* made without a notification: polled only */
    } else if (cq->armed) {
        rc = WSAEALREADY;
    } else {
        if (cq->type == RIO_EVENT_COMPLETION && cq->notify_reset)
            ResetEvent(cq->event);
        cq->armed = true;
        if (cq->ring.count > 0)
            fire(cq);
    }
    LeaveCriticalSection(&cq->lock);
    rio_cq_release(cq);
    return rc;
}

/* Results are taken this many at a time, so that the references they held
 * are dropped with cq unlocked (a request queue's end takes its CQs' locks). */
#define TAKE_BATCH 64

static ULONG take(struct rio_cq *cq, PRIORESULT out, ULONG n, struct rio_rq **done)
{
    ULONG taken = 0;
    EnterCriticalSection(&cq->lock);
    struct rio_ring_entry e;
    while (taken < n && taken < TAKE_BATCH && rio_ring_pop(&cq->ring, &e)) {
        out[taken] = e.result;
        done[taken] = e.rq;
        rio_rq_credit(e.rq, e.send);
        taken++;
    }
    LeaveCriticalSection(&cq->lock);
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
        WSASetLastError(WSAEINVAL);
        return RIO_CORRUPT_CQ;
    }
    ULONG taken = take_all(cq, out, n);
    rio_cq_release(cq);
    return taken;
}

BOOL PASCAL rio_resize_completion_queue(RIO_CQ handle, DWORD size)
{
    struct rio_cq *cq = rio_cq_find(handle);
    if (cq == NULL || !rio_ring_size_ok(size)) {
        if (cq != NULL)
            rio_cq_release(cq);
        WSASetLastError(WSAEINVAL);
        return FALSE;
    }
    EnterCriticalSection(&cq->lock);
    DWORD code = rio_ring_resize(&cq->ring, size);
    LeaveCriticalSection(&cq->lock);
    rio_cq_release(cq);
    if (code != 0) {
        WSASetLastError(code);
        return FALSE;
    }
    return TRUE;
}
