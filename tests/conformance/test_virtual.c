/*
 * Memory protection and queries as Windows behaves: VirtualProtect returns
 * the old protection and refuses uncommitted pages, VirtualQuery describes
 * reserved, committed and free ranges with the Win64 layout of
 * MEMORY_BASIC_INFORMATION, GetLargePageMinimum, GlobalMemoryStatusEx's
 * dwLength rule, HeapSetInformation. Plain Win32.
 */
#include "conformance.h"

static DWORD page_size(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwPageSize;
}

static void test_protect_returns_old_protection(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *p = (char *)VirtualAlloc(NULL, 4 * page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(p);
    p[0] = 1;
    DWORD old = 0;
    assert_true(VirtualProtect(p, page, PAGE_READONLY, &old));
    assert_int_equal(old, PAGE_READWRITE);
    assert_true(VirtualProtect(p + 10, 1, PAGE_NOACCESS, &old));   /* the page holding the address */
    assert_int_equal(old, PAGE_READONLY);
    assert_true(VirtualProtect(p, 2 * page, PAGE_READWRITE, &old));
    assert_int_equal(old, PAGE_NOACCESS);   /* the first page's */
    p[page] = 2;
    assert_int_equal(p[0], 1);
    SetLastError(SENTINEL);
    assert_false(VirtualProtect(p, page, PAGE_READONLY, NULL));
    assert_int_equal(GetLastError(), ERROR_NOACCESS);
    SetLastError(SENTINEL);
    assert_false(VirtualProtect(p, page, 0x3, &old));   /* two protections at once */
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(VirtualFree(p, 0, MEM_RELEASE));
}

static void test_protect_refuses_uncommitted_pages(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *base = (char *)VirtualAlloc(NULL, 16 * page, MEM_RESERVE, PAGE_NOACCESS);
    assert_non_null(base);
    assert_non_null(VirtualAlloc(base, page, MEM_COMMIT, PAGE_READWRITE));
    DWORD old = SENTINEL;
    SetLastError(SENTINEL);
    assert_false(VirtualProtect(base + page, page, PAGE_READWRITE, &old));
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
    SetLastError(SENTINEL);
    assert_false(VirtualProtect(base, 2 * page, PAGE_READONLY, &old));   /* runs into reserved pages */
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
    assert_true(VirtualProtect(base, page, PAGE_READONLY, &old));
    assert_int_equal(old, PAGE_READWRITE);
    assert_true(VirtualFree(base, 0, MEM_RELEASE));
}

static void test_query_reserved_and_committed(void **state)
{
    (void)state;
    DWORD page = page_size();
    char *base = (char *)VirtualAlloc(NULL, 16 * page, MEM_RESERVE, PAGE_READWRITE);
    assert_non_null(base);
    assert_non_null(VirtualAlloc(base + 2 * page, 3 * page, MEM_COMMIT, PAGE_READWRITE));
    DWORD old;
    assert_true(VirtualProtect(base + 4 * page, page, PAGE_READONLY, &old));

    MEMORY_BASIC_INFORMATION mbi;
    assert_int_equal(sizeof mbi, 48);
    assert_int_equal(VirtualQuery(base + 100, &mbi, sizeof mbi), sizeof mbi);
    assert_ptr_equal(mbi.BaseAddress, base);
    assert_ptr_equal(mbi.AllocationBase, base);
    assert_int_equal(mbi.AllocationProtect, PAGE_READWRITE);
    assert_int_equal(mbi.RegionSize, 2 * page);
    assert_int_equal(mbi.State, MEM_RESERVE);
    assert_int_equal(mbi.Protect, 0);
    assert_int_equal(mbi.Type, MEM_PRIVATE);

    assert_int_equal(VirtualQuery(base + 2 * page, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.RegionSize, 2 * page);
    assert_int_equal(mbi.State, MEM_COMMIT);
    assert_int_equal(mbi.Protect, PAGE_READWRITE);

    assert_int_equal(VirtualQuery(base + 4 * page, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.RegionSize, page);
    assert_int_equal(mbi.Protect, PAGE_READONLY);

    assert_int_equal(VirtualQuery(base + 5 * page, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.RegionSize, 11 * page);
    assert_int_equal(mbi.State, MEM_RESERVE);

    /* Released: free. */
    assert_true(VirtualFree(base, 0, MEM_RELEASE));
    assert_int_equal(VirtualQuery(base, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.State, MEM_FREE);
    assert_null(mbi.AllocationBase);
    assert_int_equal(mbi.Protect, PAGE_NOACCESS);
    assert_true(mbi.RegionSize >= 16 * page || mbi.RegionSize >= page);
}

static int a_global = 5;

static void test_query_other_memory(void **state)
{
    (void)state;
    MEMORY_BASIC_INFORMATION mbi;
    int on_stack = 0;
    assert_int_equal(VirtualQuery(&on_stack, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.State, MEM_COMMIT);
    assert_int_equal(mbi.Protect, PAGE_READWRITE);
    assert_true((char *)mbi.BaseAddress <= (char *)&on_stack &&
                (char *)&on_stack < (char *)mbi.BaseAddress + mbi.RegionSize);
    assert_int_equal(VirtualQuery(&a_global, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.State, MEM_COMMIT);
    assert_int_equal(mbi.Protect & (PAGE_READWRITE | PAGE_WRITECOPY), mbi.Protect);
    SetLastError(SENTINEL);
    assert_int_equal(VirtualQuery(&on_stack, &mbi, sizeof mbi - 1), 0);
    assert_int_equal(GetLastError(), ERROR_BAD_LENGTH);
    SetLastError(SENTINEL);
    assert_int_equal(VirtualQuery((LPCVOID)(ULONG_PTR)0xFFFFFFFFFFFF0000ull, &mbi, sizeof mbi), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void test_large_page_minimum(void **state)
{
    (void)state;
    SIZE_T large = GetLargePageMinimum();
    /* 0 without large pages, else a power of two above the page size. */
    if (large != 0) {
        assert_true(large > page_size());
        assert_int_equal(large & (large - 1), 0);
    }
}

static void test_global_memory_status(void **state)
{
    (void)state;
    MEMORYSTATUSEX status;
    memset(&status, 0, sizeof status);
    SetLastError(SENTINEL);
    assert_false(GlobalMemoryStatusEx(&status));   /* dwLength not set */
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    status.dwLength = sizeof status;
    assert_true(GlobalMemoryStatusEx(&status));
    assert_true(status.dwMemoryLoad <= 100);
    assert_true(status.ullTotalPhys > 0 && status.ullAvailPhys <= status.ullTotalPhys);
    assert_true(status.ullTotalPageFile >= status.ullTotalPhys);
    assert_true(status.ullAvailVirtual > 0 && status.ullAvailVirtual <= status.ullTotalVirtual);
    assert_int_equal(status.ullAvailExtendedVirtual, 0);
}

static void test_heap_set_information(void **state)
{
    (void)state;
    ULONG lfh = 2, look_aside = 1;
    assert_true(HeapSetInformation(NULL, HeapEnableTerminationOnCorruption, NULL, 0));
    assert_true(HeapSetInformation(GetProcessHeap(), HeapCompatibilityInformation, &lfh, sizeof lfh));
    SetLastError(SENTINEL);
    assert_false(HeapSetInformation(GetProcessHeap(), HeapCompatibilityInformation, &lfh, 2));
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    SetLastError(SENTINEL);
    assert_false(HeapSetInformation(GetProcessHeap(), HeapCompatibilityInformation, &look_aside, sizeof look_aside));
    assert_int_equal(GetLastError(), ERROR_GEN_FAILURE);
    ULONG mode = 0;
    SIZE_T got = 0;
    assert_true(HeapQueryInformation(GetProcessHeap(), HeapCompatibilityInformation, &mode, sizeof mode, &got));
    assert_int_equal(mode, 2);
    assert_int_equal(got, sizeof(ULONG));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_protect_returns_old_protection),
        cmocka_unit_test(test_protect_refuses_uncommitted_pages),
        cmocka_unit_test(test_query_reserved_and_committed),
        cmocka_unit_test(test_query_other_memory),
        cmocka_unit_test(test_large_page_minimum),
        cmocka_unit_test(test_global_memory_status),
        cmocka_unit_test(test_heap_set_information),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
