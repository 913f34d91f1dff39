/*
 * The part of the Win32 API that the Windows SDK declares in <synchapi.h>:
 * waits, events, semaphores, mutexes, critical sections, SRW locks and
 * condition variables; plus the Interlocked family and MemoryBarrier, which
 * the SDK has in <winnt.h>.
 */
#ifndef IOCPCOMPAT_SYNCHAPI_H
#define IOCPCOMPAT_SYNCHAPI_H

#include "windows.h"

#define MAXIMUM_WAIT_OBJECTS 64
#define WAIT_ABANDONED_0     0x00000080L

/* Error codes of this area; <winerror.h> on Windows. Guarded so that either
 * header may define them first. */
#ifndef ERROR_NOT_OWNER
#define ERROR_NOT_OWNER      288L
#endif
#ifndef ERROR_TOO_MANY_POSTS
#define ERROR_TOO_MANY_POSTS 298L
#endif
#ifndef ERROR_NOACCESS
#define ERROR_NOACCESS       998L
#endif
#ifndef ERROR_TIMEOUT
#define ERROR_TIMEOUT        1460L
#endif

/* Access rights: accepted and ignored (handles here carry every right). */
#define SYNCHRONIZE                0x00100000L
#define EVENT_MODIFY_STATE         0x0002
#define EVENT_ALL_ACCESS           0x001F0003
#define SEMAPHORE_MODIFY_STATE     0x0002
#define SEMAPHORE_ALL_ACCESS       0x001F0003
#define MUTEX_MODIFY_STATE         0x0001
#define MUTEX_ALL_ACCESS           0x001F0001

#define CREATE_EVENT_MANUAL_RESET  0x00000001
#define CREATE_EVENT_INITIAL_SET   0x00000002
#define CREATE_MUTEX_INITIAL_OWNER 0x00000001

/*
 * CRITICAL_SECTION: the Win64 layout and field names, so that structures
 * embedding one keep their size. The lock itself is a futex on LockCount
 * (-1 free, 0 held, 1 held with sleepers); OwningThread holds the owner's
 * thread id, as on Windows; DebugInfo and LockSemaphore are unused.
 */
typedef struct _RTL_CRITICAL_SECTION_DEBUG *PRTL_CRITICAL_SECTION_DEBUG;
typedef struct _RTL_CRITICAL_SECTION {
    PRTL_CRITICAL_SECTION_DEBUG DebugInfo;
    LONG      LockCount;
    LONG      RecursionCount;
    HANDLE    OwningThread;
    HANDLE    LockSemaphore;
    ULONG_PTR SpinCount;
} RTL_CRITICAL_SECTION, *PRTL_CRITICAL_SECTION;
typedef RTL_CRITICAL_SECTION CRITICAL_SECTION, *PCRITICAL_SECTION, *LPCRITICAL_SECTION;

#define CRITICAL_SECTION_NO_DEBUG_INFO 0x01000000

