/*
 * The kernel32 side of the Win32 API for Linux builds: base types with the
 * Win64 ABI on LP64, OVERLAPPED and friends, completion ports, events and
 * the last-error slot. On Windows the SDK's own <windows.h> is used instead.
 */
#ifndef IOCPCOMPAT_WINDOWS_H
#define IOCPCOMPAT_WINDOWS_H

/* Windows code expects the BSD and POSIX names (u_long, addrinfo...) even in
 * strict C modes; the exported target also defines this for the whole build. */
#if !defined(_DEFAULT_SOURCE) && !defined(_GNU_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

#include "sdkddkver.h"

/*
 * Winsock's fd_set is not the C library's (see winsock2.h). Its size is
 * FD_SETSIZE, which a program may define before its first Windows header;
 * <sys/select.h> would replace that with its own, so the program's value
 * is put aside while the C library's headers are read, and glibc's
 * FD_SETSIZE and FD_* macros are dropped after them.
 */
/* When <sys/select.h> came first, an FD_SETSIZE equal to its own is taken
 * for its own (a program that wants 1024 says so before any header). */
#if defined(FD_SETSIZE) && \
    !(defined(_SYS_SELECT_H) && defined(__FD_SETSIZE) && FD_SETSIZE == __FD_SETSIZE)
#define IOCPCOMPAT_FD_SETSIZE_GIVEN 1
#pragma push_macro("FD_SETSIZE")
#undef FD_SETSIZE
#endif

/* The C library headers that mingw-w64's <windows.h> and <winsock2.h> bring
 * in (winnt.h includes ctype.h, guiddef.h string.h, the intrinsics
 * stdlib.h, malloc.h, errno.h and limits.h), so that code which calls
 * tolower or malloc with only <windows.h> included compiles here too. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>   /* mingw-w64's string.h declares wcslen and the other wide forms */
#include <sys/select.h>
#undef FD_SETSIZE
#undef FD_SET
#undef FD_CLR
#undef FD_ISSET
#undef FD_ZERO
#ifdef IOCPCOMPAT_FD_SETSIZE_GIVEN
#pragma pop_macro("FD_SETSIZE")
#endif

#ifdef __cplusplus
#define IOCPCOMPAT_EXTERN_C_BEGIN extern "C" {
#define IOCPCOMPAT_EXTERN_C_END }
#define IOCPCOMPAT_STATIC_ASSERT(e, m) static_assert(e, m)
#else
#define IOCPCOMPAT_EXTERN_C_BEGIN
#define IOCPCOMPAT_EXTERN_C_END
#define IOCPCOMPAT_STATIC_ASSERT(e, m) _Static_assert(e, m)
#endif

#if defined(__GNUC__) && defined(IOCPCOMPAT_BUILDING)
#define IOCPCOMPAT_API __attribute__((visibility("default")))
#else
#define IOCPCOMPAT_API
#endif

/* Calling conventions mean nothing on x86-64 Linux. */
#define WINAPI
#define WINAPIV
#define APIENTRY
#define CALLBACK
#define PASCAL
#define WSAAPI
#define NTAPI
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __cdecl
#define __cdecl
#endif
#define VOID void
#define CONST const
#define IN
#define OUT
#define OPTIONAL

/* The fixed-width and pointer-sized types: INT8..UINT64, LONG32, DWORD32,
 * INT_PTR..DWORD_PTR, SIZE_T, with their P forms. */
#include "basetsd.h"

