/*
 * The library's timer thread: waitable timers and timer-queue timers arm
 * an entry with a monotonic deadline, and the thread calls the entry's
 * fire function when it passes. fire runs on the timer thread with no
 * lock held and may arm the entry again (periodic timers).
 */
#ifndef IOCPCOMPAT_TIMER_SERVICE_H
#define IOCPCOMPAT_TIMER_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

struct timer_entry {
    void (*fire)(struct timer_entry *entry);
    uint64_t due;               /* CLOCK_MONOTONIC nanoseconds */
    bool armed;
    struct timer_entry *next;   /* the armed entries, soonest first */
};

/* Now, in the deadlines' clock. */
uint64_t timer_service_now(void);

/* Arms (or re-arms) e for due; false only if the timer thread cannot start. */
bool timer_service_arm(struct timer_entry *e, uint64_t due);

/* Disarms e. When it returns, e's fire is not running (unless the caller
 * is that fire itself) and will not run until armed again; true if e was
 * armed. */
bool timer_service_disarm(struct timer_entry *e);

/* True on the timer thread (WT_EXECUTEINTIMERTHREAD callbacks run there). */
bool timer_service_is_current(void);

#endif
