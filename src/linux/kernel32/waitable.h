/*
 * The state that the wait functions wait for, shared by every waitable
 * object: events (manual and auto reset), thread ends, semaphores and
 * mutexes.
 *
 * A waiting thread links one record per object into that object's waiter
 * list. Whoever makes an object signalled hands it straight to the waiters
 * of WaitForMultipleObjects(any) (consuming it, for auto-reset events,
 * semaphores and mutexes), so no wake-up is lost or spent on a thread that
 * no longer wants it; wait-all waiters are only told to look again, and take
 * all their objects at once under all their locks.
 */
#ifndef IOCPCOMPAT_WAITABLE_H
#define IOCPCOMPAT_WAITABLE_H

#include <windows.h>
#include <pthread.h>
#include <stdbool.h>

enum waitable_kind {
    WAITABLE_MANUAL,      /* manual-reset event, thread end: stays signalled */
    WAITABLE_AUTO,        /* auto-reset event: one waiter takes the signal */
    WAITABLE_SEMAPHORE,   /* each waiter takes one count */
    WAITABLE_MUTEX,       /* signalled when unowned or owned by the waiter */
};

struct wait_link;

struct waitable {
    pthread_mutex_t lock;
    enum waitable_kind kind;
    LONG count;   /* events: 0 or 1; semaphore: its count; mutex: recursion depth */
    LONG max;     /* semaphore: the maximum count */
    DWORD owner;  /* mutex: the owning thread's id when count > 0 */
    struct wait_link *waiters;
};

void waitable_init(struct waitable *w, enum waitable_kind kind, LONG count, LONG max);
void waitable_destroy(struct waitable *w);

/* Events and thread ends: signalled or not. */
void waitable_set(struct waitable *w);
void waitable_reset(struct waitable *w);

/* ReleaseSemaphore: false with the Win32 error in *error when n would
 * overflow the maximum. */
bool waitable_release_semaphore(struct waitable *w, LONG n, LONG *previous, DWORD *error);
/* ReleaseMutex: false (ERROR_NOT_OWNER) unless tid owns the mutex. */
bool waitable_release_mutex(struct waitable *w, DWORD tid);
/* A new mutex owned by tid from the start. */
void waitable_own_mutex(struct waitable *w, DWORD tid);

/* WAIT_OBJECT_0 + i, WAIT_TIMEOUT (after ms; INFINITE: never). The objects
 * must be distinct when all is true. The caller does not count as running
 * on its completion port while it sleeps. */
DWORD waitable_wait(struct waitable **ws, DWORD n, bool all, DWORD ms);

#endif
