#include "event.h"
#include "error.h"
#include "object.h"
#include "waitable.h"

#include <stdlib.h>
#include <winsock2.h>

struct event {
    struct object obj;
    struct waitable state;
    bool manual_reset;
};

static void event_destroy(struct object *obj)
{
    struct event *ev = (struct event *)obj;
    waitable_destroy(&ev->state);
    free(ev);
}

static DWORD event_wait(struct object *obj, DWORD ms)
{
    struct event *ev = (struct event *)obj;
    return waitable_wait(&ev->state, ms, !ev->manual_reset);
}

static const struct object_ops event_ops = {
    .type = OBJECT_EVENT, .close = NULL, .destroy = event_destroy, .wait = event_wait,
};

static void event_set_state(struct event *ev, bool signaled)
{
    if (signaled)
        waitable_set(&ev->state, ev->manual_reset);
    else
        waitable_reset(&ev->state);
}

static HANDLE event_create(BOOL manual_reset, BOOL initial)
{
    struct event *ev = calloc(1, sizeof(*ev));
    if (ev == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    object_init(&ev->obj, &event_ops);
    waitable_init(&ev->state, initial != FALSE);
    ev->manual_reset = manual_reset != FALSE;
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
