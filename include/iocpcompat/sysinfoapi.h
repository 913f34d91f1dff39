/* The part of the Win32 API that the Windows SDK declares in <sysinfoapi.h>
 * (system information and wall-clock time), together with FILETIME and
 * SYSTEMTIME (<minwinbase.h>) and the performance counter (<profileapi.h>),
 * which the same code uses alongside. */
#ifndef IOCPCOMPAT_SYSINFOAPI_H
#define IOCPCOMPAT_SYSINFOAPI_H

#include "windows.h"

#define PROCESSOR_ARCHITECTURE_INTEL   0
#define PROCESSOR_ARCHITECTURE_ARM     5
#define PROCESSOR_ARCHITECTURE_AMD64   9
#define PROCESSOR_ARCHITECTURE_ARM64   12
#define PROCESSOR_ARCHITECTURE_UNKNOWN 0xFFFF

#define PROCESSOR_INTEL_386            386
#define PROCESSOR_INTEL_486            486
#define PROCESSOR_INTEL_PENTIUM        586
#define PROCESSOR_AMD_X8664            8664
#define PROCESSOR_ARM_7TDMI            70001

typedef struct _SYSTEM_INFO {
    union {
        DWORD dwOemId;
        struct {
            WORD wProcessorArchitecture;
            WORD wReserved;
        };
    };
    DWORD     dwPageSize;
    LPVOID    lpMinimumApplicationAddress;
    LPVOID    lpMaximumApplicationAddress;
    DWORD_PTR dwActiveProcessorMask;
    DWORD     dwNumberOfProcessors;
    DWORD     dwProcessorType;
    DWORD     dwAllocationGranularity;
    WORD      wProcessorLevel;
    WORD      wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;

/* 100-nanosecond intervals since 1601-01-01 UTC. */
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef struct _SYSTEMTIME {
    WORD wYear;
    WORD wMonth;
    WORD wDayOfWeek;
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;

IOCPCOMPAT_STATIC_ASSERT(sizeof(SYSTEM_INFO) == 48, "SYSTEM_INFO is 48 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(offsetof(SYSTEM_INFO, dwPageSize) == 4, "SYSTEM_INFO.dwPageSize");
IOCPCOMPAT_STATIC_ASSERT(offsetof(SYSTEM_INFO, lpMinimumApplicationAddress) == 8,
                         "SYSTEM_INFO.lpMinimumApplicationAddress");
IOCPCOMPAT_STATIC_ASSERT(offsetof(SYSTEM_INFO, dwActiveProcessorMask) == 24,
                         "SYSTEM_INFO.dwActiveProcessorMask");
IOCPCOMPAT_STATIC_ASSERT(offsetof(SYSTEM_INFO, dwNumberOfProcessors) == 32,
                         "SYSTEM_INFO.dwNumberOfProcessors");
IOCPCOMPAT_STATIC_ASSERT(offsetof(SYSTEM_INFO, dwAllocationGranularity) == 40,
                         "SYSTEM_INFO.dwAllocationGranularity");
IOCPCOMPAT_STATIC_ASSERT(offsetof(SYSTEM_INFO, wProcessorRevision) == 46, "SYSTEM_INFO.wProcessorRevision");
IOCPCOMPAT_STATIC_ASSERT(sizeof(FILETIME) == 8, "FILETIME is 8 bytes");
IOCPCOMPAT_STATIC_ASSERT(sizeof(SYSTEMTIME) == 16, "SYSTEMTIME is 16 bytes");

typedef struct _MEMORYSTATUSEX {
    DWORD     dwLength;
    DWORD     dwMemoryLoad;
    DWORDLONG ullTotalPhys;
    DWORDLONG ullAvailPhys;
    DWORDLONG ullTotalPageFile;
    DWORDLONG ullAvailPageFile;
    DWORDLONG ullTotalVirtual;
    DWORDLONG ullAvailVirtual;
    DWORDLONG ullAvailExtendedVirtual;
} MEMORYSTATUSEX, *LPMEMORYSTATUSEX;

IOCPCOMPAT_STATIC_ASSERT(sizeof(MEMORYSTATUSEX) == 64, "MEMORYSTATUSEX is 64 bytes");

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API void WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo);
IOCPCOMPAT_API void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo);
IOCPCOMPAT_API void WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime);
IOCPCOMPAT_API void WINAPI GetSystemTimePreciseAsFileTime(LPFILETIME lpSystemTimeAsFileTime);
IOCPCOMPAT_API void WINAPI GetSystemTime(LPSYSTEMTIME lpSystemTime);
IOCPCOMPAT_API void WINAPI GetLocalTime(LPSYSTEMTIME lpSystemTime);
IOCPCOMPAT_API BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount);
IOCPCOMPAT_API BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency);
/* dwLength must be sizeof(MEMORYSTATUSEX) (ERROR_INVALID_PARAMETER otherwise).
 * Physical memory is the machine's (MemAvailable counts as available), the
 * page file is memory plus swap, the virtual space the 128 TiB of user
 * address space on x86-64. */
IOCPCOMPAT_API BOOL WINAPI GlobalMemoryStatusEx(LPMEMORYSTATUSEX lpBuffer);

IOCPCOMPAT_EXTERN_C_END

#endif
