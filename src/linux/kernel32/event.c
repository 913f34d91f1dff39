/* The signalling kernel objects: events (CreateEvent, WSACreateEvent),
 * semaphores and mutexes. Their waits are in waitable.c. */
#include "completion.h"
#include "error.h"
#include "object.h"
#include "waitable.h"

#include <stdlib.h>
#include <winsock2.h>

struct signaller {
    struct object obj;
    struct waitable state;
};

static void signaller_destroy(struct object *obj)
{
    struct signaller *s = (struct signaller *)obj;
    waitable_destroy(&s->state);
    free(s);
}

static struct waitable *signaller_wait(struct object *obj)
{
    return &((struct signaller *)obj)->state;
}

static const struct object_ops event_ops = {
    .type = OBJECT_EVENT, .close = NULL, .destroy = signaller_destroy, .wait = signaller_wait,
};
static const struct object_ops semaphore_ops = {
    .type = OBJECT_SEMAPHORE, .close = NULL, .destroy = signaller_destroy, .wait = signaller_wait,
};
static const struct object_ops mutex_ops = {
    .type = OBJECT_MUTEX, .close = NULL, .destroy = signaller_destroy, .wait = signaller_wait,
};

static struct signaller *signaller_new(const struct object_ops *ops, enum waitable_kind kind, LONG count,
                                       LONG max)
{
    struct signaller *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    object_init(&s->obj, ops);
    waitable_init(&s->state, kind, count, max);
    return s;
}

static HANDLE event_create(BOOL manual_reset, BOOL initial)
{
    struct signaller *ev = signaller_new(&event_ops, manual_reset ? WAITABLE_MANUAL : WAITABLE_AUTO,
                                         initial ? 1 : 0, 1);
    return ev != NULL ? object_publish(&ev->obj) : NULL;
}

static BOOL event_set_handle(HANDLE h, bool signaled)
{
    struct signaller *ev = (struct signaller *)object_get(h, OBJECT_EVENT);
    if (ev == NULL)
        return FALSE;
    if (signaled)
        waitable_set(&ev->state);
    else
        waitable_reset(&ev->state);
    object_release(&ev->obj);
    return TRUE;
}

void event_signal_handle(HANDLE h)
{
    struct signaller *ev = (struct signaller *)object_find(h, OBJECT_EVENT);
    if (ev != NULL) {
        waitable_set(&ev->state);
        object_release(&ev->obj);
    }
}

/* Named objects are not shared between processes here; the name is ignored. */
HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, BOOL initial, LPCSTR name)
{
    (void)sa;
    (void)name;
    return event_create(manual_reset, initial);
}

HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, BOOL initial, LPCWSTR name)
{
    (void)sa;
    (void)name;
    return event_create(manual_reset, initial);
}

HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags, DWORD access)
{
    (void)sa;
    (void)name;
    (void)access;
    return event_create((flags & CREATE_EVENT_MANUAL_RESET) != 0, (flags & CREATE_EVENT_INITIAL_SET) != 0);
}

HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags, DWORD access)
{
    (void)sa;
    (void)name;
    (void)access;
    return event_create((flags & CREATE_EVENT_MANUAL_RESET) != 0, (flags & CREATE_EVENT_INITIAL_SET) != 0);
}

BOOL WINAPI SetEvent(HANDLE h) { return event_set_handle(h, true); }
BOOL WINAPI ResetEvent(HANDLE h) { return event_set_handle(h, false); }

WSAEVENT WSAAPI WSACreateEvent(void) { return event_create(TRUE, FALSE); }
BOOL WSAAPI WSACloseEvent(WSAEVENT h) { return CloseHandle(h); }
BOOL WSAAPI WSASetEvent(WSAEVENT h) { return SetEvent(h); }
BOOL WSAAPI WSAResetEvent(WSAEVENT h) { return ResetEvent(h); }

static HANDLE semaphore_create(LONG initial, LONG max)
{
    if (max <= 0 || initial < 0 || initial > max) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    struct signaller *sem = signaller_new(&semaphore_ops, WAITABLE_SEMAPHORE, initial, max);
    return sem != NULL ? object_publish(&sem->obj) : NULL;
}

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG max, LPCSTR name)
{
    (void)sa;
    (void)name;
    return semaphore_create(initial, max);
}

HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG max, LPCWSTR name)
{
    (void)sa;
    (void)name;
    return semaphore_create(initial, max);
}

BOOL WINAPI ReleaseSemaphore(HANDLE h, LONG n, LPLONG previous)
{
    struct signaller *sem = (struct signaller *)object_get(h, OBJECT_SEMAPHORE);
    if (sem == NULL)
        return FALSE;
    LONG prev = 0;
    DWORD error = ERROR_INVALID_PARAMETER;
    bool ok = n > 0 && waitable_release_semaphore(&sem->state, n, &prev, &error);
    object_release(&sem->obj);
    if (!ok) {
        error_set(error);
        return FALSE;
    }
    if (previous != NULL)
        *previous = prev;
    return TRUE;
}

static HANDLE mutex_create(BOOL initial_owner)
{
    struct signaller *m = signaller_new(&mutex_ops, WAITABLE_MUTEX, 0, 0);
    if (m == NULL)
        return NULL;
    if (initial_owner)
        waitable_own_mutex(&m->state, GetCurrentThreadId());
    return object_publish(&m->obj);
}

HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES sa, BOOL initial_owner, LPCSTR name)
{
    (void)sa;
    (void)name;
    return mutex_create(initial_owner);
}

HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES sa, BOOL initial_owner, LPCWSTR name)
{
    (void)sa;
    (void)name;
    return mutex_create(initial_owner);
}

BOOL WINAPI ReleaseMutex(HANDLE h)
{
    struct signaller *m = (struct signaller *)object_get(h, OBJECT_MUTEX);
    if (m == NULL)
        return FALSE;
    bool ok = waitable_release_mutex(&m->state, GetCurrentThreadId());
    object_release(&m->obj);
    if (!ok) {
        error_set(ERROR_NOT_OWNER);
        return FALSE;
    }
    return TRUE;
}
