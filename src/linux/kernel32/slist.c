/*
 * Interlocked singly linked lists. The header is Win64's: the low
 * quadword holds the depth (16 bits) and a sequence (48 bits), the high
 * one the first entry's address shifted right by four. Every push and pop
 * bumps the sequence in the same 128-bit compare-exchange that changes
 * the first entry, so a pop that read first->Next before another thread
 * popped first, pushed others and pushed first back fails its exchange
 * instead of installing a stale Next (the ABA problem).
 */
#include "error.h"
#include "tsan.h"

#include <stdbool.h>
#include <stdint.h>

struct head {
    uint64_t low;    /* depth | sequence << 16 */
    uint64_t high;   /* entry address >> 4, shifted into bits 4..63 */
};

static PSLIST_ENTRY first_of(uint64_t high)
{
    return (PSLIST_ENTRY)(uintptr_t)(high & ~(uint64_t)15);
}

static uint64_t depth_of(uint64_t low) { return low & 0xffff; }

static uint64_t next_low(uint64_t low, uint64_t depth)
{
    uint64_t sequence = ((low >> 16) + 1) & ((1ull << 48) - 1);
    return (depth & 0xffff) | (sequence << 16);
}

/* A torn read is harmless: the exchange below checks both halves. */
static struct head read_head(PSLIST_HEADER h)
{
    struct head v;
    v.low = __atomic_load_n(&h->Alignment, __ATOMIC_ACQUIRE);
    v.high = __atomic_load_n(&h->Region, __ATOMIC_ACQUIRE);
    return v;
}

static bool exchange(PSLIST_HEADER h, struct head *expected, uint64_t low, uint64_t high)
{
    /* ThreadSanitizer sees no order through the inline assembly: tell it
     * that each exchange publishes, and a successful one reads, the list. */
    tsan_handoff_release(h);
    LONG64 comparand[2] = { (LONG64)expected->low, (LONG64)expected->high };
    bool ok = InterlockedCompareExchange128((LONG64 volatile *)h, (LONG64)high, (LONG64)low, comparand);
    expected->low = (uint64_t)comparand[0];
    expected->high = (uint64_t)comparand[1];
    if (ok)
        tsan_handoff_acquire(h);
    return ok;
}

void WINAPI InitializeSListHead(PSLIST_HEADER h)
{
    h->Alignment = 0;
    h->Region = 0;
}

PSLIST_ENTRY WINAPI InterlockedPushListSListEx(PSLIST_HEADER h, PSLIST_ENTRY list, PSLIST_ENTRY end, ULONG count)
{
    struct head v = read_head(h);
    for (;;) {
        PSLIST_ENTRY first = first_of(v.high);
        __atomic_store_n(&end->Next, first, __ATOMIC_RELAXED);
        if (exchange(h, &v, next_low(v.low, depth_of(v.low) + count), (uint64_t)(uintptr_t)list))
            return first;
    }
}

PSLIST_ENTRY WINAPI InterlockedPushEntrySList(PSLIST_HEADER h, PSLIST_ENTRY entry)
{
    return InterlockedPushListSListEx(h, entry, entry, 1);
}

PSLIST_ENTRY WINAPI InterlockedPopEntrySList(PSLIST_HEADER h)
{
    struct head v = read_head(h);
    for (;;) {
        PSLIST_ENTRY first = first_of(v.high);
        if (first == NULL)
            return NULL;
        /* Another thread may pop first and push it again meanwhile: the
         * sequence makes the exchange fail then, whatever was read here. */
        PSLIST_ENTRY next = __atomic_load_n(&first->Next, __ATOMIC_RELAXED);
        if (exchange(h, &v, next_low(v.low, depth_of(v.low) - 1), (uint64_t)(uintptr_t)next))
            return first;
    }
}

PSLIST_ENTRY WINAPI InterlockedFlushSList(PSLIST_HEADER h)
{
    struct head v = read_head(h);
    for (;;) {
        PSLIST_ENTRY first = first_of(v.high);
        if (first == NULL)
            return NULL;
        if (exchange(h, &v, next_low(v.low, 0), 0))
            return first;
    }
}

USHORT WINAPI QueryDepthSList(PSLIST_HEADER h)
{
    return (USHORT)depth_of(__atomic_load_n(&h->Alignment, __ATOMIC_ACQUIRE));
}

PSLIST_ENTRY WINAPI RtlFirstEntrySList(const SLIST_HEADER *h)
{
    return first_of(__atomic_load_n(&h->Region, __ATOMIC_ACQUIRE));
}