IOCPCOMPAT_STATIC_ASSERT(sizeof(CRITICAL_SECTION) == 40, "CRITICAL_SECTION is 40 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(offsetof(CRITICAL_SECTION, LockCount) == 8, "CRITICAL_SECTION.LockCount");
IOCPCOMPAT_STATIC_ASSERT(offsetof(CRITICAL_SECTION, OwningThread) == 16, "CRITICAL_SECTION.OwningThread");
IOCPCOMPAT_STATIC_ASSERT(offsetof(CRITICAL_SECTION, SpinCount) == 32, "CRITICAL_SECTION.SpinCount");

/* SRW locks and condition variables are one pointer, zero when unused, as on
 * Windows: a zero-filled one is ready to use without an Initialize call. */
typedef struct _RTL_SRWLOCK {
    PVOID Ptr;
} RTL_SRWLOCK, *PRTL_SRWLOCK;
typedef RTL_SRWLOCK SRWLOCK, *PSRWLOCK;
#define RTL_SRWLOCK_INIT { 0 }
#define SRWLOCK_INIT     RTL_SRWLOCK_INIT

typedef struct _RTL_CONDITION_VARIABLE {
    PVOID Ptr;
} RTL_CONDITION_VARIABLE, *PRTL_CONDITION_VARIABLE;
typedef RTL_CONDITION_VARIABLE CONDITION_VARIABLE, *PCONDITION_VARIABLE;
#define RTL_CONDITION_VARIABLE_INIT        { 0 }
#define CONDITION_VARIABLE_INIT            RTL_CONDITION_VARIABLE_INIT
#define CONDITION_VARIABLE_LOCKMODE_SHARED 0x1

IOCPCOMPAT_STATIC_ASSERT(sizeof(SRWLOCK) == sizeof(void *), "SRWLOCK is pointer-sized");
IOCPCOMPAT_STATIC_ASSERT(sizeof(CONDITION_VARIABLE) == sizeof(void *), "CONDITION_VARIABLE is pointer-sized");

/* One-time initialisation: one pointer, zero before it runs. The low
 * INIT_ONCE_CTX_RESERVED_BITS bits are the state, the rest the context
 * the callback gave (its low bits must be zero). */
typedef union _RTL_RUN_ONCE {
    PVOID Ptr;
} RTL_RUN_ONCE, *PRTL_RUN_ONCE;
typedef RTL_RUN_ONCE INIT_ONCE, *PINIT_ONCE, *LPINIT_ONCE;
#define RTL_RUN_ONCE_INIT           { 0 }
#define INIT_ONCE_STATIC_INIT       RTL_RUN_ONCE_INIT
#define INIT_ONCE_CHECK_ONLY        0x00000001UL
#define INIT_ONCE_ASYNC             0x00000002UL
#define INIT_ONCE_INIT_FAILED       0x00000004UL
#define INIT_ONCE_CTX_RESERVED_BITS 2
typedef BOOL (WINAPI *PINIT_ONCE_FN)(PINIT_ONCE InitOnce, PVOID Parameter, PVOID *Context);

IOCPCOMPAT_STATIC_ASSERT(sizeof(INIT_ONCE) == sizeof(void *), "INIT_ONCE is pointer-sized");

IOCPCOMPAT_EXTERN_C_BEGIN

/* Runs InitFn once; callers that come while it runs wait for it. A callback
 * that returns FALSE leaves the INIT_ONCE as it was, to be tried again, and
 * the call returns FALSE with the last error the callback left. */
IOCPCOMPAT_API void WINAPI InitOnceInitialize(PINIT_ONCE InitOnce);
IOCPCOMPAT_API BOOL WINAPI InitOnceExecuteOnce(PINIT_ONCE InitOnce, PINIT_ONCE_FN InitFn, PVOID Parameter,
                                               LPVOID *Context);
/* Synchronous use only: INIT_ONCE_ASYNC fails with ERROR_NOT_SUPPORTED. */
IOCPCOMPAT_API BOOL WINAPI InitOnceBeginInitialize(LPINIT_ONCE lpInitOnce, DWORD dwFlags, PBOOL fPending,
                                                   LPVOID *lpContext);
IOCPCOMPAT_API BOOL WINAPI InitOnceComplete(LPINIT_ONCE lpInitOnce, DWORD dwFlags, LPVOID lpContext);

/* Waits. Alertable waits return as plain ones: there are no APCs to run. A
 * thread blocked in any of these does not count as running on its port. */
IOCPCOMPAT_API DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
IOCPCOMPAT_API DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable);
IOCPCOMPAT_API DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                                   DWORD dwMilliseconds);
IOCPCOMPAT_API DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                                     DWORD dwMilliseconds, BOOL bAlertable);
IOCPCOMPAT_API void  WINAPI Sleep(DWORD dwMilliseconds);
IOCPCOMPAT_API DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);

/* Events, semaphores and mutexes. Names are not shared between processes
 * here: a named object is a new, private one. */
IOCPCOMPAT_API HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                          BOOL bInitialState, LPCSTR lpName);
IOCPCOMPAT_API HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                          BOOL bInitialState, LPCWSTR lpName);
IOCPCOMPAT_API HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCSTR lpName,
                                            DWORD dwFlags, DWORD dwDesiredAccess);
IOCPCOMPAT_API HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCWSTR lpName,
                                            DWORD dwFlags, DWORD dwDesiredAccess);
