/*
 * Timer queues (CreateTimerQueue, CreateTimerQueueTimer, ...): each timer
 * is an entry of the timer thread (timer_service.h) whose expiry hands the
 * callback to a worker (work.h), or runs it on the timer thread with
 * WT_EXECUTEINTIMERTHREAD. A queue is the list of its timers, so that
 * DeleteTimerQueueEx can delete them all.
 */
#include "error.h"
#include "inflight.h"
#include "object.h"
#include "timer_service.h"
#include "work.h"

#include <pthread.h>
#include <stdlib.h>

struct queue;

struct qtimer {
    struct object obj;
    struct timer_entry entry;
    struct inflight calls;
    struct queue *queue;          /* NULL: the default queue */
    WAITORTIMERCALLBACK callback;
    PVOID parameter;
    ULONG flags;
    pthread_mutex_t lock;         /* period_ns, fired */
    uint64_t period_ns;
    bool fired;
    HANDLE handle;                /* written before the timer is listed */
    struct qtimer *next;          /* in its queue, under the queue's lock */
};

struct queue {
    struct object obj;
    pthread_mutex_t lock;
    struct qtimer *timers;
    bool deleted;
};

static struct queue default_queue = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct qtimer *qtimer_of(struct timer_entry *e)
{
    return (struct qtimer *)((char *)e - offsetof(struct qtimer, entry));
}

