/*
 * Interlocked singly linked lists as Windows behaves: LIFO order, depth,
 * flush, the Win64 header layout, and pushes and pops from several threads
 * at once that lose and duplicate nothing (each entry is popped, checked
 * and pushed back many times, the pattern that breaks a list without an
 * ABA guard). Also the Interlocked forms of <winnt.h> beyond the basic
 * ones. Plain Win32.
 */
/* InterlockedPushListSListEx is Windows 8's. */
#define _WIN32_WINNT 0x0602
#include "conformance.h"

/* MSVC has the narrow, wide and 128-bit Interlocked forms as intrinsics of
 * <winnt.h>, and RtlFirstEntrySList in ntdll; mingw-w64 declares some and
 * defines none of them, so its build of this suite leaves them out. */
#ifndef __MINGW32__
#define HAVE_MSVC_INTERLOCKED_INTRINSICS 1
#endif

typedef struct item {
    SLIST_ENTRY entry;   /* first, so an item is 16-aligned like its entry */
    LONG volatile owned; /* 1 while a thread holds it off the list */
    int value;
} item;

static void test_push_pop_is_lifo_with_depth(void **state)
{
    (void)state;
    static SLIST_HEADER header;
    static item items[3];
    PSLIST_HEADER head = &header;
    InitializeSListHead(head);
    assert_int_equal(QueryDepthSList(head), 0);
    assert_null(InterlockedPopEntrySList(head));
    assert_null(InterlockedPushEntrySList(head, &items[0].entry));   /* returns the previous first */
    assert_ptr_equal(InterlockedPushEntrySList(head, &items[1].entry), &items[0].entry);
    assert_ptr_equal(InterlockedPushEntrySList(head, &items[2].entry), &items[1].entry);
    assert_int_equal(QueryDepthSList(head), 3);
    assert_int_equal(head->HeaderX64.Depth, 3);
#if HAVE_MSVC_INTERLOCKED_INTRINSICS
    assert_ptr_equal(RtlFirstEntrySList(head), &items[2].entry);
#endif
    assert_ptr_equal(InterlockedPopEntrySList(head), &items[2].entry);
    assert_int_equal(QueryDepthSList(head), 2);
    /* Flush hands back the whole chain, first entry first. */
    PSLIST_ENTRY chain = InterlockedFlushSList(head);
    assert_ptr_equal(chain, &items[1].entry);
    assert_ptr_equal(chain->Next, &items[0].entry);
    assert_null(chain->Next->Next);
    assert_int_equal(QueryDepthSList(head), 0);
    assert_null(InterlockedFlushSList(head));
    assert_null(InterlockedPopEntrySList(head));
    /* A pre-linked chain goes on in one step. */
    items[0].entry.Next = &items[1].entry;
    items[1].entry.Next = NULL;
    assert_null(InterlockedPushListSListEx(head, &items[0].entry, &items[1].entry, 2));
    assert_int_equal(QueryDepthSList(head), 2);
    assert_ptr_equal(InterlockedPopEntrySList(head), &items[0].entry);
    assert_ptr_equal(InterlockedPopEntrySList(head), &items[1].entry);
}

static void test_layout_is_win64(void **state)
{
    (void)state;
    assert_int_equal(sizeof(SLIST_HEADER), 16);
    assert_int_equal(sizeof(SLIST_ENTRY), 16);
    assert_int_equal(MEMORY_ALLOCATION_ALIGNMENT, 16);
    SLIST_HEADER head;
    assert_int_equal((ULONG_PTR)&head % 16, 0);
    InitializeSListHead(&head);
    assert_int_equal(head.Alignment, 0);
    assert_int_equal(head.Region, 0);
    DECLSPEC_ALIGN(16) SLIST_ENTRY entry;
    InterlockedPushEntrySList(&head, &entry);
    /* Win64 keeps the entry's address >> 4 in NextEntry. */
    assert_int_equal((ULONG_PTR)head.HeaderX64.NextEntry << 4, (ULONG_PTR)&entry);
    assert_int_equal(head.HeaderX64.Depth, 1);
}

#define ITEMS 8
#define ROUNDS 200000
#define THREADS 4

static DECLSPEC_ALIGN(16) SLIST_HEADER shared_head;
static LONG volatile overlaps;
static LONG volatile total_pops;

static DWORD WINAPI churn(LPVOID arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        item *it = (item *)InterlockedPopEntrySList(&shared_head);
        if (it == NULL) {
            YieldProcessor();
            continue;
        }
        /* Popped twice at once means the list handed out one entry twice. */
        if (InterlockedExchange(&it->owned, 1) != 0)
            InterlockedIncrement(&overlaps);
        it->value++;
        InterlockedIncrement(&total_pops);
        InterlockedExchange(&it->owned, 0);
        InterlockedPushEntrySList(&shared_head, &it->entry);
    }
    return 0;
}