IOCPCOMPAT_API BOOL WINAPI SetEvent(HANDLE hEvent);
IOCPCOMPAT_API BOOL WINAPI ResetEvent(HANDLE hEvent);
IOCPCOMPAT_API HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                              LONG lMaximumCount, LPCSTR lpName);
IOCPCOMPAT_API HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                              LONG lMaximumCount, LPCWSTR lpName);
IOCPCOMPAT_API BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount);
IOCPCOMPAT_API HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                          LPCSTR lpName);
IOCPCOMPAT_API HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                          LPCWSTR lpName);
IOCPCOMPAT_API BOOL WINAPI ReleaseMutex(HANDLE hMutex);

/* Critical sections: recursive; a contended Enter is a blocking wait. */
IOCPCOMPAT_API void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
IOCPCOMPAT_API BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                                 DWORD dwSpinCount);
IOCPCOMPAT_API BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount,
                                                       DWORD Flags);
IOCPCOMPAT_API DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount);
IOCPCOMPAT_API void WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
IOCPCOMPAT_API BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
IOCPCOMPAT_API void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
IOCPCOMPAT_API void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection);

/* Slim reader/writer locks: not recursive, in either mode. */
IOCPCOMPAT_API void WINAPI InitializeSRWLock(PSRWLOCK SRWLock);
IOCPCOMPAT_API void WINAPI AcquireSRWLockExclusive(PSRWLOCK SRWLock);
IOCPCOMPAT_API void WINAPI AcquireSRWLockShared(PSRWLOCK SRWLock);
IOCPCOMPAT_API void WINAPI ReleaseSRWLockExclusive(PSRWLOCK SRWLock);
IOCPCOMPAT_API void WINAPI ReleaseSRWLockShared(PSRWLOCK SRWLock);
IOCPCOMPAT_API BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK SRWLock);
IOCPCOMPAT_API BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK SRWLock);

/* Condition variables: wake-ups may be spurious, as on Windows; a timeout
 * returns FALSE with ERROR_TIMEOUT. */
IOCPCOMPAT_API void WINAPI InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable);
IOCPCOMPAT_API BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable,
                                                    PCRITICAL_SECTION CriticalSection, DWORD dwMilliseconds);
IOCPCOMPAT_API BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable, PSRWLOCK SRWLock,
                                                     DWORD dwMilliseconds, ULONG Flags);
IOCPCOMPAT_API void WINAPI WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable);
IOCPCOMPAT_API void WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable);

/* Waitable timers: manual-reset (notification) timers stay signalled
 * until set again; synchronization timers release one waiter per expiry.
 * A due time below zero is relative, in 100 ns units; otherwise it is an
 * absolute FILETIME (UTC), turned into a delay when the timer is set (a
 * later change of the wall clock does not move it). Completion routines
 * (APCs) are not offered: a non-NULL pfnCompletionRoutine is
 * ERROR_NOT_SUPPORTED. fResume succeeds with ERROR_NOT_SUPPORTED as the
 * last error, as on Windows without that feature. */
#define TIMER_QUERY_STATE                    0x0001
#define TIMER_MODIFY_STATE                   0x0002
#define TIMER_ALL_ACCESS                     0x001F0003
#define CREATE_WAITABLE_TIMER_MANUAL_RESET   0x00000001
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002
typedef VOID (CALLBACK *PTIMERAPCROUTINE)(LPVOID lpArgToCompletionRoutine, DWORD dwTimerLowValue,
                                          DWORD dwTimerHighValue);

IOCPCOMPAT_API HANDLE WINAPI CreateWaitableTimerA(LPSECURITY_ATTRIBUTES lpTimerAttributes, BOOL bManualReset,
                                                  LPCSTR lpTimerName);
IOCPCOMPAT_API HANDLE WINAPI CreateWaitableTimerW(LPSECURITY_ATTRIBUTES lpTimerAttributes, BOOL bManualReset,
                                                  LPCWSTR lpTimerName);
IOCPCOMPAT_API HANDLE WINAPI CreateWaitableTimerExA(LPSECURITY_ATTRIBUTES lpTimerAttributes, LPCSTR lpTimerName,
                                                    DWORD dwFlags, DWORD dwDesiredAccess);
IOCPCOMPAT_API HANDLE WINAPI CreateWaitableTimerExW(LPSECURITY_ATTRIBUTES lpTimerAttributes, LPCWSTR lpTimerName,
                                                    DWORD dwFlags, DWORD dwDesiredAccess);
