#include "waitable.h"
#include "error.h"
#include "object.h"
#include "platform.h"
#include "port.h"

#include <stdint.h>
#include <time.h>
#include <winsock2.h>

/* One waiting thread, on its own stack for the duration of the wait. */
struct waiter {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    DWORD tid;
    bool all;
    bool poked;    /* wait-all: some object changed, look again */
    int result;    /* wait-any: index of the object handed over, or one of: */
};
#define PENDING  (-1)
#define GAVE_UP  (-2)   /* timed out: hand nothing more to this waiter */

/* The waiter's place in one object's list. */
struct wait_link {
    struct wait_link *prev, *next;
    struct waiter *waiter;
    DWORD index;
};

void waitable_init(struct waitable *w, enum waitable_kind kind, LONG count, LONG max)
{
    pthread_mutex_init(&w->lock, NULL);
    w->kind = kind;
    w->count = count;
    w->max = max;
    w->owner = 0;
    w->waiters = NULL;
}

void waitable_destroy(struct waitable *w)
{
    pthread_mutex_destroy(&w->lock);
}

/* Whether a wait by thread tid would be satisfied now. Called locked. */
static bool available(const struct waitable *w, DWORD tid)
{
    if (w->kind == WAITABLE_MUTEX)
        return w->count == 0 || w->owner == tid;
    return w->count > 0;
}

/* Satisfies a wait by thread tid. Called locked, when available(). */
static void take(struct waitable *w, DWORD tid)
{
    switch (w->kind) {
    case WAITABLE_MANUAL:
        break;
    case WAITABLE_AUTO:
        w->count = 0;
        break;
    case WAITABLE_SEMAPHORE:
        w->count--;
        break;
    case WAITABLE_MUTEX:
        w->owner = tid;
        w->count++;
        break;
    }
}

/* After w became signalled (called locked): hands it to wait-any waiters in
 * the order they came while it lasts, and tells wait-all waiters to look. */
static void notify(struct waitable *w)
{
    for (struct wait_link *l = w->waiters; l != NULL; l = l->next) {
        if (w->kind == WAITABLE_MUTEX ? w->count != 0 : w->count == 0)
            break;
        struct waiter *wt = l->waiter;
        pthread_mutex_lock(&wt->lock);
        if (wt->all) {
            wt->poked = true;
            pthread_cond_signal(&wt->cond);
        } else if (wt->result == PENDING) {
            take(w, wt->tid);
            wt->result = (int)l->index;
            pthread_cond_signal(&wt->cond);
        }
        pthread_mutex_unlock(&wt->lock);
    }
}

void waitable_set(struct waitable *w)
{
    pthread_mutex_lock(&w->lock);
    w->count = 1;
    notify(w);
    pthread_mutex_unlock(&w->lock);
}

void waitable_reset(struct waitable *w)
{
    pthread_mutex_lock(&w->lock);
    w->count = 0;
    pthread_mutex_unlock(&w->lock);
}

