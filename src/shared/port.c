/*
 * The completion port, the same on every platform. What it needs from a
 * platform comes through small interfaces: platform.h (mutexes, condition
 * variables, thread exit), engine.h (the engine it polls), op.h (turning the
 * engine's reports into packets), object.h (handles) and background.h (the
 * thread that attends ports nobody polls).
 */
#include "port.h"
#include "background.h"
#include "engine.h"
#include "object.h"
#include "op.h"
#include "platform.h"
#include "status.h"

#include <stdlib.h>

#define WAIT_BATCH 64
/* While packets keep a port's queue from emptying, its poller never waits
 * in the engine; the engine's completions are reaped every this many
 * packets instead, so that they queue up in the order they happened rather
 * than behind every packet that arrives later. */
#define REAP_EVERY 16

struct waiter {
    struct waiter *next;
    os_cond cond;
    struct packet *packet;   /* handed over by another thread */
    bool poll;               /* asked to take the poller role */
};

struct port {
    struct object obj;
    os_mutex lock;
    struct packet *head;
    struct packet **tail;
    struct waiter *waiters;  /* most recent first: Windows wakes LIFO */
    bool polling;            /* a thread is inside the engine's wait */
    bool wake_pending;       /* the engine was asked to end that wait */
    bool closed;
    DWORD concurrency;       /* NumberOfConcurrentThreads */
    DWORD running;           /* threads that dequeued and have not come back */
    unsigned served;         /* packets dequeued since the engine was last reaped */
    struct engine *engine;
    HANDLE handle;
};

/*
 * A thread that dequeued a packet counts as running on that port until it
 * calls GetQueuedCompletionStatus again or exits; that is how the
 * concurrency value is honoured. As on Windows, it stops counting while it
 * is blocked in a wait (Sleep, WaitForSingleObject, ...), and counts again
 * when the wait ends. The thread remembers the port's handle, not a
 * reference, so that it does not keep a closed port alive; the key's
 * destructor covers threads that end without the library's help.
 */
struct running_mark {
    HANDLE port;
    bool counted;
};

static _Thread_local struct running_mark mark;
static struct os_thread_exit running_exit = OS_THREAD_EXIT(port_thread_leaving);

static bool dispatch(struct port *p);

/* Adds delta to the running count of the port behind handle, if it is open. */
static void count_running(HANDLE handle, int delta)
{
    struct port *p = (struct port *)object_find(handle, OBJECT_PORT);
    if (p == NULL)
        return;   /* closed since: its count no longer matters */
    os_mutex_lock(&p->lock);
    p->running += (DWORD)delta;
    bool wake = delta < 0 && !p->closed && dispatch(p);
    os_mutex_unlock(&p->lock);
    if (wake)
        p->engine->vt->wake(p->engine);
    /* The thread will not be back in GetQueuedCompletionStatus soon: what
     * the engine held for its next wait goes now. */
    if (delta < 0)
        p->engine->vt->thread_away(p->engine);
    port_release(p);
}

void port_thread_leaving(void)
{
    if (mark.port == NULL)
        return;
    HANDLE handle = mark.port;
    bool counted = mark.counted;
    mark.port = NULL;
    if (counted)
        count_running(handle, -1);
}

void port_thread_blocking(void)
{
    if (mark.port != NULL && mark.counted) {
        mark.counted = false;
        count_running(mark.port, -1);
    }
}

void port_thread_unblocked(void)
{
    if (mark.port != NULL && !mark.counted) {
        mark.counted = true;
        count_running(mark.port, +1);
    }
}

/* Called with p->lock held after p->running was counted for this thread. */
static void running_set(struct port *p)
{
    os_at_thread_exit(&running_exit);
    mark.port = p->handle;
    mark.counted = true;
}

static void append(struct port *p, struct packet *pk)
{
    pk->next = NULL;
    *p->tail = pk;
    p->tail = &pk->next;
}

static struct packet *pop(struct port *p)
{
    struct packet *pk = p->head;
    if (pk != NULL) {
        p->head = pk->next;
        if (p->head == NULL)
            p->tail = &p->head;
    }
    return pk;
}

/*
 * Hands queued packets to waiting threads (most recent waiter first) and,
 * when waiters are left with nothing to do and nobody polls, makes the most
 * recent of them the poller. Returns true when a packet that may run now has
 * nobody to take it but the poller, asleep in the engine: the caller must
 * wake the engine (after unlocking). Called with p->lock held.
 */
