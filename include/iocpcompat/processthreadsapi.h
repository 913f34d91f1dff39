/* The part of the Win32 API that the Windows SDK declares in <processthreadsapi.h>. */
#ifndef IOCPCOMPAT_PROCESSTHREADSAPI_H
#define IOCPCOMPAT_PROCESSTHREADSAPI_H

#include "windows.h"

typedef DWORD (WINAPI *PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;
#define CREATE_SUSPENDED 0x00000004
#define STILL_ACTIVE     259

IOCPCOMPAT_EXTERN_C_BEGIN

/* A thread handle is signalled when the thread ends; the thread's id is
 * its Linux thread id (gettid). */
IOCPCOMPAT_API HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes,
                                          SIZE_T dwStackSize,
                                          LPTHREAD_START_ROUTINE lpStartAddress,
                                          LPVOID lpParameter, DWORD dwCreationFlags,
                                          LPDWORD lpThreadId);
/* Ends the calling thread. In a thread of CreateThread this unwinds its stack
 * (pthread_exit): C++ destructors run, and a catch (...) that does not
 * rethrow must not be on the way. */
IOCPCOMPAT_API void WINAPI ExitThread(DWORD dwExitCode) __attribute__((noreturn));
IOCPCOMPAT_API BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);
/* Only threads created suspended can be resumed: there is no SuspendThread. */
IOCPCOMPAT_API DWORD WINAPI ResumeThread(HANDLE hThread);
IOCPCOMPAT_API DWORD WINAPI GetThreadId(HANDLE Thread);
IOCPCOMPAT_API DWORD WINAPI GetCurrentThreadId(void);
IOCPCOMPAT_API DWORD WINAPI GetCurrentProcessId(void);
/* Pseudo-handles, as on Windows: constants that mean "the caller". */
IOCPCOMPAT_API HANDLE WINAPI GetCurrentThread(void);
IOCPCOMPAT_API HANDLE WINAPI GetCurrentProcess(void);
IOCPCOMPAT_API BOOL WINAPI SwitchToThread(void);

/* Thread-local storage: TLS_MINIMUM_AVAILABLE + 1024 slots, as Windows
 * gives. A freed slot reads NULL again in every thread once reallocated. */
IOCPCOMPAT_API DWORD WINAPI TlsAlloc(void);
IOCPCOMPAT_API BOOL WINAPI TlsFree(DWORD dwTlsIndex);
IOCPCOMPAT_API LPVOID WINAPI TlsGetValue(DWORD dwTlsIndex);
IOCPCOMPAT_API BOOL WINAPI TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue);

/* Priorities are checked and remembered, and GetThreadPriority reports
 * them; the Linux scheduler is left alone, since an unprivileged thread
 * may lower its priority but never raise it back. */
IOCPCOMPAT_API BOOL WINAPI SetThreadPriority(HANDLE hThread, int nPriority);
IOCPCOMPAT_API int WINAPI GetThreadPriority(HANDLE hThread);
IOCPCOMPAT_API DWORD WINAPI GetCurrentProcessorNumber(void);

IOCPCOMPAT_EXTERN_C_END

#endif
