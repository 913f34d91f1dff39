#include "object.h"
#include "error.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct slot {
    struct object *obj;
    uint32_t gen;
    uint32_t next_free;   /* index + 1 of the next free slot, 0 = none */
};

static struct {
    pthread_rwlock_t lock;
    struct slot *slots;
    uint32_t size;
    uint32_t first_free;  /* index + 1, 0 = none */
} table = { PTHREAD_RWLOCK_INITIALIZER, NULL, 0, 0 };

#define GEN_LIMIT 0x7fffffffu

void object_init(struct object *obj, const struct object_ops *ops)
{
    obj->ops = ops;
    atomic_init(&obj->refs, 1);
}

void object_retain(struct object *obj)
{
    atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
}

void object_release(struct object *obj)
{
    if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) == 1)
        obj->ops->destroy(obj);
}

static HANDLE encode(uint32_t index, uint32_t gen)
{
    return (HANDLE)(uintptr_t)(((uint64_t)gen << 32) | ((uint64_t)(index + 1) << 2));
}

static bool decode(HANDLE h, uint32_t *index, uint32_t *gen)
{
    uint64_t v = (uint64_t)(uintptr_t)h;
    uint32_t g = (uint32_t)(v >> 32);
    uint32_t low = (uint32_t)v;
    if (g == 0 || g > GEN_LIMIT || (low & 3) != 0 || low == 0)
        return false;
    *index = (low >> 2) - 1;
    *gen = g;
    return true;
}

bool handle_is_object(HANDLE h)
{
    uint32_t index, gen;
    return decode(h, &index, &gen);
}

HANDLE object_publish(struct object *obj)
{
    pthread_rwlock_wrlock(&table.lock);
    if (table.first_free == 0) {
        uint32_t grown = table.size ? table.size * 2 : 64;
        struct slot *slots = realloc(table.slots, grown * sizeof(*slots));
        if (slots == NULL) {
            pthread_rwlock_unlock(&table.lock);
            object_release(obj);
            error_set(ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
        for (uint32_t i = table.size; i < grown; i++) {
            slots[i].obj = NULL;
            slots[i].gen = 1;
            slots[i].next_free = (i + 1 < grown) ? i + 2 : 0;
        }
        table.slots = slots;
        table.first_free = table.size + 1;
        table.size = grown;
    }
    uint32_t index = table.first_free - 1;
    struct slot *s = &table.slots[index];
    table.first_free = s->next_free;
    s->obj = obj;
    HANDLE h = encode(index, s->gen);
    pthread_rwlock_unlock(&table.lock);
    return h;
}

struct object *object_get(HANDLE h, enum object_type type)
{
    struct object *obj = object_find(h, type);
    if (obj == NULL)
        error_set(ERROR_INVALID_HANDLE);
    return obj;
}

struct object *object_find(HANDLE h, enum object_type type)
{
    uint32_t index, gen;
    struct object *obj = NULL;
    if (decode(h, &index, &gen)) {
        pthread_rwlock_rdlock(&table.lock);
        if (index < table.size && table.slots[index].gen == gen) {
            obj = table.slots[index].obj;
            if (obj != NULL && (type == 0 || obj->ops->type == type))
                object_retain(obj);
            else
                obj = NULL;
        }
        pthread_rwlock_unlock(&table.lock);
    }
    return obj;
}

static bool closes_with_handle(enum object_type type)
{
    return type < OBJECT_RIO_BUFFER;
}

struct object *object_unpublish(HANDLE h, enum object_type type)
{
    uint32_t index, gen;
    struct object *obj = NULL;
    if (!decode(h, &index, &gen))
        return NULL;
    pthread_rwlock_wrlock(&table.lock);
    struct object *found = index < table.size && table.slots[index].gen == gen ? table.slots[index].obj : NULL;
    bool matches = found != NULL && (type == 0 ? closes_with_handle(found->ops->type)
                                               : found->ops->type == type);
    if (matches) {
        struct slot *s = &table.slots[index];
        obj = s->obj;
        s->obj = NULL;
        s->gen = s->gen == GEN_LIMIT ? 1 : s->gen + 1;
        s->next_free = table.first_free;
        table.first_free = index + 1;
    }
    pthread_rwlock_unlock(&table.lock);
    return obj;
}

BOOL WINAPI CloseHandle(HANDLE h)
{
    struct object *obj = object_unpublish(h, 0);
    if (obj == NULL) {
        error_set(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (obj->ops->close)
        obj->ops->close(obj);
    object_release(obj);
    return TRUE;
}
