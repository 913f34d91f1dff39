/* Running callbacks and their deletion (see inflight.h). */
#include "inflight.h"
#include "completion.h"
#include "error.h"
#include "platform.h"

void inflight_init(struct inflight *f)
{
    pthread_mutex_init(&f->lock, NULL);
    os_cond_init(&f->idle);
    f->running = 0;
    f->finished = false;
    f->event = NULL;
}

void inflight_destroy(struct inflight *f)
{
    pthread_cond_destroy(&f->idle);
    pthread_mutex_destroy(&f->lock);
}

bool inflight_enter(struct inflight *f)
{
    pthread_mutex_lock(&f->lock);
    bool ok = !f->finished;
    if (ok)
        f->running++;
    pthread_mutex_unlock(&f->lock);
    return ok;
}

void inflight_leave(struct inflight *f)
{
    HANDLE event = NULL;
    pthread_mutex_lock(&f->lock);
    if (--f->running == 0) {
        pthread_cond_broadcast(&f->idle);
        event = f->event;
        f->event = NULL;
    }
    pthread_mutex_unlock(&f->lock);
    if (event != NULL)
        event_signal_handle(event);
}

void inflight_wait_idle(struct inflight *f)
{
    pthread_mutex_lock(&f->lock);
    while (f->running != 0)
        os_cond_wait_until(&f->idle, &f->lock, NULL);
    pthread_mutex_unlock(&f->lock);
}

BOOL inflight_finish(struct inflight *f, HANDLE event)
{
    pthread_mutex_lock(&f->lock);
    f->finished = true;
    bool running = f->running != 0;
    if (running && event != INVALID_HANDLE_VALUE)
        f->event = event;
    pthread_mutex_unlock(&f->lock);
    if (event == INVALID_HANDLE_VALUE) {
        inflight_wait_idle(f);
        return TRUE;
    }
    if (running) {
        error_set(ERROR_IO_PENDING);
        return FALSE;
    }
    if (event != NULL)
        event_signal_handle(event);
    return TRUE;
}
