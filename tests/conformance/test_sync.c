/*
 * User-mode synchronisation: critical sections, SRW locks, condition
 * variables and the Interlocked family.
 */
#include "conformance.h"

#define THREADS 4
#define ROUNDS  20000

/* A plain (non-atomic) counter that only the lock under test protects. */
typedef struct shared {
    CRITICAL_SECTION cs;
    SRWLOCK srw;
    CONDITION_VARIABLE cv;
    long counter;
    int queue[8];
    int head, tail;     /* queue: head == tail when empty */
    volatile LONG closed;
    volatile LONG flag;
    BOOL result;
    DWORD error;
} shared;

static DWORD WINAPI count_with_cs(LPVOID arg)
{
    shared *s = (shared *)arg;
    int i;
    for (i = 0; i < ROUNDS; i++) {
        EnterCriticalSection(&s->cs);
        EnterCriticalSection(&s->cs);   /* recursion on the way */
        s->counter++;
        LeaveCriticalSection(&s->cs);
        LeaveCriticalSection(&s->cs);
    }
    return 0;
}

static void run_threads(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE t[THREADS];
    int i;
    for (i = 0; i < THREADS; i++)
        t[i] = start_thread(fn, arg);
    assert_int_equal(WaitForMultipleObjects(THREADS, t, TRUE, 60000), WAIT_OBJECT_0);
    for (i = 0; i < THREADS; i++)
        join_thread_exit_zero(t[i], 0);
}

static void test_cs_mutual_exclusion(void **state)
{
    static shared s;
    (void)state;
    memset(&s, 0, sizeof(s));
    assert_true(InitializeCriticalSectionAndSpinCount(&s.cs, 4000));
    run_threads(count_with_cs, &s);
    assert_int_equal(s.counter, THREADS * ROUNDS);
    DeleteCriticalSection(&s.cs);
}

static DWORD WINAPI try_enter(LPVOID arg)
{
    shared *s = (shared *)arg;
    s->result = TryEnterCriticalSection(&s->cs);
    if (s->result)
        LeaveCriticalSection(&s->cs);
    return 0;
}

static void test_cs_recursive(void **state)
{
    static shared s;
    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(sizeof(CRITICAL_SECTION), 40);
    InitializeCriticalSection(&s.cs);
    EnterCriticalSection(&s.cs);
    assert_true(TryEnterCriticalSection(&s.cs));
    EnterCriticalSection(&s.cs);
    /* Windows keeps the depth and the owner's id in the structure. */
    assert_int_equal(s.cs.RecursionCount, 3);
    assert_true(s.cs.OwningThread == (HANDLE)(ULONG_PTR)GetCurrentThreadId());
    join_thread_exit_zero(start_thread(try_enter, &s), 5000);
    assert_false(s.result);
    LeaveCriticalSection(&s.cs);
    LeaveCriticalSection(&s.cs);
    join_thread_exit_zero(start_thread(try_enter, &s), 5000);
    assert_false(s.result);
    LeaveCriticalSection(&s.cs);
    join_thread_exit_zero(start_thread(try_enter, &s), 5000);
    assert_true(s.result);
    DeleteCriticalSection(&s.cs);
    assert_true(InitializeCriticalSectionEx(&s.cs, 100, 0));
    EnterCriticalSection(&s.cs);
    assert_int_equal(s.cs.RecursionCount, 1);
    LeaveCriticalSection(&s.cs);
    DeleteCriticalSection(&s.cs);
}

static DWORD WINAPI enter_and_flag(LPVOID arg)
{
    shared *s = (shared *)arg;
    SetLastError(SENTINEL);
    InterlockedExchange(&s->flag, 1);
    EnterCriticalSection(&s->cs);
    s->error = GetLastError();
    s->counter++;
    LeaveCriticalSection(&s->cs);
    return 0;
}

/* A contended Enter sleeps until Leave, and leaves the last error alone. */
static void test_cs_blocks(void **state)
{
    static shared s;
    HANDLE t;
    (void)state;
    memset(&s, 0, sizeof(s));
    InitializeCriticalSection(&s.cs);
    EnterCriticalSection(&s.cs);
    t = start_thread(enter_and_flag, &s);
    assert_true(wait_flag(&s.flag, 5000));
    assert_int_equal(WaitForSingleObject(t, 50), WAIT_TIMEOUT);
    LeaveCriticalSection(&s.cs);
    join_thread_exit_zero(t, 5000);
    assert_int_equal(s.counter, 1);
    assert_int_equal(s.error, SENTINEL);
    DeleteCriticalSection(&s.cs);
}

static DWORD WINAPI count_with_srw(LPVOID arg)
{
    shared *s = (shared *)arg;
    int i;
    for (i = 0; i < ROUNDS; i++) {
        if (i % 4 == 0) {
            AcquireSRWLockExclusive(&s->srw);
            s->counter++;
            ReleaseSRWLockExclusive(&s->srw);
        } else {
            long seen;
            AcquireSRWLockShared(&s->srw);
            seen = s->counter;
            ReleaseSRWLockShared(&s->srw);
            if (seen < 0)
                return 1;
        }
    }
    return 0;
}