bool waitable_release_semaphore(struct waitable *w, LONG n, LONG *previous, DWORD *error)
{
    bool ok = false;
    pthread_mutex_lock(&w->lock);
    if (n > w->max - w->count) {
        *error = ERROR_TOO_MANY_POSTS;
    } else {
        *previous = w->count;
        w->count += n;
        notify(w);
        ok = true;
    }
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool waitable_release_mutex(struct waitable *w, DWORD tid)
{
    bool ok = false;
    pthread_mutex_lock(&w->lock);
    if (w->count > 0 && w->owner == tid) {
        ok = true;
        if (--w->count == 0) {
            w->owner = 0;
            notify(w);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return ok;
}

void waitable_own_mutex(struct waitable *w, DWORD tid)
{
    pthread_mutex_lock(&w->lock);
    w->owner = tid;
    w->count = 1;
    pthread_mutex_unlock(&w->lock);
}

static void link_in(struct waitable *w, struct wait_link *l)
{
    struct wait_link **tail = &w->waiters;
    l->prev = NULL;
    while (*tail != NULL) {
        l->prev = *tail;
        tail = &(*tail)->next;
    }
    l->next = NULL;
    *tail = l;
}

static void link_out(struct waitable *w, struct wait_link *l)
{
    if (l->prev != NULL)
        l->prev->next = l->next;
    else
        w->waiters = l->next;
    if (l->next != NULL)
        l->next->prev = l->prev;
}

/* Sleeps (wt->lock held) until the waiter's state may have changed or the
 * deadline; false on timeout. The first call only gives up the port slot,
 * outside the lock so that signallers never wait on port work, and returns
 * at once for the caller to look again. */
static bool sleep_on(struct waiter *wt, const struct timespec *deadline, bool *blocked)
{
    if (!*blocked) {
        *blocked = true;
        pthread_mutex_unlock(&wt->lock);
        port_thread_blocking();
        pthread_mutex_lock(&wt->lock);
        return true;
    }
    return os_cond_wait_until(&wt->cond, &wt->lock, deadline);
}

static DWORD wait_any(struct waitable **ws, DWORD n, DWORD ms, struct waiter *wt, struct wait_link *links)
{
    struct timespec deadline;
    bool timed = os_deadline_from_ms(ms == INFINITE ? OS_WAIT_FOREVER : ms, &deadline);
    bool blocked = false;
    DWORD linked = 0;

    /* The first available object in array order wins, as on Windows; the
     * others are watched from here on. */
    for (DWORD i = 0; i < n; i++) {
        struct waitable *w = ws[i];
        pthread_mutex_lock(&w->lock);
        pthread_mutex_lock(&wt->lock);
        if (wt->result == PENDING && available(w, wt->tid)) {
            take(w, wt->tid);
            wt->result = (int)i;
        }
        bool done = wt->result != PENDING;
        pthread_mutex_unlock(&wt->lock);
        if (!done && ms != 0) {
            links[i].waiter = wt;
            links[i].index = i;
            link_in(w, &links[i]);
            linked = i + 1;
        }
        pthread_mutex_unlock(&w->lock);
        if (done)
            break;
    }

    pthread_mutex_lock(&wt->lock);
    while (wt->result == PENDING && ms != 0) {
        if (!sleep_on(wt, timed ? &deadline : NULL, &blocked) && wt->result == PENDING)
            break;
    }
    if (wt->result == PENDING)
        wt->result = GAVE_UP;
    pthread_mutex_unlock(&wt->lock);

    for (DWORD i = 0; i < linked; i++) {
        pthread_mutex_lock(&ws[i]->lock);
        link_out(ws[i], &links[i]);
        pthread_mutex_unlock(&ws[i]->lock);
    }
    if (blocked)
        port_thread_unblocked();
    return wt->result >= 0 ? WAIT_OBJECT_0 + (DWORD)wt->result : WAIT_TIMEOUT;
}

static DWORD wait_all(struct waitable **ws, DWORD n, DWORD ms, struct waiter *wt, struct wait_link *links)
{
    struct timespec deadline;
    bool timed = os_deadline_from_ms(ms == INFINITE ? OS_WAIT_FOREVER : ms, &deadline);
    bool blocked = false, linked = false, done = false;

    /* Taking the locks in address order keeps two wait-alls over the same
     * objects from deadlocking; holding all of them makes the test and the
     * taking of every object one step that no other waiter can split. */
    struct waitable *sorted[MAXIMUM_WAIT_OBJECTS];
    for (DWORD i = 0; i < n; i++) {
        DWORD j = i;
        for (; j > 0 && (uintptr_t)sorted[j - 1] > (uintptr_t)ws[i]; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = ws[i];
    }

    for (;;) {
        for (DWORD i = 0; i < n; i++)
            pthread_mutex_lock(&sorted[i]->lock);
        done = true;
        for (DWORD i = 0; i < n && done; i++)
            done = available(ws[i], wt->tid);
        if (done) {
            for (DWORD i = 0; i < n; i++)
                take(ws[i], wt->tid);
        } else if (ms != 0 && !linked) {
            for (DWORD i = 0; i < n; i++) {
                links[i].waiter = wt;
                links[i].index = i;
                link_in(ws[i], &links[i]);
            }
            linked = true;
        }
        for (DWORD i = n; i-- > 0;)
            pthread_mutex_unlock(&sorted[i]->lock);
        if (done || ms == 0)
            break;

        /* A change after the test above has set poked already. */
        bool timed_out = false;
        pthread_mutex_lock(&wt->lock);
        while (!wt->poked && !timed_out)
            timed_out = !sleep_on(wt, timed ? &deadline : NULL, &blocked) && !wt->poked;
        wt->poked = false;
        pthread_mutex_unlock(&wt->lock);
        if (timed_out)
            break;
    }

    if (linked) {
        for (DWORD i = 0; i < n; i++) {
            pthread_mutex_lock(&ws[i]->lock);
            link_out(ws[i], &links[i]);
            pthread_mutex_unlock(&ws[i]->lock);
        }
    }
    if (blocked)
        port_thread_unblocked();
    return done ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
}

DWORD waitable_wait(struct waitable **ws, DWORD n, bool all, DWORD ms)
{
    struct waiter wt;
    struct wait_link links[MAXIMUM_WAIT_OBJECTS];
    pthread_mutex_init(&wt.lock, NULL);
    os_cond_init(&wt.cond);
    wt.tid = GetCurrentThreadId();
    wt.all = all && n > 1;   /* waiting for all of one object is waiting for any */
    wt.poked = false;
    wt.result = PENDING;
    DWORD r = wt.all ? wait_all(ws, n, ms, &wt, links) : wait_any(ws, n, ms, &wt, links);
    pthread_cond_destroy(&wt.cond);
    pthread_mutex_destroy(&wt.lock);
    return r;
}

/* The wait functions' common front: validates, resolves the handles and
 * keeps the objects alive for the wait. */
static DWORD wait_handles(DWORD n, const HANDLE *handles, BOOL all, DWORD ms)
{
    if (n == 0 || n > MAXIMUM_WAIT_OBJECTS) {
        error_set(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    if (handles == NULL) {
        error_set(ERROR_NOACCESS);
        return WAIT_FAILED;
    }
    struct object *objs[MAXIMUM_WAIT_OBJECTS];
    struct waitable *ws[MAXIMUM_WAIT_OBJECTS];
    DWORD got = 0, error = 0;
    for (; got < n; got++) {
        objs[got] = object_find(handles[got], 0);
        if (objs[got] == NULL || objs[got]->ops->wait == NULL) {
            if (objs[got] != NULL)
                object_release(objs[got]);
            error = ERROR_INVALID_HANDLE;
            break;
        }
        ws[got] = objs[got]->ops->wait(objs[got]);
    }
    /* Windows refuses the same object twice in a wait-all. */
    for (DWORD i = 0; error == 0 && all && i < n; i++)
        for (DWORD j = 0; j < i; j++)
            if (ws[i] == ws[j])
                error = ERROR_INVALID_PARAMETER;
    DWORD r = WAIT_FAILED;
    if (error == 0)
        r = waitable_wait(ws, n, all != FALSE, ms);
    else
        error_set(error);
    for (DWORD i = 0; i < got; i++)
        object_release(objs[i]);
    return r;
}

DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms)
{
    return wait_handles(1, &h, FALSE, ms);
}

DWORD WINAPI WaitForSingleObjectEx(HANDLE h, DWORD ms, BOOL alertable)
{
    (void)alertable;
    return wait_handles(1, &h, FALSE, ms);
}

DWORD WINAPI WaitForMultipleObjects(DWORD n, const HANDLE *handles, BOOL all, DWORD ms)
{
    return wait_handles(n, handles, all, ms);
}

DWORD WINAPI WaitForMultipleObjectsEx(DWORD n, const HANDLE *handles, BOOL all, DWORD ms, BOOL alertable)
{
    (void)alertable;
    return wait_handles(n, handles, all, ms);
}

/* Winsock's codes here are the Win32 ones (WSA_INVALID_HANDLE is
 * ERROR_INVALID_HANDLE, WSA_WAIT_EVENT_0 is WAIT_OBJECT_0, ...). */
DWORD WSAAPI WSAWaitForMultipleEvents(DWORD n, const WSAEVENT *events, BOOL all, DWORD ms, BOOL alertable)
{
    (void)alertable;
    return wait_handles(n, events, all, ms);
}
