/*
 * The legacy thread pool of <threadpoollegacyapiset.h>: timer queues,
 * QueueUserWorkItem and UnregisterWaitEx, with the WT_* flags and the
 * callback type of <winnt.h> (RegisterWaitForSingleObject and
 * UnregisterWait are in winbase.h, as in the SDK).
 *
 * Callbacks run on the library's worker threads, a new one started when
 * none is idle (so a blocking callback holds up no other); with
 * WT_EXECUTEINTIMERTHREAD on the timer thread, with WT_EXECUTEINWAITTHREAD
 * on the registered wait's own thread. The other WT_ flags are accepted.
 */
#ifndef IOCPCOMPAT_THREADPOOLLEGACYAPISET_H
#define IOCPCOMPAT_THREADPOOLLEGACYAPISET_H

#include "windows.h"

#define WT_EXECUTEDEFAULT              0x00000000
#define WT_EXECUTEINIOTHREAD           0x00000001
#define WT_EXECUTEINUITHREAD           0x00000002
#define WT_EXECUTEINWAITTHREAD         0x00000004
#define WT_EXECUTEONLYONCE             0x00000008
#define WT_EXECUTELONGFUNCTION         0x00000010
#define WT_EXECUTEINTIMERTHREAD        0x00000020
#define WT_EXECUTEINPERSISTENTIOTHREAD 0x00000040
#define WT_EXECUTEINPERSISTENTTHREAD   0x00000080
#define WT_TRANSFER_IMPERSONATION      0x00000100
#define WT_SET_MAX_THREADPOOL_THREADS(Flags, Limit) ((Flags) |= (Limit) << 16)

typedef VOID (NTAPI *WAITORTIMERCALLBACKFUNC)(PVOID lpParameter, BOOLEAN TimerOrWaitFired);
typedef WAITORTIMERCALLBACKFUNC WAITORTIMERCALLBACK;

IOCPCOMPAT_EXTERN_C_BEGIN

/* A NULL TimerQueue is the process's default queue. DueTime and Period are
 * milliseconds; Period 0 (or WT_EXECUTEONLYONCE) fires once. */
IOCPCOMPAT_API HANDLE WINAPI CreateTimerQueue(void);
IOCPCOMPAT_API BOOL WINAPI CreateTimerQueueTimer(PHANDLE phNewTimer, HANDLE TimerQueue, WAITORTIMERCALLBACK Callback,
                                                 PVOID Parameter, DWORD DueTime, DWORD Period, ULONG Flags);
IOCPCOMPAT_API BOOL WINAPI ChangeTimerQueueTimer(HANDLE TimerQueue, HANDLE Timer, ULONG DueTime, ULONG Period);
/* CompletionEvent: INVALID_HANDLE_VALUE waits for running callbacks; NULL
 * or an event returns at once, FALSE with ERROR_IO_PENDING while a
 * callback still runs (the event is set when it has finished). Either way
 * the timer is deleted and fires no more. */
IOCPCOMPAT_API BOOL WINAPI DeleteTimerQueueTimer(HANDLE TimerQueue, HANDLE Timer, HANDLE CompletionEvent);
IOCPCOMPAT_API BOOL WINAPI DeleteTimerQueueEx(HANDLE TimerQueue, HANDLE CompletionEvent);
IOCPCOMPAT_API BOOL WINAPI DeleteTimerQueue(HANDLE TimerQueue);
IOCPCOMPAT_API BOOL WINAPI QueueUserWorkItem(LPTHREAD_START_ROUTINE Function, PVOID Context, ULONG Flags);
/* CompletionEvent as for DeleteTimerQueueTimer. */
IOCPCOMPAT_API BOOL WINAPI UnregisterWaitEx(HANDLE WaitHandle, HANDLE CompletionEvent);

IOCPCOMPAT_EXTERN_C_END

#endif
