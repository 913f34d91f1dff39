/*
 * User-mode locks: critical sections, SRW locks and condition variables,
 * each on a futex kept inside the caller's own structure (no allocation,
 * nothing to leak when a program never deletes them, as Windows allows for
 * SRW locks and condition variables).
 *
 * Every sleep here is a blocking wait of the library: the thread gives up
 * its completion-port slot around it, as on Windows. Every system call here
 * keeps errno, which GetLastError reads.
 */
#include "error.h"
#include "futex.h"
#include "port.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield")
#else
#define cpu_relax() ((void)0)
#endif

static bool multi_core(void)
{
    static int cores;   /* 0: not known yet */
    int n = __atomic_load_n(&cores, __ATOMIC_RELAXED);
    if (n == 0) {
        n = (int)sysconf(_SC_NPROCESSORS_ONLN);
        __atomic_store_n(&cores, n > 0 ? n : 1, __ATOMIC_RELAXED);
    }
    return n > 1;
}

/* ---------------------------------------------------------------------------
 * Critical sections. LockCount is the futex word: CS_FREE, CS_HELD, or
 * CS_SLEEPERS (held, and a thread may be asleep on it). Only the owner
 * touches RecursionCount; OwningThread is read by others only to learn that
 * they are not the owner, so relaxed atomics suffice there.
 */
#define CS_FREE     (-1)
#define CS_HELD     0
#define CS_SLEEPERS 1

/* The high byte of a spin count carries flags on Windows. */
#define SPIN_MASK 0x00FFFFFFu

static HANDLE self_handle(void)
{
    return (HANDLE)(ULONG_PTR)GetCurrentThreadId();
}

void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION cs)
{
    InitializeCriticalSectionEx(cs, 0, 0);
}

BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION cs, DWORD spin)
{
    return InitializeCriticalSectionEx(cs, spin, 0);
}

BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION cs, DWORD spin, DWORD flags)
{
    (void)flags;   /* debug-info flags: there is no debug info */
    cs->DebugInfo = NULL;
    cs->LockCount = CS_FREE;
    cs->RecursionCount = 0;
    cs->OwningThread = NULL;
    cs->LockSemaphore = NULL;
    /* Windows ignores the spin count on a single processor; so does this. */
    cs->SpinCount = multi_core() ? (spin & SPIN_MASK) : 0;
    return TRUE;
}

DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION cs, DWORD spin)
{
    DWORD old = (DWORD)__atomic_load_n(&cs->SpinCount, __ATOMIC_RELAXED);
    __atomic_store_n(&cs->SpinCount, multi_core() ? (ULONG_PTR)(spin & SPIN_MASK) : 0, __ATOMIC_RELAXED);
    return old;
}

void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION cs)
{
    /* Nothing was allocated; leave it unusable rather than silently free. */
    cs->LockCount = CS_HELD;
    cs->OwningThread = NULL;
    cs->RecursionCount = 0;
}

static bool cs_try(LPCRITICAL_SECTION cs)
{
    LONG expected = CS_FREE;
    return __atomic_compare_exchange_n(&cs->LockCount, &expected, CS_HELD, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

static void cs_lock_contended(LPCRITICAL_SECTION cs)
{
    ULONG_PTR spin = __atomic_load_n(&cs->SpinCount, __ATOMIC_RELAXED);
    for (ULONG_PTR i = 0; i < spin; i++) {
        if (__atomic_load_n(&cs->LockCount, __ATOMIC_RELAXED) == CS_FREE && cs_try(cs))
            return;
        cpu_relax();
    }
    /* Whoever takes the lock from here marks it as having sleepers, since
     * it cannot know that nobody else is asleep on it. */
    bool blocked = false;
    while (__atomic_exchange_n(&cs->LockCount, CS_SLEEPERS, __ATOMIC_ACQUIRE) != CS_FREE) {
        if (!blocked) {
            blocked = true;
            port_thread_blocking();
        }
        futex_wait(&cs->LockCount, (uint32_t)CS_SLEEPERS, NULL);
    }
    if (blocked)
        port_thread_unblocked();
}

void WINAPI EnterCriticalSection(LPCRITICAL_SECTION cs)
{
    HANDLE self = self_handle();
    if (__atomic_load_n(&cs->OwningThread, __ATOMIC_RELAXED) == self) {
        cs->RecursionCount++;
        return;
    }
    if (!cs_try(cs))
        cs_lock_contended(cs);
    __atomic_store_n(&cs->OwningThread, self, __ATOMIC_RELAXED);
    cs->RecursionCount = 1;
}

BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION cs)
{
    HANDLE self = self_handle();
    if (__atomic_load_n(&cs->OwningThread, __ATOMIC_RELAXED) == self) {
        cs->RecursionCount++;
        return TRUE;
    }
    if (!cs_try(cs))
        return FALSE;
    __atomic_store_n(&cs->OwningThread, self, __ATOMIC_RELAXED);
    cs->RecursionCount = 1;
    return TRUE;
}

void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION cs)
{
    if (--cs->RecursionCount > 0)
        return;
    __atomic_store_n(&cs->OwningThread, NULL, __ATOMIC_RELAXED);
    if (__atomic_exchange_n(&cs->LockCount, CS_FREE, __ATOMIC_RELEASE) == CS_SLEEPERS)
        futex_wake(&cs->LockCount, 1);
}

