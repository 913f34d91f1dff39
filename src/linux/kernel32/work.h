/*
 * The library's worker threads, where timer-queue callbacks, registered
 * waits and QueueUserWorkItem items run (the Windows thread pool's part).
 * A callback may block, so an item never waits behind a busy worker: a
 * new worker starts when none is idle, and idle ones end after a while.
 */
#ifndef IOCPCOMPAT_WORK_H
#define IOCPCOMPAT_WORK_H

#include <stdbool.h>

/* Runs fn(arg) on a worker; false (nothing queued) when out of memory or threads. */
bool work_submit(void (*fn)(void *arg), void *arg);

#endif
