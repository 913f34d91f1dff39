/*
 * A mutex of four bytes, for records the library keeps one of per socket:
 * at ten thousand connections pthread_mutex_t's forty bytes would be most of
 * a socket's footprint. The word is 0 (free), 1 (held) or 2 (held, and a
 * thread may sleep on it), so releasing costs a system call only when
 * someone waits. Not recursive.
 */
#ifndef IOCPCOMPAT_LOCK_H
#define IOCPCOMPAT_LOCK_H

#include "futex.h"

#include <stdatomic.h>

struct lock {
    atomic_uint word;
};

static inline void lock_init(struct lock *l)
{
    atomic_init(&l->word, 0);
}

static inline void lock_acquire(struct lock *l)
{
    unsigned expected = 0;
    if (atomic_compare_exchange_strong_explicit(&l->word, &expected, 1, memory_order_acquire,
                                                memory_order_relaxed))
        return;
    /* Holders keep it for a few instructions: a short spin usually wins it
     * without sleeping. */
    for (int i = 0; i < 100; i++) {
        expected = 0;
        if (atomic_load_explicit(&l->word, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(&l->word, &expected, 1, memory_order_acquire,
                                                  memory_order_relaxed))
            return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    while (atomic_exchange_explicit(&l->word, 2, memory_order_acquire) != 0)
        futex_wait(&l->word, 2, NULL);
}

static inline void lock_release(struct lock *l)
{
    if (atomic_exchange_explicit(&l->word, 0, memory_order_release) == 2)
        futex_wake(&l->word, 1);
}

#endif
