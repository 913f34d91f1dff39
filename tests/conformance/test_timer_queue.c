/*
 * Timer queues, registered waits and QueueUserWorkItem as Windows behaves:
 * one-shot and periodic timers on a queue and on the default queue,
 * ChangeTimerQueueTimer, DeleteTimerQueueTimer's CompletionEvent rules
 * (INVALID_HANDLE_VALUE waits for a running callback; NULL or an event
 * returns ERROR_IO_PENDING while one runs, and the event is set when it
 * ends), DeleteTimerQueueEx, RegisterWaitForSingleObject with signals and
 * timeouts (TimerOrWaitFired), WT_EXECUTEONLYONCE, UnregisterWait(Ex).
 * Plain Win32.
 */
#include "conformance.h"

typedef struct ticks {
    LONG volatile count;
    LONG volatile fired_true;   /* callbacks told TimerOrWaitFired = TRUE */
    HANDLE event;               /* set on each callback, when not NULL */
    DWORD sleep_ms;             /* each callback sleeps this long */
    LONG volatile running;
    LONG volatile finished;
} ticks;

/* Callbacks may still run on other threads: counters are read atomically. */
#define LOAD(x) InterlockedCompareExchange(&(x), 0, 0)

static VOID CALLBACK tick(PVOID parameter, BOOLEAN timer_or_wait_fired)
{
    ticks *t = (ticks *)parameter;
    InterlockedIncrement(&t->running);
    InterlockedIncrement(&t->count);
    if (timer_or_wait_fired)
        InterlockedIncrement(&t->fired_true);
    if (t->event != NULL)
        SetEvent(t->event);
    if (t->sleep_ms != 0)
        Sleep(t->sleep_ms);
    InterlockedIncrement(&t->finished);
    InterlockedDecrement(&t->running);
}

static void test_one_shot_timer(void **state)
{
    (void)state;
    HANDLE queue = CreateTimerQueue();
    assert_non_null(queue);
    ticks t = { 0 };
    t.event = CreateEvent(NULL, FALSE, FALSE, NULL);
    HANDLE timer = NULL;
    assert_true(CreateTimerQueueTimer(&timer, queue, tick, &t, 50, 0, WT_EXECUTEDEFAULT));
    assert_non_null(timer);
    assert_int_equal(WaitForSingleObject(t.event, 20), WAIT_TIMEOUT);
    assert_int_equal(WaitForSingleObject(t.event, 5000), WAIT_OBJECT_0);
    Sleep(100);
    assert_int_equal(LOAD(t.count), 1);
    assert_int_equal(LOAD(t.fired_true), 1);   /* timers always pass TRUE */
    assert_true(DeleteTimerQueueTimer(queue, timer, INVALID_HANDLE_VALUE));
    assert_true(DeleteTimerQueueEx(queue, INVALID_HANDLE_VALUE));
    assert_true(CloseHandle(t.event));
}

static void test_periodic_timer_on_default_queue(void **state)
{
    (void)state;
    ticks t = { 0 };
    HANDLE timer = NULL;
    assert_true(CreateTimerQueueTimer(&timer, NULL, tick, &t, 0, 20, WT_EXECUTEINTIMERTHREAD));
    Sleep(300);
    assert_true(DeleteTimerQueueTimer(NULL, timer, INVALID_HANDLE_VALUE));
    LONG seen = LOAD(t.count);
    assert_true(seen >= 5 && seen <= 17);
    /* Deleted: it fires no more. */
    Sleep(100);
    assert_int_equal(LOAD(t.count), seen);
}

static void test_execute_only_once_ignores_period(void **state)
{
    (void)state;
    ticks t = { 0 };
    HANDLE timer = NULL;
    assert_true(CreateTimerQueueTimer(&timer, NULL, tick, &t, 10, 10, WT_EXECUTEONLYONCE));
    Sleep(200);
    assert_int_equal(LOAD(t.count), 1);
    assert_true(DeleteTimerQueueTimer(NULL, timer, INVALID_HANDLE_VALUE));
}

static void test_change_timer(void **state)
{
    (void)state;
    HANDLE queue = CreateTimerQueue();
    ticks t = { 0 };
    HANDLE timer = NULL;
    assert_true(CreateTimerQueueTimer(&timer, queue, tick, &t, 10000, 0, 0));
    /* Brought forward and made periodic. */
    assert_true(ChangeTimerQueueTimer(queue, timer, 10, 20));
    Sleep(200);
    assert_true(LOAD(t.count) >= 3);
    /* Pushed out: nothing more for a while. */
    assert_true(ChangeTimerQueueTimer(queue, timer, 10000, 0));
    Sleep(50);
    LONG seen = LOAD(t.count);
    Sleep(100);
    assert_int_equal(LOAD(t.count), seen);
    assert_true(DeleteTimerQueueEx(queue, INVALID_HANDLE_VALUE));
}

