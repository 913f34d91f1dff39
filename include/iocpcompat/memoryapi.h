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

/* What VirtualQuery reports (<winnt.h>). */
#define MEM_FREE               0x00010000
#define MEM_PRIVATE            0x00020000
#define MEM_MAPPED             0x00040000
#define MEM_IMAGE              0x01000000

/* File mappings (CreateFileMapping's section flags, MapViewOfFile's access). */
#define SEC_IMAGE              0x01000000
#define SEC_RESERVE            0x04000000
#define SEC_COMMIT             0x08000000
#define SEC_NOCACHE            0x10000000
#define SEC_LARGE_PAGES        0x80000000
#define SECTION_QUERY          0x0001
#define SECTION_MAP_WRITE      0x0002
#define SECTION_MAP_READ       0x0004
#define SECTION_MAP_EXECUTE    0x0008
#define SECTION_EXTEND_SIZE    0x0010
#define SECTION_ALL_ACCESS     0x000F001F
#define FILE_MAP_COPY          0x00000001
#define FILE_MAP_WRITE         SECTION_MAP_WRITE
#define FILE_MAP_READ          SECTION_MAP_READ
#define FILE_MAP_ALL_ACCESS    SECTION_ALL_ACCESS
#define FILE_MAP_EXECUTE       0x00000020

#ifndef ERROR_BAD_LENGTH
#define ERROR_BAD_LENGTH       24L
#endif
#ifndef ERROR_MAPPED_ALIGNMENT
#define ERROR_MAPPED_ALIGNMENT 1132L
#endif

typedef struct _MEMORY_BASIC_INFORMATION {
    PVOID  BaseAddress;
    PVOID  AllocationBase;
    DWORD  AllocationProtect;
    WORD   PartitionId;
    SIZE_T RegionSize;
    DWORD  State;
    DWORD  Protect;
    DWORD  Type;
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;

IOCPCOMPAT_STATIC_ASSERT(sizeof(MEMORY_BASIC_INFORMATION) == 48, "MEMORY_BASIC_INFORMATION is 48 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(offsetof(MEMORY_BASIC_INFORMATION, RegionSize) == 24 &&
                         offsetof(MEMORY_BASIC_INFORMATION, Type) == 40,
                         "MEMORY_BASIC_INFORMATION's fields at their Win64 offsets");

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                          DWORD flProtect);
IOCPCOMPAT_API LPVOID WINAPI VirtualAllocEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                            DWORD flAllocationType, DWORD flProtect);
IOCPCOMPAT_API BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType);
IOCPCOMPAT_API BOOL WINAPI VirtualFreeEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                         DWORD dwFreeType);

/* Every page of the range must be committed, in one allocation; the old
 * protection is the first page's. Memory the library did not allocate is
 * changed too (mprotect), its old protection read from /proc/self/maps. */
IOCPCOMPAT_API BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                                          PDWORD lpflOldProtect);
IOCPCOMPAT_API BOOL WINAPI VirtualProtectEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                            DWORD flNewProtect, PDWORD lpflOldProtect);
/* Exact for what VirtualAlloc and MapViewOfFile made; other memory is
 * described from /proc/self/maps (file-backed mappings as MEM_IMAGE). */
IOCPCOMPAT_API SIZE_T WINAPI VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength);
IOCPCOMPAT_API SIZE_T WINAPI VirtualQueryEx(HANDLE hProcess, LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer,
                                            SIZE_T dwLength);
/* The huge page size when the kernel offers huge pages (2 MiB on x86-64),
 * else 0. MEM_LARGE_PAGES asks for transparent huge pages. */
IOCPCOMPAT_API SIZE_T WINAPI GetLargePageMinimum(void);

/* File mappings backed by memory (hFile INVALID_HANDLE_VALUE), shared by
 * every view and every handle. A name is known within the process only,
 * while a handle to the mapping is open (OpenFileMapping finds it;
 * CreateFileMapping of a name in use returns the existing mapping with
 * ERROR_ALREADY_EXISTS). A handle's access bounds its views
 * (ERROR_ACCESS_DENIED). SEC_RESERVE mappings are committed from the
 * start. Mappings of real files are not offered yet: any other hFile is
 * ERROR_INVALID_HANDLE. */
IOCPCOMPAT_API HANDLE WINAPI CreateFileMappingA(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes,
                                                DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                                                LPCSTR lpName);
IOCPCOMPAT_API HANDLE WINAPI CreateFileMappingW(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes,
                                                DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                                                LPCWSTR lpName);
IOCPCOMPAT_API HANDLE WINAPI OpenFileMappingA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
IOCPCOMPAT_API HANDLE WINAPI OpenFileMappingW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
IOCPCOMPAT_API LPVOID WINAPI MapViewOfFile(HANDLE hFileMappingObject, DWORD dwDesiredAccess, DWORD dwFileOffsetHigh,
                                           DWORD dwFileOffsetLow, SIZE_T dwNumberOfBytesToMap);
IOCPCOMPAT_API BOOL WINAPI UnmapViewOfFile(LPCVOID lpBaseAddress);
IOCPCOMPAT_API BOOL WINAPI FlushViewOfFile(LPCVOID lpBaseAddress, SIZE_T dwNumberOfBytesToFlush);

IOCPCOMPAT_EXTERN_C_END

#ifdef UNICODE
#define CreateFileMapping CreateFileMappingW
#define OpenFileMapping   OpenFileMappingW
#else
#define CreateFileMapping CreateFileMappingA
#define OpenFileMapping   OpenFileMappingA
#endif

#endif
