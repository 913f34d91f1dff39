#include "background.h"
#include "engine.h"
#include "platform.h"
#include "op.h"
#include "port.h"

#include <pthread.h>
#include <stdlib.h>
#include <windows.h>

/* How often ports nobody polls are looked at; only the CQ ring's memory is
 * read unless completions are waiting. */
#define ATTEND_INTERVAL_MS 5
#define BATCH 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct engine *engine;
static bool started;
static struct port **watched;
static size_t nwatched, capacity;

static void attend_ports(void)
{
    struct port *batch[BATCH];
    size_t from = 0;
    for (;;) {
        size_t n = 0;
        pthread_mutex_lock(&lock);
        while (from < nwatched && n < BATCH) {
            if (port_try_retain(watched[from]))
                batch[n++] = watched[from];
            from++;
        }
        pthread_mutex_unlock(&lock);
        if (n == 0)
            return;
        for (size_t i = 0; i < n; i++) {
            port_attend(batch[i]);
            port_release(batch[i]);
        }
    }
}

static void *background_main(void *arg)
{
    (void)arg;
    struct engine_report done[BATCH];
    for (;;) {
        pthread_mutex_lock(&lock);
        int timeout = nwatched > 0 ? ATTEND_INTERVAL_MS : -1;
        pthread_mutex_unlock(&lock);
        int n = engine->vt->wait(engine, timeout, done, BATCH);
        op_complete_reports(done, n, NULL, NULL);
        attend_ports();
    }
    return NULL;
}

static void start(void)
{
    struct engine *e;
    if (engine_create(&e) != ERROR_SUCCESS)
        return;
    engine = e;
    if (os_thread_start_detached(background_main, NULL, NULL) == 0) {
        started = true;
    } else {
        engine = NULL;
        e->vt->destroy(e);
    }
}

struct engine *background_engine(void)
{
    pthread_once(&once, start);
    return started ? engine : NULL;
}

bool background_watch(struct port *port)
{
    if (background_engine() == NULL)
        return false;
    pthread_mutex_lock(&lock);
    if (nwatched == capacity) {
        size_t grown = capacity ? capacity * 2 : 16;
        struct port **list = realloc(watched, grown * sizeof(*list));
        if (list == NULL) {
            pthread_mutex_unlock(&lock);
            return false;
        }
        watched = list;
        capacity = grown;
    }
    watched[nwatched++] = port;
    bool first = nwatched == 1;
    pthread_mutex_unlock(&lock);
    if (first)
        engine->vt->wake(engine);   /* start the attendance ticks */
    return true;
}

void background_unwatch(struct port *port)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nwatched; i++) {
        if (watched[i] == port) {
            watched[i] = watched[--nwatched];
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}