static bool dispatch(struct port *p)
{
    while (p->head != NULL && p->waiters != NULL && p->running < p->concurrency) {
        struct waiter *w = p->waiters;
        p->waiters = w->next;
        w->packet = pop(p);
        p->running++;
        os_cond_signal(&w->cond);
    }
    if (!p->polling && p->head == NULL && p->waiters != NULL) {
        struct waiter *w = p->waiters;
        p->waiters = w->next;
        w->poll = true;
        os_cond_signal(&w->cond);
    }
    if (p->head != NULL && p->polling && !p->wake_pending && p->running < p->concurrency) {
        p->wake_pending = true;
        return true;
    }
    return false;
}

static void remove_waiter(struct port *p, struct waiter *w)
{
    for (struct waiter **pp = &p->waiters; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            return;
        }
    }
}

void port_deliver(struct port *p, struct packet *pk)
{
    bool wake = false;
    os_mutex_lock(&p->lock);
    if (p->closed) {
        os_mutex_unlock(&p->lock);
        packet_release(pk);
        return;
    }
    append(p, pk);
    wake = dispatch(p);
    os_mutex_unlock(&p->lock);
    if (wake)
        p->engine->vt->wake(p->engine);
}

/*
 * Takes the poller's role for one wait in the engine (timeout_ms 0: a look
 * at what is ready, -1: no limit) and queues what completed behind the
 * packets already there. Called with p->lock held and nobody polling;
 * returns with it held. The packets of a port closed meanwhile are left in
 * *dropped, to be released after unlocking.
 */
static void poll_engine(struct port *p, int timeout_ms, struct packet **dropped)
{
    struct engine_report done[WAIT_BATCH];
    struct packet *list = NULL, **tail = &list;
    p->polling = true;
    p->served = 0;
    os_mutex_unlock(&p->lock);
    int got = p->engine->vt->wait(p->engine, timeout_ms, done, WAIT_BATCH);
    op_complete_reports(done, got, p, &tail);
    os_mutex_lock(&p->lock);
    p->polling = false;
    p->wake_pending = false;
    if (p->closed) {
        *tail = *dropped;
        *dropped = list;
    } else if (list != NULL) {
        *p->tail = list;
        p->tail = tail;
    }
}

static void release_all(struct packet *list)
{
    while (list != NULL) {
        struct packet *pk = list;
        list = pk->next;
        packet_release(pk);
    }
}

static int remaining_ms(DWORD ms, const os_deadline *deadline)
{
    return ms == INFINITE ? -1 : os_ms_left(deadline);
}

enum wait_outcome { WAIT_TOOK, WAIT_TIMED_OUT, WAIT_PORT_CLOSED };

/* The poller takes a look at the engine every REAP_EVERY packets while the
 * queue stays busy. */
static bool due_for_a_look(struct port *p)
{
    return ++p->served >= REAP_EVERY && !p->polling && p->engine->vt->ready(p->engine);
}

/*
 * Waits among the port's waiters (most recent first) until handed a packet
 * (returned), asked to poll, the port closes or the deadline passes (NULL
 * returned). Called and returns with p->lock held.
 */
static struct packet *wait_as_waiter(struct port *p, const os_deadline *deadline)
{
    struct waiter w = { .next = p->waiters, .packet = NULL, .poll = false };
    os_cond_init(&w.cond);
    p->waiters = &w;
    while (w.packet == NULL && !w.poll && !p->closed) {
        if (!os_cond_wait_until(&w.cond, &p->lock, deadline))
            break;
    }
    if (w.packet == NULL && !w.poll)
        remove_waiter(p, &w);
    os_cond_destroy(&w.cond);
    return w.packet;
}

/*
 * Waits until this thread may run a packet: its first packet in *first,
 * counted as running. The thread polls the engine itself when nobody else
 * does. Called and returns with p->lock held; packets of a port closed
 * meanwhile are left in *dropped.
 */
