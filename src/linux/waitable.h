/* A state threads wait for, signalled or not: what events and threads have
 * in common for WaitForSingleObject. */
#ifndef IOCPCOMPAT_WAITABLE_H
#define IOCPCOMPAT_WAITABLE_H

#include <windows.h>
#include <pthread.h>
#include <stdbool.h>

struct waitable {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool signaled;
};

void waitable_init(struct waitable *w, bool signaled);
void waitable_destroy(struct waitable *w);

/* Signals; wakes every waiter (wake_all) or one. */
void waitable_set(struct waitable *w, bool wake_all);
void waitable_reset(struct waitable *w);

/* WAIT_OBJECT_0 once signalled (consume: and resets it, as an auto-reset
 * event does), or WAIT_TIMEOUT after ms. The caller does not count as
 * running on its completion port meanwhile. */
DWORD waitable_wait(struct waitable *w, DWORD ms, bool consume);

#endif
