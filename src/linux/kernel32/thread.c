/* Threads (CreateThread, _beginthreadex, ExitThread), thread ids, Sleep and
 * the tick counter. */
#include "error.h"
#include "object.h"
#include "thread.h"
#include "pool.h"
#include "port.h"
#include "waitable.h"

#include <errno.h>
#include <process.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct thread {
    struct object obj;
    struct waitable done;   /* signalled when the thread has ended */
    DWORD exit_code;        /* atomic: read by GetExitCodeThread at any time */
    DWORD tid;
    LPTHREAD_START_ROUTINE start;
    LPVOID param;
    sem_t started;          /* posted once tid is known */
    sem_t resume;           /* posted when a suspended thread may run */
    unsigned suspend_count; /* atomic */
    int priority;           /* atomic: what SetThreadPriority was given */
};

/* The thread object of the calling thread, NULL outside CreateThread threads. */
static _Thread_local struct thread *current_thread;
/* The priority of a thread the library did not create. */
static _Thread_local int own_priority;

static void thread_destroy(struct object *obj)
{
    struct thread *t = (struct thread *)obj;
    waitable_destroy(&t->done);
    sem_destroy(&t->started);
    sem_destroy(&t->resume);
    free(t);
}

static struct waitable *thread_wait(struct object *obj)
{
    return &((struct thread *)obj)->done;
}

static const struct object_ops thread_ops = {
    .type = OBJECT_THREAD, .close = NULL, .destroy = thread_destroy, .wait = thread_wait,
};

/* sem_wait that neither gives up on signals nor leaves errno behind (the
 * caller's GetLastError reads errno). */
static void sem_wait_quietly(sem_t *sem)
{
    int saved = errno;
    while (sem_wait(sem) != 0)
        ;
    errno = saved;
}

/* Runs when the thread returns and when it calls ExitThread (pthread_exit
 * runs cleanup handlers). */
static void thread_finish(void *arg)
{
    struct thread *t = arg;
    /* Whoever waits on this thread may close the port next: leave it first. */
    port_thread_leaving();
    pool_thread_leaving();
    current_thread = NULL;
    waitable_set(&t->done);
    object_release(&t->obj);   /* the running thread's own reference */
}

