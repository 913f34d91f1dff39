/*
 * What a platform gives the shared code (src/shared): mutexes, condition
 * variables with deadlines, a hook run when a thread ends, and the number of
 * processors. Every platform defines these same names; this is Linux's,
 * over pthreads and CLOCK_MONOTONIC.
 */
#ifndef IOCPCOMPAT_PLATFORM_H
#define IOCPCOMPAT_PLATFORM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef pthread_mutex_t os_mutex;
#define OS_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER

static inline void os_mutex_init(os_mutex *m) { pthread_mutex_init(m, NULL); }
static inline void os_mutex_destroy(os_mutex *m) { pthread_mutex_destroy(m); }
static inline void os_mutex_lock(os_mutex *m) { pthread_mutex_lock(m); }
static inline void os_mutex_unlock(os_mutex *m) { pthread_mutex_unlock(m); }

/* A point in time on a clock that does not jump. */
typedef struct timespec os_deadline;

/* Milliseconds from now; OS_WAIT_FOREVER has no deadline: returns false. */
#define OS_WAIT_FOREVER UINT32_MAX
bool os_deadline_from_ms(uint32_t ms, os_deadline *deadline);
/* Milliseconds left until the deadline, 0 once it has passed. */
int os_ms_left(const os_deadline *deadline);

typedef pthread_cond_t os_cond;
void os_cond_init(os_cond *cond);
static inline void os_cond_destroy(os_cond *cond) { pthread_cond_destroy(cond); }
static inline void os_cond_signal(os_cond *cond) { pthread_cond_signal(cond); }
static inline void os_cond_broadcast(os_cond *cond) { pthread_cond_broadcast(cond); }
/* Waits until signalled or the deadline (NULL: none); false on timeout. */
bool os_cond_wait_until(os_cond *cond, os_mutex *lock, const os_deadline *deadline);

/*
 * A function run when a thread that used it ends, whether or not the
 * library created the thread. Arming is cheap: once per thread.
 */
struct os_thread_exit {
    void (*fn)(void);
    atomic_bool registered;
};
#define OS_THREAD_EXIT(fn) { (fn), false }
void os_thread_exit_register(struct os_thread_exit *hook);
void os_thread_exit_arm(void);
extern _Thread_local bool os_thread_exit_armed;

/* Makes hook->fn run when the calling thread ends. */
static inline void os_at_thread_exit(struct os_thread_exit *hook)
{
    if (!atomic_load_explicit(&hook->registered, memory_order_acquire))
        os_thread_exit_register(hook);
    if (!os_thread_exit_armed)
        os_thread_exit_arm();
}

/* Processors online, at least 1. */
unsigned os_cpu_count(void);

/* Starts a detached library thread with every signal blocked, so that the
 * program's signals go to the program's threads and the library's never
 * runs a signal handler. Returns 0 or the pthread error; *thread (when not
 * NULL) gets the new thread's id. */
int os_thread_start_detached(void *(*fn)(void *), void *arg, pthread_t *thread);

#endif