IOCPCOMPAT_API BOOL WINAPI SetWaitableTimer(HANDLE hTimer, const LARGE_INTEGER *lpDueTime, LONG lPeriod,
                                            PTIMERAPCROUTINE pfnCompletionRoutine,
                                            LPVOID lpArgToCompletionRoutine, BOOL fResume);
IOCPCOMPAT_API BOOL WINAPI CancelWaitableTimer(HANDLE hTimer);

IOCPCOMPAT_EXTERN_C_END

#ifdef UNICODE
#define CreateWaitableTimer   CreateWaitableTimerW
#define CreateWaitableTimerEx CreateWaitableTimerExW
#else
#define CreateWaitableTimer   CreateWaitableTimerA
#define CreateWaitableTimerEx CreateWaitableTimerExA
#endif

#ifdef UNICODE
#define CreateEvent     CreateEventW
#define CreateEventEx   CreateEventExW
#define CreateSemaphore CreateSemaphoreW
#define CreateMutex     CreateMutexW
#else
#define CreateEvent     CreateEventA
#define CreateEventEx   CreateEventExA
#define CreateSemaphore CreateSemaphoreA
#define CreateMutex     CreateMutexA
#endif

/*
 * Interlocked operations: each is a full barrier, as on Windows. The ones
 * returning the new value (Increment, Decrement, Add) and the ones returning
 * the old value (Exchange, ExchangeAdd, CompareExchange, And, Or, Xor) follow
 * Windows exactly.
 */
#if defined(__SANITIZE_THREAD__)
/* GCC refuses fences under ThreadSanitizer; a sequentially consistent
 * read-modify-write is a full barrier too (it is how MSVC does it on x64). */
#define MemoryBarrier() \
    do { LONG iocpcompat_barrier_ = 0; __atomic_exchange_n(&iocpcompat_barrier_, 1, __ATOMIC_SEQ_CST); } while (0)
#else
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

static inline LONG InterlockedIncrement(LONG volatile *p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedDecrement(LONG volatile *p) { return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedExchange(LONG volatile *p, LONG v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedExchangeAdd(LONG volatile *p, LONG v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedAdd(LONG volatile *p, LONG v) { return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedAnd(LONG volatile *p, LONG v) { return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedOr(LONG volatile *p, LONG v) { return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedXor(LONG volatile *p, LONG v) { return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedCompareExchange(LONG volatile *p, LONG exchange, LONG comparand)
{
    __atomic_compare_exchange_n(p, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return comparand;
}

static inline LONG64 InterlockedIncrement64(LONG64 volatile *p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline LONG64 InterlockedDecrement64(LONG64 volatile *p) { return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline LONG64 InterlockedExchange64(LONG64 volatile *p, LONG64 v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
static inline LONG64 InterlockedExchangeAdd64(LONG64 volatile *p, LONG64 v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
static inline LONG64 InterlockedAdd64(LONG64 volatile *p, LONG64 v) { return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }
static inline LONG64 InterlockedCompareExchange64(LONG64 volatile *p, LONG64 exchange, LONG64 comparand)
{
    __atomic_compare_exchange_n(p, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return comparand;
}

static inline PVOID InterlockedExchangePointer(PVOID volatile *p, PVOID v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *p, PVOID exchange, PVOID comparand)
{
    __atomic_compare_exchange_n(p, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return comparand;
}

#ifdef __cplusplus
/*
 * MSVC code declares its counters `volatile long` and passes them to the
 * LONG functions: on Windows long and LONG are both 32 bits. On LP64 Linux
 * `long` is 64 bits, so these overloads operate on all 64 bits of the long
 * (working on half of it would be wrong on any value that does not fit in
 * 32 bits). Data shared with Windows must still use LONG, not long.
 */
static inline long InterlockedIncrement(long volatile *p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline long InterlockedDecrement(long volatile *p) { return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline long InterlockedExchange(long volatile *p, long v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
static inline long InterlockedExchangeAdd(long volatile *p, long v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
static inline long InterlockedAdd(long volatile *p, long v) { return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }
static inline long InterlockedAnd(long volatile *p, long v) { return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); }
static inline long InterlockedOr(long volatile *p, long v) { return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); }
static inline long InterlockedXor(long volatile *p, long v) { return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); }
static inline long InterlockedCompareExchange(long volatile *p, long exchange, long comparand)
{
    __atomic_compare_exchange_n(p, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return comparand;
}
#endif

#endif