static void test_concurrent_push_pop_loses_nothing(void **state)
{
    (void)state;
    static item items[ITEMS];
    memset(items, 0, ITEMS * sizeof(item));
    InitializeSListHead(&shared_head);
    for (int i = 0; i < ITEMS; i++)
        InterlockedPushEntrySList(&shared_head, &items[i].entry);
    overlaps = 0;
    total_pops = 0;
    HANDLE threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_non_null(threads[i] = CreateThread(NULL, 0, churn, NULL, 0, NULL));
    assert_int_equal(WaitForMultipleObjects(THREADS, threads, TRUE, 120000), WAIT_OBJECT_0);
    for (int i = 0; i < THREADS; i++)
        assert_true(CloseHandle(threads[i]));
    assert_int_equal(overlaps, 0);
    assert_int_equal(QueryDepthSList(&shared_head), ITEMS);
    /* Every entry is back exactly once, and every pop was counted on one. */
    int seen[ITEMS] = { 0 };
    LONG values = 0;
    for (PSLIST_ENTRY e = InterlockedFlushSList(&shared_head); e != NULL; e = e->Next) {
        item *it = CONTAINING_RECORD(e, item, entry);
        assert_true(it >= items && it < items + ITEMS);
        seen[it - items]++;
        values += it->value;
    }
    for (int i = 0; i < ITEMS; i++)
        assert_int_equal(seen[i], 1);
    assert_int_equal(values, total_pops);
}

#if HAVE_MSVC_INTERLOCKED_INTRINSICS
static void test_interlocked_narrow_and_wide_forms(void **state)
{
    (void)state;
    CHAR volatile c = 0x0f;
    assert_int_equal(InterlockedAnd8(&c, 0x3c), 0x0f);
    assert_int_equal(c, 0x0c);
    assert_int_equal(InterlockedOr8(&c, 0x01), 0x0c);
    assert_int_equal(InterlockedXor8(&c, 0x0f), 0x0d);
    assert_int_equal(c, 0x02);
    assert_int_equal(InterlockedExchange8(&c, 9), 2);
    assert_int_equal(InterlockedExchangeAdd8(&c, 1), 9);
    SHORT volatile s = 0x7ffe;
    assert_int_equal(InterlockedIncrement16(&s), 0x7fff);
    assert_int_equal(InterlockedIncrement16(&s), -0x8000);   /* wraps as a SHORT */
    assert_int_equal(InterlockedDecrement16(&s), 0x7fff);
    assert_int_equal(InterlockedCompareExchange16(&s, 5, 0x7fff), 0x7fff);
    assert_int_equal(InterlockedCompareExchange16(&s, 6, 0x7fff), 5);
    assert_int_equal(InterlockedAnd16(&s, 4), 5);
    assert_int_equal(InterlockedOr16(&s, 3), 4);
    assert_int_equal(InterlockedXor16(&s, 1), 7);
    assert_int_equal(InterlockedExchange16(&s, 1), 6);
    assert_int_equal(InterlockedExchangeAdd16(&s, 2), 1);
    LONG64 volatile w = (LONG64)1 << 40;
    assert_true(InterlockedOr64(&w, 1) == (LONG64)1 << 40);
    assert_true(InterlockedAnd64(&w, 1) == ((LONG64)1 << 40) + 1);
    assert_true(InterlockedXor64(&w, 3) == 1 && w == 2);
    assert_true(InterlockedBitTestAndSet64(&w, 40) == 0 && w == ((LONG64)1 << 40) + 2);
    assert_true(InterlockedBitTestAndReset64(&w, 40) == 1 && w == 2);
    assert_true(InterlockedBitTestAndComplement64(&w, 1) == 1 && w == 0);
    LONG volatile l = 0;
    assert_int_equal(InterlockedBitTestAndSet(&l, 31), 0);
    assert_int_equal(InterlockedBitTestAndSet(&l, 31), 1);
    assert_int_equal(InterlockedBitTestAndReset(&l, 31), 1);
    assert_int_equal(InterlockedBitTestAndComplement(&l, 0), 0);
    assert_int_equal(l, 1);
    assert_int_equal(InterlockedIncrementAcquire(&l), 2);
    assert_int_equal(InterlockedDecrementRelease(&l), 1);
    assert_int_equal(InterlockedCompareExchangeAcquire(&l, 3, 1), 1);
    SIZE_T volatile size = 10;
    assert_int_equal(InterlockedIncrementSizeT(&size), 11);
    assert_int_equal(InterlockedExchangeAddSizeT(&size, 4), 11);
    assert_int_equal(InterlockedDecrementSizeT(&size), 14);
}

static void test_compare_exchange_128(void **state)
{
    (void)state;
    DECLSPEC_ALIGN(16) LONG64 volatile target[2] = { 1, 2 };
    LONG64 comparand[2] = { 1, 3 };
    /* A mismatch stores nothing and reports what is there. */
    assert_int_equal(InterlockedCompareExchange128(target, 20, 10, comparand), 0);
    assert_true(comparand[0] == 1 && comparand[1] == 2);
    assert_true(target[0] == 1 && target[1] == 2);
    assert_int_equal(InterlockedCompareExchange128(target, 20, 10, comparand), 1);
    assert_true(target[0] == 10 && target[1] == 20);
    assert_true(comparand[0] == 1 && comparand[1] == 2);
}
#endif

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_pop_is_lifo_with_depth),
        cmocka_unit_test(test_layout_is_win64),
        cmocka_unit_test(test_concurrent_push_pop_loses_nothing),
#if HAVE_MSVC_INTERLOCKED_INTRINSICS
        cmocka_unit_test(test_interlocked_narrow_and_wide_forms),
        cmocka_unit_test(test_compare_exchange_128),
#endif
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
