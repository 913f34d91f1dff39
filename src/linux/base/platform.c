#include "platform.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

bool os_deadline_from_ms(uint32_t ms, os_deadline *deadline)
{
    if (ms == OS_WAIT_FOREVER)
        return false;
    clock_gettime(CLOCK_MONOTONIC, deadline);
    deadline->tv_sec += ms / 1000;
    deadline->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (deadline->tv_nsec >= 1000000000L) {
        deadline->tv_sec++;
        deadline->tv_nsec -= 1000000000L;
    }
    return true;
}

int os_ms_left(const os_deadline *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long left = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
                     (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return left > 0 ? (int)left : 0;
}

void os_cond_init(os_cond *cond)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
}

bool os_cond_wait_until(os_cond *cond, os_mutex *lock, const os_deadline *deadline)
{
    if (deadline == NULL) {
        pthread_cond_wait(cond, lock);
        return true;
    }
    return pthread_cond_timedwait(cond, lock, deadline) == 0;
}

/*
 * One pthread key serves every hook: its destructor runs them all, in the
 * order they were registered. A hook that uses the library again re-arms
 * the thread, and pthreads then runs the destructor once more; the hooks
 * do nothing when they have nothing left to do.
 */
#define MAX_HOOKS 8
static struct os_thread_exit *hooks[MAX_HOOKS];
static atomic_uint nhooks;
static pthread_mutex_t hooks_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
_Thread_local bool os_thread_exit_armed;

static void run_hooks(void *value)
{
    (void)value;
    os_thread_exit_armed = false;
    unsigned n = atomic_load_explicit(&nhooks, memory_order_acquire);
    for (unsigned i = 0; i < n; i++)
        hooks[i]->fn();
}

static void exit_key_create(void)
{
    pthread_key_create(&exit_key, run_hooks);
}

void os_thread_exit_register(struct os_thread_exit *hook)
{
    pthread_once(&exit_key_once, exit_key_create);
    pthread_mutex_lock(&hooks_lock);
    if (!atomic_load_explicit(&hook->registered, memory_order_relaxed)) {
        unsigned n = atomic_load_explicit(&nhooks, memory_order_relaxed);
        if (n == MAX_HOOKS)
            abort();   /* a library bug: raise MAX_HOOKS */
        hooks[n] = hook;
        atomic_store_explicit(&nhooks, n + 1, memory_order_release);
        atomic_store_explicit(&hook->registered, true, memory_order_release);
    }
    pthread_mutex_unlock(&hooks_lock);
}

void os_thread_exit_arm(void)
{
    pthread_once(&exit_key_once, exit_key_create);
    pthread_setspecific(exit_key, &os_thread_exit_armed);
    os_thread_exit_armed = true;
}

unsigned os_cpu_count(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus > 0 ? (unsigned)cpus : 1;
}

int os_thread_start_detached(void *(*fn)(void *), void *arg, pthread_t *thread)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t id;
    int rc = pthread_create(thread != NULL ? thread : &id, &attr, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return rc;
}
