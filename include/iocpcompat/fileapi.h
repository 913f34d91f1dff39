/* The part of the Win32 API that the Windows SDK declares in <fileapi.h>,
 * with the access, sharing and flag constants of <winnt.h> and <winbase.h>
 * that its calls take: files opened by CreateFileA, read and written with or
 * without an OVERLAPPED (and through a completion port), and WriteFile on
 * the standard handles (see consoleapi.h). */
#ifndef IOCPCOMPAT_FILEAPI_H
#define IOCPCOMPAT_FILEAPI_H

#include "windows.h"

IOCPCOMPAT_EXTERN_C_BEGIN

/* dwDesiredAccess (<winnt.h>). */
#define GENERIC_READ                   0x80000000UL
#define GENERIC_WRITE                  0x40000000UL
#define GENERIC_EXECUTE                0x20000000UL
#define GENERIC_ALL                    0x10000000UL

/* dwShareMode (<winnt.h>). */
#define FILE_SHARE_READ                0x00000001
#define FILE_SHARE_WRITE               0x00000002
#define FILE_SHARE_DELETE              0x00000004

/* dwCreationDisposition. */
#define CREATE_NEW                     1
#define CREATE_ALWAYS                  2
#define OPEN_EXISTING                  3
#define OPEN_ALWAYS                    4
#define TRUNCATE_EXISTING              5

/* dwFlagsAndAttributes: attributes (<winnt.h>) and flags (<winbase.h>). */
#define FILE_ATTRIBUTE_READONLY        0x00000001
#define FILE_ATTRIBUTE_HIDDEN          0x00000002
#define FILE_ATTRIBUTE_SYSTEM          0x00000004
#define FILE_ATTRIBUTE_DIRECTORY       0x00000010
#define FILE_ATTRIBUTE_ARCHIVE         0x00000020
#define FILE_ATTRIBUTE_NORMAL          0x00000080
#define FILE_ATTRIBUTE_TEMPORARY       0x00000100
#define FILE_FLAG_WRITE_THROUGH        0x80000000UL
#define FILE_FLAG_OVERLAPPED           0x40000000
#define FILE_FLAG_NO_BUFFERING         0x20000000
#define FILE_FLAG_RANDOM_ACCESS        0x10000000
#define FILE_FLAG_SEQUENTIAL_SCAN      0x08000000

/* SetFilePointerEx's dwMoveMethod (<winbase.h>). */
#define FILE_BEGIN                     0
#define FILE_CURRENT                   1
#define FILE_END                       2

/*
 * Opens or creates a regular file. Backslashes in the name are taken as
 * path separators. Share modes are accepted but not enforced: Linux has no
 * mandatory sharing, so a second open that Windows would refuse with
 * ERROR_SHARING_VIOLATION succeeds. FILE_FLAG_WRITE_THROUGH makes every
 * write synchronous (O_DSYNC); FILE_FLAG_SEQUENTIAL_SCAN and
 * FILE_FLAG_RANDOM_ACCESS are read-ahead hints; FILE_FLAG_NO_BUFFERING is
 * accepted and the page cache still used (no alignment is demanded).
 * CREATE_ALWAYS and OPEN_ALWAYS on a file that existed succeed with the last
 * error ERROR_ALREADY_EXISTS, otherwise with 0. A handle opened with
 * FILE_FLAG_OVERLAPPED reads and writes at the OVERLAPPED's offset, and
 * its operations may be associated with a completion port; other handles
 * keep a file pointer.
 */
IOCPCOMPAT_API HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                         LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                         DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                         HANDLE hTemplateFile);
/* The name in WCHARs, converted to the UTF-8 Linux names files with. */
IOCPCOMPAT_API HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                         LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                         DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                         HANDLE hTemplateFile);
#ifdef UNICODE
#define CreateFile CreateFileW
#else
#define CreateFile CreateFileA
#endif

/*
 * On a file handle opened with FILE_FLAG_OVERLAPPED: starts the transfer at
 * Offset/OffsetHigh (a write at 0xFFFFFFFF/0xFFFFFFFF appends) and returns
 * FALSE with ERROR_IO_PENDING; the result reaches the OVERLAPPED, its event
 * and the port, as for a socket. A read at or past the end of the file
 * completes with ERROR_HANDLE_EOF and 0 bytes. On other handles the call
 * finishes before it returns (at the OVERLAPPED's offset when one is given,
 * then the file pointer is moved past what was transferred).
 *
 * WriteFile on a standard handle writes all the bytes to it (a terminal,
 * pipe or file alike), after what stdio holds for it; a reader that went
 * away is ERROR_NO_DATA, without SIGPIPE.
 */
IOCPCOMPAT_API BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                    LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped);
IOCPCOMPAT_API BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                     LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped);

IOCPCOMPAT_API BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize);
/* A position before the start of the file is ERROR_NEGATIVE_SEEK. */
IOCPCOMPAT_API BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                                            PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod);
/* Waits until the file's data is on the device; needs GENERIC_WRITE. */
IOCPCOMPAT_API BOOL WINAPI FlushFileBuffers(HANDLE hFile);
IOCPCOMPAT_API BOOL WINAPI DeleteFileA(LPCSTR lpFileName);
IOCPCOMPAT_API BOOL WINAPI DeleteFileW(LPCWSTR lpFileName);
#ifdef UNICODE
#define DeleteFile DeleteFileW
#else
#define DeleteFile DeleteFileA
#endif

IOCPCOMPAT_EXTERN_C_END

#endif
