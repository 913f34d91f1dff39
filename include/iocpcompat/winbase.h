/* The part of the Win32 API that the Windows SDK declares in <winbase.h>
 * (FormatMessage, LocalAlloc/LocalFree, the lstr* strings), with what
 * <winnt.h>, <libloaderapi.h> and <processthreadsapi.h> add that the same
 * code uses:
 * TCHAR and TEXT, language ids, ZeroMemory and friends, GetModuleHandle,
 * ExitProcess. The MSVC compiler and CRT spellings (sprintf_s, __int64,
 * __declspec, min/max, ...) come in with iocpcompat_crt.h. */
#ifndef IOCPCOMPAT_WINBASE_H
#define IOCPCOMPAT_WINBASE_H

#include "windows.h"

#include <stdarg.h>
#include <string.h>

/* TCHAR follows UNICODE as in <winnt.h>: a UNICODE build gets WCHAR
 * (wchar_t here, see README "UNICODE builds"), L"" texts and the W functions. */
#ifdef UNICODE
typedef WCHAR TCHAR, *PTCHAR;
typedef WCHAR TBYTE, *PTBYTE;
#define IOCPCOMPAT_TEXT(quote) L##quote
#else
typedef char TCHAR, *PTCHAR;
typedef unsigned char TBYTE, *PTBYTE;
#define IOCPCOMPAT_TEXT(quote) quote
#endif
typedef TCHAR *LPTSTR, *PTSTR;
typedef const TCHAR *LPCTSTR, *PCTSTR;
#define TEXT(quote) IOCPCOMPAT_TEXT(quote)

/* Language ids as FormatMessage takes them. */
#define MAKELANGID(p, s)    ((((WORD)(s)) << 10) | (WORD)(p))
#define PRIMARYLANGID(lgid) ((WORD)(lgid) & 0x3ff)
#define SUBLANGID(lgid)     ((WORD)(lgid) >> 10)
#define LANG_NEUTRAL        0x00
#define LANG_ENGLISH        0x09
#define SUBLANG_NEUTRAL     0x00
#define SUBLANG_DEFAULT     0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US  0x01

#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100
#define FORMAT_MESSAGE_IGNORE_INSERTS  0x00000200
#define FORMAT_MESSAGE_FROM_STRING     0x00000400
#define FORMAT_MESSAGE_FROM_HMODULE    0x00000800
#define FORMAT_MESSAGE_FROM_SYSTEM     0x00001000
#define FORMAT_MESSAGE_ARGUMENT_ARRAY  0x00002000
#define FORMAT_MESSAGE_MAX_WIDTH_MASK  0x000000FF

/* LocalAlloc: only fixed memory (LMEM_MOVEABLE needs LocalLock, not offered). */
#define LMEM_FIXED    0x0000
#define LMEM_ZEROINIT 0x0040
#define LPTR          (LMEM_FIXED | LMEM_ZEROINIT)
typedef HANDLE HLOCAL;

/* <winnt.h> spells these as the C library calls. */
#define MoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define CopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define FillMemory(Destination, Length, Fill)   memset((Destination), (Fill), (Length))
#define ZeroMemory(Destination, Length)         memset((Destination), 0, (Length))

#define TLS_OUT_OF_INDEXES ((DWORD)0xFFFFFFFF)

/* Thread priorities (see SetThreadPriority in processthreadsapi.h). */
#define THREAD_PRIORITY_LOWEST        (-2)
#define THREAD_PRIORITY_BELOW_NORMAL  (-1)
#define THREAD_PRIORITY_NORMAL        0
#define THREAD_PRIORITY_HIGHEST       2
#define THREAD_PRIORITY_ABOVE_NORMAL  1
#define THREAD_PRIORITY_ERROR_RETURN  (MAXLONG)
#define THREAD_PRIORITY_TIME_CRITICAL 15
#define THREAD_PRIORITY_IDLE          (-15)
#define THREAD_MODE_BACKGROUND_BEGIN  0x00010000
#define THREAD_MODE_BACKGROUND_END    0x00020000

IOCPCOMPAT_EXTERN_C_BEGIN

/* Pins the thread (sched_setaffinity) and returns its previous mask; a mask
 * naming a processor outside the process's is ERROR_INVALID_PARAMETER. The
 * process's mask is the processors the process may use when it first
 * calls this. */
IOCPCOMPAT_API DWORD_PTR WINAPI SetThreadAffinityMask(HANDLE hThread, DWORD_PTR dwThreadAffinityMask);

/* Calls Callback(Context, FALSE) when hObject is signalled (taking the
 * signal, as a wait does) and Callback(Context, TRUE) when dwMilliseconds
 * pass without it; again and again unless WT_EXECUTEONLYONCE. Each
 * registration has a thread of its own that waits. */
