/*
 * Thread-local storage slots as Windows behaves: 1088 of them (64 + 1024),
 * TLS_OUT_OF_INDEXES with ERROR_NO_MORE_ITEMS when none is left, values
 * per thread, a freed and reallocated slot reading NULL everywhere,
 * TlsGetValue setting ERROR_SUCCESS, and the errors of bad indexes.
 * Plain Win32.
 */
#include "conformance.h"

static void test_alloc_set_get_free(void **state)
{
    (void)state;
    DWORD index = TlsAlloc();
    assert_int_not_equal(index, TLS_OUT_OF_INDEXES);
    SetLastError(SENTINEL);
    assert_null(TlsGetValue(index));
    assert_int_equal(GetLastError(), ERROR_SUCCESS);
    int value = 7;
    assert_true(TlsSetValue(index, &value));
    SetLastError(SENTINEL);
    assert_ptr_equal(TlsGetValue(index), &value);
    assert_int_equal(GetLastError(), ERROR_SUCCESS);
    assert_true(TlsFree(index));
}

static DWORD WINAPI read_slot(LPVOID arg)
{
    DWORD index = *(DWORD *)arg;
    LPVOID before = TlsGetValue(index);
    TlsSetValue(index, (LPVOID)(ULONG_PTR)0x42);
    return before == NULL && TlsGetValue(index) == (LPVOID)(ULONG_PTR)0x42 ? 1 : 0;
}

static void test_values_are_per_thread(void **state)
{
    (void)state;
    DWORD index = TlsAlloc();
    assert_int_not_equal(index, TLS_OUT_OF_INDEXES);
    assert_true(TlsSetValue(index, (LPVOID)(ULONG_PTR)0x99));
    HANDLE t = CreateThread(NULL, 0, read_slot, &index, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    DWORD code = 0;
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, 1);   /* the thread saw NULL, then its own value */
    assert_true(CloseHandle(t));
    assert_ptr_equal(TlsGetValue(index), (LPVOID)(ULONG_PTR)0x99);
    assert_true(TlsFree(index));
}

static void test_freed_slot_reads_null_when_reused(void **state)
{
    (void)state;
    DWORD index = TlsAlloc();
    assert_int_not_equal(index, TLS_OUT_OF_INDEXES);
    assert_true(TlsSetValue(index, (LPVOID)(ULONG_PTR)0x1234));
    assert_true(TlsFree(index));
    /* The lowest free slot comes back first. */
    DWORD again = TlsAlloc();
    assert_int_equal(again, index);
    assert_null(TlsGetValue(again));
    assert_true(TlsFree(again));
}

static void test_slot_count_and_exhaustion(void **state)
{
    (void)state;
    static DWORD got[2000];
    DWORD n = 0;
    for (;;) {
        DWORD index = TlsAlloc();
        if (index == TLS_OUT_OF_INDEXES)
            break;
        assert_true(n < 2000);
        got[n++] = index;
    }
    assert_int_equal(GetLastError(), ERROR_NO_MORE_ITEMS);
    /* The process may hold a few slots of its own; the rest were ours. */
    assert_true(n + 8 >= TLS_MINIMUM_AVAILABLE + 1024 && n <= TLS_MINIMUM_AVAILABLE + 1024);
    DWORD highest = 0;
    for (DWORD i = 0; i < n; i++)
        highest = got[i] > highest ? got[i] : highest;
    assert_int_equal(highest, TLS_MINIMUM_AVAILABLE + 1024 - 1);
    /* An expansion slot holds values like the first 64. */
    assert_true(TlsSetValue(highest, (LPVOID)(ULONG_PTR)5));
    assert_ptr_equal(TlsGetValue(highest), (LPVOID)(ULONG_PTR)5);
    for (DWORD i = 0; i < n; i++)
        assert_true(TlsFree(got[i]));
}

static void test_bad_indexes(void **state)
{
    (void)state;
    SetLastError(SENTINEL);
    assert_null(TlsGetValue(TLS_MINIMUM_AVAILABLE + 1024));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_false(TlsSetValue(TLS_OUT_OF_INDEXES, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_false(TlsFree(TLS_OUT_OF_INDEXES));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* Freeing a slot twice fails the second time. */
    DWORD index = TlsAlloc();
    assert_true(TlsFree(index));
    SetLastError(SENTINEL);
    assert_false(TlsFree(index));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_set_get_free),
        cmocka_unit_test(test_values_are_per_thread),
        cmocka_unit_test(test_freed_slot_reads_null_when_reused),
        cmocka_unit_test(test_slot_count_and_exhaustion),
        cmocka_unit_test(test_bad_indexes),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
