#include "waitable.h"
#include "object.h"
#include "port.h"

void waitable_init(struct waitable *w, bool signaled)
{
    pthread_mutex_init(&w->lock, NULL);
    cond_init(&w->cond);
    w->signaled = signaled;
}

void waitable_destroy(struct waitable *w)
{
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->cond);
}

void waitable_set(struct waitable *w, bool wake_all)
{
    pthread_mutex_lock(&w->lock);
    w->signaled = true;
    if (wake_all)
        pthread_cond_broadcast(&w->cond);
    else
        pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void waitable_reset(struct waitable *w)
{
    pthread_mutex_lock(&w->lock);
    w->signaled = false;
    pthread_mutex_unlock(&w->lock);
}

DWORD waitable_wait(struct waitable *w, DWORD ms, bool consume)
{
    struct timespec deadline;
    bool timed = deadline_from_ms(ms, &deadline);
    bool blocked = false;
    DWORD result = WAIT_OBJECT_0;
    pthread_mutex_lock(&w->lock);
    while (!w->signaled) {
        if (ms == 0) {
            result = WAIT_TIMEOUT;
            break;
        }
        if (!blocked) {
            blocked = true;
            pthread_mutex_unlock(&w->lock);
            port_thread_blocking();
            pthread_mutex_lock(&w->lock);
            continue;
        }
        if (!cond_wait_until(&w->cond, &w->lock, timed ? &deadline : NULL) && !w->signaled) {
            result = WAIT_TIMEOUT;
            break;
        }
    }
    if (result == WAIT_OBJECT_0 && consume)
        w->signaled = false;
    pthread_mutex_unlock(&w->lock);
    if (blocked)
        port_thread_unblocked();
    return result;
}