static void test_delete_waits_for_running_callback(void **state)
{
    (void)state;
    ticks t = { 0 };
    t.event = CreateEvent(NULL, FALSE, FALSE, NULL);
    t.sleep_ms = 200;
    HANDLE timer = NULL;
    assert_true(CreateTimerQueueTimer(&timer, NULL, tick, &t, 0, 0, 0));
    assert_int_equal(WaitForSingleObject(t.event, 5000), WAIT_OBJECT_0);
    assert_true(DeleteTimerQueueTimer(NULL, timer, INVALID_HANDLE_VALUE));
    assert_int_equal(LOAD(t.finished), 1);   /* returned only after the callback */
    assert_true(CloseHandle(t.event));
}

static void test_delete_with_event_is_pending_while_running(void **state)
{
    (void)state;
    ticks t = { 0 };
    t.event = CreateEvent(NULL, FALSE, FALSE, NULL);
    t.sleep_ms = 200;
    HANDLE done = CreateEvent(NULL, TRUE, FALSE, NULL);
    HANDLE timer = NULL;
    assert_true(CreateTimerQueueTimer(&timer, NULL, tick, &t, 0, 0, 0));
    assert_int_equal(WaitForSingleObject(t.event, 5000), WAIT_OBJECT_0);
    SetLastError(SENTINEL);
    assert_false(DeleteTimerQueueTimer(NULL, timer, done));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_int_equal(LOAD(t.finished), 0);
    assert_int_equal(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    assert_int_equal(LOAD(t.finished), 1);

    /* With NULL the same, without notification. */
    assert_true(CreateTimerQueueTimer(&timer, NULL, tick, &t, 0, 0, 0));
    assert_int_equal(WaitForSingleObject(t.event, 5000), WAIT_OBJECT_0);
    SetLastError(SENTINEL);
    assert_false(DeleteTimerQueueTimer(NULL, timer, NULL));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    Sleep(400);
    assert_int_equal(LOAD(t.finished), 2);

    /* Nothing running: TRUE at once, and the event is set. */
    assert_true(ResetEvent(done));
    assert_true(CreateTimerQueueTimer(&timer, NULL, tick, &t, 10000, 0, 0));
    assert_true(DeleteTimerQueueTimer(NULL, timer, done));
    assert_int_equal(WaitForSingleObject(done, 0), WAIT_OBJECT_0);
    assert_int_equal(LOAD(t.count), 2);
    assert_true(CloseHandle(done));
    assert_true(CloseHandle(t.event));
}

static void test_delete_queue_deletes_its_timers(void **state)
{
    (void)state;
    HANDLE queue = CreateTimerQueue();
    ticks t = { 0 };
    HANDLE timers[4];
    for (int i = 0; i < 4; i++)
        assert_true(CreateTimerQueueTimer(&timers[i], queue, tick, &t, 30, 0, 0));
    assert_true(DeleteTimerQueueEx(queue, INVALID_HANDLE_VALUE));
    Sleep(100);
    assert_int_equal(LOAD(t.count), 0);
    /* The queue handle is gone. */
    SetLastError(SENTINEL);
    assert_false(DeleteTimerQueueEx(queue, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void test_delete_queue_with_running_callback(void **state)
{
    (void)state;
    HANDLE queue = CreateTimerQueue();
    ticks t = { 0 };
    t.event = CreateEvent(NULL, FALSE, FALSE, NULL);
    t.sleep_ms = 150;
    HANDLE timer, done = CreateEvent(NULL, TRUE, FALSE, NULL);
    assert_true(CreateTimerQueueTimer(&timer, queue, tick, &t, 0, 0, 0));
    assert_int_equal(WaitForSingleObject(t.event, 5000), WAIT_OBJECT_0);
    SetLastError(SENTINEL);
    assert_false(DeleteTimerQueueEx(queue, done));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    assert_int_equal(LOAD(t.finished), 1);
    assert_true(CloseHandle(done));
    assert_true(CloseHandle(t.event));
}

static void test_timer_queue_errors(void **state)
{
    (void)state;
    ticks t = { 0 };
    HANDLE timer;
    SetLastError(SENTINEL);
    assert_false(CreateTimerQueueTimer(NULL, NULL, tick, &t, 0, 0, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    HANDLE event = CreateEvent(NULL, FALSE, FALSE, NULL);
    SetLastError(SENTINEL);
    assert_false(CreateTimerQueueTimer(&timer, event, tick, &t, 0, 0, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_false(DeleteTimerQueueTimer(NULL, NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_false(DeleteTimerQueueEx(NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_true(CloseHandle(event));
}

static void test_registered_wait_signal_and_timeout(void **state)
{
    (void)state;
    HANDLE event = CreateEvent(NULL, FALSE, FALSE, NULL);
    ticks t = { 0 };
    t.event = CreateEvent(NULL, FALSE, FALSE, NULL);
    HANDLE wait = NULL;
    assert_true(RegisterWaitForSingleObject(&wait, event, tick, &t, INFINITE, WT_EXECUTEDEFAULT));
    assert_non_null(wait);
    for (int i = 0; i < 3; i++) {
        assert_true(SetEvent(event));
        assert_int_equal(WaitForSingleObject(t.event, 5000), WAIT_OBJECT_0);
    }
    Sleep(20);
    assert_int_equal(LOAD(t.count), 3);
    assert_int_equal(LOAD(t.fired_true), 0);   /* signalled, not timed out */
    /* The callback's wait took the auto-reset signal. */
    assert_int_equal(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    assert_true(UnregisterWaitEx(wait, INVALID_HANDLE_VALUE));
    assert_true(SetEvent(event));
    Sleep(50);
    assert_int_equal(LOAD(t.count), 3);

    /* A timeout calls back with TRUE, again each time. */
    ticks timeouts = { 0 };
    assert_true(RegisterWaitForSingleObject(&wait, t.event, tick, &timeouts, 20, WT_EXECUTEINWAITTHREAD));
    Sleep(200);
    assert_true(UnregisterWaitEx(wait, INVALID_HANDLE_VALUE));
    assert_true(LOAD(timeouts.count) >= 3);
    assert_int_equal(LOAD(timeouts.fired_true), LOAD(timeouts.count));
    assert_true(CloseHandle(t.event));
    assert_true(CloseHandle(event));
}

static void test_registered_wait_only_once(void **state)
{
    (void)state;
    HANDLE event = CreateEvent(NULL, TRUE, TRUE, NULL);   /* stays signalled */
    ticks t = { 0 };
    HANDLE wait = NULL;
    assert_true(RegisterWaitForSingleObject(&wait, event, tick, &t, INFINITE, WT_EXECUTEONLYONCE));
    Sleep(100);
    assert_int_equal(LOAD(t.count), 1);
    assert_true(UnregisterWait(wait));
    assert_true(CloseHandle(event));
}

static void test_unregister_while_callback_runs(void **state)
{
    (void)state;
    HANDLE event = CreateEvent(NULL, FALSE, TRUE, NULL);
    ticks t = { 0 };
    t.event = CreateEvent(NULL, FALSE, FALSE, NULL);
    t.sleep_ms = 200;
    HANDLE wait = NULL, done = CreateEvent(NULL, TRUE, FALSE, NULL);
    assert_true(RegisterWaitForSingleObject(&wait, event, tick, &t, INFINITE, 0));
    assert_int_equal(WaitForSingleObject(t.event, 5000), WAIT_OBJECT_0);
    SetLastError(SENTINEL);
    assert_false(UnregisterWaitEx(wait, done));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    assert_int_equal(LOAD(t.finished), 1);
    /* The handle is gone after an unregister, pending or not. */
    SetLastError(SENTINEL);
    assert_false(UnregisterWait(wait));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_false(RegisterWaitForSingleObject(&wait, (HANDLE)(ULONG_PTR)0x12345678, tick, &t, 0, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_true(CloseHandle(done));
    assert_true(CloseHandle(t.event));
    assert_true(CloseHandle(event));
}

static DWORD WINAPI work(LPVOID context)
{
    SetEvent((HANDLE)context);
    return 0;
}

static void test_queue_user_work_item(void **state)
{
    (void)state;
    HANDLE done = CreateEvent(NULL, FALSE, FALSE, NULL);
    assert_true(QueueUserWorkItem(work, done, WT_EXECUTEDEFAULT));
    assert_int_equal(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    SetLastError(SENTINEL);
    assert_false(QueueUserWorkItem(NULL, NULL, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(CloseHandle(done));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_shot_timer),
        cmocka_unit_test(test_periodic_timer_on_default_queue),
        cmocka_unit_test(test_execute_only_once_ignores_period),
        cmocka_unit_test(test_change_timer),
        cmocka_unit_test(test_delete_waits_for_running_callback),
        cmocka_unit_test(test_delete_with_event_is_pending_while_running),
        cmocka_unit_test(test_delete_queue_deletes_its_timers),
        cmocka_unit_test(test_delete_queue_with_running_callback),
        cmocka_unit_test(test_timer_queue_errors),
        cmocka_unit_test(test_registered_wait_signal_and_timeout),
        cmocka_unit_test(test_registered_wait_only_once),
        cmocka_unit_test(test_unregister_while_callback_runs),
        cmocka_unit_test(test_queue_user_work_item),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
