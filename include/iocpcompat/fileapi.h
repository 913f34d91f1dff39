/* The part of the Win32 API that the Windows SDK declares in <fileapi.h>:
 * WriteFile, on the standard handles for now (see consoleapi.h). */
#ifndef IOCPCOMPAT_FILEAPI_H
#define IOCPCOMPAT_FILEAPI_H

#include "windows.h"

IOCPCOMPAT_EXTERN_C_BEGIN

/* Writes all the bytes to a standard handle (a terminal, pipe or file
 * alike), after what stdio holds for it, and says so in
 * *lpNumberOfBytesWritten (and an OVERLAPPED's InternalHigh, the handle
 * being synchronous). A reader that went away is ERROR_NO_DATA, without
 * SIGPIPE. Other handles (sockets, files) are ERROR_INVALID_HANDLE. */
IOCPCOMPAT_API BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                     LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped);

IOCPCOMPAT_EXTERN_C_END

#endif
