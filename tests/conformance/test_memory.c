/*
 * Virtual memory and heaps as Windows behaves: VirtualAlloc reserve /
 * commit / decommit / release with Windows' errors and 64 KiB alignment,
 * HeapAlloc/HeapReAlloc/HeapSize/HeapFree with HEAP_ZERO_MEMORY, private
 * heaps, LocalAlloc, and the ZeroMemory family. Plain Win32.
 */
#include "conformance.h"

#define KIB 1024
#define GRANULARITY (64 * KIB)

static DWORD page_size(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwPageSize;
}

static int all_bytes(const char *p, size_t n, char value)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != value)
            return 0;
    return 1;
}

static void test_reserve_is_64k_aligned(void **state)
{
    (void)state;
    char *regions[32];
    for (int i = 0; i < 32; i++) {
        /* Odd sizes too: alignment must not depend on the size. */
        regions[i] = (char *)VirtualAlloc(NULL, (SIZE_T)(i + 1) * 4096 + 100, MEM_RESERVE, PAGE_NOACCESS);
        assert_non_null(regions[i]);
        assert_int_equal((ULONG_PTR)regions[i] % GRANULARITY, 0);
    }
    for (int i = 0; i < 32; i++)
        for (int j = i + 1; j < 32; j++)
            assert_true(regions[i] != regions[j]);
    for (int i = 31; i >= 0; i -= 2)
        assert_true(VirtualFree(regions[i], 0, MEM_RELEASE));
    for (int i = 0; i < 32; i += 2)
        assert_true(VirtualFree(regions[i], 0, MEM_RELEASE));
}

static void test_commit_inside_reservation(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *base = (char *)VirtualAlloc(NULL, 1024 * KIB, MEM_RESERVE, PAGE_NOACCESS);
    assert_non_null(base);
    /* An address inside a page commits that whole page and returns its start. */
    char *p = (char *)VirtualAlloc(base + 3 * page + 100, 10, MEM_COMMIT, PAGE_READWRITE);
    assert_ptr_equal(p, base + 3 * page);
    assert_true(all_bytes(p, page, 0));   /* fresh pages are zero */
    memset(p, 0x5A, page);
    /* Committing again keeps the contents. */
    assert_ptr_equal(VirtualAlloc(p, page, MEM_COMMIT, PAGE_READWRITE), p);
    assert_true(all_bytes(p, page, 0x5A));
    assert_true(VirtualFree(base, 0, MEM_RELEASE));
}

