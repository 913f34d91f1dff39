/*
 * Waitable timers and the winmm timer calls as Windows behaves: relative
 * (negative, 100 ns) and absolute (FILETIME) due times, periods,
 * manual-reset timers that stay signalled, synchronization timers that
 * release one waiter per expiry, CancelWaitableTimer, waits on timers with
 * WaitForMultipleObjects, the errors of bad arguments; timeGetTime,
 * timeBeginPeriod/timeEndPeriod and timeGetDevCaps. Plain Win32.
 */
#include "conformance.h"

#include <mmsystem.h>

static LARGE_INTEGER relative_ms(LONGLONG ms)
{
    LARGE_INTEGER due;
    due.QuadPart = -ms * 10000;
    return due;
}

static void test_relative_due_time(void **state)
{
    (void)state;
    HANDLE timer = CreateWaitableTimer(NULL, TRUE, NULL);
    assert_non_null(timer);
    /* A new timer is not signalled. */
    assert_int_equal(WaitForSingleObject(timer, 0), WAIT_TIMEOUT);
    LARGE_INTEGER due = relative_ms(100);
    ULONGLONG start = GetTickCount64();
    assert_true(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    assert_int_equal(WaitForSingleObject(timer, 30), WAIT_TIMEOUT);
    assert_int_equal(WaitForSingleObject(timer, 5000), WAIT_OBJECT_0);
    ULONGLONG took = GetTickCount64() - start;
    assert_true(took >= 95 && took < 2000);
    /* Manual reset: it stays signalled. */
    assert_int_equal(WaitForSingleObject(timer, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(timer, 0), WAIT_OBJECT_0);
    /* Setting it again makes it unsignalled until it expires. */
    due = relative_ms(5000);
    assert_true(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    assert_int_equal(WaitForSingleObject(timer, 0), WAIT_TIMEOUT);
    assert_true(CancelWaitableTimer(timer));
    assert_true(CloseHandle(timer));
}

static void test_absolute_due_time(void **state)
{
    (void)state;
    HANDLE timer = CreateWaitableTimer(NULL, FALSE, NULL);
    assert_non_null(timer);
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    LARGE_INTEGER due;
    due.QuadPart = (LONGLONG)(((ULONGLONG)now.dwHighDateTime << 32) | now.dwLowDateTime) + 100 * 10000;
    assert_true(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    assert_int_equal(WaitForSingleObject(timer, 20), WAIT_TIMEOUT);
    assert_int_equal(WaitForSingleObject(timer, 5000), WAIT_OBJECT_0);
    /* A due time in the past expires at once. */
    due.QuadPart = 1;
    assert_true(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    assert_int_equal(WaitForSingleObject(timer, 2000), WAIT_OBJECT_0);
    assert_true(CloseHandle(timer));
}

static void test_synchronization_timer_releases_one_waiter(void **state)
{
    (void)state;
    HANDLE timer = CreateWaitableTimerEx(NULL, NULL, 0, TIMER_ALL_ACCESS);
    assert_non_null(timer);
    LARGE_INTEGER due = relative_ms(10);
    assert_true(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    assert_int_equal(WaitForSingleObject(timer, 5000), WAIT_OBJECT_0);
    /* The wait took the signal. */
    assert_int_equal(WaitForSingleObject(timer, 50), WAIT_TIMEOUT);
    assert_true(CloseHandle(timer));
}

static void test_periodic_timer(void **state)
{
    (void)state;
    HANDLE timer = CreateWaitableTimer(NULL, FALSE, NULL);
    assert_non_null(timer);
    LARGE_INTEGER due = relative_ms(20);
    ULONGLONG start = GetTickCount64();
    assert_true(SetWaitableTimer(timer, &due, 30, NULL, NULL, FALSE));
    for (int i = 0; i < 5; i++)
        assert_int_equal(WaitForSingleObject(timer, 5000), WAIT_OBJECT_0);
    ULONGLONG took = GetTickCount64() - start;
    assert_true(took >= 20 + 4 * 30 - 5);   /* 20 ms, then four periods */
    assert_true(CancelWaitableTimer(timer));
    /* Cancelled: no more expiries. */
    assert_int_equal(WaitForSingleObject(timer, 100), WAIT_TIMEOUT);
    assert_true(CloseHandle(timer));
}

static void test_cancel_keeps_signalled_state(void **state)
{
    (void)state;
    HANDLE timer = CreateWaitableTimerEx(NULL, NULL, CREATE_WAITABLE_TIMER_MANUAL_RESET, TIMER_MODIFY_STATE);
    assert_non_null(timer);
    LARGE_INTEGER due = relative_ms(1);
    assert_true(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    assert_int_equal(WaitForSingleObject(timer, 5000), WAIT_OBJECT_0);
    assert_true(CancelWaitableTimer(timer));
    assert_int_equal(WaitForSingleObject(timer, 0), WAIT_OBJECT_0);
    /* A cancel before expiry keeps it unsignalled. */
    due = relative_ms(50);
    assert_true(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    assert_true(CancelWaitableTimer(timer));
    assert_int_equal(WaitForSingleObject(timer, 150), WAIT_TIMEOUT);
    assert_true(CloseHandle(timer));
}

static void test_wait_for_multiple_timers(void **state)
{
    (void)state;
    HANDLE timers[2] = { CreateWaitableTimerA(NULL, TRUE, NULL), CreateWaitableTimerW(NULL, TRUE, NULL) };
    assert_non_null(timers[0]);
    assert_non_null(timers[1]);
    LARGE_INTEGER slow = relative_ms(400), fast = relative_ms(30);
    assert_true(SetWaitableTimer(timers[0], &slow, 0, NULL, NULL, FALSE));
    assert_true(SetWaitableTimer(timers[1], &fast, 0, NULL, NULL, FALSE));
    assert_int_equal(WaitForMultipleObjects(2, timers, FALSE, 5000), WAIT_OBJECT_0 + 1);
    assert_int_equal(WaitForMultipleObjects(2, timers, TRUE, 5000), WAIT_OBJECT_0);
    assert_true(CloseHandle(timers[0]));
    assert_true(CloseHandle(timers[1]));
}

static void test_timer_errors(void **state)
{
    (void)state;
    HANDLE timer = CreateWaitableTimer(NULL, FALSE, NULL);
    LARGE_INTEGER due = relative_ms(10);
    SetLastError(SENTINEL);
    assert_false(SetWaitableTimer(timer, &due, -1, NULL, NULL, FALSE));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    HANDLE event = CreateEvent(NULL, FALSE, FALSE, NULL);
    SetLastError(SENTINEL);
    assert_false(SetWaitableTimer(event, &due, 0, NULL, NULL, FALSE));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_false(CancelWaitableTimer(event));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    /* Without resume support, Windows succeeds and says so. */
    SetLastError(SENTINEL);
    assert_true(SetWaitableTimer(timer, &due, 0, NULL, NULL, TRUE));
    assert_int_equal(GetLastError(), ERROR_NOT_SUPPORTED);
    assert_int_equal(WaitForSingleObject(timer, 5000), WAIT_OBJECT_0);
    assert_true(CloseHandle(event));
    assert_true(CloseHandle(timer));
}

/* A timer closed while armed must not fire into freed memory. */
static void test_close_armed_timer(void **state)
{
    (void)state;
    for (int i = 0; i < 50; i++) {
        HANDLE timer = CreateWaitableTimer(NULL, FALSE, NULL);
        LARGE_INTEGER due = relative_ms(i % 3);
        assert_true(SetWaitableTimer(timer, &due, 1, NULL, NULL, FALSE));
        assert_true(CloseHandle(timer));
    }
    Sleep(20);
}

static void test_time_get_time(void **state)
{
    (void)state;
    DWORD a = timeGetTime();
    Sleep(50);
    DWORD b = timeGetTime();
    assert_true(b - a >= 45 && b - a < 2000);   /* unsigned difference: right across the wrap */
}

static void test_time_periods(void **state)
{
    (void)state;
    assert_int_equal(timeBeginPeriod(1), TIMERR_NOERROR);
    assert_int_equal(timeEndPeriod(1), TIMERR_NOERROR);
    assert_int_equal(timeBeginPeriod(0), TIMERR_NOCANDO);
    assert_int_equal(timeEndPeriod(0), TIMERR_NOCANDO);
    TIMECAPS caps;
    assert_int_equal(timeGetDevCaps(&caps, sizeof caps), MMSYSERR_NOERROR);
    assert_int_equal(caps.wPeriodMin, 1);
    assert_true(caps.wPeriodMax >= 1000);
    assert_int_equal(timeGetDevCaps(&caps, 1), TIMERR_NOCANDO);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relative_due_time),
        cmocka_unit_test(test_absolute_due_time),
        cmocka_unit_test(test_synchronization_timer_releases_one_waiter),
        cmocka_unit_test(test_periodic_timer),
        cmocka_unit_test(test_cancel_keeps_signalled_state),
        cmocka_unit_test(test_wait_for_multiple_timers),
        cmocka_unit_test(test_timer_errors),
        cmocka_unit_test(test_close_armed_timer),
        cmocka_unit_test(test_time_get_time),
        cmocka_unit_test(test_time_periods),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