static enum wait_outcome wait_for_packet(struct port *p, DWORD ms, struct packet **first,
                                         struct packet **dropped)
{
    os_deadline deadline;
    bool timed = os_deadline_from_ms(ms == INFINITE ? OS_WAIT_FOREVER : ms, &deadline);
    for (;;) {
        if (p->closed)
            return WAIT_PORT_CLOSED;
        if (p->head != NULL && p->running < p->concurrency) {
            if (due_for_a_look(p)) {
                /* The lock was let go meanwhile: look again. */
                poll_engine(p, 0, dropped);
                continue;
            }
            *first = pop(p);
            p->running++;
            return WAIT_TOOK;
        }
        if (!p->polling && p->head == NULL) {
            poll_engine(p, remaining_ms(ms, &deadline), dropped);
            if (p->head == NULL && !p->closed && timed && remaining_ms(ms, &deadline) == 0)
                return WAIT_TIMED_OUT;
            continue;
        }
        if (timed && remaining_ms(ms, &deadline) == 0)
            return WAIT_TIMED_OUT;
        /* dispatch() counts a thread it hands a packet to as running. */
        *first = wait_as_waiter(p, timed ? &deadline : NULL);
        if (*first != NULL)
            return WAIT_TOOK;
    }
}

/*
 * Takes up to max packets. Returns how many, 0 on timeout, -1 when the port
 * was closed while waiting (or before).
 */
static int port_dequeue(struct port *p, struct packet **out, int max, DWORD ms)
{
    struct packet *dropped = NULL;
    int n = 0;

    /* A thread coming back to the port it ran on takes a queued packet
     * itself, as on Windows: its slot is given back without handing the
     * packet to anyone else first. */
    bool back_here = mark.port == p->handle && mark.counted;
    if (back_here)
        mark.port = NULL;
    else
        port_thread_leaving();
    os_mutex_lock(&p->lock);
    if (back_here)
        p->running--;
    enum wait_outcome outcome = wait_for_packet(p, ms, &out[0], &dropped);
    if (outcome == WAIT_TOOK) {
        n = 1;
        while (n < max && p->head != NULL)
            out[n++] = pop(p);
        running_set(p);
    } else if (outcome == WAIT_PORT_CLOSED) {
        n = -1;
    }
    bool wake = !p->closed && dispatch(p);
    os_mutex_unlock(&p->lock);
    if (wake)
        p->engine->vt->wake(p->engine);
    if (n <= 0)
        p->engine->vt->thread_away(p->engine);   /* no packet: the caller may not come back soon */
    release_all(dropped);
    return n;
}

/* What GetQueuedCompletionStatus(Ex) report when port_dequeue gave nothing. */
static BOOL dequeue_failed(int n)
{
    SetLastError(n == 0 ? WAIT_TIMEOUT : ERROR_ABANDONED_WAIT_0);
    return FALSE;
}

static void fill_entry(struct packet *pk, DWORD *bytes, ULONG_PTR *key, LPOVERLAPPED *ovl)
{
    *bytes = pk->bytes;
    *key = pk->key;
    *ovl = pk->ovl;
}

