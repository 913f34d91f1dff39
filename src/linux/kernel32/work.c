/* Worker threads for callbacks (see work.h). */
#include "work.h"
#include "platform.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#define IDLE_MS 30000

struct item {
    void (*fn)(void *);
    void *arg;
    struct item *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static os_cond wake;
static pthread_once_t wake_once = PTHREAD_ONCE_INIT;
static struct item *head, *tail;
static unsigned idle;     /* workers waiting for an item */
static unsigned queued;   /* items no worker has taken yet */

static void init_wake(void) { os_cond_init(&wake); }

static void *worker_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (head == NULL) {
            os_deadline deadline;
            os_deadline_from_ms(IDLE_MS, &deadline);
            idle++;
            bool woke = os_cond_wait_until(&wake, &lock, &deadline);
            idle--;
            if (!woke && head == NULL) {
                pthread_mutex_unlock(&lock);
                return NULL;
            }
        }
        struct item *it = head;
        queued--;
        head = it->next;
        if (head == NULL)
            tail = NULL;
        pthread_mutex_unlock(&lock);
        it->fn(it->arg);
        free(it);
        pthread_mutex_lock(&lock);
    }
}

bool work_submit(void (*fn)(void *arg), void *arg)
{
    pthread_once(&wake_once, init_wake);
    struct item *it = malloc(sizeof *it);
    if (it == NULL)
        return false;
    it->fn = fn;
    it->arg = arg;
    it->next = NULL;
    pthread_mutex_lock(&lock);
    /* Every queued item has a waiting worker or a new one. */
    if (queued + 1 > idle) {
        /* Workers run the program's callbacks, not its signal handlers. */
        if (os_thread_start_detached(worker_main, NULL, NULL) != 0) {
            pthread_mutex_unlock(&lock);
            free(it);
            return false;
        }
    }
    if (tail != NULL)
        tail->next = it;
    else
        head = it;
    tail = it;
    queued++;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    return true;
}
