/*
 * The crash-handler part of <errhandlingapi.h>: SetUnhandledExceptionFilter
 * and the error mode, with the exception codes of <winbase.h> and the
 * filter results of <excpt.h>. (GetLastError and SetLastError, which the
 * SDK declares here too, are in windows.h.)
 *
 * The filter runs when the process gets SIGSEGV, SIGBUS, SIGILL or SIGFPE,
 * on the faulting thread, in the signal handler, with the exception record
 * and the thread's registers (EXCEPTION_POINTERS). Its answer:
 * EXCEPTION_EXECUTE_HANDLER ends the process at once (_exit, stdio not
 * flushed) with the exception code's low 8 bits as its status, as
 * ExitProcess keeps them; EXCEPTION_CONTINUE_SEARCH gives the signal to
 * whoever handled it before (by default, the crash and its core dump);
 * EXCEPTION_CONTINUE_EXECUTION resumes with the registers of
 * ContextRecord, which the filter may have changed. Only
 * async-signal-safe calls are safe in the filter. A stack overflow is
 * reported as EXCEPTION_ACCESS_VIOLATION, and only caught on the thread
 * that installed the filter (which gets an alternate signal stack).
 */
#ifndef IOCPCOMPAT_ERRHANDLINGAPI_H
#define IOCPCOMPAT_ERRHANDLINGAPI_H

#include "windows.h"

#ifndef EXCEPTION_EXECUTE_HANDLER
#define EXCEPTION_EXECUTE_HANDLER     1
#define EXCEPTION_CONTINUE_SEARCH     0
#define EXCEPTION_CONTINUE_EXECUTION  (-1)
#endif

#define EXCEPTION_ACCESS_VIOLATION         ((DWORD)0xC0000005L)
#define EXCEPTION_DATATYPE_MISALIGNMENT    ((DWORD)0x80000002L)
#define EXCEPTION_BREAKPOINT               ((DWORD)0x80000003L)
#define EXCEPTION_SINGLE_STEP              ((DWORD)0x80000004L)
#define EXCEPTION_ARRAY_BOUNDS_EXCEEDED    ((DWORD)0xC000008CL)
#define EXCEPTION_FLT_DENORMAL_OPERAND     ((DWORD)0xC000008DL)
#define EXCEPTION_FLT_DIVIDE_BY_ZERO       ((DWORD)0xC000008EL)
#define EXCEPTION_FLT_INEXACT_RESULT       ((DWORD)0xC000008FL)
#define EXCEPTION_FLT_INVALID_OPERATION    ((DWORD)0xC0000090L)
#define EXCEPTION_FLT_OVERFLOW             ((DWORD)0xC0000091L)
#define EXCEPTION_FLT_STACK_CHECK          ((DWORD)0xC0000092L)
#define EXCEPTION_FLT_UNDERFLOW            ((DWORD)0xC0000093L)
#define EXCEPTION_INT_DIVIDE_BY_ZERO       ((DWORD)0xC0000094L)
#define EXCEPTION_INT_OVERFLOW             ((DWORD)0xC0000095L)
#define EXCEPTION_PRIV_INSTRUCTION         ((DWORD)0xC0000096L)
#define EXCEPTION_IN_PAGE_ERROR            ((DWORD)0xC0000006L)
#define EXCEPTION_ILLEGAL_INSTRUCTION      ((DWORD)0xC000001DL)
#define EXCEPTION_NONCONTINUABLE_EXCEPTION ((DWORD)0xC0000025L)
#define EXCEPTION_STACK_OVERFLOW           ((DWORD)0xC00000FDL)
#define EXCEPTION_INVALID_DISPOSITION      ((DWORD)0xC0000026L)
#define EXCEPTION_GUARD_PAGE               ((DWORD)0x80000001L)
#define EXCEPTION_INVALID_HANDLE           ((DWORD)0xC0000008L)

/* SetErrorMode's flags: remembered and reported, nothing else (Linux shows
 * no error dialog boxes to suppress). */
#define SEM_FAILCRITICALERRORS     0x0001
#define SEM_NOGPFAULTERRORBOX      0x0002
#define SEM_NOALIGNMENTFAULTEXCEPT 0x0004
#define SEM_NOOPENFILEERRORBOX     0x8000

typedef LONG (WINAPI *PTOP_LEVEL_EXCEPTION_FILTER)(struct _EXCEPTION_POINTERS *ExceptionInfo);
typedef PTOP_LEVEL_EXCEPTION_FILTER LPTOP_LEVEL_EXCEPTION_FILTER;

IOCPCOMPAT_EXTERN_C_BEGIN

/* Returns the previous filter; NULL removes the filter (the signals go
 * back to what handled them before). */
IOCPCOMPAT_API LPTOP_LEVEL_EXCEPTION_FILTER WINAPI
SetUnhandledExceptionFilter(LPTOP_LEVEL_EXCEPTION_FILTER lpTopLevelExceptionFilter);
IOCPCOMPAT_API UINT WINAPI SetErrorMode(UINT uMode);
IOCPCOMPAT_API UINT WINAPI GetErrorMode(void);

IOCPCOMPAT_EXTERN_C_END

#endif