BOOL WINAPI GetQueuedCompletionStatus(HANDLE h, LPDWORD bytes, PULONG_PTR key, LPOVERLAPPED *ovl,
                                      DWORD ms)
{
    if (bytes == NULL || key == NULL || ovl == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct port *p = port_get(h);
    if (p == NULL) {
        *ovl = NULL;
        return FALSE;
    }
    struct packet *pk;
    int n = port_dequeue(p, &pk, 1, ms);
    port_release(p);
    if (n <= 0) {
        *ovl = NULL;
        return dequeue_failed(n);
    }
    fill_entry(pk, bytes, key, ovl);
    DWORD status = pk->status;
    packet_release(pk);
    if (status != STATUS_SUCCESS) {
        SetLastError(status_to_win32(status));
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE h, LPOVERLAPPED_ENTRY entries, ULONG count,
                                        PULONG removed, DWORD ms, BOOL alertable)
{
    (void)alertable;   /* no APCs are ever queued here */
    if (entries == NULL || count == 0 || removed == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct port *p = port_get(h);
    if (p == NULL)
        return FALSE;
    struct packet *batch[WAIT_BATCH];
    int max = count < WAIT_BATCH ? (int)count : WAIT_BATCH;
    int n = port_dequeue(p, batch, max, ms);
    port_release(p);
    if (n <= 0) {
        *removed = 0;
        return dequeue_failed(n);
    }
    for (int i = 0; i < n; i++) {
        entries[i].lpCompletionKey = batch[i]->key;
        entries[i].lpOverlapped = batch[i]->ovl;
        entries[i].Internal = batch[i]->status;
        entries[i].dwNumberOfBytesTransferred = batch[i]->bytes;
        packet_release(batch[i]);
    }
    *removed = (ULONG)n;
    return TRUE;
}

BOOL WINAPI PostQueuedCompletionStatus(HANDLE h, DWORD bytes, ULONG_PTR key, LPOVERLAPPED ovl)
{
    struct port *p = port_get(h);
    if (p == NULL)
        return FALSE;
    struct packet *pk = op_posted_packet(bytes, key, ovl);
    if (pk == NULL) {
        port_release(p);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    port_deliver(p, pk);
    port_release(p);
    return TRUE;
}

/*
 * Reaps what the engine has ready when no thread is polling the port. The
 * kernel completes overlapped operations whether or not anybody waits in
 * GetQueuedCompletionStatus, so OVERLAPPEDs, events and
 * WSAGetOverlappedResult must not depend on one; this is called for every
 * port by the library's background thread, and keeps a closed port's
 * remaining operations completing too.
 */
void port_attend(struct port *p)
{
    if (!p->engine->vt->ready(p->engine))
        return;
    os_mutex_lock(&p->lock);
    if (p->polling) {
        os_mutex_unlock(&p->lock);
        return;
    }
    struct packet *dropped = NULL;
    poll_engine(p, 0, &dropped);
    bool wake = !p->closed && dispatch(p);
    os_mutex_unlock(&p->lock);
    /* What the reaping submitted is not held for a wait of this thread's. */
    p->engine->vt->thread_away(p->engine);
    if (wake)
        p->engine->vt->wake(p->engine);
    release_all(dropped);
}

static void port_close(struct object *obj)
{
    struct port *p = (struct port *)obj;
    os_mutex_lock(&p->lock);
    p->closed = true;
    struct packet *queued = p->head;
    p->head = NULL;
    p->tail = &p->head;
    for (struct waiter *w = p->waiters; w != NULL; w = w->next)
        os_cond_signal(&w->cond);
    p->waiters = NULL;
    bool wake = p->polling;
    os_mutex_unlock(&p->lock);
    if (wake)
        p->engine->vt->wake(p->engine);
    while (queued != NULL) {
        struct packet *pk = queued;
        queued = pk->next;
        packet_release(pk);
    }
}

static void port_destroy(struct object *obj)
{
    struct port *p = (struct port *)obj;
    background_unwatch(p);
    p->engine->vt->destroy(p->engine);
    os_mutex_destroy(&p->lock);
    free(p);
}

static const struct object_ops port_ops = {
    .type = OBJECT_PORT, .close = port_close, .destroy = port_destroy, .wait = NULL,
};

struct port *port_get(HANDLE h) { return (struct port *)object_get(h, OBJECT_PORT); }
void port_retain(struct port *p) { object_retain(&p->obj); }

bool port_try_retain(struct port *p)
{
    unsigned refs = atomic_load(&p->obj.refs);
    while (refs != 0) {
        if (atomic_compare_exchange_weak(&p->obj.refs, &refs, refs + 1))
            return true;
    }
    return false;
}
void port_release(struct port *p) { object_release(&p->obj); }
struct engine *port_engine(struct port *p) { return p->engine; }

static HANDLE port_create(DWORD concurrency)
{
    struct port *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    enum engine_failure failure = engine_create(&p->engine);
    if (failure != ENGINE_OK) {
        free(p);
        SetLastError(failure == ENGINE_NO_MEMORY ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return NULL;
    }
    object_init(&p->obj, &port_ops);
    os_mutex_init(&p->lock);
    p->tail = &p->head;
    if (concurrency == 0)
        concurrency = os_cpu_count();
    p->concurrency = concurrency;
    if (!background_watch(p)) {
        port_release(p);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    p->handle = object_publish(&p->obj);
    return p->handle;
}

HANDLE WINAPI CreateIoCompletionPort(HANDLE file, HANDLE existing, ULONG_PTR key, DWORD concurrency)
{
    if (file == INVALID_HANDLE_VALUE) {
        if (existing != NULL) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return NULL;
        }
        return port_create(concurrency);
    }
    struct port *p;
    bool created = false;
    if (existing == NULL) {
        HANDLE h = port_create(concurrency);
        if (h == NULL)
            return NULL;
        existing = h;
        created = true;
    }
    p = port_get(existing);
    if (p == NULL)
        return NULL;
    DWORD err = op_associate(file, p, key);
    port_release(p);
    if (err != ERROR_SUCCESS) {
        if (created)
            CloseHandle(existing);
        SetLastError(err);
        return NULL;
    }
    return existing;
}
