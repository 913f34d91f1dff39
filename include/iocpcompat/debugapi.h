/* The part of the Win32 API that the Windows SDK declares in <debugapi.h>.
 * Without a debugger Windows drops OutputDebugString's text; here it goes to
 * stderr when the environment variable IOCPCOMPAT_DEBUG_OUTPUT is set (to
 * anything but 0), and is dropped otherwise. */
#ifndef IOCPCOMPAT_DEBUGAPI_H
#define IOCPCOMPAT_DEBUGAPI_H

#include "windows.h"

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API void WINAPI OutputDebugStringA(LPCSTR lpOutputString);
IOCPCOMPAT_API void WINAPI OutputDebugStringW(LPCWSTR lpOutputString);
/* TRUE while a debugger (any tracer, such as gdb or strace) is attached. */
IOCPCOMPAT_API BOOL WINAPI IsDebuggerPresent(void);

IOCPCOMPAT_EXTERN_C_END

#ifdef UNICODE
#define OutputDebugString OutputDebugStringW
#else
#define OutputDebugString OutputDebugStringA
#endif

#endif
