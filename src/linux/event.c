#include "event.h"
#include "error.h"
#include "object.h"
#include "port.h"

#include <stdlib.h>
#include <winsock2.h>

struct event {
    struct object obj;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool signaled;
    bool manual_reset;
};

static void event_destroy(struct object *obj)
{
    struct event *ev = (struct event *)obj;
    pthread_mutex_destroy(&ev->lock);
    pthread_cond_destroy(&ev->cond);
    free(ev);
}

static DWORD event_wait(struct object *obj, DWORD ms)
{
    struct event *ev = (struct event *)obj;
    struct timespec deadline;
    bool timed = deadline_from_ms(ms, &deadline);
    DWORD result = WAIT_OBJECT_0;
    pthread_mutex_lock(&ev->lock);
    if (!ev->signaled && ms != 0) {
        pthread_mutex_unlock(&ev->lock);
        port_thread_blocking();
        pthread_mutex_lock(&ev->lock);
    }
    while (!ev->signaled) {
        if (ms == 0 || !cond_wait_until(&ev->cond, &ev->lock, timed ? &deadline : NULL)) {
            if (!ev->signaled) {
                result = WAIT_TIMEOUT;
                break;
            }
        }
    }
    if (result == WAIT_OBJECT_0 && !ev->manual_reset)
        ev->signaled = false;
    pthread_mutex_unlock(&ev->lock);
    port_thread_unblocked();
    return result;
}

static const struct object_ops event_ops = {
    .type = OBJECT_EVENT, .close = NULL, .destroy = event_destroy, .wait = event_wait,
};

static void event_set_state(struct event *ev, bool signaled)
{
    pthread_mutex_lock(&ev->lock);
    ev->signaled = signaled;
    if (signaled) {
        if (ev->manual_reset)
            pthread_cond_broadcast(&ev->cond);
        else
            pthread_cond_signal(&ev->cond);
    }
    pthread_mutex_unlock(&ev->lock);
}

static HANDLE event_create(BOOL manual_reset, BOOL initial)
{
    struct event *ev = calloc(1, sizeof(*ev));
    if (ev == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    object_init(&ev->obj, &event_ops);
    pthread_mutex_init(&ev->lock, NULL);
    cond_init(&ev->cond);
    ev->manual_reset = manual_reset != FALSE;
    ev->signaled = initial != FALSE;
    return object_publish(&ev->obj);
}

static BOOL event_set_handle(HANDLE h, bool signaled)
{
    struct event *ev = (struct event *)object_get(h, OBJECT_EVENT);
    if (ev == NULL)
        return FALSE;
    event_set_state(ev, signaled);
    object_release(&ev->obj);
    return TRUE;
}

void event_signal_handle(HANDLE h)
{
    struct event *ev = (struct event *)object_get(h, OBJECT_EVENT);
    if (ev != NULL) {
        event_set_state(ev, true);
        object_release(&ev->obj);
    }
}

/* Named events are not shared between processes here; the name is ignored. */
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

BOOL WINAPI SetEvent(HANDLE h) { return event_set_handle(h, true); }
BOOL WINAPI ResetEvent(HANDLE h) { return event_set_handle(h, false); }

WSAEVENT WSAAPI WSACreateEvent(void) { return event_create(TRUE, FALSE); }
BOOL WSAAPI WSACloseEvent(WSAEVENT h) { return CloseHandle(h); }
BOOL WSAAPI WSASetEvent(WSAEVENT h) { return SetEvent(h); }
BOOL WSAAPI WSAResetEvent(WSAEVENT h) { return ResetEvent(h); }
