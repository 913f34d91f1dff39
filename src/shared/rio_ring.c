#include "rio_ring.h"

#include <stdlib.h>

bool rio_ring_size_ok(DWORD size)
{
    return size > 0 && size <= RIO_MAX_CQ_SIZE;
}

bool rio_ring_init(struct rio_ring *ring, ULONG size)
{
    ring->slots = malloc((size_t)size * sizeof(*ring->slots));
    ring->size = size;
    ring->head = 0;
    ring->count = 0;
    ring->reserved = 0;
    return ring->slots != NULL;
}

void rio_ring_free(struct rio_ring *ring)
{
    free(ring->slots);
    ring->slots = NULL;
}

bool rio_ring_reserve(struct rio_ring *ring, ULONG n)
{
    if (n > ring->size - ring->reserved)
        return false;
    ring->reserved += n;
    return true;
}

void rio_ring_unreserve(struct rio_ring *ring, ULONG n)
{
    ring->reserved -= n;
}

struct rio_ring_entry *rio_ring_at(struct rio_ring *ring, ULONG i)
{
    return &ring->slots[(ring->head + i) % ring->size];
}

void rio_ring_push(struct rio_ring *ring, const RIORESULT *result, struct rio_rq *rq, bool send)
{
    /* The reservations keep count <= size: a full ring would mean a request
     * that was never counted. */
    struct rio_ring_entry *e = rio_ring_at(ring, ring->count);
    e->result = *result;
    e->rq = rq;
    e->send = send;
    ring->count++;
}

bool rio_ring_pop(struct rio_ring *ring, struct rio_ring_entry *out)
{
    if (ring->count == 0)
        return false;
    *out = ring->slots[ring->head];
    ring->head = (ring->head + 1) % ring->size;
    ring->count--;
    return true;
}

DWORD rio_ring_resize(struct rio_ring *ring, ULONG size)
{
    if (size < ring->reserved || size < ring->count)
        return WSAETOOMANYREFS;
    if (size == ring->size)
        return 0;
    struct rio_ring_entry *slots = malloc((size_t)size * sizeof(*slots));
    if (slots == NULL)
        return WSAENOBUFS;
    for (ULONG i = 0; i < ring->count; i++)
        slots[i] = *rio_ring_at(ring, i);
    free(ring->slots);
    ring->slots = slots;
    ring->head = 0;
    ring->size = size;
    return 0;
}
