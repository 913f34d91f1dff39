/*
 * Threads and waits: CreateThread/_beginthreadex/ExitThread, exit codes and
 * ids, CREATE_SUSPENDED, WaitForSingleObject/WaitForMultipleObjects over
 * events, semaphores, mutexes and threads, WSAWaitForMultipleEvents, and a
 * blocked wait giving up its completion-port slot.
 */
#include "conformance.h"

#include <process.h>

/* What a helper thread saw, for the test thread to assert. */
typedef struct probe {
    HANDLE go;             /* the helper waits for this before finishing */
    volatile LONG started;
    volatile LONG finished;
    DWORD tid;
    DWORD result;
    DWORD error;
} probe;

static DWORD WINAPI report_and_wait(LPVOID arg)
{
    probe *p = (probe *)arg;
    p->tid = GetCurrentThreadId();
    InterlockedExchange(&p->started, 1);
    p->result = WaitForSingleObject(p->go, 5000);
    InterlockedExchange(&p->finished, 1);
    return 17;
}

static void test_exit_code_and_ids(void **state)
{
    probe p;
    DWORD tid = 0, code = 0;
    HANDLE t;
    (void)state;
    memset(&p, 0, sizeof(p));
    p.go = CreateEvent(NULL, TRUE, FALSE, NULL);
    assert_non_null(p.go);
    t = CreateThread(NULL, 0, report_and_wait, &p, 0, &tid);
    assert_non_null(t);
    assert_true(wait_flag(&p.started, 5000));
    /* The id given back is the one the thread sees, and not ours. */
    assert_int_equal(tid, p.tid);
    assert_int_equal(GetThreadId(t), tid);
    assert_true(tid != GetCurrentThreadId());
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, STILL_ACTIVE);
    assert_int_equal(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    assert_true(SetEvent(p.go));
    assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    assert_int_equal(p.result, WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, 17);
    /* A thread that ended stays signalled. */
    assert_int_equal(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    assert_true(CloseHandle(t));
    assert_true(CloseHandle(p.go));
    /* A closed handle is no handle. */
    SetLastError(SENTINEL);
    assert_false(GetExitCodeThread(t, &code));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static volatile LONG after_exit;

static void exit_deep(DWORD code)
{
    ExitThread(code);
}

static DWORD WINAPI exits_early(LPVOID arg)
{
    (void)arg;
    exit_deep(42);
    InterlockedExchange(&after_exit, 1);
    return 1;
}

static void test_exit_thread(void **state)
{
    DWORD code = 0;
    HANDLE t;
    (void)state;
    t = start_thread(exits_early, NULL);
    assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, 42);
    assert_int_equal(InterlockedCompareExchange(&after_exit, 0, 0), 0);
    assert_true(CloseHandle(t));
}

static unsigned __stdcall crt_thread(void *arg)
{
    probe *p = (probe *)arg;
    p->tid = GetCurrentThreadId();
    _endthreadex(7);
    return 1;
}

static unsigned __stdcall crt_thread_returns(void *arg)
{
    return (unsigned)(uintptr_t)arg;
}

static void test_beginthreadex(void **state)
{
    probe p;
    unsigned tid = 0;
    DWORD code = 0;
    uintptr_t h;
    HANDLE both[2];
    (void)state;
    memset(&p, 0, sizeof(p));
    h = _beginthreadex(NULL, 0, crt_thread, &p, 0, &tid);
    assert_true(h != 0);
    assert_int_equal(WaitForSingleObject((HANDLE)h, 5000), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread((HANDLE)h, &code));
    assert_int_equal(code, 7);
    assert_int_equal(tid, p.tid);
    assert_true(CloseHandle((HANDLE)h));

    both[0] = (HANDLE)_beginthreadex(NULL, 65536, crt_thread_returns, (void *)(uintptr_t)5, 0, NULL);
    both[1] = (HANDLE)_beginthreadex(NULL, 0, crt_thread_returns, (void *)(uintptr_t)6, 0, NULL);
    assert_non_null(both[0]);
    assert_non_null(both[1]);
    assert_int_equal(WaitForMultipleObjects(2, both, TRUE, 5000), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(both[0], &code));
    assert_int_equal(code, 5);
    assert_true(GetExitCodeThread(both[1], &code));
    assert_int_equal(code, 6);
    assert_true(CloseHandle(both[0]));
    assert_true(CloseHandle(both[1]));
}

static DWORD WINAPI sets_flag(LPVOID arg)
{
    InterlockedExchange((volatile LONG *)arg, 1);
    return 0;
}

static void test_create_suspended(void **state)
{
    volatile LONG ran = 0;
    DWORD tid = 0;
    HANDLE t;
    (void)state;
    t = CreateThread(NULL, 0, sets_flag, (LPVOID)&ran, CREATE_SUSPENDED, &tid);
    assert_non_null(t);
    assert_true(tid != 0);
    assert_int_equal(WaitForSingleObject(t, 100), WAIT_TIMEOUT);
    assert_int_equal(InterlockedCompareExchange(&ran, 0, 0), 0);
    /* ResumeThread returns the suspend count before the call. */
    assert_int_equal(ResumeThread(t), 1);
    assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    assert_int_equal(InterlockedCompareExchange(&ran, 0, 0), 1);
    assert_int_equal(ResumeThread(t), 0);
    assert_true(CloseHandle(t));
    SetLastError(SENTINEL);
    assert_int_equal(ResumeThread(t), (DWORD)-1);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void test_wait_single(void **state)
{
    HANDLE ev = CreateEvent(NULL, FALSE, FALSE, NULL);
    DWORD t0;
    (void)state;
    assert_non_null(ev);
    t0 = GetTickCount();
    assert_int_equal(WaitForSingleObject(ev, 50), WAIT_TIMEOUT);
    assert_true(GetTickCount() - t0 >= 40);   /* it did wait (tick granularity aside) */
    assert_int_equal(WaitForSingleObjectEx(ev, 0, TRUE), WAIT_TIMEOUT);
    assert_true(SetEvent(ev));
    assert_int_equal(WaitForSingleObjectEx(ev, INFINITE, FALSE), WAIT_OBJECT_0);
    /* Auto-reset: the wait took the signal. */
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    assert_true(CloseHandle(ev));

    SetLastError(SENTINEL);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_int_equal(WaitForSingleObject(NULL, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_false(CloseHandle(ev));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void test_wait_any(void **state)
{
    HANDLE ev[3];
    int i;
    (void)state;
    for (i = 0; i < 3; i++) {
        ev[i] = CreateEvent(NULL, i == 0, FALSE, NULL);   /* 0 manual, 1 and 2 auto */
        assert_non_null(ev[i]);
    }
    assert_int_equal(WaitForMultipleObjects(3, ev, FALSE, 0), WAIT_TIMEOUT);
    assert_int_equal(WaitForMultipleObjects(3, ev, FALSE, 30), WAIT_TIMEOUT);
    assert_true(SetEvent(ev[2]));
    assert_int_equal(WaitForMultipleObjects(3, ev, FALSE, 0), WAIT_OBJECT_0 + 2);
    assert_int_equal(WaitForMultipleObjects(3, ev, FALSE, 0), WAIT_TIMEOUT);
    /* Several signalled: the lowest index wins, and only it is taken. */
    assert_true(SetEvent(ev[1]));
    assert_true(SetEvent(ev[2]));
    assert_int_equal(WaitForMultipleObjects(3, ev, FALSE, 0), WAIT_OBJECT_0 + 1);
    assert_int_equal(WaitForMultipleObjects(3, ev, FALSE, 0), WAIT_OBJECT_0 + 2);
    /* A manual-reset event satisfies every wait until reset. */
    assert_true(SetEvent(ev[0]));
    assert_int_equal(WaitForMultipleObjectsEx(3, ev, FALSE, 0, TRUE), WAIT_OBJECT_0);
    assert_int_equal(WaitForMultipleObjects(3, ev, FALSE, INFINITE), WAIT_OBJECT_0);
    assert_true(ResetEvent(ev[0]));
    /* The same handle twice is allowed when waiting for any. */
    {
        HANDLE twice[2];
        twice[0] = ev[1];
        twice[1] = ev[1];
        assert_true(SetEvent(ev[1]));
        assert_int_equal(WaitForMultipleObjects(2, twice, FALSE, 0), WAIT_OBJECT_0);
    }
    for (i = 0; i < 3; i++)
        assert_true(CloseHandle(ev[i]));
}

typedef struct setter {
    HANDLE event;
    DWORD delay;
} setter;

static DWORD WINAPI set_later(LPVOID arg)
{
    setter *s = (setter *)arg;
    Sleep(s->delay);
    return SetEvent(s->event) ? 0 : 1;
}

static void test_wait_any_wakes(void **state)
{
    HANDLE ev[2];
    setter s;
    HANDLE t;
    (void)state;
    ev[0] = CreateEvent(NULL, FALSE, FALSE, NULL);
    ev[1] = CreateEvent(NULL, FALSE, FALSE, NULL);
    s.event = ev[1];
    s.delay = 50;
    t = start_thread(set_later, &s);
    assert_int_equal(WaitForMultipleObjects(2, ev, FALSE, 5000), WAIT_OBJECT_0 + 1);
    join_thread_exit_zero(t, 5000);
    assert_int_equal(WaitForMultipleObjects(2, ev, FALSE, 0), WAIT_TIMEOUT);
    assert_true(CloseHandle(ev[0]));
    assert_true(CloseHandle(ev[1]));
}

/* Waiting for all of one object is waiting for it: woken by another
 * thread's SetEvent (Microsoft's iocpserverex waits for its cleanup event
 * with WSAWaitForMultipleEvents(1, ..., TRUE, ...)). */
static void test_wait_all_of_one_wakes(void **state)
{
    HANDLE ev;
    WSAEVENT wev;
    setter s;
    HANDLE t;
    (void)state;
    ev = CreateEvent(NULL, FALSE, FALSE, NULL);
    assert_non_null(ev);
    s.event = ev;
    s.delay = 50;
    t = start_thread(set_later, &s);
    assert_int_equal(WaitForMultipleObjects(1, &ev, TRUE, 5000), WAIT_OBJECT_0);
    join_thread_exit_zero(t, 5000);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);   /* auto-reset: taken */
    assert_true(CloseHandle(ev));

    wev = WSACreateEvent();
    assert_true(wev != WSA_INVALID_EVENT);
    s.event = wev;
    t = start_thread(set_later, &s);
    assert_int_equal(WSAWaitForMultipleEvents(1, &wev, TRUE, WSA_INFINITE, FALSE), WSA_WAIT_EVENT_0);
    join_thread_exit_zero(t, 5000);
    assert_true(WSACloseEvent(wev));
}

static void test_wait_all(void **state)
{
    HANDLE h[3];
    setter s;
    HANDLE t;
    LONG prev = -1;
    (void)state;
    h[0] = CreateEvent(NULL, FALSE, FALSE, NULL);   /* auto */
    h[1] = CreateEvent(NULL, TRUE, FALSE, NULL);    /* manual */
    h[2] = CreateSemaphoreA(NULL, 0, 5, NULL);
    assert_non_null(h[0]);
    assert_non_null(h[1]);
    assert_non_null(h[2]);
    /* Not all signalled: nothing is taken, even what was signalled. */
    assert_true(SetEvent(h[0]));
    assert_true(ReleaseSemaphore(h[2], 1, NULL));
    assert_int_equal(WaitForMultipleObjects(3, h, TRUE, 30), WAIT_TIMEOUT);
    assert_int_equal(WaitForSingleObject(h[0], 0), WAIT_OBJECT_0);
    assert_true(SetEvent(h[0]));
    /* The last one comes from another thread while we wait. */
    s.event = h[1];
    s.delay = 50;
    t = start_thread(set_later, &s);
    assert_int_equal(WaitForMultipleObjects(3, h, TRUE, 5000), WAIT_OBJECT_0);
    join_thread_exit_zero(t, 5000);
    /* All taken at once: auto event reset, semaphore decremented, manual left set. */
    assert_int_equal(WaitForSingleObject(h[0], 0), WAIT_TIMEOUT);
    assert_true(ReleaseSemaphore(h[2], 1, &prev));
    assert_int_equal(prev, 0);
    assert_int_equal(WaitForSingleObject(h[1], 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(h[2], 0), WAIT_OBJECT_0);
    assert_true(CloseHandle(h[0]));
    assert_true(CloseHandle(h[1]));
    assert_true(CloseHandle(h[2]));
}

/* Two wait-alls and a wait-any compete for auto-reset events: wait-all must
 * take both events or neither, so the signals are never split and lost. */
typedef struct contender {
    HANDLE ev[2];
    HANDLE stop;
    volatile LONG wins;
    volatile LONG done;
} contender;

static DWORD WINAPI wait_all_loop(LPVOID arg)
{
    contender *c = (contender *)arg;
    HANDLE h[3];
    h[0] = c->ev[0];
    h[1] = c->ev[1];
    h[2] = c->stop;
    for (;;) {
        DWORD r = WaitForMultipleObjects(2, h, TRUE, 100);
        if (r == WAIT_OBJECT_0)
            InterlockedIncrement(&c->wins);
        else if (r != WAIT_TIMEOUT)
            return 1;
        if (WaitForSingleObject(c->stop, 0) == WAIT_OBJECT_0)
            return 0;
    }
}

static void test_wait_all_atomic(void **state)
{
    contender c;
    HANDLE t[2];
    int i, rounds = 300;
    (void)state;
    memset(&c, 0, sizeof(c));
    c.ev[0] = CreateEvent(NULL, FALSE, FALSE, NULL);
    c.ev[1] = CreateEvent(NULL, FALSE, FALSE, NULL);
    c.stop = CreateEvent(NULL, TRUE, FALSE, NULL);
    t[0] = start_thread(wait_all_loop, &c);
    t[1] = start_thread(wait_all_loop, &c);
    for (i = 0; i < rounds; i++) {
        LONG before = InterlockedCompareExchange(&c.wins, 0, 0);
        DWORD t0 = GetTickCount();
        assert_true(SetEvent(c.ev[0]));
        assert_true(SetEvent(c.ev[1]));
        /* Exactly one more win per pair of signals. */
        while (InterlockedCompareExchange(&c.wins, 0, 0) == before && GetTickCount() - t0 < 5000)
            SwitchToThread();
        assert_int_equal(InterlockedCompareExchange(&c.wins, 0, 0), before + 1);
    }
    assert_true(SetEvent(c.stop));
    join_thread_exit_zero(t[0], 10000);
    join_thread_exit_zero(t[1], 10000);
    assert_true(InterlockedCompareExchange(&c.wins, 0, 0) >= rounds);
    assert_true(CloseHandle(c.ev[0]));
    assert_true(CloseHandle(c.ev[1]));
    assert_true(CloseHandle(c.stop));
}

static void test_wait_multiple_errors(void **state)
{
    HANDLE h[MAXIMUM_WAIT_OBJECTS + 1];
    int i;
    (void)state;
    for (i = 0; i < MAXIMUM_WAIT_OBJECTS + 1; i++) {
        h[i] = CreateEvent(NULL, TRUE, TRUE, NULL);
        assert_non_null(h[i]);
    }
    SetLastError(SENTINEL);
    assert_int_equal(WaitForMultipleObjects(0, h, FALSE, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_int_equal(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, h, FALSE, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* 64 is allowed, any and all; the last index is reported right. */
    assert_int_equal(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, h, TRUE, 0), WAIT_OBJECT_0);
    for (i = 0; i < MAXIMUM_WAIT_OBJECTS - 1; i++)
        assert_true(ResetEvent(h[i]));
    assert_int_equal(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, h, FALSE, 0),
                     WAIT_OBJECT_0 + MAXIMUM_WAIT_OBJECTS - 1);
    /* The same object twice in a wait-all. */
    h[1] = h[0];
    SetLastError(SENTINEL);
    assert_int_equal(WaitForMultipleObjects(2, h, TRUE, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* A bad handle anywhere in the array. */
    h[1] = NULL;
    SetLastError(SENTINEL);
    assert_int_equal(WaitForMultipleObjects(2, h, FALSE, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_int_equal(WaitForMultipleObjects(2, h, TRUE, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    /* WSAWaitForMultipleEvents: the same rules in Winsock's names. */
    SetLastError(SENTINEL);
    assert_int_equal(WSAWaitForMultipleEvents(0, h, FALSE, 0, FALSE), WSA_WAIT_FAILED);
    assert_int_equal(WSAGetLastError(), WSA_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_int_equal(WSAWaitForMultipleEvents(2, h, FALSE, 0, FALSE), WSA_WAIT_FAILED);
    assert_int_equal(WSAGetLastError(), WSA_INVALID_HANDLE);
    assert_true(CloseHandle(h[0]));
    for (i = 2; i < MAXIMUM_WAIT_OBJECTS + 1; i++)
        assert_true(CloseHandle(h[i]));
}

static void test_wsa_wait_for_multiple_events(void **state)
{
    WSAEVENT ev[2];
    setter s;
    HANDLE t;
    (void)state;
    assert_int_equal(WSA_MAXIMUM_WAIT_EVENTS, 64);
    ev[0] = WSACreateEvent();
    ev[1] = WSACreateEvent();
    assert_true(ev[0] != WSA_INVALID_EVENT && ev[1] != WSA_INVALID_EVENT);
    assert_int_equal(WSAWaitForMultipleEvents(2, ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    assert_true(WSASetEvent(ev[1]));
    assert_int_equal(WSAWaitForMultipleEvents(2, ev, FALSE, WSA_INFINITE, FALSE), WSA_WAIT_EVENT_0 + 1);
    /* WSA events are manual-reset. */
    assert_int_equal(WSAWaitForMultipleEvents(2, ev, FALSE, 0, TRUE), WSA_WAIT_EVENT_0 + 1);
    assert_int_equal(WSAWaitForMultipleEvents(2, ev, TRUE, 0, FALSE), WSA_WAIT_TIMEOUT);
    s.event = ev[0];
    s.delay = 30;
    t = start_thread(set_later, &s);
    assert_int_equal(WSAWaitForMultipleEvents(2, ev, TRUE, 5000, FALSE), WSA_WAIT_EVENT_0);
    join_thread_exit_zero(t, 5000);
    assert_true(WSAResetEvent(ev[1]));
    assert_int_equal(WSAWaitForMultipleEvents(1, &ev[1], FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    assert_true(WSACloseEvent(ev[0]));
    assert_true(WSACloseEvent(ev[1]));
}

/* Waiters on one event: how many of them a single SetEvent releases. */
typedef struct crowd {
    HANDLE event;
    volatile LONG woken;
} crowd;

static DWORD WINAPI crowd_member(LPVOID arg)
{
    crowd *c = (crowd *)arg;
    if (WaitForSingleObject(c->event, 10000) != WAIT_OBJECT_0)
        return 1;
    InterlockedIncrement(&c->woken);
    return 0;
}

static void wait_count(volatile LONG *v, LONG want)
{
    DWORD t0 = GetTickCount();
    while (InterlockedCompareExchange(v, 0, 0) < want && GetTickCount() - t0 < 5000)
        Sleep(1);
}

static void test_event_wakes(void **state)
{
    crowd c;
    HANDLE t[3];
    int i;
    (void)state;
    /* Auto-reset: one SetEvent releases exactly one waiter. */
    memset(&c, 0, sizeof(c));
    c.event = CreateEvent(NULL, FALSE, FALSE, NULL);
    for (i = 0; i < 3; i++)
        t[i] = start_thread(crowd_member, &c);
    Sleep(50);   /* let them block (not needed for correctness) */
    assert_true(SetEvent(c.event));
    wait_count(&c.woken, 1);
    Sleep(50);
    assert_int_equal(InterlockedCompareExchange(&c.woken, 0, 0), 1);
    assert_true(SetEvent(c.event));
    wait_count(&c.woken, 2);
    assert_true(SetEvent(c.event));
    for (i = 0; i < 3; i++)
        join_thread_exit_zero(t[i], 5000);
    assert_int_equal(c.woken, 3);
    assert_int_equal(WaitForSingleObject(c.event, 0), WAIT_TIMEOUT);
    assert_true(CloseHandle(c.event));

    /* Manual-reset: one SetEvent releases them all. */
    memset(&c, 0, sizeof(c));
    c.event = CreateEvent(NULL, TRUE, FALSE, NULL);
    for (i = 0; i < 3; i++)
        t[i] = start_thread(crowd_member, &c);
    assert_true(SetEvent(c.event));
    for (i = 0; i < 3; i++)
        join_thread_exit_zero(t[i], 5000);
    assert_int_equal(c.woken, 3);
    assert_true(CloseHandle(c.event));
}

static void test_event_ex(void **state)
{
    HANDLE ev;
    (void)state;
    ev = CreateEventExA(NULL, NULL, CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET, EVENT_ALL_ACCESS);
    assert_non_null(ev);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    assert_true(CloseHandle(ev));
    ev = CreateEventExA(NULL, NULL, 0, SYNCHRONIZE | EVENT_MODIFY_STATE);
    assert_non_null(ev);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    assert_true(SetEvent(ev));
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    assert_true(CloseHandle(ev));
}

static void test_semaphore(void **state)
{
    HANDLE sem;
    LONG prev = -1;
    (void)state;
    SetLastError(SENTINEL);
    assert_null(CreateSemaphoreA(NULL, 2, 1, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_null(CreateSemaphoreA(NULL, -1, 1, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_null(CreateSemaphoreA(NULL, 0, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);

    sem = CreateSemaphoreA(NULL, 2, 3, NULL);
    assert_non_null(sem);
    assert_int_equal(WaitForSingleObject(sem, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(sem, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(sem, 0), WAIT_TIMEOUT);
    assert_true(ReleaseSemaphore(sem, 3, &prev));
    assert_int_equal(prev, 0);
    /* Past the maximum: refused, and the count stays where it was. */
    SetLastError(SENTINEL);
    assert_false(ReleaseSemaphore(sem, 1, &prev));
    assert_int_equal(GetLastError(), ERROR_TOO_MANY_POSTS);
    SetLastError(SENTINEL);
    assert_false(ReleaseSemaphore(sem, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_false(ReleaseSemaphore(sem, -1, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_int_equal(WaitForSingleObject(sem, 0), WAIT_OBJECT_0);
    assert_true(ReleaseSemaphore(sem, 1, &prev));
    assert_int_equal(prev, 2);
    /* Not an event. */
    SetLastError(SENTINEL);
    assert_false(SetEvent(sem));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_true(CloseHandle(sem));
}

typedef struct mutex_probe {
    HANDLE mutex;
    DWORD wait;
    BOOL released;
    DWORD error;
} mutex_probe;

static DWORD WINAPI try_mutex(LPVOID arg)
{
    mutex_probe *m = (mutex_probe *)arg;
    m->wait = WaitForSingleObject(m->mutex, 30);
    SetLastError(SENTINEL);
    m->released = ReleaseMutex(m->mutex);
    m->error = GetLastError();
    if (m->released)
        ReleaseMutex(m->mutex);
    return 0;
}

static void test_mutex(void **state)
{
    mutex_probe m;
    HANDLE t;
    (void)state;
    memset(&m, 0, sizeof(m));
    m.mutex = CreateMutexA(NULL, TRUE, NULL);
    assert_non_null(m.mutex);
    /* The owner enters again (recursion) and must release as often. */
    assert_int_equal(WaitForSingleObject(m.mutex, 0), WAIT_OBJECT_0);
    t = start_thread(try_mutex, &m);
    join_thread_exit_zero(t, 5000);
    assert_int_equal(m.wait, WAIT_TIMEOUT);
    assert_false(m.released);
    assert_int_equal(m.error, ERROR_NOT_OWNER);
    assert_true(ReleaseMutex(m.mutex));
    assert_true(ReleaseMutex(m.mutex));
    SetLastError(SENTINEL);
    assert_false(ReleaseMutex(m.mutex));
    assert_int_equal(GetLastError(), ERROR_NOT_OWNER);
    /* Free now: another thread takes it. */
    t = start_thread(try_mutex, &m);
    join_thread_exit_zero(t, 5000);
    assert_int_equal(m.wait, WAIT_OBJECT_0);
    assert_true(m.released);
    assert_int_equal(WaitForSingleObject(m.mutex, 0), WAIT_OBJECT_0);
    assert_true(ReleaseMutex(m.mutex));
    assert_true(CloseHandle(m.mutex));
}

static void test_process_and_yield(void **state)
{
    DWORD pid = GetCurrentProcessId();
    DWORD t0;
    (void)state;
    assert_true(pid != 0);
    assert_int_equal(GetCurrentProcessId(), pid);
    assert_ptr_equal(GetCurrentProcess(), (HANDLE)(LONG_PTR)-1);
    assert_ptr_equal(GetCurrentThread(), (HANDLE)(LONG_PTR)-2);
    SwitchToThread();
    t0 = GetTickCount();
    assert_int_equal(SleepEx(30, TRUE), 0);
    assert_true(GetTickCount() - t0 >= 20);
    Sleep(0);
}

/* A thread blocked in a wait does not count against the port's
 * concurrency, as on Windows: with NumberOfConcurrentThreads 1, a second
 * worker gets the next packet while the first is blocked. */
typedef struct worker {
    HANDLE port;
    HANDLE gate;            /* what the first packet's worker waits on */
    CRITICAL_SECTION *cs;   /* or this, when gate is NULL */
    volatile LONG got[2];   /* packets taken, by key */
} worker;

static DWORD WINAPI port_worker(LPVOID arg)
{
    worker *w = (worker *)arg;
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED ovl;
    for (;;) {
        if (!GetQueuedCompletionStatus(w->port, &bytes, &key, &ovl, 10000))
            return 1;
        if (key == 9)
            return 0;
        InterlockedIncrement(&w->got[key]);
        if (key == 0) {
            if (w->gate != NULL) {
                if (WaitForSingleObject(w->gate, 10000) != WAIT_OBJECT_0)
                    return 2;
            } else {
                EnterCriticalSection(w->cs);
                LeaveCriticalSection(w->cs);
            }
        }
    }
}

static void check_slot_freed(HANDLE gate, CRITICAL_SECTION *cs)
{
    worker w;
    HANDLE t[2];
    memset(&w, 0, sizeof(w));
    w.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    assert_non_null(w.port);
    w.gate = gate;
    w.cs = cs;
    t[0] = start_thread(port_worker, &w);
    t[1] = start_thread(port_worker, &w);
    assert_true(PostQueuedCompletionStatus(w.port, 0, 0, NULL));
    assert_true(wait_flag(&w.got[0], 5000));
    /* The first worker is (or soon will be) blocked: the second takes this. */
    assert_true(PostQueuedCompletionStatus(w.port, 0, 1, NULL));
    assert_true(wait_flag(&w.got[1], 5000));
    if (gate != NULL)
        assert_true(SetEvent(gate));
    else
        LeaveCriticalSection(cs);
    assert_true(PostQueuedCompletionStatus(w.port, 0, 9, NULL));
    assert_true(PostQueuedCompletionStatus(w.port, 0, 9, NULL));
    join_thread_exit_zero(t[0], 10000);
    join_thread_exit_zero(t[1], 10000);
    assert_true(CloseHandle(w.port));
}

static void test_wait_frees_port_slot(void **state)
{
    HANDLE gate = CreateEvent(NULL, TRUE, FALSE, NULL);
    CRITICAL_SECTION cs;
    (void)state;
    check_slot_freed(gate, NULL);
    assert_true(CloseHandle(gate));
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    check_slot_freed(NULL, &cs);
    DeleteCriticalSection(&cs);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_code_and_ids),
        cmocka_unit_test(test_exit_thread),
        cmocka_unit_test(test_beginthreadex),
        cmocka_unit_test(test_create_suspended),
        cmocka_unit_test(test_wait_single),
        cmocka_unit_test(test_wait_any),
        cmocka_unit_test(test_wait_any_wakes),
        cmocka_unit_test(test_wait_all),
        cmocka_unit_test(test_wait_all_of_one_wakes),
        cmocka_unit_test(test_wait_all_atomic),
        cmocka_unit_test(test_wait_multiple_errors),
        cmocka_unit_test(test_wsa_wait_for_multiple_events),
        cmocka_unit_test(test_event_wakes),
        cmocka_unit_test(test_event_ex),
        cmocka_unit_test(test_semaphore),
        cmocka_unit_test(test_mutex),
        cmocka_unit_test(test_process_and_yield),
        cmocka_unit_test(test_wait_frees_port_slot),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
