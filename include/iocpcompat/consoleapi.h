/* The part of the Win32 API that the Windows SDK declares in <consoleapi.h>:
 * console control handlers, with the CTRL_* events of <wincon.h>. On Linux
 * SIGINT arrives as CTRL_C_EVENT, SIGTERM and SIGHUP as CTRL_CLOSE_EVENT. */
#ifndef IOCPCOMPAT_CONSOLEAPI_H
#define IOCPCOMPAT_CONSOLEAPI_H

#include "windows.h"

#define CTRL_C_EVENT        0
#define CTRL_BREAK_EVENT    1
#define CTRL_CLOSE_EVENT    2
#define CTRL_LOGOFF_EVENT   5
#define CTRL_SHUTDOWN_EVENT 6

typedef BOOL (WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);

IOCPCOMPAT_EXTERN_C_END

#endif