static void *thread_main(void *arg)
{
    struct thread *t = arg;
    current_thread = t;
    t->tid = GetCurrentThreadId();
    bool suspended = __atomic_load_n(&t->suspend_count, __ATOMIC_ACQUIRE) != 0;
    sem_post(&t->started);
    pthread_cleanup_push(thread_finish, t);
    if (suspended)
        sem_wait_quietly(&t->resume);
    DWORD code = t->start(t->param);
    __atomic_store_n(&t->exit_code, code, __ATOMIC_RELEASE);
    pthread_cleanup_pop(1);
    return NULL;
}

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES sa, SIZE_T stack_size, LPTHREAD_START_ROUTINE start,
                           LPVOID param, DWORD flags, LPDWORD thread_id)
{
    (void)sa;
    if (start == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    struct thread *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    object_init(&t->obj, &thread_ops);
    waitable_init(&t->done, WAITABLE_MANUAL, 0, 1);
    sem_init(&t->started, 0, 0);
    sem_init(&t->resume, 0, 0);
    t->start = start;
    t->param = param;
    t->exit_code = STILL_ACTIVE;
    t->suspend_count = (flags & CREATE_SUSPENDED) ? 1 : 0;

    object_retain(&t->obj);   /* one for the handle, one for the running thread */
    HANDLE h = object_publish(&t->obj);
    if (h == NULL) {
        object_release(&t->obj);
        return NULL;
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (stack_size != 0)
        pthread_attr_setstacksize(&attr, stack_size < 65536 ? 65536 : stack_size);
    pthread_t pt;
    int rc = pthread_create(&pt, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        object_release(&t->obj);
        CloseHandle(h);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    /* The id is the new thread's gettid(), which only it can read. */
    port_thread_blocking();
    sem_wait_quietly(&t->started);
    port_thread_unblocked();
    if (thread_id)
        *thread_id = t->tid;
    return h;
}

void WINAPI ExitThread(DWORD code)
{
    if (current_thread != NULL)
        __atomic_store_n(&current_thread->exit_code, code, __ATOMIC_RELEASE);
    pthread_exit(NULL);
}

uintptr_t __cdecl _beginthreadex(void *security, unsigned stack_size, unsigned (__stdcall *start)(void *),
                                 void *arglist, unsigned initflag, unsigned *thrdaddr)
{
    if (start == NULL) {
        errno = EINVAL;
        return 0;
    }
    /* unsigned and DWORD are the same type here, so the start routine is
     * called through its own type. */
    HANDLE h = CreateThread((LPSECURITY_ATTRIBUTES)security, stack_size, start, arglist, initflag,
                            (LPDWORD)thrdaddr);
    if (h == NULL) {
        errno = GetLastError() == ERROR_NOT_ENOUGH_MEMORY ? EAGAIN : EINVAL;
        return 0;
    }
    return (uintptr_t)h;
}

void __cdecl _endthreadex(unsigned code)
{
    ExitThread(code);
}

BOOL WINAPI GetExitCodeThread(HANDLE h, LPDWORD code)
{
    struct thread *t = (struct thread *)object_get(h, OBJECT_THREAD);
    if (t == NULL)
        return FALSE;
    if (code)
        *code = __atomic_load_n(&t->exit_code, __ATOMIC_ACQUIRE);
    object_release(&t->obj);
    return TRUE;
}

DWORD WINAPI ResumeThread(HANDLE h)
{
    struct thread *t = (struct thread *)object_get(h, OBJECT_THREAD);
    if (t == NULL)
        return (DWORD)-1;
    unsigned prev = __atomic_load_n(&t->suspend_count, __ATOMIC_RELAXED);
    while (prev != 0 && !__atomic_compare_exchange_n(&t->suspend_count, &prev, prev - 1, false,
                                                     __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        ;
    if (prev == 1)
        sem_post(&t->resume);
    object_release(&t->obj);
    return prev;
}

DWORD WINAPI GetThreadId(HANDLE h)
{
    struct thread *t = (struct thread *)object_get(h, OBJECT_THREAD);
    if (t == NULL)
        return 0;
    DWORD tid = t->tid;
    object_release(&t->obj);
    return tid;
}

/* gettid() is a system call; EnterCriticalSection and every wait want the id,
 * so each thread keeps it. A forked child's one thread has a new id: the
 * fork handler forgets the inherited one. */
static _Thread_local DWORD cached_tid;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void forget_tid(void) { cached_tid = 0; }
static void register_atfork(void) { pthread_atfork(NULL, NULL, forget_tid); }

DWORD WINAPI GetCurrentThreadId(void)
{
    if (cached_tid == 0) {
        pthread_once(&atfork_once, register_atfork);
        cached_tid = (DWORD)syscall(SYS_gettid);
    }
    return cached_tid;
}

DWORD WINAPI GetCurrentProcessId(void)
{
    return (DWORD)getpid();
}

HANDLE WINAPI GetCurrentThread(void) { return (HANDLE)(LONG_PTR)-2; }

bool thread_lookup(HANDLE h, DWORD *tid, int **priority, struct object **ref)
{
    *ref = NULL;
    if (h == GetCurrentThread()) {
        *tid = GetCurrentThreadId();
        *priority = current_thread != NULL ? &current_thread->priority : &own_priority;
        return true;
    }
    struct thread *t = (struct thread *)object_get(h, OBJECT_THREAD);
    if (t == NULL)
        return false;
    *tid = t->tid;
    *priority = &t->priority;
    *ref = &t->obj;
    return true;
}
HANDLE WINAPI GetCurrentProcess(void) { return (HANDLE)(LONG_PTR)-1; }

/* sched_yield does not say whether another thread ran; callers of
 * SwitchToThread use it as a yield and seldom look at the result. */
BOOL WINAPI SwitchToThread(void)
{
    sched_yield();
    return TRUE;
}

void WINAPI Sleep(DWORD ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    int saved = errno;   /* an interrupted nanosleep is not an error of the caller's */
    if (ms != 0)
        port_thread_blocking();
    if (ms == INFINITE) {
        for (;;)
            pause();
    }
    while (nanosleep(&ts, &ts) != 0)
        ;
    port_thread_unblocked();
    errno = saved;
}

DWORD WINAPI SleepEx(DWORD ms, BOOL alertable)
{
    (void)alertable;   /* no APCs: the sleep is never cut short */
    Sleep(ms);
    return 0;
}

ULONGLONG WINAPI GetTickCount64(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ULONGLONG)ts.tv_sec * 1000u + (ULONGLONG)ts.tv_nsec / 1000000u;
}

DWORD WINAPI GetTickCount(void) { return (DWORD)GetTickCount64(); }