/* ---------------------------------------------------------------------------
 * SRW locks. The futex word is the first 32 bits of the pointer (zero in
 * SRWLOCK_INIT): a writer bit, a sleepers bit and a reader count above.
 * Readers do not enter while a thread sleeps, so a stream of readers does
 * not starve writers; a release with sleepers wakes them all to compete
 * again, which is simple and, with short critical sections, cheap.
 */
#define SRW_WRITER   1u
#define SRW_SLEEPERS 2u
#define SRW_READER   4u

static uint32_t *srw_word(PSRWLOCK lock)
{
    return (uint32_t *)(void *)&lock->Ptr;
}

void WINAPI InitializeSRWLock(PSRWLOCK lock)
{
    lock->Ptr = NULL;
}

/* Sleeps until the lock changes from s, having marked that it sleeps. */
static void srw_sleep(uint32_t *word, uint32_t s, bool *blocked)
{
    if (!(s & SRW_SLEEPERS) &&
        !__atomic_compare_exchange_n(word, &s, s | SRW_SLEEPERS, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        return;   /* it changed: look again */
    if (!*blocked) {
        *blocked = true;
        port_thread_blocking();
    }
    futex_wait(word, s | SRW_SLEEPERS, NULL);
}

static bool srw_try_exclusive(uint32_t *word, uint32_t s)
{
    return (s & ~SRW_SLEEPERS) == 0 &&
           __atomic_compare_exchange_n(word, &s, s | SRW_WRITER, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void WINAPI AcquireSRWLockExclusive(PSRWLOCK lock)
{
    uint32_t *word = srw_word(lock);
    bool blocked = false;
    unsigned spin = multi_core() ? 100 : 0;
    for (;;) {
        uint32_t s = __atomic_load_n(word, __ATOMIC_RELAXED);
        if (srw_try_exclusive(word, s))
            break;
        if ((s & ~SRW_SLEEPERS) == 0)
            continue;
        if (spin > 0) {
            spin--;
            cpu_relax();
            continue;
        }
        srw_sleep(word, s, &blocked);
    }
    if (blocked)
        port_thread_unblocked();
}

BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK lock)
{
    uint32_t *word = srw_word(lock);
    return srw_try_exclusive(word, __atomic_load_n(word, __ATOMIC_RELAXED)) ? TRUE : FALSE;
}

void WINAPI ReleaseSRWLockExclusive(PSRWLOCK lock)
{
    uint32_t *word = srw_word(lock);
    if (__atomic_fetch_and(word, ~(SRW_WRITER | SRW_SLEEPERS), __ATOMIC_RELEASE) & SRW_SLEEPERS)
        futex_wake(word, INT_MAX);
}

void WINAPI AcquireSRWLockShared(PSRWLOCK lock)
{
    uint32_t *word = srw_word(lock);
    bool blocked = false;
    unsigned spin = multi_core() ? 100 : 0;
    for (;;) {
        uint32_t s = __atomic_load_n(word, __ATOMIC_RELAXED);
        if (!(s & (SRW_WRITER | SRW_SLEEPERS))) {
            if (__atomic_compare_exchange_n(word, &s, s + SRW_READER, false, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED))
                break;
            continue;
        }
        if (spin > 0) {
            spin--;
            cpu_relax();
            continue;
        }
        srw_sleep(word, s, &blocked);
    }
    if (blocked)
        port_thread_unblocked();
}

BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK lock)
{
    uint32_t *word = srw_word(lock);
    uint32_t s = __atomic_load_n(word, __ATOMIC_RELAXED);
    while (!(s & SRW_WRITER)) {
        if (__atomic_compare_exchange_n(word, &s, s + SRW_READER, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return TRUE;
    }
    return FALSE;
}

void WINAPI ReleaseSRWLockShared(PSRWLOCK lock)
{
    uint32_t *word = srw_word(lock);
    uint32_t s = __atomic_load_n(word, __ATOMIC_RELAXED);
    uint32_t next;
    do {
        next = s - SRW_READER;
        if (next == SRW_SLEEPERS)
            next = 0;   /* the last reader out wakes the sleepers */
    } while (!__atomic_compare_exchange_n(word, &s, next, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    if (next == 0 && (s & SRW_SLEEPERS))
        futex_wake(word, INT_MAX);
}

/* ---------------------------------------------------------------------------
 * Condition variables: the futex word (first 32 bits of the pointer) is a
 * sequence number that every wake advances. A sleeper reads it before it
 * lets go of the lock, so a wake between the two makes its futex wait
 * return at once instead of being lost.
 */
static uint32_t *cv_word(PCONDITION_VARIABLE cv)
{
    return (uint32_t *)(void *)&cv->Ptr;
}

void WINAPI InitializeConditionVariable(PCONDITION_VARIABLE cv)
{
    cv->Ptr = NULL;
}

void WINAPI WakeConditionVariable(PCONDITION_VARIABLE cv)
{
    __atomic_fetch_add(cv_word(cv), 1, __ATOMIC_RELEASE);
    futex_wake(cv_word(cv), 1);
}

void WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE cv)
{
    __atomic_fetch_add(cv_word(cv), 1, __ATOMIC_RELEASE);
    futex_wake(cv_word(cv), INT_MAX);
}

/* Sleeps on cv from sequence seq for ms; false when the time ran out. */
static bool cv_sleep(PCONDITION_VARIABLE cv, uint32_t seq, DWORD ms)
{
    struct timespec rel = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    if (ms != 0)
        port_thread_blocking();
    bool woken = futex_wait(cv_word(cv), seq, ms == INFINITE ? NULL : &rel);
    if (ms != 0)
        port_thread_unblocked();
    return woken;
}

BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE cv, PCRITICAL_SECTION cs, DWORD ms)
{
    uint32_t seq = __atomic_load_n(cv_word(cv), __ATOMIC_ACQUIRE);
    /* The sleep gives up the section entirely, however deep the caller
     * holds it, and restores the depth after. */
    LONG depth = cs->RecursionCount;
    cs->RecursionCount = 1;
    LeaveCriticalSection(cs);
    bool woken = cv_sleep(cv, seq, ms);
    EnterCriticalSection(cs);
    cs->RecursionCount = depth;
    if (!woken) {
        error_set(ERROR_TIMEOUT);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE cv, PSRWLOCK lock, DWORD ms, ULONG flags)
{
    bool shared = (flags & CONDITION_VARIABLE_LOCKMODE_SHARED) != 0;
    if (flags & ~(ULONG)CONDITION_VARIABLE_LOCKMODE_SHARED) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    uint32_t seq = __atomic_load_n(cv_word(cv), __ATOMIC_ACQUIRE);
    if (shared)
        ReleaseSRWLockShared(lock);
    else
        ReleaseSRWLockExclusive(lock);
    bool woken = cv_sleep(cv, seq, ms);
    if (shared)
        AcquireSRWLockShared(lock);
    else
        AcquireSRWLockExclusive(lock);
    if (!woken) {
        error_set(ERROR_TIMEOUT);
        return FALSE;
    }
    return TRUE;
}
