/*
 * One-time initialisation as Windows behaves: the callback runs once while
 * other threads wait for it, its context comes back to every caller, a
 * failing callback leaves the INIT_ONCE to be tried again, and the
 * two-step form (InitOnceBeginInitialize / InitOnceComplete) with its
 * errors. Plain Win32.
 */
#include "conformance.h"

static LONG volatile calls;

static BOOL WINAPI count_once(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    InterlockedIncrement(&calls);
    Sleep(50);   /* long enough for the other threads to arrive and wait */
    *context = parameter;
    return TRUE;
}

static INIT_ONCE shared_once = INIT_ONCE_STATIC_INIT;
static int shared_target;

static DWORD WINAPI run_once(LPVOID arg)
{
    (void)arg;
    LPVOID context = NULL;
    BOOL ok = InitOnceExecuteOnce(&shared_once, count_once, &shared_target, &context);
    /* The callback has finished by the time anyone returns. */
    return ok && context == &shared_target && calls == 1 ? 1 : 0;
}

static void test_runs_once_across_threads(void **state)
{
    (void)state;
    calls = 0;
    HANDLE threads[8];
    for (int i = 0; i < 8; i++)
        assert_non_null(threads[i] = CreateThread(NULL, 0, run_once, NULL, 0, NULL));
    assert_int_equal(WaitForMultipleObjects(8, threads, TRUE, 10000), WAIT_OBJECT_0);
    for (int i = 0; i < 8; i++) {
        DWORD code = 0;
        assert_true(GetExitCodeThread(threads[i], &code));
        assert_int_equal(code, 1);
        assert_true(CloseHandle(threads[i]));
    }
    assert_int_equal(calls, 1);
    LPVOID context = NULL;
    assert_true(InitOnceExecuteOnce(&shared_once, count_once, NULL, &context));
    assert_ptr_equal(context, &shared_target);
    assert_int_equal(calls, 1);
}

static int fail_next;

static BOOL WINAPI maybe_fail(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    (void)parameter;
    InterlockedIncrement(&calls);
    if (fail_next) {
        SetLastError(ERROR_NOT_FOUND);
        return FALSE;
    }
    *context = (PVOID)(ULONG_PTR)0x1000;
    return TRUE;
}

static void test_failed_callback_leaves_it_uninitialised(void **state)
{
    (void)state;
    INIT_ONCE once;
    InitOnceInitialize(&once);
    assert_null(once.Ptr);
    calls = 0;
    fail_next = 1;
    LPVOID context = (LPVOID)(ULONG_PTR)0x55;
    SetLastError(SENTINEL);
    assert_false(InitOnceExecuteOnce(&once, maybe_fail, NULL, &context));
    assert_int_equal(GetLastError(), ERROR_NOT_FOUND);   /* the callback's */
    assert_null(once.Ptr);
    fail_next = 0;
    assert_true(InitOnceExecuteOnce(&once, maybe_fail, NULL, &context));
    assert_ptr_equal(context, (LPVOID)(ULONG_PTR)0x1000);
    assert_true(InitOnceExecuteOnce(&once, maybe_fail, NULL, NULL));
    assert_int_equal(calls, 2);
}

static void test_begin_and_complete(void **state)
{
    (void)state;
    INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    BOOL pending = 0xf;
    LPVOID context = NULL;
    SetLastError(SENTINEL);
    assert_false(InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
    assert_int_equal(GetLastError(), ERROR_GEN_FAILURE);
    assert_int_equal(pending, 0xf);
    SetLastError(SENTINEL);
    assert_false(InitOnceComplete(&once, 0, NULL));   /* nothing begun */
    assert_int_equal(GetLastError(), ERROR_GEN_FAILURE);

    assert_true(InitOnceBeginInitialize(&once, 0, &pending, &context));
    assert_true(pending);
    assert_ptr_equal(once.Ptr, (void *)1);
    /* A context with its low bits set is refused. */
    SetLastError(SENTINEL);
    assert_false(InitOnceComplete(&once, 0, (LPVOID)(ULONG_PTR)0x1001));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(InitOnceComplete(&once, INIT_ONCE_INIT_FAILED, NULL));
    assert_null(once.Ptr);

    assert_true(InitOnceBeginInitialize(&once, 0, &pending, &context));
    assert_true(pending);
    assert_true(InitOnceComplete(&once, 0, (LPVOID)(ULONG_PTR)0x2000));
    pending = TRUE;
    assert_true(InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
    assert_false(pending);
    assert_ptr_equal(context, (LPVOID)(ULONG_PTR)0x2000);
    assert_true(InitOnceBeginInitialize(&once, 0, &pending, &context));
    assert_false(pending);
    SetLastError(SENTINEL);
    assert_false(InitOnceBeginInitialize(&once, 0x80, &pending, &context));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_once_across_threads),
        cmocka_unit_test(test_failed_callback_leaves_it_uninitialised),
        cmocka_unit_test(test_begin_and_complete),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
