#include "error.h"
#include "object.h"
#include "op.h"
#include "port.h"
#include "waitable.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct thread {
    struct object obj;
    struct waitable done;   /* signalled when the thread has ended */
    DWORD exit_code;
    LPTHREAD_START_ROUTINE start;
    LPVOID param;
};

static void thread_destroy(struct object *obj)
{
    struct thread *t = (struct thread *)obj;
    waitable_destroy(&t->done);
    free(t);
}

static DWORD thread_wait(struct object *obj, DWORD ms)
{
    return waitable_wait(&((struct thread *)obj)->done, ms, false);
}

static const struct object_ops thread_ops = {
    .type = OBJECT_THREAD, .close = NULL, .destroy = thread_destroy, .wait = thread_wait,
};

static void *thread_main(void *arg)
{
    struct thread *t = arg;
    DWORD code = t->start(t->param);
    /* Whoever waits on this thread may close the port next: leave it first. */
    port_thread_leaving();
    op_thread_leaving();
    pthread_mutex_lock(&t->done.lock);
    t->exit_code = code;
    pthread_mutex_unlock(&t->done.lock);
    waitable_set(&t->done, true);
    object_release(&t->obj);   /* the running thread's own reference */
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
    if (flags & CREATE_SUSPENDED) {
        error_set(ERROR_NOT_SUPPORTED);
        return NULL;
    }
    struct thread *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    object_init(&t->obj, &thread_ops);
    waitable_init(&t->done, false);
    t->start = start;
    t->param = param;
    t->exit_code = STILL_ACTIVE;

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
    pthread_t tid;
    int rc = pthread_create(&tid, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        object_release(&t->obj);
        CloseHandle(h);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (thread_id)
        *thread_id = 0;   /* the Linux id is only known inside the thread */
    return h;
}

BOOL WINAPI GetExitCodeThread(HANDLE h, LPDWORD code)
{
    struct thread *t = (struct thread *)object_get(h, OBJECT_THREAD);
    if (t == NULL)
        return FALSE;
    pthread_mutex_lock(&t->done.lock);
    if (code)
        *code = t->exit_code;
    pthread_mutex_unlock(&t->done.lock);
    object_release(&t->obj);
    return TRUE;
}

DWORD WINAPI GetCurrentThreadId(void)
{
    return (DWORD)syscall(SYS_gettid);
}

void WINAPI Sleep(DWORD ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    int saved = errno;   /* an interrupted nanosleep is not an error of the caller's */
    if (ms != 0)
        port_thread_blocking();
    while (nanosleep(&ts, &ts) != 0)
        ;
    port_thread_unblocked();
    errno = saved;
}

ULONGLONG WINAPI GetTickCount64(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ULONGLONG)ts.tv_sec * 1000u + (ULONGLONG)ts.tv_nsec / 1000000u;
}

DWORD WINAPI GetTickCount(void) { return (DWORD)GetTickCount64(); }
