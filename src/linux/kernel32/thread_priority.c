/* Thread priorities, affinity and the processor a thread runs on. */
#include "error.h"
#include "object.h"
#include "thread.h"

#include <pthread.h>
#include <sched.h>
#include <sys/types.h>

static bool priority_valid(int p)
{
    return (p >= THREAD_PRIORITY_LOWEST && p <= THREAD_PRIORITY_HIGHEST) ||
           p == THREAD_PRIORITY_TIME_CRITICAL || p == THREAD_PRIORITY_IDLE;
}

/* Background mode changes nothing here but is tracked, for its errors. */
static _Thread_local bool in_background;

BOOL WINAPI SetThreadPriority(HANDLE h, int priority)
{
    DWORD tid;
    int *slot;
    struct object *ref;
    if (!thread_lookup(h, &tid, &slot, &ref))
        return FALSE;
    DWORD error = 0;
    if (priority == THREAD_MODE_BACKGROUND_BEGIN || priority == THREAD_MODE_BACKGROUND_END) {
        bool begin = priority == THREAD_MODE_BACKGROUND_BEGIN;
        /* Only the calling thread may enter or leave background mode. */
        if (tid != GetCurrentThreadId())
            error = ERROR_INVALID_PARAMETER;
        else if (begin == in_background)
            error = begin ? ERROR_THREAD_MODE_ALREADY_BACKGROUND : ERROR_THREAD_MODE_NOT_BACKGROUND;
        else
            in_background = begin;
    } else if (priority_valid(priority)) {
        __atomic_store_n(slot, priority, __ATOMIC_RELAXED);
    } else {
        error = ERROR_INVALID_PARAMETER;
    }
    if (ref != NULL)
        object_release(ref);
    if (error != 0) {
        error_set(error);
        return FALSE;
    }
    return TRUE;
}

int WINAPI GetThreadPriority(HANDLE h)
{
    DWORD tid;
    int *slot;
    struct object *ref;
    if (!thread_lookup(h, &tid, &slot, &ref))
        return THREAD_PRIORITY_ERROR_RETURN;
    int priority = __atomic_load_n(slot, __ATOMIC_RELAXED);
    if (ref != NULL)
        object_release(ref);
    return priority;
}

/* The processors the process may use, taken once: a thread's own mask
 * changes with SetThreadAffinityMask, the process's does not. */
static cpu_set_t process_cpus;
static pthread_once_t process_cpus_once = PTHREAD_ONCE_INIT;

static void take_process_cpus(void)
{
    if (sched_getaffinity(0, sizeof process_cpus, &process_cpus) != 0) {
        CPU_ZERO(&process_cpus);
        CPU_SET(0, &process_cpus);
    }
}

static DWORD_PTR mask_of(const cpu_set_t *set)
{
    DWORD_PTR mask = 0;
    for (int cpu = 0; cpu < (int)(8 * sizeof mask); cpu++)
        if (CPU_ISSET(cpu, set))
            mask |= (DWORD_PTR)1 << cpu;
    return mask;
}

DWORD_PTR WINAPI SetThreadAffinityMask(HANDLE h, DWORD_PTR mask)
{
    pthread_once(&process_cpus_once, take_process_cpus);
    DWORD tid;
    int *slot;
    struct object *ref;
    if (!thread_lookup(h, &tid, &slot, &ref))
        return 0;
    DWORD_PTR previous = 0;
    DWORD error = 0;
    cpu_set_t set;
    if (mask == 0 || (mask & ~mask_of(&process_cpus)) != 0) {
        error = ERROR_INVALID_PARAMETER;
    } else if (sched_getaffinity((pid_t)tid, sizeof set, &set) != 0) {
        error = ERROR_INVALID_HANDLE;   /* the thread has ended */
    } else {
        previous = mask_of(&set);
        CPU_ZERO(&set);
        for (int cpu = 0; cpu < (int)(8 * sizeof mask); cpu++)
            if (mask & ((DWORD_PTR)1 << cpu))
                CPU_SET(cpu, &set);
        if (sched_setaffinity((pid_t)tid, sizeof set, &set) != 0) {
            error = ERROR_INVALID_PARAMETER;
            previous = 0;
        }
    }
    if (ref != NULL)
        object_release(ref);
    if (error != 0) {
        error_set(error);
        return 0;
    }
    return previous;
}

DWORD WINAPI GetCurrentProcessorNumber(void)
{
    int cpu = sched_getcpu();
    return cpu < 0 ? 0 : (DWORD)cpu;
}