/* MEM_COMMIT alone with no address reserves and commits whole pages. */
static void test_commit_without_address_reserves(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *p = (char *)VirtualAlloc(NULL, page + 1, MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(p);
    assert_int_equal((ULONG_PTR)p % GRANULARITY, 0);
    assert_true(all_bytes(p, 2 * page, 0));
    p[2 * page - 1] = 1;   /* the second page is committed too */
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
}

static void test_reserve_and_commit_together(void **state)
{
    (void)state;
    char *p = (char *)VirtualAlloc(NULL, 256 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(p);
    assert_int_equal((ULONG_PTR)p % GRANULARITY, 0);
    assert_true(all_bytes(p, 256 * KIB, 0));
    memset(p, 1, 256 * KIB);
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
}

static void test_decommit_then_recommit_reads_zero(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *p = (char *)VirtualAlloc(NULL, 4 * page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(p);
    memset(p, 0x77, 4 * page);
    assert_true(VirtualFree(p + page, page, MEM_DECOMMIT));
    assert_ptr_equal(VirtualAlloc(p + page, page, MEM_COMMIT, PAGE_READWRITE), p + page);
    assert_true(all_bytes(p + page, page, 0));
    /* The neighbours kept theirs. */
    assert_true(all_bytes(p, page, 0x77));
    assert_true(all_bytes(p + 2 * page, 2 * page, 0x77));
    /* Size 0 at the base decommits the whole region. */
    assert_true(VirtualFree(p, 0, MEM_DECOMMIT));
    assert_ptr_equal(VirtualAlloc(p, 4 * page, MEM_COMMIT, PAGE_READWRITE), p);
    assert_true(all_bytes(p, 4 * page, 0));
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
}

static void test_decommit_errors(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *p = (char *)VirtualAlloc(NULL, 4 * page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(p);
    /* Size 0 decommits a region only from its base. */
    SetLastError(0xdeadbeef);
    assert_false(VirtualFree(p + page, 0, MEM_DECOMMIT));
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
    /* A range running past the reservation. */
    SetLastError(0xdeadbeef);
    assert_false(VirtualFree(p + page, 64 * page, MEM_DECOMMIT));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
}

/* MEM_RELEASE wants the size 0 and exactly the base VirtualAlloc returned. */
static void test_release_rules(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *p = (char *)VirtualAlloc(NULL, 4 * page, MEM_RESERVE, PAGE_NOACCESS);
    assert_non_null(p);
    SetLastError(0xdeadbeef);
    assert_false(VirtualFree(p, 4 * page, MEM_RELEASE));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    assert_false(VirtualFree(p + page, 0, MEM_RELEASE));
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
    SetLastError(0xdeadbeef);
    assert_false(VirtualFree(p, 0, MEM_RELEASE | MEM_DECOMMIT));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    assert_false(VirtualFree(p, 0, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
    /* Released: it is no reservation any more. */
    SetLastError(0xdeadbeef);
    assert_false(VirtualFree(p, 0, MEM_RELEASE));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    assert_false(VirtualFree(NULL, 0, MEM_RELEASE));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* Release frees the whole reservation, committed parts included: the same
 * address can be reserved again. */
static void test_release_frees_whole_region(void **state)
{
    (void)state;
    char *p = (char *)VirtualAlloc(NULL, 512 * KIB, MEM_RESERVE, PAGE_NOACCESS);
    assert_non_null(p);
    assert_non_null(VirtualAlloc(p + 128 * KIB, 64 * KIB, MEM_COMMIT, PAGE_READWRITE));
    p[128 * KIB] = 1;
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
    char *again = (char *)VirtualAlloc(p, 512 * KIB, MEM_RESERVE, PAGE_NOACCESS);
    assert_ptr_equal(again, p);
    assert_ptr_equal(VirtualAlloc(again + 128 * KIB, 4096, MEM_COMMIT, PAGE_READWRITE), again + 128 * KIB);
    assert_int_equal(again[128 * KIB], 0);
    assert_true(VirtualFree(again, 0, MEM_RELEASE));
}

static void test_commit_outside_reservation_fails(void **state)
{
    (void)state;
    char *p = (char *)VirtualAlloc(NULL, 3 * GRANULARITY, MEM_RESERVE, PAGE_NOACCESS);
    assert_non_null(p);
    SetLastError(0xdeadbeef);
    assert_null(VirtualAlloc(p + 2 * GRANULARITY, 2 * GRANULARITY, MEM_COMMIT, PAGE_READWRITE));
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
    /* And once released, nothing is left to commit. */
    SetLastError(0xdeadbeef);
    assert_null(VirtualAlloc(p, 4096, MEM_COMMIT, PAGE_READWRITE));
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
}

static void test_reserve_taken_address_fails(void **state)
{
    (void)state;
    char *p = (char *)VirtualAlloc(NULL, GRANULARITY, MEM_RESERVE, PAGE_NOACCESS);
    assert_non_null(p);
    SetLastError(0xdeadbeef);
    assert_null(VirtualAlloc(p, 4096, MEM_RESERVE, PAGE_READWRITE));
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
}

static void test_alloc_invalid_parameters(void **state)
{
    (void)state;
    static const struct { SIZE_T size; DWORD type; DWORD protect; } bad[] = {
        { 0, MEM_COMMIT, PAGE_READWRITE },             /* no size */
        { 4096, 0, PAGE_READWRITE },                   /* no type */
        { 4096, MEM_DECOMMIT, PAGE_READWRITE },        /* a VirtualFree type */
        { 4096, MEM_RELEASE, PAGE_READWRITE },
        { 4096, MEM_COMMIT, 0 },                       /* no protection */
        { 4096, MEM_COMMIT, PAGE_WRITECOPY },          /* not for private memory */
        { 4096, MEM_COMMIT, PAGE_READWRITE | PAGE_READONLY },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        SetLastError(0xdeadbeef);
        assert_null(VirtualAlloc(NULL, bad[i].size, bad[i].type, bad[i].protect));
        assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    }
}

static void test_protections_allow_access(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *p = (char *)VirtualAlloc(NULL, 4 * page, MEM_RESERVE, PAGE_NOACCESS);
    assert_non_null(p);
    assert_ptr_equal(VirtualAlloc(p, page, MEM_COMMIT, PAGE_READONLY), p);
    assert_int_equal(p[0], 0);
    assert_ptr_equal(VirtualAlloc(p + page, page, MEM_COMMIT, PAGE_EXECUTE_READWRITE), p + page);
    p[page] = 3;
    assert_ptr_equal(VirtualAlloc(p + 2 * page, page, MEM_COMMIT, PAGE_READWRITE | PAGE_NOCACHE), p + 2 * page);
    p[2 * page] = 4;
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
}

static void test_alloc_ex_on_current_process(void **state)
{
    (void)state;
    char *p = (char *)VirtualAllocEx(GetCurrentProcess(), NULL, 8192, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(p);
    p[8191] = 1;
    assert_true(VirtualFreeEx(GetCurrentProcess(), p, 0, MEM_RELEASE));
}

static void test_heap_alloc_zero_memory(void **state)
{
    (void)state;
    HANDLE heap = GetProcessHeap();
    assert_non_null(heap);
    /* Dirty a block first, so that a reused one would show leftovers. */
    char *dirty = (char *)HeapAlloc(heap, 0, 4000);
    assert_non_null(dirty);
    memset(dirty, 0xCC, 4000);
    assert_true(HeapFree(heap, 0, dirty));
    char *p = (char *)HeapAlloc(heap, HEAP_ZERO_MEMORY, 4000);
    assert_non_null(p);
    assert_true(all_bytes(p, 4000, 0));
    assert_int_equal(HeapSize(heap, 0, p), 4000);
    assert_int_equal((ULONG_PTR)p % 16, 0);   /* Win64 heaps align to 16 */
    assert_true(HeapFree(heap, 0, p));
}

static void test_heap_size_zero_and_free_null(void **state)
{
    (void)state;
    HANDLE heap = GetProcessHeap();
    void *a = HeapAlloc(heap, 0, 0);
    void *b = HeapAlloc(heap, 0, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a != b);
    assert_int_equal(HeapSize(heap, 0, a), 0);
    assert_true(HeapFree(heap, 0, a));
    assert_true(HeapFree(heap, 0, b));
    assert_true(HeapFree(heap, 0, NULL));
}

static void test_heap_realloc_zeroes_grown_part(void **state)
{
    (void)state;
    HANDLE heap = GetProcessHeap();
    char *p = (char *)HeapAlloc(heap, 0, 100);
    assert_non_null(p);
    memset(p, 0x5A, 100);
    /* Dirty memory it may grow into. */
    char *dirty = (char *)HeapAlloc(heap, 0, 20000);
    memset(dirty, 0xEE, 20000);
    HeapFree(heap, 0, dirty);
    p = (char *)HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 20000);
    assert_non_null(p);
    assert_int_equal(HeapSize(heap, 0, p), 20000);
    assert_true(all_bytes(p, 100, 0x5A));
    assert_true(all_bytes(p + 100, 20000 - 100, 0));
    /* Shrinking keeps the front. */
    p = (char *)HeapReAlloc(heap, 0, p, 50);
    assert_non_null(p);
    assert_int_equal(HeapSize(heap, 0, p), 50);
    assert_true(all_bytes(p, 50, 0x5A));
    /* In place: shrinking always works, and leaves the block where it is. */
    char *same = (char *)HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, p, 10);
    assert_ptr_equal(same, p);
    assert_int_equal(HeapSize(heap, 0, p), 10);
    assert_true(HeapFree(heap, 0, p));
    assert_null(HeapReAlloc(heap, 0, NULL, 10));
}

static void test_private_heap_lifecycle(void **state)
{
    (void)state;
    HANDLE heap = HeapCreate(0, 0, 0);
    assert_non_null(heap);
    assert_true(heap != GetProcessHeap());
    void *blocks[100];
    for (int i = 0; i < 100; i++) {
        blocks[i] = HeapAlloc(heap, HEAP_ZERO_MEMORY, (SIZE_T)(i * 37 + 1));
        assert_non_null(blocks[i]);
        assert_int_equal(HeapSize(heap, 0, blocks[i]), (SIZE_T)(i * 37 + 1));
    }
    for (int i = 0; i < 100; i += 2)
        assert_true(HeapFree(heap, 0, blocks[i]));
    /* The rest goes with the heap (the leak checker would see otherwise). */
    assert_true(HeapDestroy(heap));
}

static void test_process_heap_cannot_be_destroyed(void **state)
{
    (void)state;
    assert_false(HeapDestroy(GetProcessHeap()));
    void *p = HeapAlloc(GetProcessHeap(), 0, 16);
    assert_non_null(p);
    assert_true(HeapFree(GetProcessHeap(), 0, p));
}

/* A heap with a maximum size refuses what does not fit. */
static void test_fixed_size_heap_limit(void **state)
{
    (void)state;
    HANDLE heap = HeapCreate(0, 0, 65536);
    assert_non_null(heap);
    assert_null(HeapAlloc(heap, 0, 100000));
    void *p = HeapAlloc(heap, 0, 1000);
    assert_non_null(p);
    assert_true(HeapFree(heap, 0, p));
    assert_true(HeapDestroy(heap));
}

struct heap_worker {
    HANDLE heap;
    int failures;
};

static DWORD WINAPI heap_worker_main(LPVOID arg)
{
    struct heap_worker *w = (struct heap_worker *)arg;
    void *held[16] = {0};
    for (int i = 0; i < 2000; i++) {
        int slot = i % 16;
        if (held[slot] != NULL && !HeapFree(w->heap, 0, held[slot]))
            w->failures++;
        held[slot] = HeapAlloc(w->heap, HEAP_ZERO_MEMORY, (SIZE_T)(i % 300 + 1));
        if (held[slot] == NULL)
            w->failures++;
        else
            memset(held[slot], i, (size_t)(i % 300 + 1));
        if (i % 7 == 0 && held[slot] != NULL) {
            void *grown = HeapReAlloc(w->heap, 0, held[slot], 600);
            if (grown == NULL)
                w->failures++;
            else
                held[slot] = grown;
        }
    }
    for (int i = 0; i < 16; i++)
        if (held[i] != NULL && !HeapFree(w->heap, 0, held[i]))
            w->failures++;
    return 0;
}

/* Several threads allocating from one private heap at once. */
static void test_private_heap_threads(void **state)
{
    (void)state;
    HANDLE heap = HeapCreate(0, 0, 0);
    assert_non_null(heap);
    struct heap_worker w[4];
    HANDLE t[4];
    for (int i = 0; i < 4; i++) {
        w[i].heap = heap;
        w[i].failures = 0;
        t[i] = start_thread(heap_worker_main, &w[i]);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(WaitForSingleObject(t[i], 60000), WAIT_OBJECT_0);
        CloseHandle(t[i]);
        assert_int_equal(w[i].failures, 0);
    }
    assert_true(HeapDestroy(heap));
}

static void test_local_alloc(void **state)
{
    (void)state;
    char *p = (char *)LocalAlloc(LPTR, 300);
    assert_non_null(p);
    assert_true(all_bytes(p, 300, 0));
    assert_null(LocalFree(p));
    assert_null(LocalFree(NULL));
    char *q = (char *)LocalAlloc(LMEM_FIXED, 10);
    assert_non_null(q);
    q[9] = 1;
    assert_null(LocalFree(q));
}

static void test_memory_macros(void **state)
{
    (void)state;
    char buf[32];
    FillMemory(buf, sizeof buf, 'x');
    assert_true(all_bytes(buf, sizeof buf, 'x'));
    ZeroMemory(buf, 16);
    assert_true(all_bytes(buf, 16, 0));
    assert_true(all_bytes(buf + 16, 16, 'x'));
    CopyMemory(buf, "0123456789", 10);
    MoveMemory(buf + 2, buf, 8);   /* overlapping */
    assert_memory_equal(buf, "0101234567", 10);
    assert_ptr_equal(SecureZeroMemory(buf, sizeof buf), buf);
    assert_true(all_bytes(buf, sizeof buf, 0));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserve_is_64k_aligned),
        cmocka_unit_test(test_commit_inside_reservation),
        cmocka_unit_test(test_commit_without_address_reserves),
        cmocka_unit_test(test_reserve_and_commit_together),
        cmocka_unit_test(test_decommit_then_recommit_reads_zero),
        cmocka_unit_test(test_decommit_errors),
        cmocka_unit_test(test_release_rules),
        cmocka_unit_test(test_release_frees_whole_region),
        cmocka_unit_test(test_commit_outside_reservation_fails),
        cmocka_unit_test(test_reserve_taken_address_fails),
        cmocka_unit_test(test_alloc_invalid_parameters),
        cmocka_unit_test(test_protections_allow_access),
        cmocka_unit_test(test_alloc_ex_on_current_process),
        cmocka_unit_test(test_heap_alloc_zero_memory),
        cmocka_unit_test(test_heap_size_zero_and_free_null),
        cmocka_unit_test(test_heap_realloc_zeroes_grown_part),
        cmocka_unit_test(test_private_heap_lifecycle),
        cmocka_unit_test(test_process_heap_cannot_be_destroyed),
        cmocka_unit_test(test_fixed_size_heap_limit),
        cmocka_unit_test(test_private_heap_threads),
        cmocka_unit_test(test_local_alloc),
        cmocka_unit_test(test_memory_macros),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
