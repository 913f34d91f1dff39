/* The part of the Win32 API that the Windows SDK declares in <memoryapi.h>:
 * virtual memory, with the MEM_* and PAGE_* constants of <winnt.h>. */
#ifndef IOCPCOMPAT_MEMORYAPI_H
#define IOCPCOMPAT_MEMORYAPI_H

#include "windows.h"

#define MEM_COMMIT             0x00001000
#define MEM_RESERVE            0x00002000
#define MEM_DECOMMIT           0x00004000
#define MEM_RELEASE            0x00008000
#define MEM_RESET              0x00080000
#define MEM_TOP_DOWN           0x00100000
#define MEM_RESET_UNDO         0x01000000
#define MEM_LARGE_PAGES        0x20000000

#define PAGE_NOACCESS          0x01
#define PAGE_READONLY          0x02
#define PAGE_READWRITE         0x04
#define PAGE_WRITECOPY         0x08
#define PAGE_EXECUTE           0x10
#define PAGE_EXECUTE_READ      0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD             0x100
#define PAGE_NOCACHE           0x200
#define PAGE_WRITECOMBINE      0x400

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                          DWORD flProtect);
IOCPCOMPAT_API LPVOID WINAPI VirtualAllocEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                            DWORD flAllocationType, DWORD flProtect);
IOCPCOMPAT_API BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType);
IOCPCOMPAT_API BOOL WINAPI VirtualFreeEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                         DWORD dwFreeType);

IOCPCOMPAT_EXTERN_C_END

#endif