IOCPCOMPAT_API BOOL WINAPI RegisterWaitForSingleObject(PHANDLE phNewWaitObject, HANDLE hObject,
                                                       WAITORTIMERCALLBACK Callback, PVOID Context,
                                                       ULONG dwMilliseconds, ULONG dwFlags);
/* UnregisterWaitEx(WaitHandle, NULL). */
IOCPCOMPAT_API BOOL WINAPI UnregisterWait(HANDLE WaitHandle);

/* Zeroes memory in a way the compiler cannot drop as a dead store. */
IOCPCOMPAT_API PVOID WINAPI SecureZeroMemory(PVOID ptr, SIZE_T cnt);

IOCPCOMPAT_API HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
IOCPCOMPAT_API HLOCAL WINAPI LocalFree(HLOCAL hMem);

/* FORMAT_MESSAGE_FROM_SYSTEM knows the Win32 and Winsock codes of
 * <winerror.h>, in English; FORMAT_MESSAGE_FROM_STRING formats lpSource. */
IOCPCOMPAT_API DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                           DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize,
                                           va_list *Arguments);
IOCPCOMPAT_API DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                           DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize,
                                           va_list *Arguments);

/* The kernel32 string functions. lstrlen(NULL) is 0; a NULL argument of
 * the others is ERROR_INVALID_PARAMETER (NULL returned). lstrcpyn copies at
 * most n - 1 characters and terminates. lstrcmp and lstrcmpi return -1, 0
 * or 1 in the user locale's order (symbols, digits, then letters; ASCII
 * only, see lstr.c), lstrcmpi ignoring case. */
IOCPCOMPAT_API int WINAPI lstrlenA(LPCSTR lpString);
IOCPCOMPAT_API LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2);
IOCPCOMPAT_API LPSTR WINAPI lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength);
IOCPCOMPAT_API LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2);
IOCPCOMPAT_API int WINAPI lstrcmpA(LPCSTR lpString1, LPCSTR lpString2);
IOCPCOMPAT_API int WINAPI lstrcmpiA(LPCSTR lpString1, LPCSTR lpString2);
IOCPCOMPAT_API int WINAPI lstrlenW(LPCWSTR lpString);
IOCPCOMPAT_API LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2);
IOCPCOMPAT_API LPWSTR WINAPI lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength);
IOCPCOMPAT_API LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2);
IOCPCOMPAT_API int WINAPI lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2);
IOCPCOMPAT_API int WINAPI lstrcmpiW(LPCWSTR lpString1, LPCWSTR lpString2);

/* Only GetModuleHandleA(NULL), the program itself, is known. */
IOCPCOMPAT_API HMODULE WINAPI GetModuleHandleA(LPCSTR lpModuleName);
IOCPCOMPAT_API HMODULE WINAPI GetModuleHandleW(LPCWSTR lpModuleName);

/* Flushes stdio and ends the process at once, other threads included, without
 * running atexit handlers or destructors under threads that still run. The
 * exit status is the low 8 bits of uExitCode, as Linux keeps no more. */
IOCPCOMPAT_API void WINAPI ExitProcess(UINT uExitCode) __attribute__((noreturn));

/* The entry points of Windows GUI-subsystem programs, which console servers
 * use too. The program defines one instead of main; the library's own main
 * (linked only when the program has none) calls it with the command line
 * after the program's name, hInstance = GetModuleHandle(NULL) and nShowCmd
 * SW_SHOWDEFAULT. wmain works the same way; the SDK declares none. */
int WINAPI WinMain(HINSTANCE hInstance, HINSTANCE hPrevInstance, LPSTR lpCmdLine, int nShowCmd);
int WINAPI wWinMain(HINSTANCE hInstance, HINSTANCE hPrevInstance, LPWSTR lpCmdLine, int nShowCmd);

IOCPCOMPAT_EXTERN_C_END

#ifdef UNICODE
#define FormatMessage   FormatMessageW
#define GetModuleHandle GetModuleHandleW
#define lstrlen         lstrlenW
#define lstrcpy         lstrcpyW
#define lstrcpyn        lstrcpynW
#define lstrcat         lstrcatW
#define lstrcmp         lstrcmpW
#define lstrcmpi        lstrcmpiW
#else
#define FormatMessage   FormatMessageA
#define GetModuleHandle GetModuleHandleA
#define lstrlen         lstrlenA
#define lstrcpy         lstrcpyA
#define lstrcpyn        lstrcpynA
#define lstrcat         lstrcatA
#define lstrcmp         lstrcmpA
#define lstrcmpi        lstrcmpiA
#endif

#include "iocpcompat_crt.h"

#endif
