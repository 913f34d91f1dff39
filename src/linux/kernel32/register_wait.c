/*
 * Registered waits (RegisterWaitForSingleObject, UnregisterWait[Ex]): a
 * thread per registration waits on the object and a cancel state, and
 * hands each expiry or signal to a worker (work.h), or calls the callback
 * itself with WT_EXECUTEINWAITTHREAD.
 */
#include "error.h"
#include "platform.h"
#include "inflight.h"
#include "object.h"
#include "waitable.h"
#include "work.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

struct rwait {
    struct object obj;
    struct inflight calls;
    struct waitable cancel;    /* set by UnregisterWait */
    struct object *target;     /* the object waited on, referenced */
    WAITORTIMERCALLBACK callback;
    PVOID context;
    ULONG ms;
    ULONG flags;
};

struct rcall {
    struct rwait *w;
    BOOLEAN timed_out;
};

static void rwait_destroy(struct object *obj)
{
    struct rwait *w = (struct rwait *)obj;
    object_release(w->target);
    waitable_destroy(&w->cancel);
    inflight_destroy(&w->calls);
    free(w);
}

static const struct object_ops rwait_ops = {
    .type = OBJECT_REGISTERED_WAIT, .close = NULL, .destroy = rwait_destroy, .wait = NULL,
};

static void run_call(void *arg)
{
    struct rcall *c = arg;
    c->w->callback(c->w->context, c->timed_out);
    inflight_leave(&c->w->calls);
    object_release(&c->w->obj);
    free(c);
}

static void *wait_main(void *arg)
{
    struct rwait *w = arg;
    struct waitable *ws[2] = { &w->cancel, w->target->ops->wait(w->target) };
    for (;;) {
        /* The cancel state comes first: once unregistered, no signal of the
         * object is taken any more. */
        DWORD r = waitable_wait(ws, 2, false, w->ms);
        if (r == WAIT_OBJECT_0 || !inflight_enter(&w->calls))
            break;
        struct rcall *c = malloc(sizeof *c);
        if (c == NULL) {
            inflight_leave(&w->calls);
            continue;
        }
        c->w = w;
        c->timed_out = r == WAIT_TIMEOUT;
        object_retain(&w->obj);
        if ((w->flags & WT_EXECUTEINWAITTHREAD) || !work_submit(run_call, c))
            run_call(c);
        if (w->flags & WT_EXECUTEONLYONCE)
            break;
    }
    object_release(&w->obj);   /* the thread's reference */
    return NULL;
}

BOOL WINAPI RegisterWaitForSingleObject(PHANDLE out, HANDLE object, WAITORTIMERCALLBACK callback, PVOID context,
                                        ULONG ms, ULONG flags)
{
    if (out == NULL || callback == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct object *target = object_find(object, 0);
    if (target == NULL || target->ops->wait == NULL) {
        if (target != NULL)
            object_release(target);
        error_set(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    struct rwait *w = calloc(1, sizeof *w);
    if (w == NULL) {
        object_release(target);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    object_init(&w->obj, &rwait_ops);
    inflight_init(&w->calls);
    waitable_init(&w->cancel, WAITABLE_MANUAL, 0, 1);
    w->target = target;
    w->callback = callback;
    w->context = context;
    w->ms = ms;
    w->flags = flags;

    object_retain(&w->obj);   /* the wait thread's */
    HANDLE h = object_publish(&w->obj);
    if (h == NULL) {
        object_release(&w->obj);
        return FALSE;
    }
    if (os_thread_start_detached(wait_main, w, NULL) != 0) {
        object_release(&w->obj);
        CloseHandle(h);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    *out = h;
    return TRUE;
}

BOOL WINAPI UnregisterWaitEx(HANDLE h, HANDLE event)
{
    struct rwait *w = (struct rwait *)object_get(h, OBJECT_REGISTERED_WAIT);
    if (w == NULL)
        return FALSE;
    waitable_set(&w->cancel);
    BOOL r = inflight_finish(&w->calls, event);
    DWORD error = GetLastError();
    CloseHandle(h);
    object_release(&w->obj);
    SetLastError(error);
    return r;
}

BOOL WINAPI UnregisterWait(HANDLE h)
{
    return UnregisterWaitEx(h, NULL);
}
