/*
 * Thread priorities, affinity and the current processor as Windows
 * reports them: SetThreadPriority accepts the THREAD_PRIORITY_* values and
 * GetThreadPriority gives them back, other values are
 * ERROR_INVALID_PARAMETER, background mode has its own errors;
 * SetThreadAffinityMask returns the previous mask and refuses processors
 * the process does not have. Plain Win32.
 */
#include "conformance.h"

/* Windows' codes, which mingw-w64's winerror.h lacks. */
#ifndef ERROR_THREAD_MODE_ALREADY_BACKGROUND
#define ERROR_THREAD_MODE_ALREADY_BACKGROUND 400L
#endif
#ifndef ERROR_THREAD_MODE_NOT_BACKGROUND
#define ERROR_THREAD_MODE_NOT_BACKGROUND 401L
#endif

static void test_priorities_round_trip(void **state)
{
    (void)state;
    const int values[] = {
        THREAD_PRIORITY_IDLE, THREAD_PRIORITY_LOWEST, THREAD_PRIORITY_BELOW_NORMAL, THREAD_PRIORITY_NORMAL,
        THREAD_PRIORITY_ABOVE_NORMAL, THREAD_PRIORITY_HIGHEST, THREAD_PRIORITY_TIME_CRITICAL,
    };
    assert_int_equal(GetThreadPriority(GetCurrentThread()), THREAD_PRIORITY_NORMAL);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        assert_true(SetThreadPriority(GetCurrentThread(), values[i]));
        assert_int_equal(GetThreadPriority(GetCurrentThread()), values[i]);
    }
    SetLastError(SENTINEL);
    assert_false(SetThreadPriority(GetCurrentThread(), 3));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_int_equal(GetThreadPriority(GetCurrentThread()), THREAD_PRIORITY_TIME_CRITICAL);
    assert_true(SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_NORMAL));
}

static DWORD WINAPI wait_for_event(LPVOID arg)
{
    WaitForSingleObject((HANDLE)arg, 10000);
    return (DWORD)GetThreadPriority(GetCurrentThread());
}

static void test_priority_of_another_thread(void **state)
{
    (void)state;
    HANDLE go = CreateEvent(NULL, TRUE, FALSE, NULL);
    HANDLE t = CreateThread(NULL, 0, wait_for_event, go, 0, NULL);
    assert_non_null(t);
    assert_int_equal(GetThreadPriority(t), THREAD_PRIORITY_NORMAL);
    assert_true(SetThreadPriority(t, THREAD_PRIORITY_HIGHEST));
    assert_int_equal(GetThreadPriority(t), THREAD_PRIORITY_HIGHEST);
    /* Background mode is for the calling thread only. */
    SetLastError(SENTINEL);
    assert_false(SetThreadPriority(t, THREAD_MODE_BACKGROUND_BEGIN));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(SetEvent(go));
    assert_int_equal(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    DWORD code = 0;
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, THREAD_PRIORITY_HIGHEST);   /* the thread saw it too */
    assert_true(CloseHandle(t));
    assert_true(CloseHandle(go));
}

static void test_background_mode_errors(void **state)
{
    (void)state;
    SetLastError(SENTINEL);
    assert_false(SetThreadPriority(GetCurrentThread(), THREAD_MODE_BACKGROUND_END));
    assert_int_equal(GetLastError(), ERROR_THREAD_MODE_NOT_BACKGROUND);
    assert_true(SetThreadPriority(GetCurrentThread(), THREAD_MODE_BACKGROUND_BEGIN));
    SetLastError(SENTINEL);
    assert_false(SetThreadPriority(GetCurrentThread(), THREAD_MODE_BACKGROUND_BEGIN));
    assert_int_equal(GetLastError(), ERROR_THREAD_MODE_ALREADY_BACKGROUND);
    assert_true(SetThreadPriority(GetCurrentThread(), THREAD_MODE_BACKGROUND_END));
}

static void test_bad_handles(void **state)
{
    (void)state;
    HANDLE ev = CreateEvent(NULL, TRUE, FALSE, NULL);
    SetLastError(SENTINEL);
    assert_int_equal(GetThreadPriority(ev), THREAD_PRIORITY_ERROR_RETURN);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_false(SetThreadPriority(NULL, THREAD_PRIORITY_NORMAL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_int_equal(SetThreadAffinityMask(ev, 1), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_true(CloseHandle(ev));
}

static void test_affinity_returns_previous_mask(void **state)
{
    (void)state;
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    DWORD_PTR all = si.dwActiveProcessorMask;
    DWORD_PTR lowest = all & (~all + 1);
    DWORD_PTR previous = SetThreadAffinityMask(GetCurrentThread(), lowest);
    assert_int_not_equal(previous, 0);
    assert_int_equal(previous & ~all, 0);
    assert_int_equal(SetThreadAffinityMask(GetCurrentThread(), previous), lowest);
    /* A processor outside the process's set, and the empty set, are refused. */
    DWORD_PTR not_all = ~all;
    DWORD_PTR outside = not_all & (~not_all + 1);   /* the lowest processor it lacks */
    if (outside != 0) {
        SetLastError(SENTINEL);
        assert_int_equal(SetThreadAffinityMask(GetCurrentThread(), outside), 0);
        assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    }
    SetLastError(SENTINEL);
    assert_int_equal(SetThreadAffinityMask(GetCurrentThread(), 0), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void test_current_processor_is_in_the_mask(void **state)
{
    (void)state;
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    DWORD cpu = GetCurrentProcessorNumber();
    assert_true(cpu < 64);
    assert_true((si.dwActiveProcessorMask >> cpu) & 1);
    /* Pinned to one processor, the thread runs there. */
    DWORD_PTR one = (DWORD_PTR)1 << cpu;
    DWORD_PTR previous = SetThreadAffinityMask(GetCurrentThread(), one);
    assert_int_not_equal(previous, 0);
    Sleep(1);
    assert_int_equal(GetCurrentProcessorNumber(), cpu);
    assert_int_not_equal(SetThreadAffinityMask(GetCurrentThread(), previous), 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priorities_round_trip),
        cmocka_unit_test(test_priority_of_another_thread),
        cmocka_unit_test(test_background_mode_errors),
        cmocka_unit_test(test_bad_handles),
        cmocka_unit_test(test_affinity_returns_previous_mask),
        cmocka_unit_test(test_current_processor_is_in_the_mask),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
