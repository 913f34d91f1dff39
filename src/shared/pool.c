#include "pool.h"
#include "platform.h"

#include <stdlib.h>

/*
 * Records are recycled through a small per-thread cache backed by a shared
 * list. Records freed on one thread and allocated on another flow through
 * the shared list.
 */
#define CACHE_MAX 64
#define SLAB_RECORDS 64

struct free_record {
    struct free_record *next;
};

static os_mutex shared_lock = OS_MUTEX_INIT;
static struct free_record *shared_list;
static _Thread_local struct free_record *cache;
static _Thread_local unsigned cached;

/* Threads the library did not create also give their cache back when they end. */
static struct os_thread_exit cache_exit = OS_THREAD_EXIT(pool_thread_leaving);

void pool_thread_leaving(void)
{
    if (cache == NULL)
        return;
    struct free_record *last = cache;
    while (last->next != NULL)
        last = last->next;
    os_mutex_lock(&shared_lock);
    last->next = shared_list;
    shared_list = cache;
    os_mutex_unlock(&shared_lock);
    cache = NULL;
    cached = 0;
}

void *pool_get(size_t size)
{
    struct free_record *r = cache;
    if (r != NULL) {
        cache = r->next;
        cached--;
        return r;
    }
    os_mutex_lock(&shared_lock);
    r = shared_list;
    if (r != NULL)
        shared_list = r->next;
    os_mutex_unlock(&shared_lock);
    if (r != NULL)
        return r;
    /* Records are never given back to malloc, so they come in slabs: no
     * allocator header per record, which with one pending receive per
     * connection would be memory per connection. */
    char *slab = malloc(SLAB_RECORDS * size);
    if (slab == NULL)
        return NULL;
    for (unsigned i = 1; i < SLAB_RECORDS; i++)
        pool_put(slab + i * size);
    return slab;
}

void pool_put(void *record)
{
    struct free_record *r = record;
    if (cached < CACHE_MAX) {
        if (cache == NULL)
            os_at_thread_exit(&cache_exit);
        r->next = cache;
        cache = r;
        cached++;
    } else {
        os_mutex_lock(&shared_lock);
        r->next = shared_list;
        shared_list = r;
        os_mutex_unlock(&shared_lock);
    }
}