static void qtimer_destroy(struct object *obj)
{
    struct qtimer *t = (struct qtimer *)obj;
    timer_service_disarm(&t->entry);
    inflight_destroy(&t->calls);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

static const struct object_ops qtimer_ops = {
    .type = OBJECT_QUEUE_TIMER, .close = NULL, .destroy = qtimer_destroy, .wait = NULL,
};

static void queue_destroy(struct object *obj)
{
    struct queue *q = (struct queue *)obj;
    pthread_mutex_destroy(&q->lock);
    free(q);
}

static const struct object_ops queue_ops = {
    .type = OBJECT_TIMER_QUEUE, .close = NULL, .destroy = queue_destroy, .wait = NULL,
};

static void run_callback(void *arg)
{
    struct qtimer *t = arg;
    t->callback(t->parameter, TRUE);
    inflight_leave(&t->calls);
    object_release(&t->obj);
}

/* On the timer thread. */
static void qtimer_fire(struct timer_entry *e)
{
    struct qtimer *t = qtimer_of(e);
    pthread_mutex_lock(&t->lock);
    t->fired = true;
    uint64_t period = t->period_ns;
    pthread_mutex_unlock(&t->lock);
    if (period != 0) {
        uint64_t next = e->due + period, now = timer_service_now();
        timer_service_arm(e, next > now ? next : now + period);
    }
    if (!inflight_enter(&t->calls))
        return;
    object_retain(&t->obj);
    if (t->flags & WT_EXECUTEINTIMERTHREAD)
        run_callback(t);
    else if (!work_submit(run_callback, t))
        run_callback(t);   /* no worker to be had: late rather than lost */
}

/* The queue a TimerQueue argument names, with a reference (the default
 * queue needs none); NULL with ERROR_INVALID_HANDLE. */
static struct queue *queue_get(HANDLE h, bool *referenced)
{
    *referenced = false;
    if (h == NULL)
        return &default_queue;
    struct queue *q = (struct queue *)object_get(h, OBJECT_TIMER_QUEUE);
    *referenced = q != NULL;
    return q;
}

static void queue_put(struct queue *q, bool referenced)
{
    if (referenced)
        object_release(&q->obj);
}

HANDLE WINAPI CreateTimerQueue(void)
{
    struct queue *q = calloc(1, sizeof *q);
    if (q == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    object_init(&q->obj, &queue_ops);
    pthread_mutex_init(&q->lock, NULL);
    return object_publish(&q->obj);
}

static uint64_t period_of(ULONG period, ULONG flags)
{
    return (flags & WT_EXECUTEONLYONCE) ? 0 : (uint64_t)period * 1000000u;
}

BOOL WINAPI CreateTimerQueueTimer(PHANDLE out, HANDLE queue_handle, WAITORTIMERCALLBACK callback, PVOID parameter,
                                  DWORD due, DWORD period, ULONG flags)
{
    if (out == NULL || callback == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    bool referenced;
    struct queue *q = queue_get(queue_handle, &referenced);
    if (q == NULL)
        return FALSE;
    struct qtimer *t = calloc(1, sizeof *t);
    if (t == NULL) {
        queue_put(q, referenced);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    object_init(&t->obj, &qtimer_ops);
    inflight_init(&t->calls);
    pthread_mutex_init(&t->lock, NULL);
    t->entry.fire = qtimer_fire;
    t->queue = q == &default_queue ? NULL : q;
    t->callback = callback;
    t->parameter = parameter;
    t->flags = flags;
    t->period_ns = period_of(period, flags);

    object_retain(&t->obj);   /* the queue's list holds one */
    HANDLE h = object_publish(&t->obj);
    if (h == NULL) {
        object_release(&t->obj);
        queue_put(q, referenced);
        return FALSE;
    }
    t->handle = h;
    pthread_mutex_lock(&q->lock);
    bool deleted = q->deleted;
    if (!deleted) {
        t->next = q->timers;
        q->timers = t;
    }
    pthread_mutex_unlock(&q->lock);
    if (deleted) {
        CloseHandle(h);
        object_release(&t->obj);
        queue_put(q, referenced);
        error_set(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    *out = h;
    timer_service_arm(&t->entry, timer_service_now() + (uint64_t)due * 1000000u);
    queue_put(q, referenced);
    return TRUE;
}

BOOL WINAPI ChangeTimerQueueTimer(HANDLE queue_handle, HANDLE timer, ULONG due, ULONG period)
{
    (void)queue_handle;
    struct qtimer *t = (struct qtimer *)object_find(timer, OBJECT_QUEUE_TIMER);
    if (t == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    pthread_mutex_lock(&t->lock);
    /* A one-shot timer that has fired is not set again, as on Windows. */
    bool spent = t->period_ns == 0 && t->fired;
    if (!spent)
        t->period_ns = period_of(period, t->flags);
    pthread_mutex_unlock(&t->lock);
    if (!spent) {
        timer_service_disarm(&t->entry);
        timer_service_arm(&t->entry, timer_service_now() + (uint64_t)due * 1000000u);
    }
    object_release(&t->obj);
    return TRUE;
}

/* Takes t off its queue's list, stops it and deletes its handle. */
static BOOL qtimer_delete(struct qtimer *t, HANDLE h, HANDLE event)
{
    struct queue *q = t->queue != NULL ? t->queue : &default_queue;
    bool listed = false;
    pthread_mutex_lock(&q->lock);
    for (struct qtimer **p = &q->timers; *p != NULL; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            listed = true;
            break;
        }
    }
    pthread_mutex_unlock(&q->lock);
    timer_service_disarm(&t->entry);
    BOOL r = inflight_finish(&t->calls, event);
    DWORD error = GetLastError();
    if (h != NULL)
        CloseHandle(h);
    if (listed)
        object_release(&t->obj);
    SetLastError(error);
    return r;
}

BOOL WINAPI DeleteTimerQueueTimer(HANDLE queue_handle, HANDLE timer, HANDLE event)
{
    (void)queue_handle;
    struct qtimer *t = (struct qtimer *)object_find(timer, OBJECT_QUEUE_TIMER);
    if (t == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL r = qtimer_delete(t, timer, event);
    DWORD error = GetLastError();
    object_release(&t->obj);
    SetLastError(error);
    return r;
}

struct queue_wait {
    struct qtimer **timers;
    size_t n;
    HANDLE event;
};

/* On a worker: the callbacks of a deleted queue have all ended. */
static void queue_drained(void *arg)
{
    struct queue_wait *w = arg;
    for (size_t i = 0; i < w->n; i++) {
        inflight_wait_idle(&w->timers[i]->calls);
        object_release(&w->timers[i]->obj);
    }
    if (w->event != NULL)
        SetEvent(w->event);
    free(w->timers);
    free(w);
}

BOOL WINAPI DeleteTimerQueueEx(HANDLE queue_handle, HANDLE event)
{
    struct queue *q = (struct queue *)object_get(queue_handle, OBJECT_TIMER_QUEUE);
    if (q == NULL)
        return FALSE;
    pthread_mutex_lock(&q->lock);
    q->deleted = true;
    struct qtimer *list = q->timers;
    q->timers = NULL;
    pthread_mutex_unlock(&q->lock);

    size_t n = 0;
    for (struct qtimer *t = list; t != NULL; t = t->next)
        n++;
    struct qtimer **timers = calloc(n ? n : 1, sizeof *timers);
    bool pending = false;
    n = 0;
    for (struct qtimer *t = list, *next; t != NULL; t = next) {
        next = t->next;
        timer_service_disarm(&t->entry);
        if (!inflight_finish(&t->calls, INVALID_HANDLE_VALUE == event ? event : NULL))
            pending = true;
        /* The timer's handle goes with its queue; the list's reference
         * stays until its callbacks are over. */
        CloseHandle(t->handle);
        if (timers != NULL)
            timers[n++] = t;
        else
            object_release(&t->obj);
    }
    BOOL r = TRUE;
    if (pending && timers != NULL) {
        struct queue_wait *w = malloc(sizeof *w);
        if (w != NULL) {
            w->timers = timers;
            w->n = n;
            w->event = event;
            if (work_submit(queue_drained, w)) {
                timers = NULL;
                r = FALSE;
            } else {
                free(w);
            }
        }
    }
    if (timers != NULL) {
        for (size_t i = 0; i < n; i++) {
            inflight_wait_idle(&timers[i]->calls);
            object_release(&timers[i]->obj);
        }
        free(timers);
        if (event != NULL && event != INVALID_HANDLE_VALUE)
            SetEvent(event);
    }
    object_release(&q->obj);
    CloseHandle(queue_handle);
    if (!r)
        error_set(ERROR_IO_PENDING);
    return r;
}

BOOL WINAPI DeleteTimerQueue(HANDLE queue_handle)
{
    return DeleteTimerQueueEx(queue_handle, NULL);
}

struct user_item {
    LPTHREAD_START_ROUTINE fn;
    PVOID context;
};

static void run_user_item(void *arg)
{
    struct user_item item = *(struct user_item *)arg;
    free(arg);
    item.fn(item.context);
}

BOOL WINAPI QueueUserWorkItem(LPTHREAD_START_ROUTINE fn, PVOID context, ULONG flags)
{
    (void)flags;
    if (fn == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct user_item *item = malloc(sizeof *item);
    if (item != NULL) {
        item->fn = fn;
        item->context = context;
    }
    if (item == NULL || !work_submit(run_user_item, item)) {
        free(item);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    return TRUE;
}