static DWORD WINAPI try_srw(LPVOID arg)
{
    shared *s = (shared *)arg;
    BOOLEAN shared_ok = TryAcquireSRWLockShared(&s->srw);
    BOOLEAN exclusive_ok;
    if (shared_ok)
        ReleaseSRWLockShared(&s->srw);
    exclusive_ok = TryAcquireSRWLockExclusive(&s->srw);
    if (exclusive_ok)
        ReleaseSRWLockExclusive(&s->srw);
    s->result = (shared_ok ? 1 : 0) | (exclusive_ok ? 2 : 0);
    return 0;
}

static void test_srw(void **state)
{
    static shared s;
    SRWLOCK init = SRWLOCK_INIT;
    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(sizeof(SRWLOCK), sizeof(void *));
    s.srw = init;
    /* Exclusive: nobody else, in either mode. */
    AcquireSRWLockExclusive(&s.srw);
    join_thread_exit_zero(start_thread(try_srw, &s), 5000);
    assert_int_equal(s.result, 0);
    ReleaseSRWLockExclusive(&s.srw);
    /* Shared: other readers yes, a writer no. */
    AcquireSRWLockShared(&s.srw);
    join_thread_exit_zero(start_thread(try_srw, &s), 5000);
    assert_int_equal(s.result, 1);
    ReleaseSRWLockShared(&s.srw);
    /* Free: both. */
    join_thread_exit_zero(start_thread(try_srw, &s), 5000);
    assert_int_equal(s.result, 3);
    assert_true(TryAcquireSRWLockExclusive(&s.srw));
    ReleaseSRWLockExclusive(&s.srw);

    InitializeSRWLock(&s.srw);
    run_threads(count_with_srw, &s);
    assert_int_equal(s.counter, THREADS * (ROUNDS / 4));
}

/* A bounded queue: producers and consumers on one CS and one CV. */
static DWORD WINAPI consume_cs(LPVOID arg)
{
    shared *s = (shared *)arg;
    long sum = 0;
    for (;;) {
        EnterCriticalSection(&s->cs);
        while (s->head == s->tail && !s->closed)
            SleepConditionVariableCS(&s->cv, &s->cs, INFINITE);
        if (s->head == s->tail) {
            s->counter += sum;
            LeaveCriticalSection(&s->cs);
            WakeAllConditionVariable(&s->cv);
            return 0;
        }
        sum += s->queue[s->head % 8];
        s->head++;
        LeaveCriticalSection(&s->cs);
        WakeAllConditionVariable(&s->cv);
    }
}

static void test_cv_cs_queue(void **state)
{
    static shared s;
    HANDLE t[3];
    int i;
    long expected = 0;
    (void)state;
    memset(&s, 0, sizeof(s));
    InitializeCriticalSection(&s.cs);
    InitializeConditionVariable(&s.cv);
    for (i = 0; i < 3; i++)
        t[i] = start_thread(consume_cs, &s);
    for (i = 1; i <= 5000; i++) {
        EnterCriticalSection(&s.cs);
        while (s.tail - s.head == 8)
            SleepConditionVariableCS(&s.cv, &s.cs, INFINITE);
        s.queue[s.tail % 8] = i;
        s.tail++;
        LeaveCriticalSection(&s.cs);
        WakeConditionVariable(&s.cv);
        expected += i;
    }
    EnterCriticalSection(&s.cs);
    s.closed = 1;
    LeaveCriticalSection(&s.cs);
    WakeAllConditionVariable(&s.cv);
    for (i = 0; i < 3; i++)
        join_thread_exit_zero(t[i], 10000);
    assert_int_equal(s.counter, expected);
    DeleteCriticalSection(&s.cs);
}

static void test_cv_timeout(void **state)
{
    static shared s;
    CONDITION_VARIABLE cv = CONDITION_VARIABLE_INIT;
    DWORD t0;
    (void)state;
    memset(&s, 0, sizeof(s));
    InitializeCriticalSection(&s.cs);
    EnterCriticalSection(&s.cs);
    SetLastError(SENTINEL);
    t0 = GetTickCount();
    assert_false(SleepConditionVariableCS(&cv, &s.cs, 50));
    assert_int_equal(GetLastError(), ERROR_TIMEOUT);
    assert_true(GetTickCount() - t0 >= 25);
    /* The section is held again on return. */
    join_thread_exit_zero(start_thread(try_enter, &s), 5000);
    assert_false(s.result);
    LeaveCriticalSection(&s.cs);
    DeleteCriticalSection(&s.cs);

    AcquireSRWLockExclusive(&s.srw);
    SetLastError(SENTINEL);
    assert_false(SleepConditionVariableSRW(&cv, &s.srw, 10, 0));
    assert_int_equal(GetLastError(), ERROR_TIMEOUT);
    join_thread_exit_zero(start_thread(try_srw, &s), 5000);
    assert_int_equal(s.result, 0);
    ReleaseSRWLockExclusive(&s.srw);
    AcquireSRWLockShared(&s.srw);
    SetLastError(SENTINEL);
    assert_false(SleepConditionVariableSRW(&cv, &s.srw, 0, CONDITION_VARIABLE_LOCKMODE_SHARED));
    assert_int_equal(GetLastError(), ERROR_TIMEOUT);
    join_thread_exit_zero(start_thread(try_srw, &s), 5000);
    assert_int_equal(s.result, 1);
    ReleaseSRWLockShared(&s.srw);
}

