/*
 * The callbacks of one timer-queue timer or registered wait that are
 * still running, and what its deletion waits for or signals: the
 * CompletionEvent rules of DeleteTimerQueueTimer and UnregisterWaitEx.
 */
#ifndef IOCPCOMPAT_INFLIGHT_H
#define IOCPCOMPAT_INFLIGHT_H

#include <windows.h>
#include <pthread.h>
#include <stdbool.h>

struct inflight {
    pthread_mutex_t lock;
    pthread_cond_t idle;
    unsigned running;
    bool finished;      /* deleted: no new callback starts */
    HANDLE event;       /* set when the last running callback ends */
};

void inflight_init(struct inflight *f);
void inflight_destroy(struct inflight *f);

/* A callback is about to start: false once finished. */
bool inflight_enter(struct inflight *f);
/* A callback has ended. */
void inflight_leave(struct inflight *f);

/* Deletion: no callback starts from now on. With INVALID_HANDLE_VALUE
 * waits for the running ones and returns TRUE; otherwise returns at once,
 * TRUE if none runs (setting event, if one), else FALSE with
 * ERROR_IO_PENDING and event set when the last one ends. */
BOOL inflight_finish(struct inflight *f, HANDLE event);

/* Waits until no callback runs (a deletion already finished). */
void inflight_wait_idle(struct inflight *f);

#endif
