/* The timer thread behind waitable timers and timer queues (see
 * timer_service.h). One thread, started on first use; the armed entries
 * are a list sorted by deadline, which stays short in servers. */
#include "timer_service.h"
#include "platform.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static os_cond changed;       /* the soonest deadline changed */
static os_cond fire_done;     /* firing went back to NULL */
static struct timer_entry *armed_list;
static struct timer_entry *firing;
static bool started;
static pthread_t service_thread;

uint64_t timer_service_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void unlink_entry(struct timer_entry *e)
{
    for (struct timer_entry **p = &armed_list; *p != NULL; p = &(*p)->next) {
        if (*p == e) {
            *p = e->next;
            break;
        }
    }
    e->armed = false;
}

static void *service_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        struct timer_entry *e = armed_list;
        if (e == NULL) {
            os_cond_wait_until(&changed, &lock, NULL);
            continue;
        }
        uint64_t now = timer_service_now();
        if (e->due > now) {
            os_deadline deadline = { (time_t)(e->due / 1000000000u), (long)(e->due % 1000000000u) };
            os_cond_wait_until(&changed, &lock, &deadline);
            continue;
        }
        unlink_entry(e);
        firing = e;
        pthread_mutex_unlock(&lock);
        e->fire(e);
        pthread_mutex_lock(&lock);
        firing = NULL;
        pthread_cond_broadcast(&fire_done);
    }
    return NULL;
}

static bool start_locked(void)
{
    if (started)
        return true;
    os_cond_init(&changed);
    os_cond_init(&fire_done);
    /* The timer thread must not take the caller's signal handling along. */
    started = os_thread_start_detached(service_main, NULL, &service_thread) == 0;
    return started;
}

bool timer_service_arm(struct timer_entry *e, uint64_t due)
{
    pthread_mutex_lock(&lock);
    if (!start_locked()) {
        pthread_mutex_unlock(&lock);
        return false;
    }
    if (e->armed)
        unlink_entry(e);
    e->due = due;
    e->armed = true;
    struct timer_entry **p = &armed_list;
    while (*p != NULL && (*p)->due <= due)
        p = &(*p)->next;
    e->next = *p;
    *p = e;
    if (armed_list == e)
        pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
    return true;
}

bool timer_service_is_current(void)
{
    pthread_mutex_lock(&lock);
    bool current = started && pthread_equal(pthread_self(), service_thread);
    pthread_mutex_unlock(&lock);
    return current;
}

bool timer_service_disarm(struct timer_entry *e)
{
    bool self = timer_service_is_current();
    pthread_mutex_lock(&lock);
    bool was = e->armed;
    if (was)
        unlink_entry(e);
    while (firing == e && !self)
        os_cond_wait_until(&fire_done, &lock, NULL);
    /* A fire that re-armed e while we waited is undone too. */
    if (e->armed) {
        unlink_entry(e);
        was = true;
    }
    pthread_mutex_unlock(&lock);
    return was;
}
