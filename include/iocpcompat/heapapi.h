/* The part of the Win32 API that the Windows SDK declares in <heapapi.h>,
 * with the HEAP_* flags of <winnt.h>. */
#ifndef IOCPCOMPAT_HEAPAPI_H
#define IOCPCOMPAT_HEAPAPI_H

#include "windows.h"

#define HEAP_NO_SERIALIZE            0x00000001
#define HEAP_GROWABLE                0x00000002
#define HEAP_GENERATE_EXCEPTIONS     0x00000004
#define HEAP_ZERO_MEMORY             0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY   0x00000010
#define HEAP_CREATE_ENABLE_EXECUTE   0x00040000

/* <winnt.h>'s heap information classes. */
typedef enum _HEAP_INFORMATION_CLASS {
    HeapCompatibilityInformation = 0,
    HeapEnableTerminationOnCorruption = 1,
    HeapOptimizeResources = 3
} HEAP_INFORMATION_CLASS;

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API HANDLE WINAPI GetProcessHeap(void);
IOCPCOMPAT_API HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize);
IOCPCOMPAT_API BOOL WINAPI HeapDestroy(HANDLE hHeap);
IOCPCOMPAT_API LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
IOCPCOMPAT_API LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes);
IOCPCOMPAT_API BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);
IOCPCOMPAT_API SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);
/* Accepted and checked as Windows checks them: HeapCompatibilityInformation
 * 0 or 2 (the low-fragmentation heap, which is what the C heap already
 * is), HeapEnableTerminationOnCorruption (the C heap already ends the
 * process on the corruption it detects), HeapOptimizeResources. */
IOCPCOMPAT_API BOOL WINAPI HeapSetInformation(HANDLE HeapHandle, HEAP_INFORMATION_CLASS HeapInformationClass,
                                              PVOID HeapInformation, SIZE_T HeapInformationLength);
IOCPCOMPAT_API BOOL WINAPI HeapQueryInformation(HANDLE HeapHandle, HEAP_INFORMATION_CLASS HeapInformationClass,
                                                PVOID HeapInformation, SIZE_T HeapInformationLength,
                                                PSIZE_T ReturnLength);

IOCPCOMPAT_EXTERN_C_END

#endif
