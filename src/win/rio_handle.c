/*
 * RIO handles: an index into one table and the slot's generation, so that
 * a stale or made-up buffer id, CQ or RQ is refused rather than
 * dereferenced. The generation sits in the upper half, so no handle is 0
 * (RIO_INVALID_CQ, RIO_INVALID_RQ) or 0xFFFFFFFF (RIO_INVALID_BUFFERID).
 */
#include "rio.h"

#include <stdint.h>
#include <stdlib.h>

struct slot {
    struct rio_object *obj;   /* NULL: free */
    ULONG generation;
    ULONG next_free;          /* index + 1 of the next free slot, or 0 */
};

static SRWLOCK table_lock = SRWLOCK_INIT;
static struct slot *slots;
static ULONG slot_count;
static ULONG free_head;       /* index + 1, or 0 */

void rio_object_init(struct rio_object *obj, enum rio_kind kind,
                     void (*destroy)(struct rio_object *obj))
{
    obj->refs = 1;
    obj->kind = kind;
    obj->destroy = destroy;
}

void rio_object_retain(struct rio_object *obj)
{
    InterlockedIncrement(&obj->refs);
}

void rio_object_release(struct rio_object *obj)
{
    if (InterlockedDecrement(&obj->refs) == 0)
        obj->destroy(obj);
}

static bool grow(void)
{
    ULONG n = slot_count == 0 ? 64 : slot_count * 2;
    if (n > 0x7FFFFFFF)
        return false;
    struct slot *bigger = realloc(slots, (size_t)n * sizeof(*bigger));
    if (bigger == NULL)
        return false;
    for (ULONG i = slot_count; i < n; i++) {
        bigger[i].obj = NULL;
        bigger[i].generation = 1;
        bigger[i].next_free = i + 1 < n ? i + 2 : free_head;
    }
    free_head = slot_count + 1;
    slots = bigger;
    slot_count = n;
    return true;
}

ULONG_PTR rio_handle_publish(struct rio_object *obj)
{
    AcquireSRWLockExclusive(&table_lock);
    if (free_head == 0 && !grow()) {
        ReleaseSRWLockExclusive(&table_lock);
        rio_object_release(obj);
        return 0;
    }
    ULONG index = free_head - 1;
    struct slot *s = &slots[index];
    free_head = s->next_free;
    s->obj = obj;
    ULONG_PTR h = ((ULONG_PTR)s->generation << 32) | (index + 1);
    ReleaseSRWLockExclusive(&table_lock);
    return h;
}

/* The slot h names, if live and of that kind. Table locked. */
static struct slot *slot_of(ULONG_PTR h, enum rio_kind kind)
{
    ULONG index = (ULONG)(h & 0xFFFFFFFFu);
    ULONG generation = (ULONG)((uint64_t)h >> 32);
    if (index == 0 || index > slot_count)
        return NULL;
    struct slot *s = &slots[index - 1];
    if (s->obj == NULL || s->generation != generation || s->obj->kind != kind)
        return NULL;
    return s;
}

struct rio_object *rio_handle_find(ULONG_PTR h, enum rio_kind kind)
{
    AcquireSRWLockShared(&table_lock);
    struct slot *s = slot_of(h, kind);
    struct rio_object *obj = s != NULL ? s->obj : NULL;
    if (obj != NULL)
        rio_object_retain(obj);
    ReleaseSRWLockShared(&table_lock);
    return obj;
}

struct rio_object *rio_handle_unpublish(ULONG_PTR h, enum rio_kind kind)
{
    AcquireSRWLockExclusive(&table_lock);
    struct slot *s = slot_of(h, kind);
    struct rio_object *obj = NULL;
    if (s != NULL) {
        obj = s->obj;
        s->obj = NULL;
        s->generation = s->generation == 0xFFFFFFFFu ? 1 : s->generation + 1;
        s->next_free = free_head;
        free_head = (ULONG)(s - slots) + 1;
    }
    ReleaseSRWLockExclusive(&table_lock);
    return obj;
}