/* Waiters on an SRW lock in shared mode: WakeAll releases every one. */
static DWORD WINAPI wait_srw_shared(LPVOID arg)
{
    shared *s = (shared *)arg;
    AcquireSRWLockShared(&s->srw);
    InterlockedIncrement(&s->flag);
    while (!InterlockedCompareExchange(&s->closed, 0, 0))
        SleepConditionVariableSRW(&s->cv, &s->srw, INFINITE, CONDITION_VARIABLE_LOCKMODE_SHARED);
    ReleaseSRWLockShared(&s->srw);
    InterlockedDecrement(&s->flag);
    return 0;
}

static void test_cv_srw_wake_all(void **state)
{
    static shared s;
    HANDLE t[3];
    int i;
    DWORD t0;
    (void)state;
    memset(&s, 0, sizeof(s));
    for (i = 0; i < 3; i++)
        t[i] = start_thread(wait_srw_shared, &s);
    t0 = GetTickCount();
    while (InterlockedCompareExchange(&s.flag, 0, 0) < 3 && GetTickCount() - t0 < 5000)
        Sleep(1);
    assert_int_equal(InterlockedCompareExchange(&s.flag, 0, 0), 3);
    AcquireSRWLockExclusive(&s.srw);
    InterlockedExchange(&s.closed, 1);
    ReleaseSRWLockExclusive(&s.srw);
    WakeAllConditionVariable(&s.cv);
    for (i = 0; i < 3; i++)
        join_thread_exit_zero(t[i], 5000);
    assert_int_equal(s.flag, 0);
}

static DWORD WINAPI hammer_interlocked(LPVOID arg)
{
    shared *s = (shared *)arg;
    int i;
    for (i = 0; i < ROUNDS; i++) {
        InterlockedIncrement(&s->flag);
        InterlockedExchangeAdd(&s->flag, 2);
        InterlockedDecrement(&s->flag);
    }
    return 0;
}

static void test_interlocked(void **state)
{
    static shared s;
    LONG v = 5;
    LONG64 v64 = 0;
    int x = 0, y = 0;
    PVOID p = &x;
    (void)state;
    assert_int_equal(InterlockedIncrement(&v), 6);
    assert_int_equal(InterlockedDecrement(&v), 5);
    assert_int_equal(InterlockedExchange(&v, 9), 5);
    assert_int_equal(InterlockedExchangeAdd(&v, 3), 9);
    assert_int_equal(InterlockedAdd(&v, 3), 15);
    assert_int_equal(InterlockedCompareExchange(&v, 1, 14), 15);
    assert_int_equal(v, 15);
    assert_int_equal(InterlockedCompareExchange(&v, 1, 15), 15);
    assert_int_equal(v, 1);
    assert_int_equal(InterlockedOr(&v, 6), 1);
    assert_int_equal(InterlockedAnd(&v, 5), 7);
    assert_int_equal(InterlockedXor(&v, 4), 5);
    assert_int_equal(v, 1);
    v = 0x7fffffff;
    assert_int_equal(InterlockedIncrement(&v), (LONG)0x80000000u);   /* wraps at 32 bits */

    assert_true(InterlockedIncrement64(&v64) == 1);
    assert_true(InterlockedExchange64(&v64, (LONG64)1 << 40) == 1);
    assert_true(InterlockedExchangeAdd64(&v64, 1) == (LONG64)1 << 40);
    assert_true(InterlockedAdd64(&v64, 1) == ((LONG64)1 << 40) + 2);
    assert_true(InterlockedCompareExchange64(&v64, 3, ((LONG64)1 << 40) + 2) == ((LONG64)1 << 40) + 2);
    assert_true(InterlockedDecrement64(&v64) == 2);

    assert_ptr_equal(InterlockedExchangePointer(&p, &y), &x);
    assert_ptr_equal(InterlockedCompareExchangePointer(&p, &x, &x), &y);
    assert_ptr_equal(p, &y);
    assert_ptr_equal(InterlockedCompareExchangePointer(&p, NULL, &y), &y);
    assert_null(p);
    MemoryBarrier();

    memset(&s, 0, sizeof(s));
    run_threads(hammer_interlocked, &s);
    assert_int_equal(s.flag, THREADS * ROUNDS * 2);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cs_mutual_exclusion),
        cmocka_unit_test(test_cs_recursive),
        cmocka_unit_test(test_cs_blocks),
        cmocka_unit_test(test_srw),
        cmocka_unit_test(test_cv_cs_queue),
        cmocka_unit_test(test_cv_timeout),
        cmocka_unit_test(test_cv_srw_wake_all),
        cmocka_unit_test(test_interlocked),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