typedef int                BOOL;
typedef BOOL              *PBOOL, *LPBOOL;
typedef unsigned char      BYTE, UCHAR, BOOLEAN;
typedef BYTE              *PBYTE, *LPBYTE, *PUCHAR;
typedef BOOLEAN           *PBOOLEAN;
typedef uint16_t           WORD, USHORT;
typedef WORD              *PWORD, *LPWORD;
typedef USHORT            *PUSHORT;
typedef uint32_t           DWORD, ULONG;
typedef DWORD             *PDWORD, *LPDWORD;
typedef ULONG             *PULONG;
typedef int32_t            LONG;
typedef LONG              *PLONG, *LPLONG;
typedef int                INT;
typedef unsigned int       UINT;
typedef INT               *PINT, *LPINT;
typedef UINT              *PUINT;
typedef int16_t            SHORT;
typedef SHORT             *PSHORT;
typedef int64_t            LONGLONG;
typedef LONGLONG          *PLONGLONG;
typedef uint64_t           ULONGLONG, DWORDLONG;
typedef ULONGLONG         *PULONGLONG;
typedef DWORDLONG         *PDWORDLONG;
typedef float              FLOAT;
typedef FLOAT             *PFLOAT;
typedef char               CHAR;
typedef CHAR              *PCHAR, *LPSTR, *PSTR;
typedef const CHAR        *LPCSTR, *PCSTR;
/* WCHAR is the platform's wchar_t (32 bits here, 16 on Windows), so that
 * L"..." literals, the wcs* functions and std::wstring work with the W API
 * as they do on Windows; README "UNICODE builds" gives the reasons. */
typedef wchar_t            WCHAR;
typedef WCHAR             *PWCHAR, *LPWSTR, *PWSTR;
typedef const WCHAR       *LPCWSTR, *PCWSTR;
typedef void              *PVOID, *LPVOID, *PVOID64;
typedef const void        *LPCVOID;
typedef void              *HANDLE;
typedef HANDLE            *PHANDLE, *LPHANDLE;
typedef HANDLE             HMODULE, HINSTANCE, HGLOBAL;
typedef LONG               HRESULT;
typedef ULONG_PTR          WPARAM;
typedef INT_PTR (WINAPI *FARPROC)(void);
typedef LONG_PTR           LPARAM, LRESULT;
typedef WORD               LANGID;

/* A handle type of its own, as <winnt.h> declares them under STRICT (the
 * default): a pointer to a distinct struct, so handle kinds do not mix. */
#define DECLARE_HANDLE(name) struct name##__ { int unused; }; typedef struct name##__ *name
DECLARE_HANDLE(HWND);

