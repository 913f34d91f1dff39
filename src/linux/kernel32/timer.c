/*
 * Waitable timers (CreateWaitableTimer, SetWaitableTimer,
 * CancelWaitableTimer): a waitable state like an event's, signalled by the
 * library's timer thread (timer_service.h) at the due time and again
 * every period.
 */
#include "error.h"
#include "object.h"
#include "timer_service.h"
#include "waitable.h"

#include <pthread.h>
#include <stdlib.h>

struct timer {
    struct object obj;
    struct waitable state;
    struct timer_entry entry;
    pthread_mutex_t set_lock;   /* orders SetWaitableTimer and CancelWaitableTimer */
    uint64_t period_ns;         /* 0: one-shot; written only while disarmed */
};

static struct timer *timer_of(struct timer_entry *e)
{
    return (struct timer *)((char *)e - offsetof(struct timer, entry));
}

/* On the timer thread. SetWaitableTimer disarms (and so waits for this)
 * before it changes the period, so the period read here is stable. */
static void timer_fire(struct timer_entry *e)
{
    struct timer *t = timer_of(e);
    waitable_set(&t->state);
    if (t->period_ns != 0) {
        /* The next expiry counts from the last one, so periods do not drift,
         * unless the timer thread fell a whole period behind. */
        uint64_t next = e->due + t->period_ns, now = timer_service_now();
        timer_service_arm(e, next > now ? next : now + t->period_ns);
    }
}

static void timer_destroy(struct object *obj)
{
    struct timer *t = (struct timer *)obj;
    timer_service_disarm(&t->entry);
    waitable_destroy(&t->state);
    pthread_mutex_destroy(&t->set_lock);
    free(t);
}

static struct waitable *timer_wait(struct object *obj)
{
    return &((struct timer *)obj)->state;
}

static const struct object_ops timer_ops = {
    .type = OBJECT_TIMER, .close = NULL, .destroy = timer_destroy, .wait = timer_wait,
};

static HANDLE waitable_timer_new(bool manual_reset)
{
    struct timer *t = calloc(1, sizeof *t);
    if (t == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    object_init(&t->obj, &timer_ops);
    waitable_init(&t->state, manual_reset ? WAITABLE_MANUAL : WAITABLE_AUTO, 0, 1);
    pthread_mutex_init(&t->set_lock, NULL);
    t->entry.fire = timer_fire;
    return object_publish(&t->obj);
}

/* Named timers are not shared between processes here; the name is ignored. */
HANDLE WINAPI CreateWaitableTimerA(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, LPCSTR name)
{
    (void)sa;
    (void)name;
    return waitable_timer_new(manual_reset != FALSE);
}

HANDLE WINAPI CreateWaitableTimerW(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, LPCWSTR name)
{
    (void)sa;
    (void)name;
    return waitable_timer_new(manual_reset != FALSE);
}

static HANDLE waitable_timer_new_ex(DWORD flags)
{
    if (flags & ~(DWORD)(CREATE_WAITABLE_TIMER_MANUAL_RESET | CREATE_WAITABLE_TIMER_HIGH_RESOLUTION)) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return waitable_timer_new((flags & CREATE_WAITABLE_TIMER_MANUAL_RESET) != 0);
}

HANDLE WINAPI CreateWaitableTimerExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags, DWORD access)
{
    (void)sa;
    (void)name;
    (void)access;
    return waitable_timer_new_ex(flags);
}

HANDLE WINAPI CreateWaitableTimerExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags, DWORD access)
{
    (void)sa;
    (void)name;
    (void)access;
    return waitable_timer_new_ex(flags);
}

/* The delay until due, in nanoseconds: below zero relative 100 ns units,
 * otherwise an absolute FILETIME. */
static uint64_t delay_ns(LONGLONG due)
{
    if (due < 0)
        return (uint64_t)(-(due + 1)) * 100u + 100u;
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    LONGLONG now = (LONGLONG)(((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
    return due > now ? (uint64_t)(due - now) * 100u : 0;
}

BOOL WINAPI SetWaitableTimer(HANDLE h, const LARGE_INTEGER *due, LONG period, PTIMERAPCROUTINE routine,
                             LPVOID routine_arg, BOOL resume)
{
    (void)routine_arg;
    struct timer *t = (struct timer *)object_get(h, OBJECT_TIMER);
    if (t == NULL)
        return FALSE;
    DWORD error = 0;
    if (due == NULL)
        error = ERROR_NOACCESS;
    else if (period < 0)
        error = ERROR_INVALID_PARAMETER;
    else if (routine != NULL)
        error = ERROR_NOT_SUPPORTED;   /* no APCs to run it */
    if (error != 0) {
        object_release(&t->obj);
        error_set(error);
        return FALSE;
    }
    pthread_mutex_lock(&t->set_lock);
    timer_service_disarm(&t->entry);
    /* Setting a timer makes it unsignalled until it expires, as on Windows. */
    waitable_reset(&t->state);
    t->period_ns = (uint64_t)period * 1000000u;
    bool ok = timer_service_arm(&t->entry, timer_service_now() + delay_ns(due->QuadPart));
    pthread_mutex_unlock(&t->set_lock);
    object_release(&t->obj);
    if (!ok) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    /* Windows without resume support succeeds and says so. */
    SetLastError(resume ? ERROR_NOT_SUPPORTED : ERROR_SUCCESS);
    return TRUE;
}

/* Stops the timer; its signalled state stays as it is. */
BOOL WINAPI CancelWaitableTimer(HANDLE h)
{
    struct timer *t = (struct timer *)object_get(h, OBJECT_TIMER);
    if (t == NULL)
        return FALSE;
    pthread_mutex_lock(&t->set_lock);
    timer_service_disarm(&t->entry);
    pthread_mutex_unlock(&t->set_lock);
    object_release(&t->obj);
    return TRUE;
}