typedef union _LARGE_INTEGER {
    struct { DWORD LowPart; LONG HighPart; };
    struct { DWORD LowPart; LONG HighPart; } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct { DWORD LowPart; DWORD HighPart; };
    struct { DWORD LowPart; DWORD HighPart; } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

/* Limits of <winnt.h>, with its types (MINLONG and MAXDWORD are unsigned). */
#define MINCHAR     0x80
#define MAXCHAR     0x7f
#define MINSHORT    0x8000
#define MAXSHORT    0x7fff
#define MINLONG     0x80000000
#define MAXLONG     0x7fffffff
#define MAXBYTE     0xff
#define MAXWORD     0xffff
#define MAXDWORD    0xffffffff
#define MAXLONGLONG (0x7fffffffffffffffll)

#define MAX_PATH 260

#define TLS_MINIMUM_AVAILABLE 64

/* Segment qualifiers of 16-bit Windows, still written in Winsock code. */
#define FAR
#define NEAR

#ifdef __cplusplus
#define EXTERN_C extern "C"
#else
#define EXTERN_C extern
#endif

/* Silences an unused parameter, as the SDK's does, without gcc's and
 * clang's self-assignment and no-effect warnings. */
#define UNREFERENCED_PARAMETER(P) ((void)(P))

/* A compile-time check, at file or block scope. */
#define C_ASSERT(e) IOCPCOMPAT_STATIC_ASSERT(e, #e)

/* <winnt.h>'s declaration attributes, over the __declspec of
 * iocpcompat_crt.h. The cache line is 64 bytes on x86-64. */
#define FORCEINLINE                 __forceinline
#define DECLSPEC_ALIGN(x)           __declspec(align(x))
#define DECLSPEC_NOINLINE           __declspec(noinline)
#define DECLSPEC_NORETURN           __declspec(noreturn)
#define DECLSPEC_NOTHROW            __declspec(nothrow)
#define DECLSPEC_SELECTANY          __declspec(selectany)
#define DECLSPEC_IMPORT             __declspec(dllimport)
#define DECLSPEC_NOVTABLE           __declspec(novtable)
#define SYSTEM_CACHE_ALIGNMENT_SIZE 64
#define DECLSPEC_CACHEALIGN         DECLSPEC_ALIGN(SYSTEM_CACHE_ALIGNMENT_SIZE)

#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif
#define INFINITE              0xFFFFFFFFu
#define INVALID_HANDLE_VALUE  ((HANDLE)(LONG_PTR)-1)

#define WAIT_OBJECT_0         0x00000000L
#define WAIT_ABANDONED        0x00000080L
#define WAIT_IO_COMPLETION    0x000000C0L
#define WAIT_FAILED           ((DWORD)0xFFFFFFFF)

#include "winerror.h"

typedef struct _GUID {
    DWORD Data1;
    WORD  Data2;
    WORD  Data3;
    BYTE  Data4[8];
} GUID, *LPGUID;
typedef const GUID *LPCGUID;

/* <guiddef.h>: a GUID parameter is a pointer in C and a reference in C++,
 * so the same call IsEqualGUID(a, b) compiles as each language expects. */
#ifdef __cplusplus
typedef const GUID &REFGUID;
static inline int InlineIsEqualGUID(REFGUID a, REFGUID b)
{
    return a.Data1 == b.Data1 && memcmp(&a.Data2, &b.Data2, 12) == 0;
}
static inline int IsEqualGUID(REFGUID a, REFGUID b) { return memcmp(&a, &b, sizeof(GUID)) == 0; }
static inline bool operator==(REFGUID a, REFGUID b) { return IsEqualGUID(a, b) != 0; }
static inline bool operator!=(REFGUID a, REFGUID b) { return !(a == b); }
#else
typedef const GUID *REFGUID;
#define InlineIsEqualGUID(rguid1, rguid2) \
    ((rguid1)->Data1 == (rguid2)->Data1 && memcmp(&(rguid1)->Data2, &(rguid2)->Data2, 12) == 0)
#define IsEqualGUID(rguid1, rguid2) (!memcmp((rguid1), (rguid2), sizeof(GUID)))
#endif

/* <winnt.h>'s intrusive lists and the offset helpers that walk them. */
typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY, *PRLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

/* Interlocked singly linked lists (<winnt.h>), with Win64's layout: the
 * header is 16 bytes, 16-aligned, so that one 128-bit compare-exchange
 * changes the first entry with a depth and sequence beside it (which is
 * what keeps a pop from the ABA problem). Entries are 16-aligned too:
 * the header keeps an entry's address shifted right by four. */
#define MEMORY_ALLOCATION_ALIGNMENT 16

typedef struct __attribute__((aligned(16))) _SLIST_ENTRY {
    struct _SLIST_ENTRY *Next;
} SLIST_ENTRY, *PSLIST_ENTRY;

typedef union __attribute__((aligned(16))) _SLIST_HEADER {
    struct {
        ULONGLONG Alignment;
        ULONGLONG Region;
    };
    struct {
        ULONGLONG Depth : 16;
        ULONGLONG Sequence : 48;
        ULONGLONG Reserved : 4;
        ULONGLONG NextEntry : 60;
    } HeaderX64;
} SLIST_HEADER, *PSLIST_HEADER;

#define FIELD_OFFSET(type, field)  ((LONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define CONTAINING_RECORD(address, type, field) \
    ((type *)((PCHAR)(address) - (ULONG_PTR)offsetof(type, field)))

typedef struct _OVERLAPPED {
    ULONG_PTR Internal;       /* NTSTATUS of the operation */
    ULONG_PTR InternalHigh;   /* bytes transferred */
    union {
        struct {
            DWORD Offset;
            DWORD OffsetHigh;
        };
        PVOID Pointer;
    };
    HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

typedef struct _OVERLAPPED_ENTRY {
    ULONG_PTR    lpCompletionKey;
    LPOVERLAPPED lpOverlapped;
    ULONG_PTR    Internal;
    DWORD        dwNumberOfBytesTransferred;
} OVERLAPPED_ENTRY, *LPOVERLAPPED_ENTRY;

typedef struct _SECURITY_ATTRIBUTES {
    DWORD  nLength;
    LPVOID lpSecurityDescriptor;
    BOOL   bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

/*
 * What a crash handler is given (<winnt.h>): the exception record, and the
 * thread's registers in the x64 CONTEXT layout. The library fills the
 * integer and control registers (Rax..R15, Rip, EFlags, the segments) from
 * the signal's context; the floating-point and vector areas are left zero.
 */
typedef struct __attribute__((aligned(16))) _M128A {
    ULONGLONG Low;
    LONGLONG  High;
} M128A, *PM128A;

#define CONTEXT_AMD64           0x00100000L
#define CONTEXT_CONTROL         (CONTEXT_AMD64 | 0x1L)
#define CONTEXT_INTEGER         (CONTEXT_AMD64 | 0x2L)
#define CONTEXT_SEGMENTS        (CONTEXT_AMD64 | 0x4L)
#define CONTEXT_FLOATING_POINT  (CONTEXT_AMD64 | 0x8L)
#define CONTEXT_DEBUG_REGISTERS (CONTEXT_AMD64 | 0x10L)
#define CONTEXT_FULL            (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_FLOATING_POINT)
#define CONTEXT_ALL             (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS | \
                                 CONTEXT_FLOATING_POINT | CONTEXT_DEBUG_REGISTERS)

typedef struct __attribute__((aligned(16))) _CONTEXT {
    DWORD64 P1Home, P2Home, P3Home, P4Home, P5Home, P6Home;
    DWORD   ContextFlags;
    DWORD   MxCsr;
    WORD    SegCs, SegDs, SegEs, SegFs, SegGs, SegSs;
    DWORD   EFlags;
    DWORD64 Dr0, Dr1, Dr2, Dr3, Dr6, Dr7;
    DWORD64 Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi;
    DWORD64 R8, R9, R10, R11, R12, R13, R14, R15;
    DWORD64 Rip;
    union {
        BYTE FltSave[512];   /* XMM_SAVE_AREA32 on Windows */
        struct {
            M128A Header[2];
            M128A Legacy[8];
            M128A Xmm0, Xmm1, Xmm2, Xmm3, Xmm4, Xmm5, Xmm6, Xmm7;
            M128A Xmm8, Xmm9, Xmm10, Xmm11, Xmm12, Xmm13, Xmm14, Xmm15;
        };
    };
    M128A   VectorRegister[26];
    DWORD64 VectorControl;
    DWORD64 DebugControl;
    DWORD64 LastBranchToRip;
    DWORD64 LastBranchFromRip;
    DWORD64 LastExceptionToRip;
    DWORD64 LastExceptionFromRip;
} CONTEXT, *PCONTEXT;

#define EXCEPTION_NONCONTINUABLE     0x1
#define EXCEPTION_MAXIMUM_PARAMETERS 15

typedef struct _EXCEPTION_RECORD {
    DWORD  ExceptionCode;
    DWORD  ExceptionFlags;
    struct _EXCEPTION_RECORD *ExceptionRecord;
    PVOID  ExceptionAddress;
    DWORD  NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;

typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    PCONTEXT ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;

/* Sizes and offsets as on Win64, so structures shared with Windows code match. */
IOCPCOMPAT_STATIC_ASSERT(sizeof(CONTEXT) == 1232, "CONTEXT is 1232 bytes on x64");
IOCPCOMPAT_STATIC_ASSERT(offsetof(CONTEXT, Rax) == 120 && offsetof(CONTEXT, Rip) == 248 &&
                         offsetof(CONTEXT, Xmm0) == 416 && offsetof(CONTEXT, VectorRegister) == 768,
                         "CONTEXT's registers at their x64 offsets");
IOCPCOMPAT_STATIC_ASSERT(sizeof(EXCEPTION_RECORD) == 152, "EXCEPTION_RECORD is 152 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(offsetof(EXCEPTION_RECORD, ExceptionAddress) == 16 &&
                         offsetof(EXCEPTION_RECORD, ExceptionInformation) == 32,
                         "EXCEPTION_RECORD's fields at their Win64 offsets");
IOCPCOMPAT_STATIC_ASSERT(sizeof(LIST_ENTRY) == 16, "LIST_ENTRY is two pointers");
IOCPCOMPAT_STATIC_ASSERT(sizeof(SLIST_HEADER) == 16 && __alignof__(SLIST_HEADER) == 16, "SLIST_HEADER is 16 bytes, 16-aligned");
IOCPCOMPAT_STATIC_ASSERT(sizeof(SLIST_ENTRY) == 16 && __alignof__(SLIST_ENTRY) == 16, "SLIST_ENTRY is 16-aligned");
IOCPCOMPAT_STATIC_ASSERT(sizeof(DWORD) == 4, "DWORD is 32 bits");
IOCPCOMPAT_STATIC_ASSERT(sizeof(LONG) == 4 && sizeof(ULONG) == 4, "LONG is 32 bits");
IOCPCOMPAT_STATIC_ASSERT(sizeof(ULONG_PTR) == sizeof(void *), "ULONG_PTR is pointer-sized");
IOCPCOMPAT_STATIC_ASSERT(sizeof(WCHAR) == sizeof(wchar_t), "WCHAR is wchar_t");
IOCPCOMPAT_STATIC_ASSERT(sizeof(GUID) == 16, "GUID is 16 bytes");
IOCPCOMPAT_STATIC_ASSERT(sizeof(LARGE_INTEGER) == 8, "LARGE_INTEGER is 8 bytes");
IOCPCOMPAT_STATIC_ASSERT(sizeof(ULARGE_INTEGER) == 8, "ULARGE_INTEGER is 8 bytes");
IOCPCOMPAT_STATIC_ASSERT(sizeof(INT8) == 1 && sizeof(UINT8) == 1, "INT8 is 8 bits");
IOCPCOMPAT_STATIC_ASSERT(sizeof(INT16) == 2 && sizeof(UINT16) == 2, "INT16 is 16 bits");
IOCPCOMPAT_STATIC_ASSERT(sizeof(INT32) == 4 && sizeof(UINT32) == 4 && sizeof(LONG32) == 4 &&
                         sizeof(ULONG32) == 4 && sizeof(DWORD32) == 4, "INT32 and LONG32 are 32 bits");
IOCPCOMPAT_STATIC_ASSERT(sizeof(INT64) == 8 && sizeof(UINT64) == 8 && sizeof(LONG64) == 8 &&
                         sizeof(ULONG64) == 8 && sizeof(DWORD64) == 8 && sizeof(LONGLONG) == 8,
                         "INT64 and LONG64 are 64 bits");
IOCPCOMPAT_STATIC_ASSERT(sizeof(INT_PTR) == 8 && sizeof(UINT_PTR) == 8 && sizeof(LONG_PTR) == 8 &&
                         sizeof(DWORD_PTR) == 8 && sizeof(SIZE_T) == 8 && sizeof(SSIZE_T) == 8,
                         "the _PTR types are pointer-sized");
IOCPCOMPAT_STATIC_ASSERT(sizeof(HALF_PTR) == 4 && sizeof(UHALF_PTR) == 4, "HALF_PTR is half a pointer");
IOCPCOMPAT_STATIC_ASSERT((INT8)-1 < 0 && (INT_PTR)-1 < 0 && (UINT8)-1 > 0 && (UINT_PTR)-1 > 0,
                         "INT types are signed, UINT types unsigned");
IOCPCOMPAT_STATIC_ASSERT(sizeof(OVERLAPPED) == 32, "OVERLAPPED is 32 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(offsetof(OVERLAPPED, InternalHigh) == 8, "OVERLAPPED.InternalHigh");
IOCPCOMPAT_STATIC_ASSERT(offsetof(OVERLAPPED, Offset) == 16, "OVERLAPPED.Offset");
IOCPCOMPAT_STATIC_ASSERT(offsetof(OVERLAPPED, OffsetHigh) == 20, "OVERLAPPED.OffsetHigh");
IOCPCOMPAT_STATIC_ASSERT(offsetof(OVERLAPPED, hEvent) == 24, "OVERLAPPED.hEvent");
IOCPCOMPAT_STATIC_ASSERT(sizeof(OVERLAPPED_ENTRY) == 32, "OVERLAPPED_ENTRY is 32 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(offsetof(OVERLAPPED_ENTRY, lpOverlapped) == 8, "OVERLAPPED_ENTRY.lpOverlapped");
IOCPCOMPAT_STATIC_ASSERT(offsetof(OVERLAPPED_ENTRY, Internal) == 16, "OVERLAPPED_ENTRY.Internal");
IOCPCOMPAT_STATIC_ASSERT(offsetof(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred) == 24,
                         "OVERLAPPED_ENTRY.dwNumberOfBytesTransferred");

/* An atomic read: the library may be completing the OVERLAPPED on another thread. */
#define HasOverlappedIoCompleted(lpOverlapped) \
    (((DWORD)__atomic_load_n(&(lpOverlapped)->Internal, __ATOMIC_ACQUIRE)) != STATUS_PENDING)

#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#define FILE_SKIP_SET_EVENT_ON_HANDLE        0x2

#define MAKEWORD(a, b) ((WORD)(((BYTE)((DWORD_PTR)(a) & 0xff)) | ((WORD)((BYTE)((DWORD_PTR)(b) & 0xff))) << 8))
#define LOBYTE(w)      ((BYTE)((DWORD_PTR)(w) & 0xff))
#define HIBYTE(w)      ((BYTE)(((DWORD_PTR)(w) >> 8) & 0xff))
#define LOWORD(l)      ((WORD)((DWORD_PTR)(l) & 0xffff))
#define HIWORD(l)      ((WORD)(((DWORD_PTR)(l) >> 16) & 0xffff))
#define MAKELONG(a, b) ((LONG)(((WORD)((DWORD_PTR)(a) & 0xffff)) | ((DWORD)((WORD)((DWORD_PTR)(b) & 0xffff))) << 16))

IOCPCOMPAT_EXTERN_C_BEGIN

/* Last error: one slot per thread, shared with WSAGetLastError. */
IOCPCOMPAT_API DWORD WINAPI GetLastError(void);
IOCPCOMPAT_API void  WINAPI SetLastError(DWORD dwErrCode);

/* Handles. */
IOCPCOMPAT_API BOOL WINAPI CloseHandle(HANDLE hObject);

/* Completion ports. */
IOCPCOMPAT_API HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                    ULONG_PTR CompletionKey,
                                                    DWORD NumberOfConcurrentThreads);
IOCPCOMPAT_API BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort,
                                                     LPDWORD lpNumberOfBytesTransferred,
                                                     PULONG_PTR lpCompletionKey,
                                                     LPOVERLAPPED *lpOverlapped,
                                                     DWORD dwMilliseconds);
IOCPCOMPAT_API BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                                       LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                       ULONG ulCount, PULONG ulNumEntriesRemoved,
                                                       DWORD dwMilliseconds, BOOL fAlertable);
IOCPCOMPAT_API BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort,
                                                      DWORD dwNumberOfBytesTransferred,
                                                      ULONG_PTR dwCompletionKey,
                                                      LPOVERLAPPED lpOverlapped);
IOCPCOMPAT_API BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags);

/* Overlapped results and cancellation. */
IOCPCOMPAT_API BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                               LPDWORD lpNumberOfBytesTransferred, BOOL bWait);
IOCPCOMPAT_API BOOL WINAPI CancelIo(HANDLE hFile);
IOCPCOMPAT_API BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped);

/* Time (the subset the completion-port code needs). */
IOCPCOMPAT_API DWORD WINAPI GetTickCount(void);
IOCPCOMPAT_API ULONGLONG WINAPI GetTickCount64(void);

IOCPCOMPAT_EXTERN_C_END

/* The rest of kernel32, by the SDK header that declares it. */
#include "synchapi.h"
#include "interlockedapi.h"
#include "processthreadsapi.h"
#include "threadpoollegacyapiset.h"
#include "sysinfoapi.h"
#include "memoryapi.h"
#include "heapapi.h"
#include "consoleapi.h"
#include "debugapi.h"
#include "errhandlingapi.h"
#include "fileapi.h"
#include "winbase.h"
#include "stringapiset.h"
#include "mmsystem.h"

#endif
